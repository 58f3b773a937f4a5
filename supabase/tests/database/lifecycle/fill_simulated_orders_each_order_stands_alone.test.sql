-- walltrack.fill_simulated_orders fills each order alone. Slippage 1 %, SOL at 200 USD, one batch:
--   W  a manual exit of 1,000 tokens worth 10^-12 USD each: 1,000 x 0.99 x 10^-12 / 200 SOL rounds
--      to 0 at 9 places. It fills with zero proceeds and says why (zero_proceeds); the position
--      closes with its realized PnL (1,000 x (0.99 - 1) x 10^-12)
--   N  an ordinary manual exit of 100 at 1.20 (entry 1.00): filled at 1.188, +18.8
--   Z  an entry of 0.5 SOL in a token at 10^9 USD: 0.5 x 200 / (1.01 x 10^9) tokens round to 0 at
--      6 places, which no fill may hold: that order's attempt fails (retried later), the rest stand
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

update walltrack.config set simulation_slippage_percent = 1, sol_usd_price = 200;

do $$
begin
  perform tests.lifecycle_open_position('W', 'W', 0.000000000001, 1000);
  perform walltrack.close_position_manually(tests.lifecycle_pos('W'));
  perform tests.lifecycle_open_position('N', 'N', 1.00, 100);
  perform tests.lifecycle_tick('N', 1.20);
  perform walltrack.close_position_manually(tests.lifecycle_pos('N'));
  perform tests.lifecycle_open_pending('Z', 'Z', 1000000000, 0.0000001);
end
$$;

select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders
    where position_id in (tests.lifecycle_pos('W'), tests.lifecycle_pos('N'), tests.lifecycle_pos('Z'))
      and status = 'pending')),
  '{"filled": 2, "cancelled": 0, "deferred": 0, "failed": 1}'::jsonb,
  'one batch: the worthless exit and the ordinary one filled, the impossible entry failed alone');
select results_eq(
  $$select status, amount_out, error_code from walltrack.orders
     where position_id = tests.lifecycle_pos('W') and order_type = 'exit_manual'$$,
  $$values ('executed'::text, 0::numeric, 'zero_proceeds'::text)$$,
  'W: executed with zero proceeds, and the reason');
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('W')$$,
  $$values ('closed'::text, 'manual'::text, -0.00000000001::numeric)$$,
  'W: the position closes, its realized PnL 1,000 x (0.99 - 1) x 10^-12');
select results_eq(
  $$select status, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('N')$$,
  $$values ('closed'::text, 18.8::numeric)$$,
  'N: filled at 1.20 x 0.99 = 1.188 and closed, 100 x 0.188 = +18.8');
select results_eq(
  $$select status, retry_count, error_code from walltrack.orders
     where position_id = tests.lifecycle_pos('Z') and order_type = 'entry'$$,
  $$values ('pending'::text, 1, 'simulation_fill_error'::text)$$,
  'Z: its changes rolled back, the attempt is counted as failed, with its error; it will be retried');
select ok((select error_message like '%orders_amount_out_check%' from walltrack.orders
            where position_id = tests.lifecycle_pos('Z') and order_type = 'entry'),
  'and the error says which rule refused the fill');
select is_empty($$select * from tests.lifecycle_broken_invariants()$$, 'the accounting invariants hold');

select * from finish();
rollback;
