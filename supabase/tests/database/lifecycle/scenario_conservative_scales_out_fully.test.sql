-- Conservative strategy (stop loss 15 %, trailing stop 10 % armed at 1.3x, 33 % at 1.5x, 33 % at
-- 2x, 34 % at 3x: nothing rides), entry 1.00 USD x 1,000.000001 tokens (6 decimals). Levels sell a
-- percent of the original amount truncated to the token's decimals; the level that brings the
-- total to 100 % sells exactly what remains, so no dust is left behind:
--   1.30  trailing stop armed, no order
--   1.50  level 1: 33 % x 1,000.000001 = 330.00000033 -> 330.000000   filled at 1.50: 330 x 0.50 = 165
--   2.00  level 2: the same 330.000000                                 filled at 2.00: 330 x 1.00 = 330
--   3.00  level 3: what remains, 1,000.000001 - 660 = 340.000001 (not 34 % = 340.000000)
--         filled at 3.00: 340.000001 x 2.00 = 680.000002
-- realized PnL = 165 + 330 + 680.000002 = 1,175.000002; the position closes with exit_reason scaling.
begin;
create extension if not exists pgtap with schema extensions;
select plan(14);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$ begin perform tests.lifecycle_open_position('C', 'C', 1.00, 1000.000001, 'Conservative'); end $$;

select is(tests.lifecycle_tick('C', 1.30) ->> 'exit_orders_created', '0', '1.30: no exit order');
select ok((select trailing_stop_armed from walltrack.positions where id = tests.lifecycle_pos('C')),
  '1.30: the trailing stop is armed (1.30 >= 1.00 x 1.3)');

select is(tests.lifecycle_tick('C', 1.50) ->> 'exit_orders_created', '1', '1.50: one exit order');
select results_eq(
  $$select order_type, scaling_level, amount_in, status, scaling_percent from walltrack.orders
    where position_id = tests.lifecycle_pos('C') and status = 'pending'$$,
  $$values ('exit_scaling'::text, 1::smallint, 330.000000::numeric, 'pending'::text, 33::numeric)$$,
  '1.50: level 1 sells 33 % of 1,000.000001, truncated to 6 decimals: 330.000000');
select is(tests.lifecycle_fill(tests.lifecycle_pos('C'), 1.50), 1, 'level 1 fills at 1.50');

select is(tests.lifecycle_tick('C', 2.00) ->> 'exit_orders_created', '1', '2.00: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('C')) where status = 'pending'$$,
  $$values ('exit_scaling'::text, 2::smallint, 330.000000::numeric, 'pending'::text)$$,
  '2.00: level 2 sells 33 % of the original amount again: 330.000000');
select is(tests.lifecycle_fill(tests.lifecycle_pos('C'), 2.00), 1, 'level 2 fills at 2.00');
select results_eq(
  $$select current_amount, realized_pnl_usd, status from walltrack.positions where id = tests.lifecycle_pos('C')$$,
  $$values (340.000001::numeric, 495::numeric, 'open'::text)$$,
  'after two levels: 340.000001 left, realized 165 + 330 = 495');

select is(tests.lifecycle_tick('C', 3.00) ->> 'exit_orders_created', '1', '3.00: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('C')) where status = 'pending'$$,
  $$values ('exit_scaling'::text, 3::smallint, 340.000001::numeric, 'pending'::text)$$,
  '3.00: the last level sells exactly what remains, 340.000001');
select is(tests.lifecycle_fill(tests.lifecycle_pos('C'), 3.00), 1, 'level 3 fills at 3.00');

select results_eq(
  $$select status, exit_reason, closed_at is not null, current_amount, exit_amount, realized_pnl_usd,
           scaling_levels_fired, (select count(*) from tests.lifecycle_exits(tests.lifecycle_pos('C')))
    from walltrack.positions where id = tests.lifecycle_pos('C')$$,
  $$values ('closed'::text, 'scaling'::text, true, 0::numeric, 1000.000001::numeric, 1175.000002::numeric,
            '{1,2,3}'::smallint[], 3::bigint)$$,
  'closed by its last level (exit_reason scaling) after three exits: realized 165 + 330 + 680.000002 = 1,175.000002');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
