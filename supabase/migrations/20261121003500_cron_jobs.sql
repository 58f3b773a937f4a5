-- Adds the pg_cron schedule of every WallTrack job, in one place: a function tests can call and
-- that is safe to run twice (each job is (re)scheduled by name), run once here.
--   walltrack-signal-sweeper       every minute   signals recorded but never processed (crash safety)
--   walltrack-order-executor       every minute   orders due (new, or waiting for a retry)
--   walltrack-price-monitor        every minute   reprice open positions (PnL, exits)
--   walltrack-circuit-breaker      every minute   backstop evaluation and the unlock at unlock_at
--   walltrack-helius-sync          every 5 min    push the watchlist to Helius, only when pending
--   walltrack-refresh-performance  00:00 UTC      the daily performance rows (ADR-003)
-- Each job only calls a walltrack function that does nothing when there is nothing to do.

create function walltrack.schedule_jobs()
returns setof text
language plpgsql
set search_path = ''
as $$
begin
  perform cron.schedule('walltrack-signal-sweeper', '* * * * *', 'select walltrack.sweep_unprocessed_signals()');
  perform cron.schedule('walltrack-order-executor', '* * * * *', 'select walltrack.sweep_pending_orders()');
  perform cron.schedule('walltrack-price-monitor', '* * * * *', 'select walltrack.monitor_prices()');
  perform cron.schedule('walltrack-circuit-breaker', '* * * * *', 'select walltrack.evaluate_circuit_breakers()');
  perform cron.schedule('walltrack-helius-sync', '*/5 * * * *', 'select walltrack.sync_helius_addresses()');
  perform cron.schedule('walltrack-refresh-performance', '0 0 * * *', 'select walltrack.refresh_performance()');
  return query select jobname::text from cron.job where jobname like 'walltrack-%' order by jobname;
end;
$$;
comment on function walltrack.schedule_jobs() is
  'Schedules (or reschedules) every WallTrack pg_cron job by name; idempotent. Returns the job names.';
revoke execute on function walltrack.schedule_jobs() from public;

select walltrack.schedule_jobs();
