-- When the stop loss and the trailing stop both hold on one price, the exit is a stop loss (one
-- order, exit_reason stop_loss). Two Default positions entered at 1.00 x 1,000, in two tokens,
-- both priced 1.60 first (trailing stop armed at 1.5x, peak 1.60, stop at 1.60 x 0.85 = 1.36):
--   B  falls to 0.75: <= 0.80 (stop loss) and <= 1.36 (trailing)  -> exit_stop_loss;    filled at 0.75: -250
--   T  falls to 1.30: <= 1.36 (trailing) only                      -> exit_trailing_stop; filled at 1.30: +300
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$
begin
  perform tests.lifecycle_open_position('B', 'B', 1.00, 1000);
  perform tests.lifecycle_open_position('T', 'T', 1.00, 1000);
end
$$;

select is(tests.lifecycle_walk('B', array[1.60]) + tests.lifecycle_walk('T', array[1.60]), 0, '1.60: no exit order');
select results_eq(
  $$select trailing_stop_armed, peak_price from walltrack.positions where id in (tests.lifecycle_pos('B'), tests.lifecycle_pos('T'))$$,
  $$values (true, 1.60::numeric), (true, 1.60::numeric)$$,
  'both trailing stops are armed with a peak of 1.60');

select is(tests.lifecycle_tick('B', 0.75) ->> 'exit_orders_created', '1', 'B at 0.75: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('B'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  'B: stop loss and trailing stop both hold, the exit is the stop loss');

select is(tests.lifecycle_tick('T', 1.30) ->> 'exit_orders_created', '1', 'T at 1.30: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('T'))$$,
  $$values ('exit_trailing_stop'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  'T: only the trailing stop holds, the exit is the trailing stop');

select is(tests.lifecycle_fill(tests.lifecycle_pos('B'), 0.75) + tests.lifecycle_fill(tests.lifecycle_pos('T'), 1.30), 2,
  'both exits fill at their trigger prices');
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions
    where id in (tests.lifecycle_pos('B'), tests.lifecycle_pos('T')) order by realized_pnl_usd$$,
  $$values ('closed'::text, 'stop_loss'::text, (-250.00)::numeric), ('closed', 'trailing_stop', 300.00::numeric)$$,
  'B closed stop_loss at 1,000 x (0.75 - 1.00) = -250.00, T closed trailing_stop at 1,000 x 0.30 = +300.00');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
