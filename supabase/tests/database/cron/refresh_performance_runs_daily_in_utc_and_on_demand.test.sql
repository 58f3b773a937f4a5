-- The walltrack-refresh-performance job ('0 0 * * *', schedule_jobs_schedules_every_job_once)
-- runs at 00:00 UTC: pg_cron reads schedules in GMT unless cron.timezone says otherwise. The
-- refresh can also be called on demand by service_role (the operator's and the functions' role),
-- never by anon or authenticated.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

select ok(coalesce(current_setting('cron.timezone', true), 'GMT') in ('GMT', 'UTC', 'Etc/UTC'),
  'pg_cron reads that schedule in UTC');
select lives_ok(
  (select command from cron.job where jobname = 'walltrack-refresh-performance'),
  'the job''s command runs as the scheduler would run it');
select ok(has_function_privilege('service_role', 'walltrack.refresh_performance()', 'execute'),
  'service_role may run it on demand');
select ok(not has_function_privilege('anon', 'walltrack.refresh_performance()', 'execute')
          and not has_function_privilege('authenticated', 'walltrack.refresh_performance()', 'execute'),
  'anon and authenticated may not');

set local role service_role;
select is(walltrack.refresh_performance(), (select count(*)::integer from walltrack.wallets),
  'service_role refreshes every wallet''s row on demand');
reset role;

select * from finish();
rollback;
