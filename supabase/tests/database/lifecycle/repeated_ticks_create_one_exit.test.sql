-- Each trigger creates exactly one exit order, however often the price says so. Default strategy,
-- entry 1.00 x 1,000:
--   2.00 twice, then written again by hand        level 1 (500) once
--   2.10, 1.99, 2.00, 2.05 (a wiggle around 2x)    nothing more: level 1 is recorded as fired
--   filled at 2.00; 1.95, 2.05                     nothing: a fired level never fires again
--   the fired record lost, 2.10                    nothing: the unique index on orders refuses a
--                                                  second order for level 1 (backstop of races)
--   1.78 <= peak 2.10 x 0.85 = 1.785               trailing stop (500)
--   1.70, 0.80 (stop loss), 3.00 (level 2)         nothing: a full exit in flight blocks the rest
-- filled at 1.78: realized = 500 x 1.00 + 500 x 0.78 = 890.00.
begin;
create extension if not exists pgtap with schema extensions;
select plan(16);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$ begin perform tests.lifecycle_open_position('R', 'R', 1.00, 1000); end $$;

select is(tests.lifecycle_tick('R', 2.00) ->> 'exit_orders_created', '1', '2.00: one exit order (level 1)');
select is(tests.lifecycle_tick('R', 2.00), '{"positions_repriced": 0, "exit_orders_created": 0, "tokens_priced": 1, "prices_refused": 0}'::jsonb,
  '2.00 again: the price did not change, nothing is repriced, no exit order');
update walltrack.positions set current_price = 2.00, price_updated_at = now() where id = tests.lifecycle_pos('R');
select is((select count(*)::integer from tests.lifecycle_exits(tests.lifecycle_pos('R'))), 1,
  'the same price written again by hand creates no exit order');

select is(tests.lifecycle_walk('R', array[2.10, 1.99, 2.00, 2.05]), 0,
  'a wiggle around 2x (2.10, 1.99, 2.00, 2.05) creates no exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('R'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'pending'::text)$$,
  'one order for level 1, in flight');
select is((select scaling_levels_fired from walltrack.positions where id = tests.lifecycle_pos('R')), '{1}'::smallint[],
  'level 1 is recorded once');

select is(tests.lifecycle_fill(tests.lifecycle_pos('R'), 2.00), 1, 'level 1 fills at 2.00');
select is(tests.lifecycle_walk('R', array[1.95, 2.05]), 0,
  'back below and above 2x after the fill (1.95, 2.05): a fired level never fires again');

update walltrack.positions set scaling_levels_fired = '{}' where id = tests.lifecycle_pos('R');
select is(tests.lifecycle_tick('R', 2.10) ->> 'exit_orders_created', '0',
  'even with its record lost, level 1 gets no second order (uq_orders_scaling_level_in_flight)');

select is(tests.lifecycle_tick('R', 1.78) ->> 'exit_orders_created', '1', '1.78 <= 2.10 x 0.85: one exit order (trailing stop)');
select is(tests.lifecycle_walk('R', array[1.70, 0.80, 3.00]), 0,
  'with the trailing stop in flight, 1.70, 0.80 (stop loss) and 3.00 (level 2) create no exit order');

select throws_ok(
  format($$insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in)
           select wallet_id, token_id, id, 'exit_manual', mode, %L, 'So11111111111111111111111111111111111111112', 500
           from walltrack.positions where id = %L$$, tests.addr('TkR'), tests.lifecycle_pos('R')),
  '23505',
  'duplicate key value violates unique constraint "uq_orders_full_exit_in_flight"',
  'a second full exit cannot be inserted while one is in flight');

select is(tests.lifecycle_fill(tests.lifecycle_pos('R'), 1.78), 1, 'the trailing stop fills at 1.78');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('R'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'executed'::text),
           ('exit_trailing_stop', null::smallint, 500::numeric, 'executed')$$,
  'two exits in all: level 1 and the trailing stop, 500 each');
select results_eq(
  $$select scaling_levels_fired, status, exit_reason, realized_pnl_usd from walltrack.positions
    where id = tests.lifecycle_pos('R')$$,
  $$values ('{1}'::smallint[], 'closed'::text, 'trailing_stop'::text, 890.00::numeric)$$,
  'closed trailing_stop with only level 1 fired: realized 500 + 390 = 890.00');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
