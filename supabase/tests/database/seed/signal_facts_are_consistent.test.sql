-- Each signal's facts agree with each other and with its Helius payload: a BUY spends SOL for the
-- token, price = amount_in / amount_out, price_all_in adds the network fee, price_usd =
-- price x sol_usd_price, amounts respect the decimals, the payload names the same signature, slot,
-- block time, fee payer and transfers, and slots grow with block time.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

select is_empty(
  $$ select id from walltrack.signals
     where token_in <> 'So11111111111111111111111111111111111111112' or token_out <> token_address $$,
  'every BUY gives SOL (token_in) and gets the token (token_out = token_address)');

select is_empty(
  $$ select id, price, amount_in / amount_out from walltrack.signals where price <> amount_in / amount_out $$,
  'price = amount_in / amount_out (SOL per token)');

select is_empty(
  $$ select id from walltrack.signals
     where price_all_in <> (amount_in + (raw_payload ->> 'fee')::numeric / 1000000000) / amount_out
        or price_all_in <= price $$,
  'price_all_in = (amount_in + the network fee) / amount_out, above price');

select is_empty(
  $$ select id from walltrack.signals where price_usd <> price * sol_usd_price $$,
  'price_usd = price x sol_usd_price');

select is_empty(
  $$ select s.id
     from walltrack.signals s
     join walltrack.tokens t on t.address = s.token_address
     where s.token_id is distinct from t.id
        or s.token_decimals is distinct from t.decimals
        or s.amount_out * 10 ^ t.decimals <> trunc(s.amount_out * 10 ^ t.decimals)
        or s.amount_in * 1000000000 <> trunc(s.amount_in * 1000000000) $$,
  'each signal names its token, with its decimals, and amounts no finer than the decimals allow');

select is_empty(
  $$ select s.id
     from walltrack.signals s
     join walltrack.wallets w on w.id = s.wallet_id
     where s.raw_payload ->> 'signature' <> s.transaction_signature
        or (s.raw_payload ->> 'slot')::bigint <> s.slot
        or (s.raw_payload ->> 'timestamp')::bigint <> extract(epoch from s.leader_block_time)
        or s.raw_payload ->> 'feePayer' <> w.address
        or s.raw_payload ->> 'type' <> 'SWAP'
        or s.raw_payload -> 'tokenTransfers' <> jsonb_build_array(
             jsonb_build_object('fromUserAccount', w.address,
                                'toUserAccount', s.raw_payload -> 'tokenTransfers' -> 0 -> 'toUserAccount',
                                'mint', s.token_in, 'tokenAmount', s.amount_in),
             jsonb_build_object('fromUserAccount', s.raw_payload -> 'tokenTransfers' -> 1 -> 'fromUserAccount',
                                'toUserAccount', w.address, 'mint', s.token_out, 'tokenAmount', s.amount_out)) $$,
  'raw_payload is the same transaction: signature, slot, block time, fee payer, transfers');

select is_empty(
  $$ select id from walltrack.signals
     where processing_duration_ms <> round(extract(epoch from (processed_at - webhook_received_at)) * 1000) $$,
  'processing_duration_ms = processed_at - webhook_received_at');

select is_empty(
  $$ select a.id, b.id
     from walltrack.signals a
     join walltrack.signals b on a.leader_block_time < b.leader_block_time
     where a.slot >= b.slot $$,
  'slots grow with block time');

select is_empty(
  $$ select id from walltrack.signals
     where leader_block_time <> date_trunc('second', leader_block_time) $$,
  'block times are whole seconds, as Helius reports them');

select * from finish();
rollback;
