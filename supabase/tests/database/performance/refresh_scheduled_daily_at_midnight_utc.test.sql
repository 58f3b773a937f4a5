-- pg_cron runs walltrack.refresh_performance daily at 00:00 UTC (pg_cron reads schedules in GMT
-- unless cron.timezone says otherwise), and it can be called on demand by service_role (the
-- operator's and the functions' role), never by anon or authenticated.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

select results_eq(
  $$select schedule, command, active from cron.job where jobname = 'walltrack-refresh-performance'$$,
  $$values ('0 0 * * *'::text, 'select walltrack.refresh_performance()'::text, true)$$,
  'the walltrack-refresh-performance job runs the refresh at minute 0 of hour 0, every day');
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
