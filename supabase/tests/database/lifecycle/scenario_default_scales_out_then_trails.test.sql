-- Default strategy (stop loss 20 %, trailing stop 15 % armed at 1.5x, 50 % at 2x, 25 % at 3x, 25 %
-- rides), entry 1.00 USD x 1,000 tokens, the price path of issue 4; every exit filled at the price
-- that triggered it:
--   1.50  trailing stop armed (1.50 >= 1.00 x 1.5), no order
--   2.00  level 1: exit_scaling 50 % x 1,000 = 500    filled at 2.00: 500 x (2.00 - 1.00) = 500
--   3.00  level 2: exit_scaling 25 % x 1,000 = 250    filled at 3.00: 250 x (3.00 - 1.00) = 500
--   4.00  new peak; no order (the last 25 % rides)
--   3.41  above 4.00 x (1 - 0.15) = 3.40: nothing
--   3.40  trailing stop: exit_trailing_stop of the 250 left, filled at 3.40: 250 x 2.40 = 600
-- realized PnL = 500 + 500 + 600 = 1,600.00; exit price = (500 x 2 + 250 x 3 + 250 x 3.4) / 1,000 = 2.6
begin;
create extension if not exists pgtap with schema extensions;
select plan(21);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$ begin perform tests.lifecycle_open_position('A', 'A', 1.00, 1000); end $$;

select results_eq(
  $$select entry_price, entry_amount, current_amount, current_price, status from walltrack.positions
    where id = tests.lifecycle_pos('A')$$,
  $$values (1.00::numeric, 1000::numeric, 1000::numeric, 1.00::numeric, 'open'::text)$$,
  'entered at 1.00 for 1,000 tokens');

select is(tests.lifecycle_tick('A', 1.50) ->> 'exit_orders_created', '0', '1.50: no exit order');
select ok((select trailing_stop_armed from walltrack.positions where id = tests.lifecycle_pos('A')),
  '1.50: the trailing stop is armed (1.50 >= 1.00 x 1.5)');

select is(tests.lifecycle_tick('A', 2.00) ->> 'exit_orders_created', '1', '2.00: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('A'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'pending'::text)$$,
  '2.00: level 1 sells 50 % of 1,000 = 500');
select is((select scaling_levels_fired from walltrack.positions where id = tests.lifecycle_pos('A')), '{1}'::smallint[],
  'the position records level 1 as fired');

select is(tests.lifecycle_fill(tests.lifecycle_pos('A'), 2.00), 1, 'level 1 fills at 2.00');
select results_eq(
  $$select current_amount, exit_amount, realized_pnl_usd, exit_price, unrealized_pnl_usd, current_pnl_usd, status
    from walltrack.positions where id = tests.lifecycle_pos('A')$$,
  $$values (500::numeric, 500::numeric, 500::numeric, 2::numeric, 500::numeric, 1000::numeric, 'open'::text)$$,
  'after level 1: 500 left, realized 500 x 1.00 = 500, unrealized 500 x (2.00 - 1.00) = 500');

select is(tests.lifecycle_tick('A', 3.00) ->> 'exit_orders_created', '1', '3.00: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('A')) where status = 'pending'$$,
  $$values ('exit_scaling'::text, 2::smallint, 250::numeric, 'pending'::text)$$,
  '3.00: level 2 sells 25 % of the original 1,000 = 250');
select is(tests.lifecycle_fill(tests.lifecycle_pos('A'), 3.00), 1, 'level 2 fills at 3.00');
select results_eq(
  $$select current_amount, exit_amount, realized_pnl_usd, scaling_levels_fired from walltrack.positions
    where id = tests.lifecycle_pos('A')$$,
  $$values (250::numeric, 750::numeric, 1000::numeric, '{1,2}'::smallint[])$$,
  'after level 2: 250 left (the rides share), realized 500 + 250 x 2.00 = 1,000');

select is(tests.lifecycle_tick('A', 4.00) ->> 'exit_orders_created', '0', '4.00: a new peak, no order');
select is(tests.lifecycle_tick('A', 3.41) ->> 'exit_orders_created', '0', '3.41: above 4.00 x 0.85 = 3.40, no order');
select is(tests.lifecycle_tick('A', 3.40) ->> 'exit_orders_created', '1', '3.40: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('A')) where status = 'pending'$$,
  $$values ('exit_trailing_stop'::text, null::smallint, 250::numeric, 'pending'::text)$$,
  '3.40 <= 4.00 x (1 - 15 %): the trailing stop sells the 250 left');
select is(tests.lifecycle_fill(tests.lifecycle_pos('A'), 3.40), 1, 'the trailing stop fills at 3.40');

select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('A'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'executed'::text),
           ('exit_scaling', 2::smallint, 250::numeric, 'executed'),
           ('exit_trailing_stop', null::smallint, 250::numeric, 'executed')$$,
  'exactly three exits: 500 at level 1, 250 at level 2, 250 by the trailing stop');
select results_eq(
  $$select status, exit_reason, closed_at is not null, current_amount, exit_amount, realized_pnl_usd,
           unrealized_pnl_usd, current_pnl_usd, peak_price
    from walltrack.positions where id = tests.lifecycle_pos('A')$$,
  $$values ('closed'::text, 'trailing_stop'::text, true, 0::numeric, 1000::numeric, 1600.00::numeric,
            0::numeric, 1600.00::numeric, 4::numeric)$$,
  'closed by the trailing stop: realized 500 + 500 + 600 = 1,600.00, nothing left');

select is((select exit_price from walltrack.positions where id = tests.lifecycle_pos('A')), 2.6,
  'exit price = (500 x 2 + 250 x 3 + 250 x 3.4) / 1,000 = 2.6 exactly');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
