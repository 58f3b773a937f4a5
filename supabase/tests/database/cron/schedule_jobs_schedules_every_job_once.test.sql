-- walltrack.schedule_jobs makes cron.job match walltrack.job_schedule: it (re)schedules every
-- WallTrack pg_cron job by name, is safe to run again, schedules a row added later and
-- unschedules a walltrack-% job no row names. As shipped: the signal sweeper, the order
-- executor's sweeper, the price monitor, the circuit breaker's backstop, the exit timer, the capture
-- reconciliation (which asks only when due) and the notification dispatcher every minute, the Helius
-- address sync every 5 minutes, the price history's retention hourly, the performance refresh daily
-- at 00:00 UTC, the leaders' copyability at 00:05 and the log retention at 03:23.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

select is(
  array(select jobname::text from cron.job where jobname like 'walltrack-%' order by jobname),
  array['walltrack-capture-reconciler', 'walltrack-circuit-breaker', 'walltrack-compact-price-history', 'walltrack-exit-timer',
        'walltrack-helius-sync', 'walltrack-notification-dispatcher', 'walltrack-order-executor', 'walltrack-price-monitor',
        'walltrack-purge-logs', 'walltrack-refresh-copyability', 'walltrack-refresh-performance', 'walltrack-signal-sweeper'],
  'the migrations scheduled the twelve WallTrack jobs');

-- Start from none.
do $$ begin perform cron.unschedule(jobid) from cron.job where jobname like 'walltrack-%'; end $$;

select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-capture-reconciler', 'walltrack-circuit-breaker', 'walltrack-compact-price-history', 'walltrack-exit-timer',
        'walltrack-helius-sync', 'walltrack-notification-dispatcher', 'walltrack-order-executor', 'walltrack-price-monitor',
        'walltrack-purge-logs', 'walltrack-refresh-copyability', 'walltrack-refresh-performance', 'walltrack-signal-sweeper'],
  'schedule_jobs schedules the twelve jobs and returns their names');
select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-capture-reconciler', 'walltrack-circuit-breaker', 'walltrack-compact-price-history', 'walltrack-exit-timer',
        'walltrack-helius-sync', 'walltrack-notification-dispatcher', 'walltrack-order-executor', 'walltrack-price-monitor',
        'walltrack-purge-logs', 'walltrack-refresh-copyability', 'walltrack-refresh-performance', 'walltrack-signal-sweeper'],
  'running it again returns the same twelve');
select is((select count(*)::integer from cron.job where jobname like 'walltrack-%'), 12, 'and each job exists once');
select results_eq(
  $$select jobname::text collate "default", schedule, command, active
    from cron.job where jobname like 'walltrack-%' order by jobname$$,
  $$values ('walltrack-capture-reconciler'::text, '* * * * *'::text, 'select walltrack.reconcile_capture()'::text, true),
           ('walltrack-circuit-breaker', '* * * * *', 'select walltrack.evaluate_circuit_breakers()', true),
           ('walltrack-compact-price-history', '17 * * * *', 'select walltrack.compact_price_history()', true),
           ('walltrack-exit-timer', '* * * * *', 'select walltrack.evaluate_exits_on_timer()', true),
           ('walltrack-helius-sync', '*/5 * * * *', 'select walltrack.sync_helius_addresses()', true),
           ('walltrack-notification-dispatcher', '* * * * *', 'select walltrack.dispatch_notifications()', true),
           ('walltrack-order-executor', '* * * * *', 'select walltrack.sweep_pending_orders()', true),
           ('walltrack-price-monitor', '* * * * *', 'select walltrack.monitor_prices()', true),
           ('walltrack-purge-logs', '23 3 * * *', 'select walltrack.purge_old_logs()', true),
           ('walltrack-refresh-copyability', '5 0 * * *', 'select walltrack.refresh_copyability()', true),
           ('walltrack-refresh-performance', '0 0 * * *', 'select walltrack.refresh_performance()', true),
           ('walltrack-signal-sweeper', '* * * * *', 'select walltrack.sweep_unprocessed_signals()', true)$$,
  'every minute: the capture reconciliation (when due), the breaker backstop, the exit timer, the order sweeper, the price monitor, '
  'the signal sweeper; every 5 minutes: the Helius sync; hourly at :17 the price history''s retention; at 00:00 the performance '
  'refresh, at 00:05 the copyability of the leaders, at 03:23 the log retention');

-- A job changed by hand is put back as designed.
do $$ begin perform cron.schedule('walltrack-price-monitor', '*/5 * * * *', 'select 1'); end $$;
select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-capture-reconciler', 'walltrack-circuit-breaker', 'walltrack-compact-price-history', 'walltrack-exit-timer',
        'walltrack-helius-sync', 'walltrack-notification-dispatcher', 'walltrack-order-executor', 'walltrack-price-monitor',
        'walltrack-purge-logs', 'walltrack-refresh-copyability', 'walltrack-refresh-performance', 'walltrack-signal-sweeper'],
  'rescheduling after a change by hand still gives the twelve');
select is(
  (select array[schedule, command] from cron.job where jobname = 'walltrack-price-monitor'),
  array['* * * * *', 'select walltrack.monitor_prices()'],
  'and the changed job is back to every minute, monitoring prices');

-- The table is the design: what it names is scheduled, what it no longer names is not.
select is(
  array(select jobname::text from cron.job where jobname like 'walltrack-%' order by jobname),
  array(select jobname from walltrack.job_schedule order by jobname),
  'cron.job holds exactly the jobs of walltrack.job_schedule');

insert into walltrack.job_schedule (jobname, schedule, command, purpose)
values ('walltrack-pgtap-probe', '*/2 * * * *', 'select walltrack.realized_pnl_today_usd()', 'a job added by a later feature');
delete from walltrack.job_schedule where jobname = 'walltrack-helius-sync';
do $$ begin
  perform cron.schedule('walltrack-left-behind', '* * * * *', 'select 1');
  perform cron.schedule('operator-own-job', '0 3 * * *', 'select 1');
end $$;
select is(
  array(select walltrack.schedule_jobs()),
  array['walltrack-capture-reconciler', 'walltrack-circuit-breaker', 'walltrack-compact-price-history', 'walltrack-exit-timer',
        'walltrack-notification-dispatcher', 'walltrack-order-executor', 'walltrack-pgtap-probe', 'walltrack-price-monitor',
        'walltrack-purge-logs', 'walltrack-refresh-copyability', 'walltrack-refresh-performance', 'walltrack-signal-sweeper'],
  'a row added is scheduled; a row removed and a walltrack job no row names are unscheduled');
select is(
  (select array[schedule, command] from cron.job where jobname = 'walltrack-pgtap-probe'),
  array['*/2 * * * *', 'select walltrack.realized_pnl_today_usd()'],
  'with the schedule and command of its row');
select is(
  (select array[schedule, command] from cron.job where jobname = 'operator-own-job'),
  array['0 3 * * *', 'select 1'],
  'a job of the operator''s own (not walltrack-%) is left alone');

select * from finish();
rollback;
