-- The circuit breaker log holds one coherent activation/deactivation pair: the deactivation ends
-- the activation when its cooldown unlocked it; the 3 signals filtered circuit_breaker were
-- decided inside the window and are the activation's new_positions_blocked; no position opened
-- in the window while the ones already open kept running (ADR-004); the snapshot holds config's
-- thresholds and the metrics the closed positions give at that moment; config shows it inactive.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

create temp table window_ as
select a.id, a.created_at as from_at, a.deactivated_at as to_at, a.new_positions_blocked,
       a.open_positions_at_activation, a.unlock_at
from walltrack.circuit_breaker_events a
where a.event_type = 'activated';

select results_eq(
  $$ select event_type, trigger_reason from walltrack.circuit_breaker_events order by created_at $$,
  $$ values ('activated', 'manual'), ('deactivated', 'unlock_time_reached') $$,
  'one manual activation, then its deactivation when the cooldown expired');

select is_empty(
  $$ select d.id from walltrack.circuit_breaker_events d
     join walltrack.circuit_breaker_events a on a.id = d.activation_event_id
     where d.event_type = 'deactivated'
       and (a.deactivated_at is distinct from d.created_at or d.created_at <= a.created_at
            or d.deactivated_at is not null or d.new_positions_blocked <> 0) $$,
  'the deactivation follows the activation and stamps its end');

select is_empty(
  $$ select a.id from window_ a cross join walltrack.config c
     where a.unlock_at is distinct from a.from_at + make_interval(mins => c.circuit_breaker_unlock_minutes)
        or a.to_at is distinct from a.unlock_at $$,
  'the activation unlocked after config.circuit_breaker_unlock_minutes, when it was deactivated');

select is(
  (select count(*) from walltrack.signals s join window_ a on s.processed_at between a.from_at and a.to_at
   where s.filter_reason = 'circuit_breaker'),
  3::bigint,
  'the 3 circuit_breaker signals were decided inside the window');

select is(
  (select new_positions_blocked from window_),
  (select count(*)::integer from walltrack.signals s join window_ a on s.processed_at between a.from_at and a.to_at
   where s.filter_reason = 'circuit_breaker'),
  'new_positions_blocked counts the signals the breaker refused (3)');

select is_empty(
  $$ select p.id from walltrack.positions p join window_ a
       on p.created_at between a.from_at and a.to_at or p.entry_timestamp between a.from_at and a.to_at $$,
  'no position opened while the breaker was active');

select is(
  (select open_positions_at_activation from window_),
  (select count(*)::integer from walltrack.positions p join window_ a
     on p.created_at <= a.from_at and coalesce(p.closed_at, 'infinity') > a.from_at),
  'open_positions_at_activation = the positions open at that moment');

select ok(
  (select count(*) > 0 from walltrack.orders o join window_ a on o.executed_at > a.from_at
   join walltrack.positions p on p.id = o.position_id and p.created_at <= a.from_at
   where o.order_type <> 'entry' and o.status = 'executed'),
  'a position open at activation kept its exits and closed after it (ADR-004)');

select is_empty(
  $$ select e.id from walltrack.circuit_breaker_events e cross join walltrack.config c
     where e.max_drawdown_threshold <> c.max_drawdown_percent
        or e.min_win_rate_threshold <> c.min_win_rate_percent
        or e.consecutive_loss_threshold <> c.max_consecutive_losses
        or e.daily_loss_limit_threshold <> c.daily_loss_limit_usd $$,
  'both events snapshot config''s thresholds');

-- Metrics at an event: over the positions closed by then, in close order.
create temp table metrics as
select e.id,
       (select round(count(*) filter (where l.realized_pnl_usd > 0)::numeric / nullif(count(*), 0) * 100, 2)
          from (select x.realized_pnl_usd from walltrack.positions x
                 where x.status = 'closed' and x.closed_at <= e.created_at
                 order by x.closed_at desc limit c.win_rate_lookback_positions) l) as win_rate,
       (select count(*)::integer from walltrack.positions x
         where x.status = 'closed' and x.closed_at <= e.created_at and x.realized_pnl_usd < 0
           and x.closed_at > coalesce((select max(z.closed_at) from walltrack.positions z
                                       where z.status = 'closed' and z.closed_at <= e.created_at
                                         and z.realized_pnl_usd >= 0), '-infinity')) as consecutive_losses,
       (select round((greatest(c.capital_usd, max(q.equity)) - (array_agg(q.equity order by q.closed_at desc))[1])
                     / greatest(c.capital_usd, max(q.equity)) * 100, 4)
          from (select x.closed_at, c.capital_usd + sum(x.realized_pnl_usd) over (order by x.closed_at) as equity
                  from walltrack.positions x
                 where x.status = 'closed' and x.closed_at <= e.created_at) q) as drawdown_percent,
       (select coalesce(sum(x.realized_pnl_usd), 0) from walltrack.positions x
         where x.status = 'closed' and x.closed_at <= e.created_at
           and x.closed_at >= date_trunc('day', e.created_at, 'UTC')) as daily_pnl
from walltrack.circuit_breaker_events e
cross join walltrack.config c;

select is_empty(
  $$ select e.id, e.current_win_rate, m.win_rate, e.consecutive_losses, m.consecutive_losses,
            e.current_drawdown_percent, m.drawdown_percent, e.daily_realized_pnl_usd, m.daily_pnl
     from walltrack.circuit_breaker_events e
     join metrics m on m.id = e.id
     where e.current_win_rate is distinct from m.win_rate
        or e.consecutive_losses is distinct from m.consecutive_losses
        or e.current_drawdown_percent is distinct from m.drawdown_percent
        or e.daily_realized_pnl_usd is distinct from m.daily_pnl $$,
  'each event''s metrics are those of the positions closed by then: win rate, losses in a row, drawdown, day''s PnL');

select ok(
  (select not circuit_breaker_active and circuit_breaker_activated_at is null from walltrack.config),
  'config shows the breaker inactive, as the log ends with a deactivation');

select * from finish();
rollback;
