-- Replaces cron_job_health with one that tells the truth about the clock: a run that never
-- connected ("connection failed") has no start_time, so the old view counted none of them and a
-- stack whose scheduler never ran a job looked healthy. Runs are now ordered by run id and dated
-- by whichever of start and end is known; each job says what is wrong with it, if anything.

-- How often a schedule fires, for the shapes pg_cron takes: 'N seconds', '* * * * *',
-- '*/N * * * *', and a fixed minute of every hour or of every day. Null for anything else (then
-- only failures are judged, not lateness).
create function walltrack.cron_schedule_interval(schedule text)
returns interval
language sql
immutable
set search_path = ''
as $$
  select case
    when schedule ~ '^\s*\d+\s+seconds?\s*$' then ((pg_catalog.regexp_match(schedule, '\d+'))[1] || ' seconds')::interval
    when schedule ~ '^\s*\*\s+\*\s+\*\s+\*\s+\*\s*$' then interval '1 minute'
    when schedule ~ '^\s*\*/\d+\s+\*\s+\*\s+\*\s+\*\s*$' then ((pg_catalog.regexp_match(schedule, '\d+'))[1] || ' minutes')::interval
    when schedule ~ '^\s*\d+\s+\*\s+\*\s+\*\s+\*\s*$' then interval '1 hour'
    when schedule ~ '^\s*\d+\s+\d+\s+\*\s+\*\s+\*\s*$' then interval '1 day'
  end;
$$;
comment on function walltrack.cron_schedule_interval(text) is
  'How often a pg_cron schedule fires (seconds, every minute, every N minutes, hourly or daily at a fixed time); null when the shape is not one of these.';
revoke execute on function walltrack.cron_schedule_interval(text) from public;

-- What is wrong with a scheduled job, in words, or null: inactive; its last run failed (a run that
-- never connected included); or late, with no run for two of its intervals, counted from the
-- server's start at the earliest (a stack that just started has not missed anything yet).
create function walltrack.scheduled_job_problem(
  active boolean, last_status text, last_message text, last_run_at timestamptz,
  expected_interval interval, server_started_at timestamptz, at timestamptz)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when not active then 'inactive'
    when last_status = 'failed' then pg_catalog.format('its last run failed: %s', coalesce(last_message, 'no message'))
    when expected_interval is not null
         and at - greatest(coalesce(last_run_at, '-infinity'), server_started_at) > 2 * expected_interval
      then pg_catalog.format('no run since %s, it runs every %s',
                             coalesce(last_run_at::text, 'the server started'), expected_interval)
  end;
$$;
comment on function walltrack.scheduled_job_problem(boolean, text, text, timestamptz, interval, timestamptz, timestamptz) is
  'The problem of a scheduled job in words (inactive, last run failed, or no run for two of its intervals since the server started), null when it is fine.';
revoke execute on function walltrack.scheduled_job_problem(boolean, text, text, timestamptz, interval, timestamptz, timestamptz) from public;

drop view walltrack.cron_job_health;
create view walltrack.cron_job_health with (security_invoker = true) as
with runs as (
  select d.jobid, d.runid, d.status, d.return_message, coalesce(d.start_time, d.end_time) as ran_at
  from cron.job_run_details d
), judged as (
  select j.jobname, j.schedule, j.active, walltrack.cron_schedule_interval(j.schedule) as expected_interval,
         last.ran_at as last_run_at, last.status as last_status, last.return_message as last_message,
         (select max(r.ran_at) from runs r where r.jobid = j.jobid and r.status = 'succeeded') as last_success_at,
         (select count(*) from runs r where r.jobid = j.jobid and r.ran_at > pg_catalog.now() - interval '24 hours') as runs_24h,
         (select count(*) from runs r where r.jobid = j.jobid and r.status = 'failed'
             and r.ran_at > pg_catalog.now() - interval '24 hours') as failures_24h,
         (select count(*) from runs r where r.jobid = j.jobid and r.status = 'failed'
             and r.runid > coalesce((select max(s.runid) from runs s where s.jobid = j.jobid and s.status = 'succeeded'), 0))
           as failures_since_success
  from cron.job j
  left join lateral (select r.ran_at, r.status, r.return_message from runs r
                     where r.jobid = j.jobid order by r.runid desc limit 1) last on true
  where j.jobname like 'walltrack-%'
)
select judged.*,
       walltrack.scheduled_job_problem(active, last_status, last_message, last_run_at, expected_interval,
                                       pg_catalog.pg_postmaster_start_time(), pg_catalog.now()) as problem
from judged;
comment on view walltrack.cron_job_health is
  'Every WallTrack pg_cron job: schedule and interval, last run (connection failures included), its status and message, last success, runs and failures in 24 hours, failures since the last success, and the problem when its last run failed or it missed two intervals.';
revoke all on walltrack.cron_job_health from public, anon, authenticated;
grant select on walltrack.cron_job_health to service_role;
revoke insert, update, delete, truncate on walltrack.cron_job_health from service_role;

create or replace function walltrack.status_summary()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'open_positions', (select count(*) from walltrack.positions where status = 'open'),
    'exposure_usd', (select exposure_usd::text from walltrack.open_exposure()),
    'unrealized_pnl_usd', (select coalesce(sum(unrealized_pnl_usd), 0)::text from walltrack.positions where status = 'open'),
    'realized_pnl_today_usd', (
      select coalesce(sum(o.amount_in * (o.price_usd - p.entry_price)), 0)::text
      from walltrack.orders o join walltrack.positions p on p.id = o.position_id
      where o.order_type <> 'entry' and o.status = 'executed'
        and o.executed_at >= pg_catalog.date_trunc('day', pg_catalog.now() at time zone 'UTC') at time zone 'UTC'),
    'pending_orders', (select count(*) from walltrack.orders where status in ('pending', 'submitted')),
    -- Swaps sent whose fate is not known yet: how many, and since when.
    'awaiting_confirmation', (select pg_catalog.jsonb_build_object('orders', count(*), 'oldest_submitted_at', min(submitted_at))
                              from walltrack.orders where walltrack.swap_in_doubt(status, error_code)),
    'unprocessed_signals', (select count(*) from walltrack.signals where processed_at is null),
    'circuit_breaker', (select pg_catalog.jsonb_build_object(
        'active', c.circuit_breaker_active, 'since', c.circuit_breaker_activated_at,
        'reason', (select trigger_reason from walltrack.circuit_breaker_events
                    where event_type = 'activated' and deactivated_at is null),
        'unlock_at', (select unlock_at from walltrack.circuit_breaker_events
                       where event_type = 'activated' and deactivated_at is null))
      from walltrack.config c),
    'live_trading_enabled', (select live_trading_enabled from walltrack.config),
    'holds_mock_data', (select holds_mock_data from walltrack.config),
    'webhook_last_signal_at', (select webhook_last_signal_at from walltrack.config),
    'wallets', (select pg_catalog.jsonb_build_object('active', count(*) filter (where is_active),
                  'pending_sync', count(*) filter (where helius_sync_status = 'pending'),
                  'sync_errors', count(*) filter (where helius_sync_status = 'error'))
                from walltrack.wallets),
    'cron', (select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'job', jobname, 'last_run_at', last_run_at, 'last_status', last_status,
               'failures_24h', failures_24h, 'failures_since_success', failures_since_success, 'problem', problem)
             order by jobname), '[]'::jsonb) from walltrack.cron_job_health));
$$;
