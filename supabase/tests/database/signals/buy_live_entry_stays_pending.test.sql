-- A BUY from a wallet in live mode opens the position with its entry order pending for the
-- executor: no fill, no entry on the position, but the intended size committed. When the
-- executor later reports the fill, the order's fill becomes the position's entry (trigger).
begin;
create extension if not exists pgtap with schema extensions;
select plan(24);
-- Live submissions of this file's own orders: lift the seeded database's mock-data mark.
update walltrack.config set holds_mock_data = false;

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- Size 10000 x 5 % = 500.00 USD; leader 2.5 SOL for 5,000,000 tokens at SOL 150 = 0.000075 USD.
do $$
begin
  perform tests.signals_wallet('Live', wallet_mode => 'live');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Live', 'Safe', 'Live');
end
$$;

create temp table exposure_before as select * from walltrack.open_exposure();
create temp table summary as select tests.signals_process(array['Live']) as result;
create temp view opened as select * from walltrack.positions where signal_id = tests.signals_sid('Live');
create temp view entry as select * from walltrack.orders where signal_id = tests.signals_sid('Live');
create temp view decided as select * from walltrack.signals where id = tests.signals_sid('Live');

select is((select result - 'filtered' from summary),
  '{"processed": 1, "opened": 1, "exit_orders": 0, "deferred": 0}'::jsonb, 'one position opened');
select is((select position_id from decided), (select id from opened), 'signal -> position link');
select is((select position_created from decided), true, 'the signal created the position');

select is((select count(*)::integer from opened), 1, 'one position');
select is((select array[status, mode] from opened), array['open', 'live'], 'open, in live mode');
select is(
  (select array[entry_price, entry_amount, entry_value_usd] from opened), array[null, null, null]::numeric[],
  'no entry price, amount or cost until the fill');
select is((select entry_timestamp from opened), null, 'no entry time until the fill');
select is((select current_amount from opened), 0::numeric, 'nothing held yet');
select is((select leader_price_usd from opened), 0.000075, 'the leader''s price is known at once');
select ok((select decision_delay_seconds is not null from opened), 'the decision delay is known at once');
select is((select fill_delay_seconds from opened), null, 'the fill delay waits for the fill');

select is((select count(*)::integer from entry), 1, 'one order');
select is(
  (select jsonb_build_object('order_type', order_type, 'mode', mode, 'status', status, 'amount_in', amount_in,
                             'amount_out_expected', amount_out_expected, 'value_usd', value_usd,
                             'amount_out', amount_out, 'price_usd', price_usd, 'submitted_at', submitted_at,
                             'executed_at', executed_at, 'slippage_actual_percent', slippage_actual_percent,
                             'execution_duration_ms', execution_duration_ms)
   from entry),
  jsonb_build_object('order_type', 'entry', 'mode', 'live', 'status', 'pending', 'amount_in', 3.333333333,
                     'amount_out_expected', 6666666.666667, 'value_usd', 500.00, 'amount_out', null,
                     'price_usd', null, 'submitted_at', null, 'executed_at', null, 'slippage_actual_percent', null,
                     'execution_duration_ms', null),
  'a pending live entry of round(500 / 150, 9) SOL expecting round(500 / 0.000075, 6) tokens, intended 500.00 USD');
select is((select requested_at from entry), (select processed_at from decided), 'requested at the decision');
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before), 500.00,
  'the pending entry commits its intended 500.00 USD');

-- The executor sends the swap 1 s after the request, and it fills 3 s after the request:
-- 6,500,000 tokens at 0.0000769 USD, worth 499.85 USD (a fill states its exact value, as
-- walltrack.record_order_fill does: the SOL paid x SOL/USD).
--   cost basis = the fill's value, 499.85
--   vs leader  = round((0.0000769 - 0.000075) / 0.000075 x 100, 4) = round(2.5333..., 4) = 2.5333
update walltrack.orders set
  status = 'submitted', submitted_at = requested_at + interval '1 second', tx_signature = tests.sig('LiveFill')
where signal_id = tests.signals_sid('Live');
update walltrack.orders set
  status = 'executed', executed_at = requested_at + interval '3 seconds', amount_out = 6500000, price_usd = 0.0000769,
  value_usd = 499.85
where signal_id = tests.signals_sid('Live');

select is((select entry_price from opened), 0.0000769, 'entry_price = the fill price');
select is((select entry_amount from opened), 6500000::numeric, 'entry_amount = the amount received');
select is((select current_amount from opened), 6500000::numeric, 'the whole entry is held');
select is((select entry_value_usd from opened), 499.85, 'entry_value_usd = the fill''s value, 499.85');
select is((select entry_timestamp from opened), (select executed_at from entry), 'entry_timestamp = the fill time');
select is((select entry_tx_signature::text from opened), tests.sig('LiveFill'), 'the entry transaction is kept');
select is((select fill_delay_seconds from opened),
  (select round(extract(epoch from (o.executed_at - s.leader_block_time)), 3) from entry o, decided s),
  'fill_delay_seconds = leader block time -> our fill');
select is((select slippage_vs_leader_percent from opened), 2.5333, 'slippage vs the leader = 2.5333 %');
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before), 499.85,
  'the exposure is now the filled cost');

select * from finish();
rollback;
