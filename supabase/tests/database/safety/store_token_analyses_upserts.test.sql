-- walltrack.store_token_analyses writes a batch of measured analyses into the tokens cache in one
-- call: each token inserted, or refreshed in place when known, with its measured values, the four
-- checks and the score of walltrack.score_token, the age computed from its first pool, the time of
-- the analysis and its source; metadata the new source does not know is kept.
begin;
create extension if not exists pgtap with schema extensions;
select plan(26);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

update walltrack.config set
  min_liquidity_usd = 50000, max_top10_holder_percent = 30, min_token_age_hours = 24, max_transfer_fee_bps = 0,
  safety_weight_liquidity = 0.300, safety_weight_holders = 0.250, safety_weight_contract = 0.300,
  safety_weight_age = 0.150;

-- RugCheck measured everything of Good (all checks pass: 1.00); DexScreener only liquidity and the
-- pool of Young (liquidity passes, first pool 30 h 18 min ago passes the 24 h age: 0.30 + 0.15 = 0.45).
select is(
  walltrack.store_token_analyses(jsonb_build_array(
    jsonb_build_object('address', tests.addr('TkGood'), 'source', 'rugcheck', 'symbol', 'GOOD', 'name', 'Good Token',
      'decimals', 6, 'liquidity_usd', '125000.50', 'top10_percent', '12.5', 'mint_revoked', true,
      'freeze_revoked', true, 'dangerous_extension', false, 'transfer_fee_bps', 0,
      'first_pool_created_at', now() - interval '48 hours', 'dex_name', 'raydium',
      'pair_address', tests.addr('PairGood'), 'rugged', false, 'snapshot', '{"score_normalised": 3}'::jsonb),
    jsonb_build_object('address', tests.addr('TkYoung'), 'source', 'dexscreener', 'symbol', 'YNG',
      'liquidity_usd', 60000, 'first_pool_created_at', now() - interval '30 hours 18 minutes',
      'dex_name', 'pumpswap'))),
  2, 'two analyses stored');

create temp view cached as select * from walltrack.tokens
  where address in (tests.addr('TkGood'), tests.addr('TkYoung'));

select is(
  (select jsonb_build_object('symbol', symbol, 'name', name, 'decimals', decimals, 'liquidity_usd', liquidity_usd,
     'top10', holder_distribution_top_10_percent, 'age_hours', age_hours, 'mint', is_mint_authority_revoked,
     'freeze', is_freeze_authority_revoked, 'dangerous', has_dangerous_extension, 'fee', transfer_fee_bps,
     'dex', dex_name, 'pair', pair_address, 'first_pool', first_pool_created_at)
   from cached where address = tests.addr('TkGood')),
  jsonb_build_object('symbol', 'GOOD', 'name', 'Good Token', 'decimals', 6, 'liquidity_usd', 125000.50,
     'top10', 12.5, 'age_hours', 48.00, 'mint', true, 'freeze', true, 'dangerous', false, 'fee', 0,
     'dex', 'raydium', 'pair', tests.addr('PairGood'), 'first_pool', now() - interval '48 hours'),
  'every measured value is kept, and the age is 48.00 hours from the first pool');
select is(
  (select array[liquidity_check_passed, holder_check_passed, contract_check_passed, age_check_passed] from cached
   where address = tests.addr('TkGood')),
  array[true, true, true, true], 'Good passes the four checks');
select is((select safety_score from cached where address = tests.addr('TkGood')), 1.00, 'Good scores 1.00');
select is((select last_analyzed_at from cached where address = tests.addr('TkGood')), now(), 'analyzed now');
select is((select analysis_source from cached where address = tests.addr('TkGood')), 'rugcheck', 'source rugcheck');
select is((select analysis_snapshot from cached where address = tests.addr('TkGood')),
  '{"score_normalised": 3, "rugged": false}'::jsonb, 'the snapshot is kept, with the rugged flag');

select is((select age_hours from cached where address = tests.addr('TkYoung')), 30.30,
  'age_hours = 30 h 18 min = 30.30');
select is(
  (select array[liquidity_check_passed, holder_check_passed, contract_check_passed, age_check_passed] from cached
   where address = tests.addr('TkYoung')),
  array[true, false, false, true], 'the DexScreener fallback passes liquidity and age, fails what it did not measure');
select is((select safety_score from cached where address = tests.addr('TkYoung')), 0.45,
  'Young scores 0.30 + 0.15 = 0.45');
select is((select analysis_source from cached where address = tests.addr('TkYoung')), 'dexscreener',
  'source dexscreener');
select is((select analysis_snapshot from cached where address = tests.addr('TkYoung')), '{"rugged": false}'::jsonb,
  'no snapshot given: only the rugged flag');
select is(
  (select array[holder_distribution_top_10_percent::text, is_mint_authority_revoked::text,
                is_freeze_authority_revoked::text, has_dangerous_extension::text, transfer_fee_bps::text]
   from cached where address = tests.addr('TkYoung')),
  array[null, null, null, null, null]::text[], 'what was not measured stays null');

-- A second analysis of Good, two hours later in the cache's eyes: RugCheck now says rugged and
-- DexScreener answered (no symbol, name, decimals, holders or authorities).
create temp table good_before as select * from cached where address = tests.addr('TkGood');
update walltrack.tokens set last_analyzed_at = now() - interval '2 hours' where address = tests.addr('TkGood');

select is(
  walltrack.store_token_analyses(jsonb_build_array(
    jsonb_build_object('address', tests.addr('TkGood'), 'source', 'dexscreener', 'liquidity_usd', 20000,
      'first_pool_created_at', now() - interval '48 hours', 'dex_name', 'meteora', 'rugged', true))),
  1, 'one analysis stored');
select is((select count(*)::integer from cached where address = tests.addr('TkGood')), 1, 'still one row for Good');
select is((select id from cached where address = tests.addr('TkGood')), (select id from good_before),
  'the row is refreshed in place (same id)');
select is((select array[symbol, name, decimals::text] from cached where address = tests.addr('TkGood')),
  array['GOOD', 'Good Token', '6'], 'symbol, name and decimals the new source does not know are kept');
select is((select liquidity_usd from cached where address = tests.addr('TkGood')), 20000.00,
  'the new measure replaces the old');
select is(
  (select array[holder_distribution_top_10_percent::text, is_mint_authority_revoked::text, transfer_fee_bps::text]
   from cached where address = tests.addr('TkGood')),
  array[null, null, null]::text[], 'measures the new source did not take are no longer claimed');
select is(
  (select array[liquidity_check_passed, holder_check_passed, contract_check_passed, age_check_passed] from cached
   where address = tests.addr('TkGood')),
  array[false, false, false, true], 'the checks are those of the new analysis');
select is((select safety_score from cached where address = tests.addr('TkGood')), 0.00, 'rugged: score 0.00');
select is((select last_analyzed_at from cached where address = tests.addr('TkGood')), now(),
  'last_analyzed_at is refreshed');
select is((select analysis_source from cached where address = tests.addr('TkGood')), 'dexscreener',
  'the source is the new one');
select is((select analysis_snapshot from cached where address = tests.addr('TkGood')), '{"rugged": true}'::jsonb,
  'the snapshot is the new one');
select is((select dex_name from cached where address = tests.addr('TkGood')), 'meteora', 'the DEX is the new one');

select is(walltrack.store_token_analyses('[]'::jsonb), 0, 'an empty batch stores nothing');

select * from finish();
rollback;
