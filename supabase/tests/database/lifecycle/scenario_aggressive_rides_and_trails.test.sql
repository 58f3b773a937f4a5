-- Aggressive strategy (stop loss 30 %, trailing stop 20 % armed at 2x, 25 % at 3x, 25 % at 5x,
-- 50 % rides, mirror exit off), entry 1.00 USD x 1,000 tokens:
--   2.00  trailing stop armed, no order
--   1.65  above 2.00 x (1 - 0.20) = 1.60 and above the stop 0.70: nothing
--   3.00  level 1: exit_scaling 25 % x 1,000 = 250    filled at 3.00: 250 x 2.00 = 500
--   5.00  level 2: exit_scaling 25 % x 1,000 = 250    filled at 5.00: 250 x 4.00 = 1,000
--   6.00  new peak; the 500 left ride, no level is left to sell them
--   4.81  above 6.00 x 0.80 = 4.80: nothing
--   4.80  trailing stop: exit_trailing_stop of the 500 left, filled at 4.80: 500 x 3.80 = 1,900
-- realized PnL = 500 + 1,000 + 1,900 = 3,400.00.
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$ begin perform tests.lifecycle_open_position('G', 'G', 1.00, 1000, 'Aggressive'); end $$;

select is(tests.lifecycle_tick('G', 2.00) ->> 'exit_orders_created', '0', '2.00: no exit order');
select ok((select trailing_stop_armed from walltrack.positions where id = tests.lifecycle_pos('G')),
  '2.00: the trailing stop is armed (2.00 >= 1.00 x 2)');
select is(tests.lifecycle_tick('G', 1.65) ->> 'exit_orders_created', '0',
  '1.65: above 2.00 x 0.80 = 1.60 and the stop 0.70, no exit order');

select is(tests.lifecycle_tick('G', 3.00) ->> 'exit_orders_created', '1', '3.00: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('G')) where status = 'pending'$$,
  $$values ('exit_scaling'::text, 1::smallint, 250::numeric, 'pending'::text)$$,
  '3.00: level 1 sells 25 % of 1,000 = 250');
select is(tests.lifecycle_fill(tests.lifecycle_pos('G'), 3.00), 1, 'level 1 fills at 3.00');

select is(tests.lifecycle_tick('G', 5.00) ->> 'exit_orders_created', '1', '5.00: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('G')) where status = 'pending'$$,
  $$values ('exit_scaling'::text, 2::smallint, 250::numeric, 'pending'::text)$$,
  '5.00: level 2 sells 25 % of 1,000 = 250');
select is(tests.lifecycle_fill(tests.lifecycle_pos('G'), 5.00), 1, 'level 2 fills at 5.00');

select is(tests.lifecycle_tick('G', 6.00) ->> 'exit_orders_created', '0', '6.00: no level left, no exit order');
select results_eq(
  $$select current_amount, realized_pnl_usd, peak_price, status from walltrack.positions where id = tests.lifecycle_pos('G')$$,
  $$values (500::numeric, 1500::numeric, 6::numeric, 'open'::text)$$,
  'half the position rides: 500 left, realized 500 + 1,000 = 1,500, peak 6.00');
select is(tests.lifecycle_tick('G', 4.81) ->> 'exit_orders_created', '0', '4.81: above 6.00 x 0.80 = 4.80, no exit order');

select is(tests.lifecycle_tick('G', 4.80) ->> 'exit_orders_created', '1', '4.80: one exit order');
select is(tests.lifecycle_fill(tests.lifecycle_pos('G'), 4.80), 1, 'the trailing stop fills at 4.80');

select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('G'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 250::numeric, 'executed'::text),
           ('exit_scaling', 2::smallint, 250::numeric, 'executed'),
           ('exit_trailing_stop', null::smallint, 500::numeric, 'executed')$$,
  'exactly three exits: 250 at 3x, 250 at 5x, the 500 that rode by the trailing stop');
select results_eq(
  $$select status, exit_reason, current_amount, exit_amount, realized_pnl_usd, current_pnl_usd
    from walltrack.positions where id = tests.lifecycle_pos('G')$$,
  $$values ('closed'::text, 'trailing_stop'::text, 0::numeric, 1000::numeric, 3400.00::numeric, 3400.00::numeric)$$,
  'closed trailing_stop: realized 500 + 1,000 + 1,900 = 3,400.00');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
