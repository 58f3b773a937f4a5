-- walltrack.schedule_jobs (re)schedules every WallTrack pg_cron job by name, and is safe to run
-- again: the signal sweeper, the order executor's sweeper and the price monitor, every minute.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

select is(
  array(select jobname::text from cron.job where jobname like 'walltrack-%' order by jobname),
  array['walltrack-order-executor', 'walltrack-price-monitor', 'walltrack-signal-sweeper'],
  'the migrations scheduled the three WallTrack jobs');

-- Start from none.
do $$ begin perform cron.unschedule(jobid) from cron.job where jobname like 'walltrack-%'; end $$;

select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-order-executor', 'walltrack-price-monitor', 'walltrack-signal-sweeper'],
  'schedule_jobs schedules the three jobs and returns their names');
select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-order-executor', 'walltrack-price-monitor', 'walltrack-signal-sweeper'],
  'running it again returns the same three');
select is((select count(*)::integer from cron.job where jobname like 'walltrack-%'), 3, 'and each job exists once');
select results_eq(
  $$select jobname::text collate "default", schedule, command, active
    from cron.job where jobname like 'walltrack-%' order by jobname$$,
  $$values ('walltrack-order-executor'::text, '* * * * *'::text, 'select walltrack.sweep_pending_orders()'::text, true),
           ('walltrack-price-monitor', '* * * * *', 'select walltrack.monitor_prices()', true),
           ('walltrack-signal-sweeper', '* * * * *', 'select walltrack.sweep_unprocessed_signals()', true)$$,
  'every minute: the order sweeper, the price monitor, the signal sweeper');

-- A job changed by hand is put back as designed.
do $$ begin perform cron.schedule('walltrack-price-monitor', '*/5 * * * *', 'select 1'); end $$;
select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-order-executor', 'walltrack-price-monitor', 'walltrack-signal-sweeper'],
  'rescheduling after a change by hand still gives the three');
select is(
  (select array[schedule, command] from cron.job where jobname = 'walltrack-price-monitor'),
  array['* * * * *', 'select walltrack.monitor_prices()'],
  'and the changed job is back to every minute, monitoring prices');

select * from finish();
rollback;
