-- Every exit agrees with the position's effective strategy (the template merged with its
-- override, ADR-002), read from the snapshot: stop losses fill at or below the stop, trailing
-- stops fire only once armed and at or below the trailing level, no scale-out level was ever
-- reached, the armed flag matches the peak, the in-flight price-driven exits were really
-- triggered, and positions with no exit in flight have no trigger crossed.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

create temp table strategy as
select p.id, p.entry_price, p.current_price, p.peak_price, p.trailing_stop_armed, p.scaling_levels_fired,
       (p.exit_strategy_snapshot ->> 'stop_loss_percent')::numeric as stop_loss_percent,
       (p.exit_strategy_snapshot ->> 'trailing_stop_percent')::numeric as trailing_stop_percent,
       (p.exit_strategy_snapshot ->> 'trailing_activation_multiplier')::numeric as activation,
       (p.exit_strategy_snapshot -> 'scaling_levels' -> 0 ->> 'multiplier')::numeric as first_scale
from walltrack.positions p;

select is_empty(
  $$ select p.id from walltrack.positions p
     join walltrack.exit_strategies es on es.id = p.exit_strategy_id
     where p.exit_strategy_snapshot is distinct from
           (to_jsonb(es) - array['created_at', 'updated_at', 'is_default', 'is_active', 'description'])
           || coalesce(p.exit_strategy_override, '{}') $$,
  'every snapshot is the template merged with the position''s override');

select is_empty(
  $$ select o.id from walltrack.orders o join strategy s on s.id = o.position_id
     where o.order_type = 'exit_stop_loss' and o.status = 'executed'
       and o.price_usd > s.entry_price * (1 - s.stop_loss_percent / 100) $$,
  'stop losses filled at or below entry x (1 - stop_loss_percent)');

select is_empty(
  $$ select o.id from walltrack.orders o join strategy s on s.id = o.position_id
     where o.order_type = 'exit_trailing_stop' and o.status = 'executed'
       and (not s.trailing_stop_armed or s.peak_price < s.entry_price * s.activation
            or o.price_usd > s.peak_price * (1 - s.trailing_stop_percent / 100)) $$,
  'trailing stops filled once armed, at or below peak x (1 - trailing_stop_percent)');

select is_empty(
  $$ select id from strategy where trailing_stop_armed <> (peak_price >= entry_price * activation) $$,
  'trailing_stop_armed is true exactly when the peak reached entry x the activation multiplier');

select is_empty(
  $$ select s.id from strategy s
     where s.peak_price >= s.entry_price * s.first_scale or s.scaling_levels_fired <> '{}'
        or exists (select 1 from walltrack.orders o where o.position_id = s.id and o.order_type = 'exit_scaling') $$,
  'no position reached its first scale-out level, so none fired');

select is_empty(
  $$ select o.id from walltrack.orders o join strategy s on s.id = o.position_id
     where o.status in ('pending', 'submitted')
       and ((o.order_type = 'exit_stop_loss' and s.current_price > s.entry_price * (1 - s.stop_loss_percent / 100))
            or (o.order_type = 'exit_trailing_stop'
                and (not s.trailing_stop_armed or s.current_price > s.peak_price * (1 - s.trailing_stop_percent / 100)))) $$,
  'in-flight stop and trailing exits were triggered by the current price');

select is_empty(
  $$ select s.id from strategy s
     join walltrack.positions p on p.id = s.id
     where p.status = 'open'
       and not exists (select 1 from walltrack.orders o
                       where o.position_id = s.id and o.order_type <> 'entry' and o.status in ('pending', 'submitted'))
       and (s.current_price <= s.entry_price * (1 - s.stop_loss_percent / 100)
            or (s.trailing_stop_armed and s.current_price <= s.peak_price * (1 - s.trailing_stop_percent / 100))) $$,
  'open positions with no exit in flight have no stop crossed');

select is(
  (select count(*) from walltrack.orders where order_type = 'exit_mirror'),
  0::bigint,
  'no mirror exits: no SELL signal was received');

select * from finish();
rollback;
