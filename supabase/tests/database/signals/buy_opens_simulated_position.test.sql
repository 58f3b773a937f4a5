-- A BUY that passes every filter, from a wallet in simulation mode, opens a position whose entry
-- fills at once: the entry order is executed at the leader's swap-leg price moved against us by
-- the simulation slippage, the fill becomes the position's entry (trigger), the signal and the
-- position are linked, and copy quality is measured against the leader.
begin;
create extension if not exists pgtap with schema extensions;
select plan(40);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- Inputs and the values they must give (config: capital 10000, risk 5 %, slippage 1 %, order
-- slippage tolerance 3 %, 3 retries; SOL/USD 150; the token has 6 decimals):
--   size            = 10000 x 5 % = 500.00 USD
--   leader          : 2.5 SOL for 5,000,000 tokens -> 0.0000005 SOL per token
--   leader USD      = 0.0000005 x 150 = 0.000075
--   fill price      = 0.000075 x (100 + 1) x 0.01 = 0.00007575
--   amount_in       = round(500 / 150, 9) = 3.333333333 SOL
--   expected amount = round(500 / 0.000075, 6) = round(6666666.6666666..., 6) = 6666666.666667
--   filled amount   = round(500 / 0.00007575, 6) = round(6600660.0660066..., 6) = 6600660.066007
--   cost basis      = 6600660.066007 x 0.00007575 = 500.00000000003025 (also the order's value once filled)
--   order slippage  = round((1 - 0.000075 / 0.00007575) x 100, 4) = round(0.990099..., 4) = 0.9901
--   vs the leader   = round((0.00007575 - 0.000075) / 0.000075 x 100, 4) = 1.0000
do $$
begin
  perform tests.signals_wallet('Sim');
  perform tests.signals_token('Sim');
  perform tests.signals_signal('BUY', 'Sim', 'Sim', 'Sim', quote_amount => 2.5, token_amount => 5000000,
                         block_age_seconds => 5, received_ago => '2.5 seconds');
end
$$;

create temp table exposure_before as select * from walltrack.open_exposure();
create temp table summary as select tests.signals_process(array['Sim']) as result;

create temp table opened as
  select p.* from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
  where w.address = tests.addr('WaSim');
create temp table entry as
  select o.* from walltrack.orders o where o.position_id = (select id from opened);
create temp table decided as
  select s.* from walltrack.signals s where s.id = tests.signals_sid('Sim');

select is((select result from summary),
  '{"processed": 1, "opened": 1, "exit_orders": 0, "deferred": 0, "filtered": {}}'::jsonb,
  'the summary counts one signal processed and one position opened');

-- The signal's outcome, written once.
select is((select filtered from decided), false, 'the signal is not filtered');
select is((select filter_reason from decided), null, 'the signal has no filter reason');
select is((select position_created from decided), true, 'the signal created a position');
select is((select position_id from decided), (select id from opened), 'signal -> position link');
select is((select token_id from decided), (select id from walltrack.tokens where address = tests.addr('TkSim')),
  'the signal names the token analysis it was decided on');
select is((select price_usd from decided), 0.000075, 'price_usd = 0.0000005 SOL x 150 = 0.000075');
select is((select sol_usd_price from decided), 150::numeric, 'the SOL/USD price used is kept');
select is((select price_source from decided), 'jupiter', 'the SOL/USD source is kept');
select ok((select processed_at between now() and clock_timestamp() from decided), 'processed_at is stamped');
select is((select processing_duration_ms from decided),
  (select round(extract(epoch from (processed_at - webhook_received_at)) * 1000)::integer from decided),
  'processing_duration_ms = processed_at - webhook_received_at in ms');
select ok((select processing_duration_ms between 2500 and 2500 + 60000 from decided),
  'processing_duration_ms counts from the webhook''s reception (2.5 s before the test began)');

-- The position.
select is((select count(*)::integer from opened), 1, 'one position is opened');
select is((select signal_id from opened), tests.signals_sid('Sim'), 'position -> signal link');
select is((select status from opened), 'open', 'the position is open');
select is((select mode from opened), 'simulation', 'the position has the wallet''s mode');
select is((select exit_strategy_id from opened),
  (select exit_strategy_id from walltrack.wallets where address = tests.addr('WaSim')),
  'the position follows the wallet''s exit-strategy template');
select is((select entry_price from opened), 0.00007575, 'entry_price = fill price 0.00007575');
select is((select entry_amount from opened), 6600660.066007, 'entry_amount = round(500 / 0.00007575, 6)');
select is((select current_amount from opened), 6600660.066007, 'the whole entry is held');
select is((select entry_value_usd from opened), 500.00000000003025, 'entry_value_usd = amount x price, exact');
select is((select entry_timestamp from opened), (select processed_at from decided), 'entry_timestamp = the fill time');
select is((select entry_tx_signature from opened), null, 'a simulated entry has no transaction signature');
select is((select current_price from opened), 0.00007575, 'the current price starts at the fill price');

-- Copy quality.
select is((select leader_price_usd from opened), 0.000075, 'leader_price_usd = 0.000075');
select is((select slippage_vs_leader_percent from opened), 1.0000, 'slippage vs the leader = 1.0000 %');
select is((select decision_delay_seconds from opened),
  (select round(extract(epoch from (processed_at - leader_block_time)), 3) from decided),
  'decision_delay_seconds = leader block time -> decision');
select is((select fill_delay_seconds from opened),
  (select round(extract(epoch from (processed_at - leader_block_time)), 3) from decided),
  'fill_delay_seconds = leader block time -> fill (the same moment in simulation)');
select ok((select decision_delay_seconds between 3 and 70 from opened),
  'the delay counts from the leader''s block time (about 5 s before the test began)');

-- The entry order.
select is((select count(*)::integer from entry), 1, 'the position has one order');
select is(
  (select jsonb_build_object('order_type', order_type, 'mode', mode, 'status', status, 'token_in', token_in,
                             'token_out', token_out, 'signal_id', signal_id, 'wallet_id', wallet_id,
                             'token_id', token_id) from entry),
  jsonb_build_object('order_type', 'entry', 'mode', 'simulation', 'status', 'executed',
                     'token_in', 'So11111111111111111111111111111111111111112', 'token_out', tests.addr('TkSim'),
                     'signal_id', tests.signals_sid('Sim'), 'wallet_id', (select wallet_id from opened),
                     'token_id', (select token_id from opened)),
  'an executed simulation entry from SOL into the token, for this signal, wallet and token');
select is((select amount_in from entry), 3.333333333, 'amount_in = round(500 / 150, 9) SOL');
select is((select amount_out_expected from entry), 6666666.666667, 'amount_out_expected = round(500 / 0.000075, 6)');
select is((select amount_out from entry), 6600660.066007, 'amount_out = round(500 / 0.00007575, 6)');
select is((select price_usd from entry), 0.00007575, 'price_usd = 0.000075 x 101 x 0.01');
select is((select value_usd from entry), 500.00000000003025, 'value_usd = the fill''s value, amount x price');
select is((select slippage_actual_percent from entry), 0.9901, 'slippage_actual_percent = 0.9901');
select is((select slippage_requested_percent from entry), 3.00, 'the slippage tolerance is config''s default');
select is(
  (select array[requested_at, submitted_at, executed_at] from entry),
  (select array[processed_at, processed_at, processed_at] from decided),
  'requested, submitted and executed at the decision');

-- The new position's cost basis is in the exposure the next decision sees.
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before),
  500.00000000003025, 'the open exposure grew by the cost basis');

select * from finish();
rollback;
