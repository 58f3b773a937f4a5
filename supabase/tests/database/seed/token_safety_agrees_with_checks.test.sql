-- Each token's checks agree with the values it measured and the config thresholds, its safety
-- score is the sum of the config weights of the checks passed, its age is measured from the first
-- pool to the analysis, and the stored analysis snapshot reports the same measurements.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

select is_empty(
  $$ select t.symbol from walltrack.tokens t cross join walltrack.config c
     where t.liquidity_check_passed is distinct from (t.liquidity_usd >= c.min_liquidity_usd) $$,
  'liquidity_check_passed = liquidity_usd >= config.min_liquidity_usd');

select is_empty(
  $$ select t.symbol from walltrack.tokens t cross join walltrack.config c
     where t.holder_check_passed
           is distinct from (t.holder_distribution_top_10_percent <= c.max_top10_holder_percent) $$,
  'holder_check_passed = top-10 holders percent <= config.max_top10_holder_percent');

select is_empty(
  $$ select t.symbol from walltrack.tokens t cross join walltrack.config c
     where t.contract_check_passed is distinct from (
             t.is_mint_authority_revoked and t.is_freeze_authority_revoked
             and not t.has_dangerous_extension and t.transfer_fee_bps <= c.max_transfer_fee_bps) $$,
  'contract_check_passed = authorities revoked, no dangerous extension, fee within the limit');

select is_empty(
  $$ select t.symbol from walltrack.tokens t cross join walltrack.config c
     where t.age_check_passed is distinct from (t.age_hours >= c.min_token_age_hours) $$,
  'age_check_passed = age_hours >= config.min_token_age_hours');

select is_empty(
  $$ select t.symbol, t.safety_score
     from walltrack.tokens t cross join walltrack.config c
     where t.safety_score <> round(
             c.safety_weight_liquidity * t.liquidity_check_passed::integer
           + c.safety_weight_holders * t.holder_check_passed::integer
           + c.safety_weight_contract * t.contract_check_passed::integer
           + c.safety_weight_age * t.age_check_passed::integer, 2) $$,
  'safety_score = the config weights of the checks passed');

select is_empty(
  $$ select symbol, age_hours from walltrack.tokens
     where age_hours <> round(extract(epoch from (last_analyzed_at - first_pool_created_at)) / 3600, 2) $$,
  'age_hours = hours from the first pool to the analysis');

select is_empty(
  $$ select symbol from walltrack.tokens
     where (analysis_snapshot ->> 'totalMarketLiquidity')::numeric <> liquidity_usd
        or (analysis_snapshot ->> 'top10HoldersPct')::numeric <> holder_distribution_top_10_percent
        or (analysis_snapshot ->> 'transferFeeBps')::integer <> transfer_fee_bps
        or (jsonb_typeof(analysis_snapshot -> 'mintAuthority') = 'null') <> is_mint_authority_revoked
        or (jsonb_typeof(analysis_snapshot -> 'freezeAuthority') = 'null') <> is_freeze_authority_revoked
        or (analysis_snapshot ->> 'rugged')::boolean $$,
  'the analysis snapshot reports the measurements the checks were made on');

select * from finish();
rollback;
