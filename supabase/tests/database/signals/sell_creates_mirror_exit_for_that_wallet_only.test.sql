-- A SELL from a wallet that holds an open position in the token, with mirror exit on, creates one
-- pending exit_mirror order for the whole remaining amount of that position, and for no position
-- of another wallet or of another token. The signal is linked to the exited position.
begin;
create extension if not exists pgtap with schema extensions;
select plan(14);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- Both wallets follow the Default template (mirror exit on). Each BUY: 500 USD at 0.00007575
-- -> 6600660.066007 tokens (see buy_opens_simulated_position).
do $$
begin
  perform tests.signals_wallet('Seller');
  perform tests.signals_wallet('Bystander');
  perform tests.signals_token('Sold');
  perform tests.signals_token('Kept');
  perform tests.signals_signal('BUY', 'Seller', 'Sold', 'SellerSold', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'Bystander', 'Sold', 'BystanderSold', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'Seller', 'Kept', 'SellerKept', block_age_seconds => 30);
  -- The leader sells 5,000,000 Sold for 3 SOL: 0.0000006 SOL = 0.00009 USD at SOL 150.
  perform tests.signals_signal('SELL', 'Seller', 'Sold', 'Sell', quote_amount => 3, token_amount => 5000000);
  -- The bystander sells too, for 3000 USDC: 0.0006 USD.
  perform tests.signals_signal('SELL', 'Bystander', 'Sold', 'BystanderSell', quote_amount => 3000,
                         token_amount => 5000000, quote => 'USDC');
end
$$;
do $$ begin perform tests.signals_process(array['SellerSold', 'BystanderSold', 'SellerKept']); end $$;

create temp view held as
  select p.*, w.address as wallet_address, t.address as token_address
  from walltrack.positions p
  join walltrack.wallets w on w.id = p.wallet_id
  join walltrack.tokens t on t.id = p.token_id
  where p.signal_id in (tests.signals_sid('SellerSold'), tests.signals_sid('BystanderSold'), tests.signals_sid('SellerKept'));
create temp view exits as
  select o.* from walltrack.orders o where o.order_type <> 'entry' and o.position_id in (select id from held);

create temp table summary as select tests.signals_process(array['Sell']) as result;

select is((select result from summary),
  '{"processed": 1, "opened": 0, "exit_orders": 1, "deferred": 0, "filtered": {}}'::jsonb,
  'one SELL processed, one exit order');
select is((select count(*)::integer from exits), 1, 'one exit order in all');
select is((select position_id from exits), (select id from held where signal_id = tests.signals_sid('SellerSold')),
  'for the seller''s position in the token sold, not the bystander''s, not the seller''s other token');
-- amount = 6600660.066007 held; value = 6600660.066007 x 0.00009 = 594.05940594063
select is(
  (select jsonb_build_object('order_type', order_type, 'status', status, 'mode', mode, 'signal_id', signal_id,
                             'wallet_id', wallet_id, 'token_in', token_in, 'token_out', token_out,
                             'amount_in', amount_in, 'value_usd', value_usd,
                             'slippage_requested_percent', slippage_requested_percent, 'max_retries', max_retries)
   from exits),
  jsonb_build_object('order_type', 'exit_mirror', 'status', 'pending', 'mode', 'simulation',
                     'signal_id', tests.signals_sid('Sell'),
                     'wallet_id', (select wallet_id from held where signal_id = tests.signals_sid('SellerSold')),
                     'token_in', tests.addr('TkSold'), 'token_out', 'So11111111111111111111111111111111111111112',
                     'amount_in', 6600660.066007, 'value_usd', 594.05940594063,
                     'slippage_requested_percent', 3.00, 'max_retries', 3),
  'a pending exit_mirror selling all 6600660.066007 tokens for SOL, valued at the leader''s 0.00009 USD');
select is((select requested_at from exits), (select processed_at from walltrack.signals where id = tests.signals_sid('Sell')),
  'requested at the decision');

select is(
  (select array[filtered::text, position_created::text, position_id::text] from walltrack.signals
   where id = tests.signals_sid('Sell')),
  array['false', 'false', (select id from held where signal_id = tests.signals_sid('SellerSold'))::text],
  'the SELL is not filtered, opened nothing, and names the position it exits');
select is((select price_usd from walltrack.signals where id = tests.signals_sid('Sell')), 0.00009,
  'its USD price = 0.0000006 x 150');
select is((select sol_usd_price from walltrack.signals where id = tests.signals_sid('Sell')), 150::numeric,
  'with the SOL/USD price used');
select is((select count(*)::integer from held where status = 'open' and current_amount = 6600660.066007), 3,
  'the positions stay open and whole until the exit fills');

-- The bystander's own SELL exits the bystander's position only (a stable quote: 0.0006 USD).
-- value = 6600660.066007 x 0.0006 = 3960.3960396042
create temp table bystander_summary as select tests.signals_process(array['BystanderSell']) as result;
select is((select result -> 'exit_orders' from bystander_summary), '1'::jsonb, 'the bystander''s SELL gives one exit order');
select is(
  (select count(*)::integer from exits where position_id = (select id from held where signal_id = tests.signals_sid('BystanderSold'))),
  1, 'for the bystander''s position');
select is(
  (select value_usd from exits where signal_id = tests.signals_sid('BystanderSell')), 3960.3960396042,
  'valued at the stable leader price');
select is(
  (select count(*)::integer from exits where position_id = (select id from held where signal_id = tests.signals_sid('SellerSold'))),
  1, 'the seller''s position still has its one exit order');
select is_empty(
  $$ select 1 from exits where position_id = (select id from held where signal_id = tests.signals_sid('SellerKept')) $$,
  'the seller''s other token is never exited');

select * from finish();
rollback;
