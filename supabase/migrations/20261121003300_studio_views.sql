-- Adds the views an operator reads in Supabase Studio or psql (security_invoker: they run with the
-- reader's rights, so they stay closed to anon and authenticated like the tables under them).

create view walltrack.open_positions_overview with (security_invoker = true) as
select p.id as position_id, w.label as wallet, w.address as wallet_address, t.symbol, t.address as token,
       p.mode, p.entry_price, p.current_price, p.peak_price, p.entry_amount, p.current_amount,
       p.entry_value_usd, p.realized_pnl_usd, p.unrealized_pnl_usd, p.current_pnl_usd,
       pg_catalog.round(p.current_pnl_usd / nullif(p.entry_value_usd, 0) * 100, 2) as pnl_percent,
       s.strategy ->> 'name' as strategy, p.exit_strategy_override,
       walltrack.stop_loss_price(p, s.strategy) as stop_loss_price, p.trailing_stop_armed,
       walltrack.trailing_stop_price(p, s.strategy) as trailing_stop_price,
       p.scaling_levels_fired,
       pg_catalog.jsonb_array_length(coalesce(s.strategy -> 'scaling_levels', '[]'::jsonb)) as scaling_levels_total,
       (select o.order_type from walltrack.orders o
         where o.position_id = p.id and o.order_type <> 'entry' and o.status in ('pending', 'submitted')
         order by o.requested_at limit 1) as exit_in_flight,
       p.entry_timestamp, p.price_updated_at
from walltrack.positions p
join walltrack.wallets w on w.id = p.wallet_id
join walltrack.tokens t on t.id = p.token_id
cross join lateral (select walltrack.position_strategy(p) as strategy) s
where p.status = 'open';
comment on view walltrack.open_positions_overview is
  'Open positions with live PnL (USD and %), their effective strategy, stop and trailing prices, scale-out levels fired and any exit in flight.';

create view walltrack.wallet_leaderboard with (security_invoker = true) as
select w.label as wallet, w.address, w.mode, w.is_active, pf.total_positions, pf.win_rate, pf.total_pnl_usd,
       pf.total_pnl_percent, pf.profit_factor, pf.expectancy_usd, pf.max_drawdown_usd, pf.best_trade_pnl_usd,
       pf.worst_trade_pnl_usd, pf.current_win_streak, pf.current_loss_streak, pf.signal_count_7d,
       pf.median_copy_delay_seconds, pf.last_calculated_at,
       rank() over (order by pf.total_pnl_usd desc) as rank
from walltrack.performance pf join walltrack.wallets w on w.id = pf.wallet_id;
comment on view walltrack.wallet_leaderboard is 'Wallets ranked by realized PnL, from the daily performance rows.';

create view walltrack.signal_funnel with (security_invoker = true) as
with daily as (
  select (sig.webhook_received_at at time zone 'UTC')::date as day, sig.*
  from walltrack.signals sig
), reasons as (
  select day, pg_catalog.jsonb_object_agg(filter_reason, n) as by_reason
  from (select day, filter_reason, count(*) as n from daily where filtered group by day, filter_reason) x
  group by day
)
select d.day,
       count(*) as received,
       count(*) filter (where d.signal_type = 'BUY') as buys,
       count(*) filter (where d.signal_type = 'SELL') as sells,
       count(*) filter (where d.processed_at is null) as unprocessed,
       count(*) filter (where d.filtered) as filtered,
       coalesce(r.by_reason, '{}'::jsonb) as filtered_by_reason,
       count(*) filter (where d.position_created) as positions_opened,
       count(*) filter (where d.position_created and p.status = 'closed') as positions_closed
from daily d
left join walltrack.positions p on p.id = d.position_id and d.position_created
left join reasons r on r.day = d.day
group by d.day, r.by_reason;
comment on view walltrack.signal_funnel is
  'Per UTC day: signals received (buys, sells), unprocessed, filtered (and by reason), positions opened and how many of those are closed.';

create view walltrack.results_by_exit_reason with (security_invoker = true) as
select p.exit_reason, count(*) as positions,
       count(*) filter (where p.realized_pnl_usd > 0) as wins,
       pg_catalog.round(count(*) filter (where p.realized_pnl_usd > 0) * 100.0 / count(*), 2) as win_rate,
       pg_catalog.round(avg(p.realized_pnl_usd), 2) as average_pnl_usd,
       pg_catalog.round(avg(p.realized_pnl_usd / nullif(p.entry_value_usd, 0) * 100), 2) as average_pnl_percent,
       sum(p.realized_pnl_usd) as total_pnl_usd
from walltrack.positions p
where p.status = 'closed'
group by p.exit_reason;
comment on view walltrack.results_by_exit_reason is 'Closed positions by exit reason: count, wins, win rate, average and total realized PnL (freqtrade''s exit-reason stats).';

create view walltrack.copy_quality with (security_invoker = true) as
select w.label as wallet, w.address, count(p.id) as positions,
       -- Exact medians (walltrack.median), rounded for reading.
       pg_catalog.round(walltrack.median(pg_catalog.array_agg(p.decision_delay_seconds order by p.decision_delay_seconds)
                                         filter (where p.decision_delay_seconds is not null)), 3) as median_decision_delay_seconds,
       pg_catalog.round(walltrack.median(pg_catalog.array_agg(p.fill_delay_seconds order by p.fill_delay_seconds)
                                         filter (where p.fill_delay_seconds is not null)), 3) as median_fill_delay_seconds,
       pg_catalog.round(max(p.fill_delay_seconds), 3) as worst_fill_delay_seconds,
       pg_catalog.round(walltrack.median(pg_catalog.array_agg(p.slippage_vs_leader_percent order by p.slippage_vs_leader_percent)
                                         filter (where p.slippage_vs_leader_percent is not null)), 4) as median_slippage_vs_leader_percent,
       pg_catalog.round(avg(p.slippage_vs_leader_percent), 4) as average_slippage_vs_leader_percent
from walltrack.wallets w
left join walltrack.positions p on p.wallet_id = w.id and p.entry_price is not null
group by w.id, w.label, w.address;
comment on view walltrack.copy_quality is 'Per wallet: how fast and how close we copied it (decision and fill delays from the leader''s block time, slippage against its price).';

-- The clock's health: a run that never connected ("connection failed") has no start_time, so runs
-- are ordered by run id and dated by whichever of start and end is known; each job says what is
-- wrong with it, if anything.

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

revoke all on walltrack.open_positions_overview, walltrack.wallet_leaderboard, walltrack.signal_funnel,
  walltrack.results_by_exit_reason, walltrack.copy_quality, walltrack.cron_job_health from public, anon, authenticated;
grant select on walltrack.open_positions_overview, walltrack.wallet_leaderboard, walltrack.signal_funnel,
  walltrack.results_by_exit_reason, walltrack.copy_quality, walltrack.cron_job_health to service_role;
-- The schema's default privileges give service_role write rights on new relations: views are read.
revoke insert, update, delete, truncate on walltrack.open_positions_overview, walltrack.wallet_leaderboard,
  walltrack.signal_funnel, walltrack.results_by_exit_reason, walltrack.copy_quality, walltrack.cron_job_health
  from service_role;
