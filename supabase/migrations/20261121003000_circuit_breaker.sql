-- Adds the circuit breaker (ADR-004): its metrics, an evaluation run whenever a position closes and
-- by pg_cron as a backstop, manual activation and reset, and the automatic unlock after the
-- configured unlock delay (config.circuit_breaker_unlock_minutes). It blocks new entries only (walltrack.process_signals filters them
-- circuit_breaker and counts them on the activation); open positions keep their exits.
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

-- The day's realized PnL: every exit fill executed since midnight UTC (and after `since`), each
-- amount sold x (fill price - entry price). The breaker's daily loss and the operator's status
-- both read it.
create function walltrack.realized_pnl_today_usd(since timestamptz default '-infinity')
returns numeric
language sql
stable
set search_path = ''
as $$
  select coalesce(sum(o.amount_in * (o.price_usd - p.entry_price)), 0)
  from walltrack.orders o join walltrack.positions p on p.id = o.position_id
  where o.order_type <> 'entry' and o.status = 'executed'
    and o.executed_at >= pg_catalog.date_trunc('day', pg_catalog.now() at time zone 'UTC') at time zone 'UTC'
    and o.executed_at > since;
$$;
comment on function walltrack.realized_pnl_today_usd(timestamptz) is
  'Realized PnL in USD of the exit fills executed today (UTC) after `since`: the breaker''s daily loss (since its last manual reset) and the status''s PnL of the day.';
revoke execute on function walltrack.realized_pnl_today_usd(timestamptz) from public;

create function walltrack.circuit_breaker_metrics(
  out since timestamptz, out current_drawdown_percent numeric, out current_win_rate numeric,
  out consecutive_losses integer, out daily_realized_pnl_usd numeric, out open_positions integer)
language sql
stable
set search_path = ''
as $$
  with fresh_start as (
    select coalesce(max(created_at), '-infinity'::timestamptz) as at,
           coalesce(max(created_at) filter (where trigger_reason = 'manual'), '-infinity'::timestamptz) as manual_at
    from walltrack.circuit_breaker_events where event_type = 'deactivated'
  ), all_closes as (
    select p.realized_pnl_usd as pnl, p.closed_at, p.id,
           sum(p.realized_pnl_usd) over (order by p.closed_at, p.id) as cumulative
    from walltrack.positions p, fresh_start f
    where p.status = 'closed' and p.closed_at > f.manual_at
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
    (select pg_catalog.round((peak_equity - now_equity) / peak_equity * 100, 4) from equity),
    (select case when count(*) >= (select win_rate_min_sample from walltrack.config)
                 then pg_catalog.round(count(*) filter (where pnl > 0) * 100.0 / count(*), 2) end from recent),
    (select losses::integer from streak),
    (select walltrack.realized_pnl_today_usd(f.manual_at) from fresh_start f),
    (select count(*)::integer from walltrack.positions where status = 'open');
$$;
comment on function walltrack.circuit_breaker_metrics() is
  'The circuit breaker''s metrics: drawdown of equity from its peak (%) and today''s realized PnL (UTC) since the last manual reset; win rate over the lookback (null below the minimum sample) and consecutive losses since the last deactivation; open positions.';
revoke execute on function walltrack.circuit_breaker_metrics() from public;

create function walltrack.deactivate_circuit_breaker(reason text)
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
   where event_type = 'activated' and deactivated_at is null;
  if activation.id is null then
    update walltrack.config set circuit_breaker_active = false, circuit_breaker_activated_at = null
     where circuit_breaker_active;
    return null;
  end if;
  select * into m from walltrack.circuit_breaker_metrics();
  insert into walltrack.circuit_breaker_events (
    event_type, trigger_reason, activation_event_id, current_drawdown_percent, current_win_rate,
    consecutive_losses, daily_realized_pnl_usd, max_drawdown_threshold, min_win_rate_threshold,
    consecutive_loss_threshold, daily_loss_limit_threshold)
  values ('deactivated', reason, activation.id, m.current_drawdown_percent, m.current_win_rate,
          m.consecutive_losses, m.daily_realized_pnl_usd, cfg.max_drawdown_percent, cfg.min_win_rate_percent,
          cfg.max_consecutive_losses, cfg.daily_loss_limit_usd)
  returning id into event_id;
  update walltrack.circuit_breaker_events set deactivated_at = pg_catalog.now() where id = activation.id;
  update walltrack.config set circuit_breaker_active = false, circuit_breaker_activated_at = null;
  return event_id;
end;
$$;
comment on function walltrack.deactivate_circuit_breaker(text) is
  'Ends the open activation (reason manual or unlock_time_reached): inserts the deactivated event, stamps the activation''s deactivated_at, turns the breaker off in config. Returns the event id, or null when the breaker was not active.';
revoke execute on function walltrack.deactivate_circuit_breaker(text) from public;

create function walltrack.reset_circuit_breaker()
returns uuid
language sql
set search_path = ''
as $$
  select walltrack.deactivate_circuit_breaker('manual');
$$;
comment on function walltrack.reset_circuit_breaker() is
  'Manual reset of the circuit breaker: new entries are allowed again. Returns the deactivated event id (null when it was not active).';
revoke execute on function walltrack.reset_circuit_breaker() from public;

-- Opens an activation now: reason is the trigger that fired (or manual). Caller holds the config lock.
create function walltrack.activate_circuit_breaker(reason text)
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
  if cfg.circuit_breaker_active then
    return null;
  end if;
  -- An activation still open while config says inactive (config edited by hand): it is active.
  if exists (select 1 from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null) then
    update walltrack.config
       set circuit_breaker_active = true,
           circuit_breaker_activated_at = (select created_at from walltrack.circuit_breaker_events
                                            where event_type = 'activated' and deactivated_at is null);
    return null;
  end if;
  select * into m from walltrack.circuit_breaker_metrics();
  insert into walltrack.circuit_breaker_events (
    event_type, trigger_reason, current_drawdown_percent, current_win_rate, consecutive_losses,
    daily_realized_pnl_usd, max_drawdown_threshold, min_win_rate_threshold, consecutive_loss_threshold,
    daily_loss_limit_threshold, open_positions_at_activation, unlock_at)
  values ('activated', reason, m.current_drawdown_percent, m.current_win_rate, m.consecutive_losses,
          m.daily_realized_pnl_usd, cfg.max_drawdown_percent, cfg.min_win_rate_percent,
          cfg.max_consecutive_losses, cfg.daily_loss_limit_usd, m.open_positions,
          case when cfg.circuit_breaker_unlock_minutes > 0
               then pg_catalog.now() + pg_catalog.make_interval(mins => cfg.circuit_breaker_unlock_minutes) end)
  returning id into event_id;
  update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = pg_catalog.now();
  return event_id;
end;
$$;
comment on function walltrack.activate_circuit_breaker(text) is
  'Opens an activation with the metrics and thresholds of the moment, the open positions count and the unlock time (now + circuit_breaker_unlock_minutes); null when already active.';
revoke execute on function walltrack.activate_circuit_breaker(text) from public;

-- The evaluation: unlock when the unlock time (circuit_breaker_unlock_minutes) has passed, otherwise trip on the first threshold crossed.
-- The config row lock serializes evaluations, so two at once never open two events.
create function walltrack.evaluate_circuit_breaker()
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
   where event_type = 'activated' and deactivated_at is null;
  if activation.id is not null and activation.unlock_at <= pg_catalog.now() then
    perform walltrack.deactivate_circuit_breaker('unlock_time_reached');
    unlocked := true;
    -- Falls through: a threshold still crossed (the drawdown and the day's loss outlive an unlock)
    -- trips again in this same evaluation, leaving no window for an entry.
  elsif activation.id is not null then
    if not cfg.circuit_breaker_active then
      -- config edited by hand while an activation is open: the activation wins.
      update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = activation.created_at;
    end if;
    return 'active';
  elsif cfg.circuit_breaker_active then
    return 'active';
  end if;
  select * into m from walltrack.circuit_breaker_metrics();
  reason := case
    when m.current_drawdown_percent >= cfg.max_drawdown_percent then 'max_drawdown'
    when -m.daily_realized_pnl_usd >= cfg.daily_loss_limit_usd then 'daily_loss_limit'
    when m.consecutive_losses >= cfg.max_consecutive_losses then 'consecutive_losses'
    when m.current_win_rate < cfg.min_win_rate_percent then 'min_win_rate'
  end;
  if reason is null then
    return case when unlocked then 'unlocked' else 'ok' end;
  end if;
  perform walltrack.activate_circuit_breaker(reason);
  return reason;
end;
$$;
comment on function walltrack.evaluate_circuit_breaker() is
  'Evaluates the circuit breaker: unlocks an activation whose unlock time passed, then activates on the first threshold crossed (max_drawdown, daily_loss_limit, consecutive_losses, min_win_rate). Returns ok, active, unlocked (and nothing crossed) or the trigger reason.';
revoke execute on function walltrack.evaluate_circuit_breaker() from public;

create function walltrack.evaluate_circuit_breaker_on_close()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform walltrack.evaluate_circuit_breaker();
  return null;
exception when others then
  -- The fill that closed the position must stand whatever the breaker's state; pg_cron evaluates
  -- again within a minute.
  raise warning 'walltrack: circuit breaker evaluation failed on close of position %: %', new.id, sqlerrm;
  return null;
end;
$$;
comment on function walltrack.evaluate_circuit_breaker_on_close() is
  'Trigger function: evaluates the circuit breaker whenever a position closes.';
revoke execute on function walltrack.evaluate_circuit_breaker_on_close() from public;

create trigger positions_evaluate_circuit_breaker
  after update of status on walltrack.positions
  for each row
  when (new.status = 'closed' and old.status <> 'closed')
  execute function walltrack.evaluate_circuit_breaker_on_close();
