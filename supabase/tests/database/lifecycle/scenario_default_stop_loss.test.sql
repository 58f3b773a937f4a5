-- Default strategy (stop loss 20 %), entry 1.00 USD x 1,000 tokens, the price falls:
--   0.90, 0.81  above 1.00 x (1 - 0.20) = 0.80: nothing
--   0.80        stop loss: exit_stop_loss of all 1,000
--   0.70        the stop loss is in flight: no second exit
-- filled at 0.80: realized PnL = 1,000 x (0.80 - 1.00) = -200.00; the position closes stop_loss.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$ begin perform tests.lifecycle_open_position('S', 'S', 1.00, 1000); end $$;

select is(tests.lifecycle_tick('S', 0.90) ->> 'exit_orders_created', '0', '0.90: no exit order');
select is(tests.lifecycle_tick('S', 0.81) ->> 'exit_orders_created', '0', '0.81: still above 0.80, no exit order');
select results_eq(
  $$select unrealized_pnl_usd, current_pnl_usd, trailing_stop_armed from walltrack.positions where id = tests.lifecycle_pos('S')$$,
  $$values ((-190)::numeric, (-190)::numeric, false)$$,
  '0.81: unrealized 1,000 x (0.81 - 1.00) = -190, the trailing stop never armed');

select is(tests.lifecycle_tick('S', 0.80) ->> 'exit_orders_created', '1', '0.80: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('S'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  '0.80 <= 1.00 x (1 - 20 %): the stop loss sells all 1,000');
select is(
  (select value_usd from walltrack.orders where position_id = tests.lifecycle_pos('S') and order_type = 'exit_stop_loss'),
  800.00::numeric,
  'the exit order is worth 1,000 x 0.80 = 800.00 at the trigger price');

select is(tests.lifecycle_tick('S', 0.70) ->> 'exit_orders_created', '0', '0.70: the stop loss in flight, no second exit');

select is(tests.lifecycle_fill(tests.lifecycle_pos('S'), 0.80), 1, 'the stop loss fills at 0.80');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('S'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'executed'::text)$$,
  'exactly one exit: the stop loss of 1,000');
select results_eq(
  $$select status, exit_reason, closed_at is not null, current_amount, exit_amount, exit_price, realized_pnl_usd,
           unrealized_pnl_usd, current_pnl_usd
    from walltrack.positions where id = tests.lifecycle_pos('S')$$,
  $$values ('closed'::text, 'stop_loss'::text, true, 0::numeric, 1000::numeric, 0.80::numeric, (-200.00)::numeric,
            0::numeric, (-200.00)::numeric)$$,
  'closed stop_loss: realized 1,000 x (0.80 - 1.00) = -200.00');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
