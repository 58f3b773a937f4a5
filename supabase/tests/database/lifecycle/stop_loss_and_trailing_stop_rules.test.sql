-- The stop loss and the trailing stop as rules of their own, on a position bought at 1.00 USD:
--   walltrack.stop_loss_price      entry x (1 - stop_loss_percent / 100); stop_loss_hit at or below
--   walltrack.trailing_stop_arms   enabled and price >= entry x trailing_activation_multiplier
--   walltrack.trailing_stop_price  once armed, peak x (1 - trailing_stop_percent / 100);
--                                  trailing_stop_hit at or below it while enabled
-- The Studio view open_positions_overview shows the same two prices.
-- Through the price ticks: scenario_*, stop_loss_beats_trailing_when_both_hold,
-- trailing_stop_follows_the_effective_strategy.
begin;
create extension if not exists pgtap with schema extensions;
select plan(18);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

create temp table pos as select tests.lifecycle_open_position('Rule', 'Rule', 1.00, 1000) as id;
-- The position as a tick at `price` would see it, with `changes` (peak, armed) on top.
create function pg_temp.at(price numeric, changes jsonb default '{}') returns walltrack.positions
language sql as $$
  select jsonb_populate_record(p, jsonb_build_object('current_price', price) || changes)
  from walltrack.positions p where p.id = (select id from pos)
$$;

select is(walltrack.stop_loss_hit(pg_temp.at(0.80), '{"stop_loss_percent": 20}'), true, 'stop loss 20 %: 0.80 is hit');
select is(walltrack.stop_loss_hit(pg_temp.at(0.8001), '{"stop_loss_percent": 20}'), false, 'and 0.8001 is not');
select is(walltrack.stop_loss_hit(pg_temp.at(0.85), '{"stop_loss_percent": 10}'), true, 'stop loss 10 %: 0.85 is hit');
select is(walltrack.stop_loss_hit(pg_temp.at(0.10), '{}'), false, 'a strategy without a stop loss never hits one');

select is(walltrack.trailing_stop_arms(pg_temp.at(2.00), '{"trailing_stop_enabled": true, "trailing_activation_multiplier": 2}'),
  true, 'activation x2: 2.00 arms the trailing stop');
select is(walltrack.trailing_stop_arms(pg_temp.at(1.99), '{"trailing_stop_enabled": true, "trailing_activation_multiplier": 2}'),
  false, '1.99 does not');
select is(walltrack.trailing_stop_arms(pg_temp.at(3.00), '{"trailing_stop_enabled": false, "trailing_activation_multiplier": 2}'),
  false, 'disabled: never armed');

create temp table trail as
  select '{"trailing_stop_enabled": true, "trailing_stop_percent": 15}'::jsonb as strategy;
select is(walltrack.trailing_stop_hit(pg_temp.at(1.70, '{"trailing_stop_armed": true, "peak_price": 2.00}'),
                                      (select strategy from trail)),
  true, 'armed, peak 2.00, 15 %: 1.70 is hit');
select is(walltrack.trailing_stop_hit(pg_temp.at(1.71, '{"trailing_stop_armed": true, "peak_price": 2.00}'),
                                      (select strategy from trail)),
  false, '1.71 is not');
select is(walltrack.trailing_stop_hit(pg_temp.at(2.55, '{"trailing_stop_armed": true, "peak_price": 3.00}'),
                                      (select strategy from trail)),
  true, 'it follows the peak: 3.00 makes 2.55 a hit');
select is(walltrack.trailing_stop_hit(pg_temp.at(0.90, '{"trailing_stop_armed": false, "peak_price": 2.00}'),
                                      (select strategy from trail)),
  false, 'not armed: never hit, however far the price falls');
select is(walltrack.trailing_stop_hit(pg_temp.at(1.00, '{"trailing_stop_armed": true, "peak_price": 2.00}'),
                                      '{"trailing_stop_enabled": false, "trailing_stop_percent": 15}'),
  false, 'armed, then disabled by an override: not hit');

select is(walltrack.stop_loss_price(pg_temp.at(1.00), '{"stop_loss_percent": 20}'), 0.80::numeric, 'stop loss 20 %: at 0.80');
select is(walltrack.trailing_stop_price(pg_temp.at(2.50, '{"trailing_stop_armed": true, "peak_price": 3.00}'),
                                        (select strategy from trail)),
  2.55::numeric, 'armed, peak 3.00, 15 %: the trailing stop at 2.55');
select is(walltrack.trailing_stop_price(pg_temp.at(2.50, '{"trailing_stop_armed": false, "peak_price": 3.00}'),
                                        (select strategy from trail)),
  null, 'not armed: no trailing stop price');
select is((select (stop_loss_price, trailing_stop_price)::text from walltrack.open_positions_overview
           where position_id = (select id from pos)),
  (select (walltrack.stop_loss_price(p, s), walltrack.trailing_stop_price(p, s))::text
   from walltrack.positions p, walltrack.position_strategy(p) s where p.id = (select id from pos)),
  'the Studio view shows the rules'' prices');

-- The position's own strategy (Default: stop loss 20 %, trailing 15 % armed at x2) reads the same.
select is(walltrack.stop_loss_hit(pg_temp.at(0.80), walltrack.position_strategy(pg_temp.at(0.80))), true,
  'Default strategy: the stop loss at 0.80');
select is(walltrack.trailing_stop_arms(pg_temp.at(2.00), walltrack.position_strategy(pg_temp.at(2.00))), true,
  'Default strategy: armed at 2.00');

select * from finish();
rollback;
