-- walltrack.record_signals records one webhook delivery in one call: one signal per (transaction,
-- watched wallet), whether the wallet is active or not, none for other participants; a redelivery,
-- or the same transaction twice in one batch, never creates a second signal. The raw payload, the
-- reception time and the leader's block time are kept, and config.webhook_last_signal_at is stamped.
begin;
create extension if not exists pgtap with schema extensions;
select plan(24);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- Candidate signal of wallet 'Wa<wallet_tag>' in transaction 'Sig<sig_tag>', as the webhook builds it
-- (amounts as decimal strings): a BUY of 5,000,000 TkRec for 2.5 SOL, or a SELL of them for 3000 USDC.
create function pg_temp.candidate(wallet_tag text, signal_type text, sig_tag text) returns jsonb
language sql immutable as $$
  select jsonb_build_object(
    'wallet', tests.addr('Wa' || wallet_tag), 'signal_type', signal_type,
    'token_mint', tests.addr('TkRec'), 'token_decimals', 6,
    'token_in', case signal_type when 'BUY' then 'So11111111111111111111111111111111111111112'
                                 else tests.addr('TkRec') end,
    'token_out', case signal_type when 'BUY' then tests.addr('TkRec')
                                  else 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' end,
    'amount_in', case signal_type when 'BUY' then '2.5' else '5000000' end,
    'amount_out', case signal_type when 'BUY' then '5000000' else '3000' end,
    'price', case signal_type when 'BUY' then '0.0000005' else '0.0006' end,
    'price_all_in', case signal_type when 'BUY' then '0.000000501' else '0.000599' end,
    'price_usd', case signal_type when 'BUY' then null else '0.0006' end,
    'transaction_signature', tests.sig(sig_tag), 'slot', 330000123, 'block_time', 1795305600)
$$;

do $$
begin
  perform tests.signals_wallet('RecA');
  perform tests.signals_wallet('RecB', active => false);
  perform tests.signals_wallet('RecC');
end
$$;
update walltrack.config set webhook_last_signal_at = null;

-- Transaction First touches watched wallets A (listed twice) and C and an unwatched participant;
-- transaction Second is a sale by the inactive wallet B.
create temp table first_delivery as
select walltrack.record_signals(jsonb_build_object(
  'received_at', '2026-11-21T10:00:00.250Z',
  'transactions', jsonb_build_array(
    jsonb_build_object('signature', tests.sig('First'), 'raw', '{"type": "SWAP", "delivery": 1, "n": 1}'::jsonb),
    jsonb_build_object('signature', tests.sig('Second'), 'raw', '{"type": "SWAP", "delivery": 1, "n": 2}'::jsonb)),
  'signals', jsonb_build_array(
    pg_temp.candidate('RecA', 'BUY', 'First'),
    pg_temp.candidate('RecA', 'BUY', 'First'),
    pg_temp.candidate('RecC', 'BUY', 'First'),
    pg_temp.candidate('RecUnwatched', 'BUY', 'First'),
    pg_temp.candidate('RecB', 'SELL', 'Second')))) as result;

create temp view recorded as
  select s.*, w.address as wallet_address
  from walltrack.signals s join walltrack.wallets w on w.id = s.wallet_id
  where s.transaction_signature in (tests.sig('First'), tests.sig('Second'), tests.sig('Third'));

select results_eq(
  $$ select wallet_address::text, transaction_signature::text, signal_type from recorded order by 2, 1 $$,
  $$ values (tests.addr('WaRecA'), tests.sig('First'), 'BUY'),
            (tests.addr('WaRecC'), tests.sig('First'), 'BUY'),
            (tests.addr('WaRecB'), tests.sig('Second'), 'SELL') $$,
  'one signal per (transaction, watched wallet): A once though listed twice, C, and the inactive B; none for the unwatched participant');
select is((select jsonb_array_length(result -> 'recorded') from first_delivery), 3, 'three signals recorded');
select set_eq(
  $$ select (jsonb_array_elements_text(result -> 'recorded'))::uuid from first_delivery $$,
  $$ select id from recorded $$,
  'the ids returned are the recorded signals');
select is((select result -> 'watched' from first_delivery), '3'::jsonb, 'three candidates belonged to watched wallets');
select is((select result -> 'duplicates' from first_delivery), '0'::jsonb, 'nothing was recorded before');

-- The facts are kept as delivered.
select is((select raw_payload from recorded where wallet_address = tests.addr('WaRecA')),
  '{"type": "SWAP", "delivery": 1, "n": 1}'::jsonb, 'raw_payload is the transaction as received');
select is((select raw_payload from recorded where wallet_address = tests.addr('WaRecB')),
  '{"type": "SWAP", "delivery": 1, "n": 2}'::jsonb, 'each signal keeps its own transaction');
select is((select webhook_received_at from recorded where wallet_address = tests.addr('WaRecA')),
  '2026-11-21 10:00:00.25+00'::timestamptz, 'webhook_received_at is the delivery''s reception time');
select is((select leader_block_time from recorded where wallet_address = tests.addr('WaRecA')),
  '2026-11-22 00:00:00+00'::timestamptz, 'leader_block_time = block_time 1795305600 (unix seconds)');
select is(
  (select jsonb_build_object('token_address', token_address, 'token_in', token_in, 'token_out', token_out,
                             'amount_in', amount_in, 'amount_out', amount_out, 'price', price,
                             'price_all_in', price_all_in, 'price_usd', price_usd, 'price_source', price_source,
                             'slot', slot, 'token_decimals', token_decimals)
   from recorded where wallet_address = tests.addr('WaRecA')),
  jsonb_build_object('token_address', tests.addr('TkRec'), 'token_in', 'So11111111111111111111111111111111111111112',
                     'token_out', tests.addr('TkRec'), 'amount_in', 2.5, 'amount_out', 5000000,
                     'price', 0.0000005, 'price_all_in', 0.000000501, 'price_usd', null, 'price_source', null,
                     'slot', 330000123, 'token_decimals', 6),
  'a SOL-quoted BUY keeps its exact amounts and prices; its USD price waits for processing');
select is(
  (select array[price_usd::text, price_source] from recorded where wallet_address = tests.addr('WaRecB')),
  array['0.0006', 'stable'],
  'a stable-quoted signal has its USD price at once, source stable');
select is(
  (select count(*)::integer from recorded
   where processed_at is null and not filtered and not position_created and position_id is null),
  3, 'recorded signals wait unprocessed, without an outcome');
select is((select webhook_last_signal_at from walltrack.config), now(), 'config.webhook_last_signal_at is stamped');

-- A redelivery of the same transactions (received later, payload rewritten) records nothing.
update walltrack.config set webhook_last_signal_at = null;
create temp table redelivery as
select walltrack.record_signals(jsonb_build_object(
  'received_at', '2026-11-21T10:00:05Z',
  'transactions', jsonb_build_array(
    jsonb_build_object('signature', tests.sig('First'), 'raw', '{"delivery": 2}'::jsonb),
    jsonb_build_object('signature', tests.sig('Second'), 'raw', '{"delivery": 2}'::jsonb)),
  'signals', jsonb_build_array(
    pg_temp.candidate('RecB', 'SELL', 'Second'),
    pg_temp.candidate('RecC', 'BUY', 'First'),
    pg_temp.candidate('RecA', 'BUY', 'First')))) as result;

select is((select result from redelivery), '{"recorded": [], "watched": 3, "duplicates": 3}'::jsonb,
  'a redelivery records nothing and reports three duplicates');
select is((select count(*)::integer from recorded), 3, 'still three signals');
select is((select raw_payload -> 'delivery' from recorded where wallet_address = tests.addr('WaRecA')), '1'::jsonb,
  'the first delivery''s payload is kept');
select is((select webhook_received_at from recorded where wallet_address = tests.addr('WaRecC')),
  '2026-11-21 10:00:00.25+00'::timestamptz, 'the first reception time is kept');
select is((select webhook_last_signal_at from walltrack.config), now(), 'a redelivery still stamps webhook_last_signal_at');

-- A delivery mixing a known transaction and a new one records only the new one; without
-- received_at, the reception time is now().
create temp table mixed_delivery as
select walltrack.record_signals(jsonb_build_object(
  'transactions', jsonb_build_array(
    jsonb_build_object('signature', tests.sig('Third'), 'raw', '{"delivery": 3}'::jsonb)),
  'signals', jsonb_build_array(
    pg_temp.candidate('RecA', 'BUY', 'First'),
    pg_temp.candidate('RecA', 'SELL', 'Third'),
    pg_temp.candidate('RecA', 'SELL', 'Third')))) as result;

select is((select result -> 'watched' from mixed_delivery), '2'::jsonb, 'two distinct watched candidates');
select is((select result -> 'duplicates' from mixed_delivery), '1'::jsonb, 'one of them was known');
select is(
  (select (result -> 'recorded' ->> 0)::uuid from mixed_delivery),
  (select id from recorded where transaction_signature = tests.sig('Third')),
  'the new transaction''s signal is recorded, and its id returned');
select is((select count(*)::integer from recorded where transaction_signature = tests.sig('Third')), 1,
  'the new transaction, listed twice, gives one signal');
select is((select webhook_received_at from recorded where transaction_signature = tests.sig('Third')), now(),
  'without received_at, the reception time is now()');

-- A delivery of no watched wallet records nothing.
select is(
  walltrack.record_signals(jsonb_build_object('received_at', now(), 'transactions', '[]'::jsonb,
    'signals', jsonb_build_array(pg_temp.candidate('RecUnwatched', 'BUY', 'Fourth')))),
  '{"recorded": [], "watched": 0, "duplicates": 0}'::jsonb,
  'candidates of unwatched wallets only: nothing recorded');

select * from finish();
rollback;
