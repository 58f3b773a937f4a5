-- Adds the three views the operator's dashboard (npm run dashboard) reads besides the Studio views:
-- the equity curve per mode, each breaker's state next to its thresholds, and the scale-out levels
-- of open positions with their trigger prices. The dashboard reads views only, so a figure it shows
-- is one any psql session can check; like the others they are security_invoker and closed to anon
-- and authenticated.

-- Cumulative realized PnL per mode, one point per closed position, in the order the breaker's
-- drawdown reads them (walltrack.circuit_breaker_metrics: closed_at, then id).
create view walltrack.equity_curve with (security_invoker = true) as
select p.mode, p.closed_at, p.id as position_id, p.realized_pnl_usd,
       sum(p.realized_pnl_usd) over (partition by p.mode order by p.closed_at, p.id) as cumulative_pnl_usd
from walltrack.positions p
where p.status = 'closed';
comment on view walltrack.equity_curve is
  'Per mode, each closed position in close order with its realized PnL and the cumulative realized PnL up to it (exact): the equity curve the breaker''s drawdown follows.';

-- Both breakers, active or not, with the metrics their thresholds are compared with
-- (walltrack.circuit_breaker_metrics, the rule itself) and the open activation if any.
create view walltrack.circuit_breaker_state with (security_invoker = true) as
select m.mode, a.id is not null as is_active, a.trigger_reason as reason, a.created_at as since, a.unlock_at,
       x.current_drawdown_percent, c.max_drawdown_percent,
       x.daily_realized_pnl_usd, c.daily_loss_limit_usd,
       x.consecutive_losses, c.max_consecutive_losses,
       x.current_win_rate, c.min_win_rate_percent,
       x.open_positions
from (values ('simulation'), ('live')) as m(mode)
cross join walltrack.config c
cross join lateral walltrack.circuit_breaker_metrics(m.mode) x
left join lateral (
  select e.id, e.trigger_reason, e.created_at, e.unlock_at from walltrack.circuit_breaker_events e
  where e.mode = m.mode and e.event_type = 'activated' and e.deactivated_at is null
  order by e.created_at limit 1
) a on true;
comment on view walltrack.circuit_breaker_state is
  'Each mode''s circuit breaker: active or not (reason, since, unlock time of its open activation), and its drawdown, realized PnL today, losses in a row and win rate next to their thresholds.';

-- A level fires when the price reaches entry x multiplier (walltrack.scale_out_levels_due), from
-- the position's effective strategy (snapshot with its override).
create view walltrack.open_position_scale_out_levels with (security_invoker = true) as
select p.id as position_id, l.ordinality::smallint as level,
       (l.value ->> 'multiplier')::numeric as multiplier, (l.value ->> 'sell_percent')::numeric as sell_percent,
       p.entry_price * (l.value ->> 'multiplier')::numeric as trigger_price,
       l.ordinality::smallint = any(p.scaling_levels_fired) as fired
from walltrack.positions p
cross join lateral pg_catalog.jsonb_array_elements(
  coalesce(walltrack.position_strategy(p) -> 'scaling_levels', '[]'::jsonb)) with ordinality as l(value, ordinality)
where p.status = 'open';
comment on view walltrack.open_position_scale_out_levels is
  'Each scale-out level of each open position: its multiplier and share, the price that fires it (entry x multiplier, null before the entry fill) and whether it fired.';

revoke all on walltrack.equity_curve, walltrack.circuit_breaker_state, walltrack.open_position_scale_out_levels
  from public, anon, authenticated;
grant select on walltrack.equity_curve, walltrack.circuit_breaker_state, walltrack.open_position_scale_out_levels
  to service_role;
-- The schema's default privileges give service_role write rights on new relations: views are read.
revoke insert, update, delete, truncate on walltrack.equity_curve, walltrack.circuit_breaker_state,
  walltrack.open_position_scale_out_levels from service_role;
