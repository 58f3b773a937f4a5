-- walltrack.store_token_analyses writes a batch of measured analyses into the tokens cache in one
-- call: each token inserted, or refreshed in place when known, with its measured values, the four
-- checks and the score of walltrack.score_token, the age computed from its first pool, the time of
-- the analysis and its source; metadata the new source does not know is kept.
begin;
create extension if not exists pgtap with schema extensions;
select plan(26);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestDecide' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters for an address, 88 for a transaction signature.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestDecide' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestDecideSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

-- A watched wallet 'Wa<tag>' following the named exit-strategy template.
create function pg_temp.wallet(tag text, wallet_mode text default 'simulation', active boolean default true,
                               strategy_name text default 'Default')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, mode, is_active, exit_strategy_id)
  select pg_temp.addr('Wa' || tag), 'test ' || tag, wallet_mode, active, es.id
  from walltrack.exit_strategies es
  where es.name = strategy_name
  returning id
$$;

-- A token 'Tk<tag>' whose safety analysis is `analyzed_ago` old (null: a row never analyzed).
create function pg_temp.token(tag text, score numeric default 0.75, analyzed_ago interval default '5 minutes',
                              token_decimals integer default 6)
returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
  values (pg_temp.addr('Tk' || tag), tag, token_decimals,
          case when analyzed_ago is not null then score end,
          now() - analyzed_ago,
          case when analyzed_ago is not null then 'rugcheck' end)
  returning id
$$;

-- One signal of wallet 'Wa<wallet_tag>' on token 'Tk<token_tag>' in transaction 'Sig<sig_tag>',
-- recorded the way the webhook records it (walltrack.record_signals); returns its id. A BUY gives
-- quote_amount of the quote (SOL, or USDC whose USD price is known at once) for token_amount
-- tokens, a SELL the reverse; the leader's block time is block_age_seconds before now(), the
-- webhook received it received_ago before now().
create function pg_temp.signal(signal_type text, wallet_tag text, token_tag text, sig_tag text,
                               quote_amount numeric default 2.5, token_amount numeric default 5000000,
                               quote text default 'SOL', block_age_seconds integer default 5,
                               received_ago interval default '0 seconds')
returns uuid
language sql as $$
  select (walltrack.record_signals(jsonb_build_object(
    'received_at', now() - received_ago,
    'transactions', jsonb_build_array(jsonb_build_object(
      'signature', pg_temp.sig(sig_tag), 'raw', jsonb_build_object('signature', pg_temp.sig(sig_tag)))),
    'signals', jsonb_build_array(jsonb_build_object(
      'wallet', pg_temp.addr('Wa' || wallet_tag), 'signal_type', signal_type,
      'token_mint', pg_temp.addr('Tk' || token_tag), 'token_decimals', 6,
      'token_in', case when signal_type = 'BUY' then q.mint else pg_temp.addr('Tk' || token_tag) end,
      'token_out', case when signal_type = 'BUY' then pg_temp.addr('Tk' || token_tag) else q.mint end,
      'amount_in', case when signal_type = 'BUY' then quote_amount else token_amount end,
      'amount_out', case when signal_type = 'BUY' then token_amount else quote_amount end,
      'price', quote_amount / token_amount,
      'price_all_in', quote_amount / token_amount,
      'price_usd', case when quote = 'USDC' then quote_amount / token_amount end,
      'transaction_signature', pg_temp.sig(sig_tag),
      'slot', 330000000,
      'block_time', extract(epoch from now())::bigint - block_age_seconds))
  )) -> 'recorded' ->> 0)::uuid
  from (select case quote when 'SOL' then 'So11111111111111111111111111111111111111112'
                          else 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' end as mint) q
$$;

-- The id of the signal of transaction 'Sig<tag>'.
create function pg_temp.sid(tag text) returns uuid
language sql stable as $$
  select id from walltrack.signals where transaction_signature = pg_temp.sig(tag)
$$;

-- Decides the signals of the named transactions (and no other) at the given SOL/USD price.
create function pg_temp.process(sig_tags text[], sol_usd numeric default 150) returns jsonb
language sql as $$
  select walltrack.process_signals(array(select pg_temp.sid(t) from unnest(sig_tags) t), sol_usd, 'jupiter')
$$;

-- What processing decided for a signal: its filter_reason, 'opened', 'exit_order' or 'unprocessed'.
create function pg_temp.outcome(tag text) returns text
language sql stable as $$
  select case when processed_at is null then 'unprocessed'
              when filtered then filter_reason
              when position_created then 'opened'
              when position_id is not null then 'exit_order'
              else 'processed without outcome' end
  from walltrack.signals
  where id = pg_temp.sid(tag)
$$;

-- A filled position of wallet 'Wa<wallet_tag>' in token 'Tk<token_tag>': 1,000,000 tokens at
-- 0.0001 USD (100 USD), open, or sold whole `closed_ago` ago.
create function pg_temp.position(wallet_tag text, token_tag text, closed_ago interval default null)
returns uuid
language sql as $$
  insert into walltrack.positions (
    wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd, entry_timestamp,
    current_amount, exit_price, exit_amount, exit_reason, closed_at, status)
  select w.id, t.id, 'simulation', w.exit_strategy_id, 0.0001, 1000000, 100, now() - interval '1 day',
         case when closed_ago is null then 1000000 else 0 end,
         case when closed_ago is not null then 0.00012 end,
         case when closed_ago is null then 0 else 1000000 end,
         case when closed_ago is not null then 'manual' end,
         now() - closed_ago,
         case when closed_ago is null then 'open' else 'closed' end
  from walltrack.wallets w, walltrack.tokens t
  where w.address = pg_temp.addr('Wa' || wallet_tag) and t.address = pg_temp.addr('Tk' || token_tag)
  returning id
$$;

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral, whatever the seed left: breaker off, limits far above what is open,
-- fixed-percent sizing of 10000 x 5 % = 500.00 USD, 1 % simulated slippage, product thresholds.
update walltrack.config set
  circuit_breaker_active = false, circuit_breaker_activated_at = null,
  capital_usd = 10000, risk_per_trade_percent = 5, position_sizing_mode = 'fixed_percent',
  leader_size_fraction = 0.10, min_position_size_usd = 10, max_position_size_usd = 1000,
  max_open_positions = (select count(*) from walltrack.positions where status = 'open') + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure())) + 100000,
  reentry_cooldown_minutes = 60, simulation_slippage_percent = 1, default_slippage_percent = 3,
  order_max_retries = 3, max_signal_age_seconds = 300, safety_score_threshold = 0.60,
  token_cache_ttl_minutes = 60;

update walltrack.config set
  min_liquidity_usd = 50000, max_top10_holder_percent = 30, min_token_age_hours = 24, max_transfer_fee_bps = 0,
  safety_weight_liquidity = 0.300, safety_weight_holders = 0.250, safety_weight_contract = 0.300,
  safety_weight_age = 0.150;

-- RugCheck measured everything of Good (all checks pass: 1.00); DexScreener only liquidity and the
-- pool of Young (liquidity passes, first pool 30 h 18 min ago passes the 24 h age: 0.30 + 0.15 = 0.45).
select is(
  walltrack.store_token_analyses(jsonb_build_array(
    jsonb_build_object('address', pg_temp.addr('TkGood'), 'source', 'rugcheck', 'symbol', 'GOOD', 'name', 'Good Token',
      'decimals', 6, 'liquidity_usd', '125000.50', 'top10_percent', '12.5', 'mint_revoked', true,
      'freeze_revoked', true, 'dangerous_extension', false, 'transfer_fee_bps', 0,
      'first_pool_created_at', now() - interval '48 hours', 'dex_name', 'raydium',
      'pair_address', pg_temp.addr('PairGood'), 'rugged', false, 'snapshot', '{"score_normalised": 3}'::jsonb),
    jsonb_build_object('address', pg_temp.addr('TkYoung'), 'source', 'dexscreener', 'symbol', 'YNG',
      'liquidity_usd', 60000, 'first_pool_created_at', now() - interval '30 hours 18 minutes',
      'dex_name', 'pumpswap'))),
  2, 'two analyses stored');

create temp view cached as select * from walltrack.tokens
  where address in (pg_temp.addr('TkGood'), pg_temp.addr('TkYoung'));

select is(
  (select jsonb_build_object('symbol', symbol, 'name', name, 'decimals', decimals, 'liquidity_usd', liquidity_usd,
     'top10', holder_distribution_top_10_percent, 'age_hours', age_hours, 'mint', is_mint_authority_revoked,
     'freeze', is_freeze_authority_revoked, 'dangerous', has_dangerous_extension, 'fee', transfer_fee_bps,
     'dex', dex_name, 'pair', pair_address, 'first_pool', first_pool_created_at)
   from cached where address = pg_temp.addr('TkGood')),
  jsonb_build_object('symbol', 'GOOD', 'name', 'Good Token', 'decimals', 6, 'liquidity_usd', 125000.50,
     'top10', 12.5, 'age_hours', 48.00, 'mint', true, 'freeze', true, 'dangerous', false, 'fee', 0,
     'dex', 'raydium', 'pair', pg_temp.addr('PairGood'), 'first_pool', now() - interval '48 hours'),
  'every measured value is kept, and the age is 48.00 hours from the first pool');
select is(
  (select array[liquidity_check_passed, holder_check_passed, contract_check_passed, age_check_passed] from cached
   where address = pg_temp.addr('TkGood')),
  array[true, true, true, true], 'Good passes the four checks');
select is((select safety_score from cached where address = pg_temp.addr('TkGood')), 1.00, 'Good scores 1.00');
select is((select last_analyzed_at from cached where address = pg_temp.addr('TkGood')), now(), 'analyzed now');
select is((select analysis_source from cached where address = pg_temp.addr('TkGood')), 'rugcheck', 'source rugcheck');
select is((select analysis_snapshot from cached where address = pg_temp.addr('TkGood')),
  '{"score_normalised": 3, "rugged": false}'::jsonb, 'the snapshot is kept, with the rugged flag');

select is((select age_hours from cached where address = pg_temp.addr('TkYoung')), 30.30,
  'age_hours = 30 h 18 min = 30.30');
select is(
  (select array[liquidity_check_passed, holder_check_passed, contract_check_passed, age_check_passed] from cached
   where address = pg_temp.addr('TkYoung')),
  array[true, false, false, true], 'the DexScreener fallback passes liquidity and age, fails what it did not measure');
select is((select safety_score from cached where address = pg_temp.addr('TkYoung')), 0.45,
  'Young scores 0.30 + 0.15 = 0.45');
select is((select analysis_source from cached where address = pg_temp.addr('TkYoung')), 'dexscreener',
  'source dexscreener');
select is((select analysis_snapshot from cached where address = pg_temp.addr('TkYoung')), '{"rugged": false}'::jsonb,
  'no snapshot given: only the rugged flag');
select is(
  (select array[holder_distribution_top_10_percent::text, is_mint_authority_revoked::text,
                is_freeze_authority_revoked::text, has_dangerous_extension::text, transfer_fee_bps::text]
   from cached where address = pg_temp.addr('TkYoung')),
  array[null, null, null, null, null]::text[], 'what was not measured stays null');

-- A second analysis of Good, two hours later in the cache's eyes: RugCheck now says rugged and
-- DexScreener answered (no symbol, name, decimals, holders or authorities).
create temp table good_before as select * from cached where address = pg_temp.addr('TkGood');
update walltrack.tokens set last_analyzed_at = now() - interval '2 hours' where address = pg_temp.addr('TkGood');

select is(
  walltrack.store_token_analyses(jsonb_build_array(
    jsonb_build_object('address', pg_temp.addr('TkGood'), 'source', 'dexscreener', 'liquidity_usd', 20000,
      'first_pool_created_at', now() - interval '48 hours', 'dex_name', 'meteora', 'rugged', true))),
  1, 'one analysis stored');
select is((select count(*)::integer from cached where address = pg_temp.addr('TkGood')), 1, 'still one row for Good');
select is((select id from cached where address = pg_temp.addr('TkGood')), (select id from good_before),
  'the row is refreshed in place (same id)');
select is((select array[symbol, name, decimals::text] from cached where address = pg_temp.addr('TkGood')),
  array['GOOD', 'Good Token', '6'], 'symbol, name and decimals the new source does not know are kept');
select is((select liquidity_usd from cached where address = pg_temp.addr('TkGood')), 20000.00,
  'the new measure replaces the old');
select is(
  (select array[holder_distribution_top_10_percent::text, is_mint_authority_revoked::text, transfer_fee_bps::text]
   from cached where address = pg_temp.addr('TkGood')),
  array[null, null, null]::text[], 'measures the new source did not take are no longer claimed');
select is(
  (select array[liquidity_check_passed, holder_check_passed, contract_check_passed, age_check_passed] from cached
   where address = pg_temp.addr('TkGood')),
  array[false, false, false, true], 'the checks are those of the new analysis');
select is((select safety_score from cached where address = pg_temp.addr('TkGood')), 0.00, 'rugged: score 0.00');
select is((select last_analyzed_at from cached where address = pg_temp.addr('TkGood')), now(),
  'last_analyzed_at is refreshed');
select is((select analysis_source from cached where address = pg_temp.addr('TkGood')), 'dexscreener',
  'the source is the new one');
select is((select analysis_snapshot from cached where address = pg_temp.addr('TkGood')), '{"rugged": true}'::jsonb,
  'the snapshot is the new one');
select is((select dex_name from cached where address = pg_temp.addr('TkGood')), 'meteora', 'the DEX is the new one');

select is(walltrack.store_token_analyses('[]'::jsonb), 0, 'an empty batch stores nothing');

select * from finish();
rollback;
