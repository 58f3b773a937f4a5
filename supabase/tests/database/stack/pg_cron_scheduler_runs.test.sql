-- pg_cron is installed, its scheduler runs on this database, and a job can be scheduled.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

select has_extension('pg_cron', 'pg_cron is installed');
select ok(
  exists (select 1 from pg_catalog.pg_stat_activity
           where backend_type = 'pg_cron launcher' or application_name = 'pg_cron scheduler'),
  'the pg_cron scheduler is running');
select isnt(cron.schedule('walltrack-test-job', '*/5 * * * *', 'select 1'), null::bigint, 'a job can be scheduled');
select is(
  (select schedule from cron.job where jobname = 'walltrack-test-job'),
  '*/5 * * * *',
  'the scheduled job is recorded in cron.job');

select * from finish();
rollback;
