-- Adds the circuit breaker (ADR-004): its metrics, an evaluation run whenever a position closes and
-- by pg_cron as a backstop, manual activation and reset, and the automatic unlock after the
-- configured unlock delay (config.circuit_breaker_unlock_minutes). It blocks new entries only
-- (walltrack.buy_filter_reason filters them circuit_breaker and process_signals counts them on
-- the activation); open positions keep their exits.
--
-- What the metrics remember. A manual reset is a fresh start for all of them. An automatic unlock
-- after circuit_breaker_unlock_minutes is a fresh start only for the streak and the win rate (as freqtrade's
-- protections look back over a window): the drawdown keeps its peak and the daily loss keeps the
-- day, so an unlock never hands back a loss budget already spent.
--   drawdown        equity = capital + cumulative realized PnL of positions closed since the last
--                   manual reset; (peak equity - current equity) / peak equity x 100, the peak
--                   including the start
--   daily loss      realized PnL of exit fills executed today (UTC), since the last manual reset
--   win rate        wins / closes x 100 over the last win_rate_lookback_positions closes since the
--                   last deactivation (null below win_rate_min_sample closes: too few to judge)
--   consecutive     losing closes in a row ending with the latest, since the last deactivation
--                   (a breakeven close ends a run)
-- Triggers, checked in this order: max_drawdown, daily_loss_limit, consecutive_losses, min_win_rate.
--
-- One breaker per mode (circuit_breaker_events.mode): the simulation breaker measures simulated
-- closes and blocks simulated entries, the live one live closes and live entries, so a simulated
-- windfall never masks live losses and a simulated loss never stops live trading. config's
-- circuit_breaker_active says whether either is active.
-- Thresholds are compared with the exact figures (cross-multiplied, no division, no rounding):
-- 14.99996 % is below a 15 % limit and 2 wins of 3 are below a 66.67 % minimum. The percentages
-- stored on the events are for reading.

-- The day's realized PnL: every exit fill executed since midnight UTC (and after `since`), of one
-- mode (null: both), each its exact value minus the cost of what it sold at the entry price. The
-- breaker's daily loss and the operator's status both read it.
create function walltrack.realized_pnl_today_usd(since timestamptz default '-infinity', of_mode text default null)
returns numeric
language sql
stable
set search_path = ''
as $$
  select coalesce(sum(coalesce(o.value_usd, o.amount_in * o.price_usd) - o.amount_in * p.entry_price), 0)
  from walltrack.orders o join walltrack.positions p on p.id = o.position_id
  where o.order_type <> 'entry' and o.status = 'executed' and (of_mode is null or o.mode = of_mode)
    and o.executed_at >= pg_catalog.date_trunc('day', pg_catalog.now() at time zone 'UTC') at time zone 'UTC'
    and o.executed_at > since;
$$;
comment on function walltrack.realized_pnl_today_usd(timestamptz, text) is
  'Realized PnL in USD of the exit fills executed today (UTC) after `since`, of one mode or both (null): the breaker''s daily loss (its mode, since its last manual reset) and the status''s PnL of the day.';
revoke execute on function walltrack.realized_pnl_today_usd(timestamptz, text) from public;

create function walltrack.circuit_breaker_metrics(
  breaker_mode text,
  out since timestamptz, out current_drawdown_percent numeric, out current_win_rate numeric,
  out consecutive_losses integer, out daily_realized_pnl_usd numeric, out open_positions integer,
  out peak_equity_usd numeric, out equity_usd numeric, out recent_wins integer, out recent_closes integer)
language sql
stable
set search_path = ''
as $$
  with fresh_start as (
    select coalesce(max(created_at), '-infinity'::timestamptz) as at,
           coalesce(max(created_at) filter (where trigger_reason = 'manual'), '-infinity'::timestamptz) as manual_at
    from walltrack.circuit_breaker_events where event_type = 'deactivated' and mode = breaker_mode
  ), all_closes as (
    select p.realized_pnl_usd as pnl, p.closed_at, p.id,
           sum(p.realized_pnl_usd) over (order by p.closed_at, p.id) as cumulative
    from walltrack.positions p, fresh_start f
    where p.status = 'closed' and p.mode = breaker_mode and p.closed_at > f.manual_at
  ), closes as (
    select c.* from all_closes c, fresh_start f where c.closed_at > f.at
  ), equity as (
    select c.capital_usd + coalesce((select cumulative from all_closes order by closed_at desc, id desc limit 1), 0) as now_equity,
           c.capital_usd + greatest(0, coalesce((select max(cumulative) from all_closes), 0)) as peak_equity
    from walltrack.config c
  ), recent as (
    select pnl from closes order by closed_at desc, id desc
    limit (select win_rate_lookback_positions from walltrack.config)
  ), streak as (
    select count(*) filter (where pnl < 0 and not broken) as losses
    from (select pnl, bool_or(pnl >= 0) over (order by closed_at desc, id desc) as broken from closes) s
  )
  select
    (select at from fresh_start),
    (select (peak_equity - now_equity) / peak_equity * 100 from equity),
    (select case when count(*) >= (select win_rate_min_sample from walltrack.config)
                 then count(*) filter (where pnl > 0) * 100.0 / count(*) end from recent),
    (select losses::integer from streak),
    (select walltrack.realized_pnl_today_usd(f.manual_at, breaker_mode) from fresh_start f),
    (select count(*)::integer from walltrack.positions where status = 'open' and mode = breaker_mode),
    (select peak_equity from equity),
    (select now_equity from equity),
    (select count(*) filter (where pnl > 0)::integer from recent),
    (select count(*)::integer from recent);
$$;
comment on function walltrack.circuit_breaker_metrics(text) is
  'The metrics of one mode''s circuit breaker (simulation or live), over that mode''s closes only: drawdown of equity from its peak (%) and today''s realized PnL (UTC) since the last manual reset; win rate over the lookback (null below the minimum sample) and consecutive losses since the last deactivation; open positions; and the exact figures the thresholds are compared with (peak and current equity, wins and closes in the lookback).';
revoke execute on function walltrack.circuit_breaker_metrics(text) from public;

-- config.circuit_breaker_active and _activated_at follow the open activations: active while either
-- mode's is open, since the earliest.
create function walltrack.sync_circuit_breaker_config()
returns void
language sql
set search_path = ''
as $$
  update walltrack.config c
     set circuit_breaker_active = a.since is not null, circuit_breaker_activated_at = a.since
    from (select min(created_at) as since from walltrack.circuit_breaker_events
           where event_type = 'activated' and deactivated_at is null) a
   where (c.circuit_breaker_active, c.circuit_breaker_activated_at) is distinct from (a.since is not null, a.since);
$$;
comment on function walltrack.sync_circuit_breaker_config() is
  'Makes config.circuit_breaker_active (and _activated_at) say whether either mode''s breaker has an open activation (and since when).';
revoke execute on function walltrack.sync_circuit_breaker_config() from public;

create function walltrack.deactivate_circuit_breaker(reason text, breaker_mode text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  activation walltrack.circuit_breaker_events;
  m record;
  event_id uuid;
begin
  select * into strict cfg from walltrack.config for update;
  select * into activation from walltrack.circuit_breaker_events
   where event_type = 'activated' and deactivated_at is null and mode = breaker_mode;
  if activation.id is null then
    perform walltrack.sync_circuit_breaker_config();
    return null;
  end if;
  select * into m from walltrack.circuit_breaker_metrics(breaker_mode);
  insert into walltrack.circuit_breaker_events (
    event_type, mode, trigger_reason, activation_event_id, current_drawdown_percent, current_win_rate,
    consecutive_losses, daily_realized_pnl_usd, max_drawdown_threshold, min_win_rate_threshold,
    consecutive_loss_threshold, daily_loss_limit_threshold)
  values ('deactivated', breaker_mode, reason, activation.id, m.current_drawdown_percent, m.current_win_rate,
          m.consecutive_losses, m.daily_realized_pnl_usd, cfg.max_drawdown_percent, cfg.min_win_rate_percent,
          cfg.max_consecutive_losses, cfg.daily_loss_limit_usd)
  returning id into event_id;
  update walltrack.circuit_breaker_events set deactivated_at = pg_catalog.now() where id = activation.id;
  perform walltrack.sync_circuit_breaker_config();
  return event_id;
end;
$$;
comment on function walltrack.deactivate_circuit_breaker(text, text) is
  'Ends the open activation of one mode''s breaker (reason manual or unlock_time_reached): inserts the deactivated event, stamps the activation''s deactivated_at, updates config. Returns the event id, or null when that breaker was not active.';
revoke execute on function walltrack.deactivate_circuit_breaker(text, text) from public;

create function walltrack.reset_circuit_breaker()
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  simulation_event uuid;
  live_event uuid;
begin
  -- Config first, as every evaluation locks it: the same lock order everywhere.
  perform 1 from walltrack.config for update;
  simulation_event := walltrack.deactivate_circuit_breaker('manual', 'simulation');
  live_event := walltrack.deactivate_circuit_breaker('manual', 'live');
  return coalesce(live_event, simulation_event);
end;
$$;
comment on function walltrack.reset_circuit_breaker() is
  'Manual reset of both modes'' circuit breakers: new entries are allowed again, and each reset breaker starts afresh. Returns a deactivated event id (the live one when both were active), null when neither was active.';
revoke execute on function walltrack.reset_circuit_breaker() from public;

-- Opens an activation of one mode's breaker now: reason is the trigger that fired (or manual).
create function walltrack.activate_circuit_breaker(reason text, breaker_mode text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  m record;
  event_id uuid;
begin
  select * into strict cfg from walltrack.config for update;
  if exists (select 1 from walltrack.circuit_breaker_events
              where event_type = 'activated' and deactivated_at is null and mode = breaker_mode) then
    -- Already active (config may have been edited by hand: the activation wins).
    perform walltrack.sync_circuit_breaker_config();
    return null;
  end if;
  select * into m from walltrack.circuit_breaker_metrics(breaker_mode);
  insert into walltrack.circuit_breaker_events (
    event_type, mode, trigger_reason, current_drawdown_percent, current_win_rate, consecutive_losses,
    daily_realized_pnl_usd, max_drawdown_threshold, min_win_rate_threshold, consecutive_loss_threshold,
    daily_loss_limit_threshold, open_positions_at_activation, unlock_at)
  values ('activated', breaker_mode, reason, m.current_drawdown_percent, m.current_win_rate, m.consecutive_losses,
          m.daily_realized_pnl_usd, cfg.max_drawdown_percent, cfg.min_win_rate_percent,
          cfg.max_consecutive_losses, cfg.daily_loss_limit_usd, m.open_positions,
          case when cfg.circuit_breaker_unlock_minutes > 0
               then pg_catalog.now() + pg_catalog.make_interval(mins => cfg.circuit_breaker_unlock_minutes) end)
  returning id into event_id;
  perform walltrack.sync_circuit_breaker_config();
  return event_id;
end;
$$;
comment on function walltrack.activate_circuit_breaker(text, text) is
  'Opens an activation of one mode''s breaker with the metrics and thresholds of the moment, that mode''s open positions count and the unlock time (now + circuit_breaker_unlock_minutes); null when that breaker is already active.';
revoke execute on function walltrack.activate_circuit_breaker(text, text) from public;

-- Whether one mode's breaker blocks new entries now.
create function walltrack.circuit_breaker_blocks(breaker_mode text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from walltrack.circuit_breaker_events
                  where event_type = 'activated' and deactivated_at is null and mode = breaker_mode);
$$;
comment on function walltrack.circuit_breaker_blocks(text) is
  'True while the breaker of this mode (simulation or live) has an open activation: entries of that mode are filtered circuit_breaker.';
revoke execute on function walltrack.circuit_breaker_blocks(text) from public;

-- The evaluation of one mode's breaker: unlock when its unlock time has passed, otherwise trip on the
-- first threshold crossed. The config row lock serializes evaluations, so two at once never open
-- two events.
create function walltrack.evaluate_circuit_breaker(breaker_mode text)
returns text
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  activation walltrack.circuit_breaker_events;
  m record;
  reason text;
  unlocked boolean := false;
begin
  select * into strict cfg from walltrack.config for update;
  select * into activation from walltrack.circuit_breaker_events
   where event_type = 'activated' and deactivated_at is null and mode = breaker_mode;
  if activation.id is not null and activation.unlock_at <= pg_catalog.now() then
    perform walltrack.deactivate_circuit_breaker('unlock_time_reached', breaker_mode);
    unlocked := true;
    -- Falls through: a threshold still crossed (the drawdown and the day's loss outlive an unlock)
    -- trips again in this same evaluation, leaving no window for an entry.
  elsif activation.id is not null then
    perform walltrack.sync_circuit_breaker_config();
    return 'active';
  end if;
  select * into m from walltrack.circuit_breaker_metrics(breaker_mode);
  -- Exact comparisons: the percentages cross-multiplied (peak equity and closes are positive).
  reason := case
    when (m.peak_equity_usd - m.equity_usd) * 100 >= cfg.max_drawdown_percent * m.peak_equity_usd then 'max_drawdown'
    when -m.daily_realized_pnl_usd >= cfg.daily_loss_limit_usd then 'daily_loss_limit'
    when m.consecutive_losses >= cfg.max_consecutive_losses then 'consecutive_losses'
    when m.current_win_rate is not null and m.recent_wins * 100 < cfg.min_win_rate_percent * m.recent_closes then 'min_win_rate'
  end;
  if reason is null then
    perform walltrack.sync_circuit_breaker_config();
    return case when unlocked then 'unlocked' else 'ok' end;
  end if;
  perform walltrack.activate_circuit_breaker(reason, breaker_mode);
  return reason;
end;
$$;
comment on function walltrack.evaluate_circuit_breaker(text) is
  'Evaluates one mode''s circuit breaker: unlocks an activation whose unlock time passed, then activates on the first threshold crossed, compared exactly (max_drawdown, daily_loss_limit, consecutive_losses, min_win_rate). Returns ok, active, unlocked (and nothing crossed) or the trigger reason.';
revoke execute on function walltrack.evaluate_circuit_breaker(text) from public;

create function walltrack.evaluate_circuit_breakers()
returns jsonb
language sql
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'simulation', walltrack.evaluate_circuit_breaker('simulation'),
    'live', walltrack.evaluate_circuit_breaker('live'));
$$;
comment on function walltrack.evaluate_circuit_breakers() is
  'pg_cron''s backstop: evaluates the simulation and the live circuit breakers; returns {simulation, live} with each one''s outcome.';
revoke execute on function walltrack.evaluate_circuit_breakers() from public;

create function walltrack.evaluate_circuit_breaker_on_close()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform walltrack.evaluate_circuit_breaker(new.mode);
  return null;
exception when others then
  -- The fill that closed the position must stand whatever the breaker's state; pg_cron evaluates
  -- again within a minute.
  raise warning 'walltrack: circuit breaker evaluation failed on close of position %: %', new.id, sqlerrm;
  return null;
end;
$$;
comment on function walltrack.evaluate_circuit_breaker_on_close() is
  'Trigger function: evaluates the breaker of the position''s mode whenever a position closes.';
revoke execute on function walltrack.evaluate_circuit_breaker_on_close() from public;

create trigger positions_evaluate_circuit_breaker
  after update of status on walltrack.positions
  for each row
  when (new.status = 'closed' and old.status <> 'closed')
  execute function walltrack.evaluate_circuit_breaker_on_close();
