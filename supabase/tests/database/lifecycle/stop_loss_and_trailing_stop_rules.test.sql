-- The stop loss and the trailing stop as rules of their own, on a position bought at 1.00 USD:
--   walltrack.stop_loss_price      entry x (1 - stop_loss_percent / 100)
--   walltrack.trailing_stop_arms   enabled and price >= entry x trailing_activation_multiplier
--   walltrack.trailing_stop_price  once armed, peak x (1 - trailing_stop_percent / 100)
-- evaluate_exits fires each at its price or below (the trailing stop only while enabled): through
-- the price ticks in scenario_*, stop_loss_beats_trailing_when_both_hold and
-- trailing_stop_follows_the_effective_strategy. The Studio view open_positions_overview shows the
-- same two prices.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

create temp table pos as select tests.lifecycle_open_position('Rule', 'Rule', 1.00, 1000) as id;
-- The position as a tick at `price` would see it, with `changes` (peak, armed) on top.
create function pg_temp.at(price numeric, changes jsonb default '{}') returns walltrack.positions
language sql as $$
  select jsonb_populate_record(p, jsonb_build_object('current_price', price) || changes)
  from walltrack.positions p where p.id = (select id from pos)
$$;

select is(walltrack.stop_loss_price(pg_temp.at(1.00), '{"stop_loss_percent": 20}'), 0.80::numeric, 'stop loss 20 %: at 0.80');
select is(walltrack.stop_loss_price(pg_temp.at(1.00), '{"stop_loss_percent": 7.5}'), 0.925::numeric, 'stop loss 7.5 %: at 0.925');
select is(walltrack.stop_loss_price(pg_temp.at(1.00), '{}'), null, 'a strategy without a stop loss has no stop price');

select is(walltrack.trailing_stop_arms(pg_temp.at(2.00), '{"trailing_stop_enabled": true, "trailing_activation_multiplier": 2}'),
  true, 'activation x2: 2.00 arms the trailing stop');
select is(walltrack.trailing_stop_arms(pg_temp.at(1.99), '{"trailing_stop_enabled": true, "trailing_activation_multiplier": 2}'),
  false, '1.99 does not');
select is(walltrack.trailing_stop_arms(pg_temp.at(3.00), '{"trailing_stop_enabled": false, "trailing_activation_multiplier": 2}'),
  false, 'disabled: never armed');

create temp table trail as select '{"trailing_stop_enabled": true, "trailing_stop_percent": 15}'::jsonb as strategy;
select is(walltrack.trailing_stop_price(pg_temp.at(1.80, '{"trailing_stop_armed": true, "peak_price": 2.00}'),
                                        (select strategy from trail)),
  1.70::numeric, 'armed, peak 2.00, 15 %: the trailing stop at 1.70');
select is(walltrack.trailing_stop_price(pg_temp.at(2.80, '{"trailing_stop_armed": true, "peak_price": 3.00}'),
                                        (select strategy from trail)),
  2.55::numeric, 'it follows the peak: 3.00 puts it at 2.55');
select is(walltrack.trailing_stop_price(pg_temp.at(0.90, '{"trailing_stop_armed": false, "peak_price": 2.00}'),
                                        (select strategy from trail)),
  null, 'not armed: no trailing stop price, however far the price falls');

-- The position's own strategy (Default: stop loss 20 %, trailing 15 % armed at x2) reads the same.
select is(walltrack.stop_loss_price(pg_temp.at(1.00), walltrack.position_strategy(pg_temp.at(1.00))), 0.80::numeric,
  'Default strategy: the stop loss at 0.80');
select is(walltrack.trailing_stop_arms(pg_temp.at(2.00), walltrack.position_strategy(pg_temp.at(2.00))), true,
  'Default strategy: armed at 2.00');
select is((select (stop_loss_price, trailing_stop_price)::text from walltrack.open_positions_overview
           where position_id = (select id from pos)),
  (select (walltrack.stop_loss_price(p, s), walltrack.trailing_stop_price(p, s))::text
   from walltrack.positions p, walltrack.position_strategy(p) s where p.id = (select id from pos)),
  'the Studio view shows the rules'' prices');

select * from finish();
rollback;
