-- Adds the token safety rules: the four checks and the weighted score computed from what a source
-- measured (walltrack.score_token), walltrack.store_token_analyses, which writes a batch of
-- analyses into the read-through cache in one statement, and the cache's freshness rule
-- (walltrack.safety_analysis_is_fresh).

-- Safety score, in 0..1 (two decimals):
--   score = w_liquidity * [liquidity_usd >= min_liquidity_usd]
--         + w_holders   * [top-10 holders % (pools and lockers excluded) <= max_top10_holder_percent]
--         + w_contract  * [mint and freeze authority revoked, no dangerous Token-2022 extension,
--                          transfer fee <= max_transfer_fee_bps]
--         + w_age       * [hours since the first pool >= min_token_age_hours]
-- with the weights and thresholds of walltrack.config (the weights sum to 1). A check whose value
-- the source did not measure counts as failed (DexScreener knows no holders or authorities), so a
-- fallback analysis can only pass on liquidity and age: never trade blind. A token RugCheck flags
-- as rugged scores 0 whatever its checks.
create function walltrack.score_token(
  liquidity_usd numeric, top10_percent numeric, mint_revoked boolean, freeze_revoked boolean,
  dangerous_extension boolean, transfer_fee_bps integer, age_hours numeric, rugged boolean,
  out liquidity_check_passed boolean, out holder_check_passed boolean,
  out contract_check_passed boolean, out age_check_passed boolean, out safety_score numeric)
language sql
stable
set search_path = ''
as $$
  with checks as (
    select
      coalesce(liquidity_usd >= c.min_liquidity_usd, false) as liquidity,
      coalesce(top10_percent <= c.max_top10_holder_percent, false) as holders,
      coalesce(mint_revoked and freeze_revoked and not dangerous_extension
               and transfer_fee_bps <= c.max_transfer_fee_bps, false) as contract,
      coalesce(age_hours >= c.min_token_age_hours, false) as age,
      c.safety_weight_liquidity, c.safety_weight_holders, c.safety_weight_contract, c.safety_weight_age
    from walltrack.config c
  )
  select liquidity, holders, contract, age,
         case when coalesce(rugged, false) then 0.00
              else pg_catalog.round(
                     safety_weight_liquidity * liquidity::integer + safety_weight_holders * holders::integer
                   + safety_weight_contract * contract::integer + safety_weight_age * age::integer, 2)
         end
  from checks;
$$;
comment on function walltrack.score_token(numeric, numeric, boolean, boolean, boolean, integer, numeric, boolean) is
  'The four safety checks and the weighted safety score (0..1) of a token from its measured values and the config thresholds and weights; unmeasured counts as failed, rugged scores 0.';
revoke execute on function walltrack.score_token(numeric, numeric, boolean, boolean, boolean, integer, numeric, boolean) from public;

-- analyses: [{address, source, symbol, name, decimals, liquidity_usd, top10_percent, mint_revoked,
--             freeze_revoked, dangerous_extension, transfer_fee_bps, first_pool_created_at,
--             dex_name, pair_address, rugged, snapshot}]
create function walltrack.store_token_analyses(analyses jsonb)
returns integer
language sql
set search_path = ''
as $$
  with measured as (
    select distinct on (a.address) a.*,
           pg_catalog.round(extract(epoch from (pg_catalog.now() - a.first_pool_created_at)) / 3600, 2) as age_hours
    from pg_catalog.jsonb_to_recordset(analyses) as a(
      address text, source text, symbol text, name text, decimals smallint, liquidity_usd numeric,
      top10_percent numeric, mint_revoked boolean, freeze_revoked boolean, dangerous_extension boolean,
      transfer_fee_bps integer, first_pool_created_at timestamptz, dex_name text, pair_address text,
      rugged boolean, snapshot jsonb)
    order by a.address
  ), stored as (
    insert into walltrack.tokens as t (
      address, symbol, name, decimals, safety_score, liquidity_usd, holder_distribution_top_10_percent,
      age_hours, is_mint_authority_revoked, is_freeze_authority_revoked, has_dangerous_extension,
      transfer_fee_bps, liquidity_check_passed, holder_check_passed, contract_check_passed,
      age_check_passed, last_analyzed_at, analysis_source, analysis_snapshot, dex_name, pair_address,
      first_pool_created_at)
    select m.address, m.symbol, m.name, m.decimals, s.safety_score, m.liquidity_usd, m.top10_percent,
           case when m.age_hours is not null then greatest(m.age_hours, 0) end, m.mint_revoked, m.freeze_revoked, m.dangerous_extension,
           m.transfer_fee_bps, s.liquidity_check_passed, s.holder_check_passed, s.contract_check_passed,
           s.age_check_passed, pg_catalog.now(), m.source,
           coalesce(m.snapshot, '{}'::jsonb) || pg_catalog.jsonb_build_object('rugged', coalesce(m.rugged, false)),
           m.dex_name, m.pair_address, m.first_pool_created_at
    from measured m
    cross join lateral walltrack.score_token(
      m.liquidity_usd, m.top10_percent, m.mint_revoked, m.freeze_revoked, m.dangerous_extension,
      m.transfer_fee_bps, m.age_hours, m.rugged) s
    on conflict (address) do update set
      symbol = coalesce(excluded.symbol, t.symbol),
      name = coalesce(excluded.name, t.name),
      decimals = coalesce(excluded.decimals, t.decimals),
      safety_score = excluded.safety_score,
      liquidity_usd = excluded.liquidity_usd,
      holder_distribution_top_10_percent = excluded.holder_distribution_top_10_percent,
      age_hours = excluded.age_hours,
      is_mint_authority_revoked = excluded.is_mint_authority_revoked,
      is_freeze_authority_revoked = excluded.is_freeze_authority_revoked,
      has_dangerous_extension = excluded.has_dangerous_extension,
      transfer_fee_bps = excluded.transfer_fee_bps,
      liquidity_check_passed = excluded.liquidity_check_passed,
      holder_check_passed = excluded.holder_check_passed,
      contract_check_passed = excluded.contract_check_passed,
      age_check_passed = excluded.age_check_passed,
      last_analyzed_at = excluded.last_analyzed_at,
      analysis_source = excluded.analysis_source,
      analysis_snapshot = excluded.analysis_snapshot,
      dex_name = excluded.dex_name,
      pair_address = excluded.pair_address,
      first_pool_created_at = excluded.first_pool_created_at
    returning 1
  )
  select count(*)::integer from stored;
$$;
comment on function walltrack.store_token_analyses(jsonb) is
  'Writes a batch of measured token analyses into the tokens cache (insert or refresh), scoring each with walltrack.score_token; returns how many were stored.';
revoke execute on function walltrack.store_token_analyses(jsonb) from public;

-- The cache's one freshness rule: an analysis counts for token_cache_ttl_minutes. The BUY filter
-- asks at the moment of the decision; what to fetch before a batch asks a minute ahead, so an
-- analysis that would expire while the batch is decided is refreshed first.
create function walltrack.safety_analysis_is_fresh(last_analyzed_at timestamptz, at timestamptz default pg_catalog.now())
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  -- PL/pgSQL keeps this query's plan across the calls of a batch (see 20261205130300).
  return (select coalesce(last_analyzed_at >= at - pg_catalog.make_interval(mins => c.token_cache_ttl_minutes), false)
          from walltrack.config c);
end;
$$;
comment on function walltrack.safety_analysis_is_fresh(timestamptz, timestamptz) is
  'Whether a token safety analysis made at last_analyzed_at still counts at `at` (config.token_cache_ttl_minutes); never analyzed is not fresh.';
revoke execute on function walltrack.safety_analysis_is_fresh(timestamptz, timestamptz) from public;
