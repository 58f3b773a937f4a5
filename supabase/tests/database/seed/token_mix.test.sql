-- The 8 tokens: BONK, WIF, MYRO and JTO with their real mints and decimals, safe (safety score
-- at least config.safety_score_threshold, 0.60); 4 unsafe memecoins below it. Scores sit in the
-- story's bands (safe 0.60-0.85, unsafe 0.20-0.55), every analysis is fresh (within the 30 minutes
-- before the seed ran) and every token carries its metadata.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

create temp table seed_time as select max(updated_at) as at from walltrack.wallets;

select results_eq(
  $$ select t.symbol, t.address::text, t.decimals::integer
     from walltrack.tokens t
     cross join walltrack.config c
     where t.safety_score >= c.safety_score_threshold
     order by t.symbol $$,
  $$ values ('BONK', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 5),
            ('JTO', 'jtojtomepa8beP8AuQc6eXt5FriJwfFMwQx2v2f9mCL', 9),
            ('MYRO', 'HhJpBhRRn4g56VsyLuT8DL5Bv31HkXqsrahTTUCZeZg4', 9),
            ('WIF', 'EKpQGSJtjMFqKZ9KQanSqYXRcF8fBopzLHYxdM65zcjm', 6) $$,
  'the safe tokens are exactly BONK, JTO, MYRO and WIF, with their real mints and decimals');

select is(
  (select count(*) from walltrack.tokens t cross join walltrack.config c
   where t.safety_score < c.safety_score_threshold),
  4::bigint,
  '4 tokens are unsafe (below the safety threshold)');

select is(
  (select safety_score_threshold from walltrack.config), 0.60::numeric,
  'the threshold the mix is measured against is the product default, 0.60');

select is_empty(
  $$ select t.symbol, t.safety_score
     from walltrack.tokens t
     cross join walltrack.config c
     where (t.safety_score >= c.safety_score_threshold and t.safety_score not between 0.60 and 0.85)
        or (t.safety_score < c.safety_score_threshold and t.safety_score not between 0.20 and 0.55) $$,
  'safety scores sit in the story bands: safe 0.60-0.85, unsafe 0.20-0.55');

select is_empty(
  $$ select t.symbol, t.last_analyzed_at
     from walltrack.tokens t
     cross join seed_time s
     where t.last_analyzed_at is null
        or t.last_analyzed_at not between s.at - interval '30 minutes' and s.at $$,
  'every token was analyzed within the 30 minutes before the seed ran (fresh cache)');

select is_empty(
  $$ select symbol from walltrack.tokens
     where name is null or decimals is null or liquidity_usd is null
        or holder_distribution_top_10_percent is null or age_hours is null
        or is_mint_authority_revoked is null or is_freeze_authority_revoked is null
        or has_dangerous_extension is null or transfer_fee_bps is null
        or analysis_source is null or analysis_snapshot is null or dex_name is null
        or pair_address is null or first_pool_created_at is null $$,
  'every token carries realistic metadata: liquidity, holder distribution, age, authorities, pool');

select * from finish();
rollback;
