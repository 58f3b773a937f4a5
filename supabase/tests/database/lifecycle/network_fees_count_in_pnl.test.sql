-- The network fees a live position paid count in its PnL (20261206210000), each valued at the SOL/USD
-- that valued its fill, exactly. SOL at 150.123456789 USD:
--   entry  1.000000001 SOL for 333,333 tokens, fee 259,600 lamports = 0.0002596 SOL
--          fee_usd 0.0002596 x 150.123456789 = 0.0389720493824244
--   exit   200,000 tokens for 0.8 SOL, fee 105,000 lamports: fee_usd 0.015762962962845
--   exit   133,333 tokens for 0.434567891 SOL, fee 5,000 lamports: fee_usd 0.000750617283945
--   realized = (0.8 + 0.434567891 - 1.000000001) x 150.123456789 - the three fees
-- and the day's PnL the breaker reads counts the same fees, the entry's included; a simulated
-- fill pays none.
begin;
create extension if not exists pgtap with schema extensions;
select plan(15);
update walltrack.config set holds_mock_data = false, sol_usd_price = 150.123456789;

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

-- A confirmed swap as the executor records it: its fees first, then its fill (order-settlement.ts).
create function pg_temp.fill(order_id uuid, sig text, amount_in numeric, amount_out numeric, fee bigint) returns void language sql as $$
  update walltrack.orders set status = 'submitted', submitted_at = now(), tx_signature = tests.sig(sig) where id = order_id;
  select walltrack.record_order_fees(order_id, fee, fee - 5000);
  select walltrack.record_order_fill(order_id, jsonb_build_object('amount_in', amount_in::text, 'amount_out', amount_out::text,
                                                                  'tx_signature', tests.sig(sig)));
$$;
create function pg_temp.exit_order(tag text, amount numeric) returns uuid language sql as $$
  select walltrack.create_exit_order(p, 'exit_manual', amount, 0.0004) from walltrack.positions p where p.id = tests.lifecycle_pos(tag)
$$;

create temp table pnl_before as select walltrack.realized_pnl_today_usd(of_mode => 'live') as pnl;

do $$
begin
  perform tests.lifecycle_open_pending('Fee', 'Fee', 0.45, 333333, wallet_mode => 'live');
  perform pg_temp.fill((select id from walltrack.orders where position_id = tests.lifecycle_pos('Fee') and order_type = 'entry'),
                       'FeeEntry', 1.000000001, 333333, 259600);
end
$$;
select is((select fee_usd from walltrack.orders where position_id = tests.lifecycle_pos('Fee') and order_type = 'entry'),
  0.0389720493824244, 'the entry''s fee: 259,600 lamports x SOL/USD, exactly');
select results_eq(
  $$select entry_value_usd, fees_usd, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('Fee')$$,
  $$values (150.123456939123456789::numeric, 0.0389720493824244::numeric, -0.0389720493824244::numeric)$$,
  'the cost basis is the swap alone; the fee paid is realized at once');

do $$
begin
  perform pg_temp.fill(pg_temp.exit_order('Fee', 200000), 'FeeExit1', 200000, 0.8, 105000);
end
$$;
select is((select (details ->> 'exit_pnl_usd')::numeric from walltrack.notifications
            where event_type = 'exit_filled' and details ->> 'position_id' = tests.lifecycle_pos('Fee')::text),
  0.8 * 150.123456789 - 200000 * (select entry_price from walltrack.positions where id = tests.lifecycle_pos('Fee'))
  - 0.000105 * 150.123456789,
  'the exit''s notified PnL is its proceeds less the cost of what it sold less its own fee');

do $$
begin
  perform pg_temp.fill(pg_temp.exit_order('Fee', 133333), 'FeeExit2', 133333, 0.434567891, 5000);
end
$$;
select results_eq(
  $$select fee_usd from walltrack.orders where position_id = tests.lifecycle_pos('Fee') and order_type <> 'entry' order by amount_in desc$$,
  $$values (0.015762962962845::numeric), (0.000750617283945::numeric)$$,
  'each exit''s fee at the fill''s SOL/USD');
select results_eq(
  $$select status, fees_usd from walltrack.positions where id = tests.lifecycle_pos('Fee')$$,
  $$values ('closed'::text, 0.0554856296292144::numeric)$$,
  'closed; its fees are the sum of the three');
select is((select realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('Fee')),
  (0.8 + 0.434567891 - 1.000000001) * 150.123456789 - (0.0002596 + 0.000105 + 0.000005) * 150.123456789,
  'realized PnL = (SOL received - SOL paid - SOL of fees) x SOL/USD, to the last digit');
select is((select realized_pnl_usd + fees_usd from walltrack.positions where id = tests.lifecycle_pos('Fee')),
  (0.8 + 0.434567891 - 1.000000001) * 150.123456789, 'and with its fees added back, the trade alone');
select is(walltrack.realized_pnl_today_usd(of_mode => 'live') - (select pnl from pnl_before),
  (select realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('Fee')),
  'the day''s live PnL (the breaker''s daily loss) is what the position realized, to the last digit: the three fees, the entry''s included, and the exact cost basis');

-- A live entry whose swap landed but failed on chain: its fee (105,000 lamports) is recorded once
-- and deducted from the position, which holds nothing yet.
create temp table failed as select walltrack.realized_pnl_today_usd(of_mode => 'live') as pnl,
                                   walltrack.realized_pnl_today_usd(of_mode => 'simulation') as sim;
do $$
begin
  perform tests.lifecycle_open_pending('FeeFail', 'FeeFail', 0.45, 333333, wallet_mode => 'live');
end
$$;
select is(walltrack.record_failed_swap_fee((select id from walltrack.orders where position_id = tests.lifecycle_pos('FeeFail')),
                                           tests.sig('FeeFailTx'), 105000, 100000),
  0.015762962962845::numeric, 'a failed swap''s fee, valued at SOL/USD, exactly');
select is(walltrack.record_failed_swap_fee((select id from walltrack.orders where position_id = tests.lifecycle_pos('FeeFail')),
                                           tests.sig('FeeFailTx'), 105000, 100000),
  null::numeric, 'the same transaction reported again changes nothing');
select results_eq(
  $$select fees_usd, realized_pnl_usd, entry_amount from walltrack.positions where id = tests.lifecycle_pos('FeeFail')$$,
  $$values (0.015762962962845::numeric, -0.015762962962845::numeric, null::numeric)$$,
  'the position paid it, once, though it holds nothing yet');
select is(walltrack.realized_pnl_today_usd(of_mode => 'live') - (select pnl from failed), -0.015762962962845::numeric,
  'the day''s live PnL counts it');
select is(walltrack.realized_pnl_today_usd(of_mode => 'simulation') - (select sim from failed), 0::numeric,
  'and the simulation breaker''s day does not');

-- A simulated round trip pays no network fee.
do $$
begin
  perform tests.lifecycle_open_position('FeeSim', 'FeeSim', 0.001, 1000);
end
$$;
select results_eq(
  $$select fees_usd, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('FeeSim')$$,
  $$values (0::numeric, 0::numeric)$$,
  'a simulated entry pays no fee: nothing realized');
select is((select count(*)::integer from walltrack.orders where position_id = tests.lifecycle_pos('FeeSim') and fee_usd is not null), 0,
  'and its order carries none');

select * from finish();
rollback;
