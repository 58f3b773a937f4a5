-- walltrack.score_token: four checks, each passing at its config threshold and failing just past it,
-- an unmeasured value counting as failed, and a safety score in 0..1 (two decimals) weighing the
-- checks with the config weights; a rugged token scores 0 whatever its checks.
-- Each case reads (liquidity, holders, contract, age, score).
begin;
create extension if not exists pgtap with schema extensions;
select plan(22);

update walltrack.config set
  min_liquidity_usd = 50000, max_top10_holder_percent = 30, min_token_age_hours = 24, max_transfer_fee_bps = 0,
  safety_weight_liquidity = 0.300, safety_weight_holders = 0.250, safety_weight_contract = 0.300,
  safety_weight_age = 0.150;

-- score_token(liquidity_usd, top10_percent, mint_revoked, freeze_revoked, dangerous_extension,
--             transfer_fee_bps, age_hours, rugged) as text
create function pg_temp.score(liquidity numeric, top10 numeric, mint_revoked boolean, freeze_revoked boolean,
                              dangerous boolean, fee_bps integer, age numeric, rugged boolean)
returns text
language sql stable as $$
  select s::text from walltrack.score_token(liquidity, top10, mint_revoked, freeze_revoked, dangerous, fee_bps,
                                            age, rugged) s
$$;

-- Every check exactly at its threshold passes: 0.300 + 0.250 + 0.300 + 0.150 = 1.00.
select is(pg_temp.score(50000, 30, true, true, false, 0, 24, false), '(t,t,t,t,1.00)',
  'every value at its threshold passes: score 1.00');

-- Just past each threshold fails that check only.
select is(pg_temp.score(49999.99, 30, true, true, false, 0, 24, false), '(f,t,t,t,0.70)',
  'liquidity 49999.99 < 50000 fails: 1 - 0.30 = 0.70');
select is(pg_temp.score(50000, 30.01, true, true, false, 0, 24, false), '(t,f,t,t,0.75)',
  'top-10 holders 30.01 % > 30 % fails: 1 - 0.25 = 0.75');
select is(pg_temp.score(50000, 30, true, true, false, 0, 23.99, false), '(t,t,t,f,0.85)',
  'age 23.99 h < 24 h fails: 1 - 0.15 = 0.85');
select is(pg_temp.score(50000, 30, true, true, false, 1, 24, false), '(t,t,f,t,0.70)',
  'a transfer fee of 1 bps > 0 fails the contract check: 1 - 0.30 = 0.70');
select is(pg_temp.score(50000, 30, false, true, false, 0, 24, false), '(t,t,f,t,0.70)',
  'a live mint authority fails the contract check');
select is(pg_temp.score(50000, 30, true, false, false, 0, 24, false), '(t,t,f,t,0.70)',
  'a live freeze authority fails the contract check');
select is(pg_temp.score(50000, 30, true, true, true, 0, 24, false), '(t,t,f,t,0.70)',
  'a dangerous Token-2022 extension fails the contract check');

-- Unmeasured counts as failed.
select is(pg_temp.score(null, 30, true, true, false, 0, 24, false), '(f,t,t,t,0.70)', 'unmeasured liquidity fails');
select is(pg_temp.score(50000, null, true, true, false, 0, 24, false), '(t,f,t,t,0.75)', 'unmeasured holders fail');
select is(pg_temp.score(50000, 30, null, true, false, 0, 24, false), '(t,t,f,t,0.70)',
  'an unmeasured mint authority fails the contract check');
select is(pg_temp.score(50000, 30, true, true, null, 0, 24, false), '(t,t,f,t,0.70)',
  'an unmeasured extension fails the contract check');
select is(pg_temp.score(50000, 30, true, true, false, null, 24, false), '(t,t,f,t,0.70)',
  'an unmeasured transfer fee fails the contract check');
select is(pg_temp.score(50000, 30, true, true, false, 0, null, false), '(t,t,t,f,0.85)', 'an unmeasured age fails');
select is(pg_temp.score(80000, null, null, null, null, null, 100, null), '(t,f,f,t,0.45)',
  'a DexScreener fallback (liquidity and age only) passes at most those: 0.30 + 0.15 = 0.45');
select is(pg_temp.score(null, null, null, null, null, null, null, null), '(f,f,f,f,0.00)', 'nothing measured scores 0.00');

-- Rugged scores 0 whatever its checks; the checks are still reported.
select is(pg_temp.score(50000, 30, true, true, false, 0, 24, true), '(t,t,t,t,0.00)', 'a rugged token scores 0.00');

-- The weights come from config: liquidity 0.10, holders 0.20, contract 0.30, age 0.40.
update walltrack.config set
  safety_weight_liquidity = 0.100, safety_weight_holders = 0.200, safety_weight_contract = 0.300,
  safety_weight_age = 0.400;
select is(pg_temp.score(80000, null, null, null, null, null, 100, null), '(t,f,f,t,0.50)',
  'with config weights 0.10 / 0.20 / 0.30 / 0.40, liquidity and age give 0.10 + 0.40 = 0.50');
select is(pg_temp.score(80000, 10, null, null, null, null, 1, null), '(t,t,f,f,0.30)',
  'liquidity and holders give 0.10 + 0.20 = 0.30');

-- The score is rounded to two decimals: 0.125 -> 0.13.
update walltrack.config set
  safety_weight_liquidity = 0.125, safety_weight_holders = 0.125, safety_weight_contract = 0.375,
  safety_weight_age = 0.375;
select is(pg_temp.score(80000, null, null, null, null, null, null, null), '(t,f,f,f,0.13)',
  'a weight of 0.125 alone rounds to 0.13');

-- The thresholds come from config.
update walltrack.config set min_liquidity_usd = 80000.01, max_transfer_fee_bps = 100;
select is(pg_temp.score(80000, 30, true, true, false, 100, 24, false), '(f,t,t,t,0.88)',
  'min_liquidity_usd raised to 80000.01 fails 80000; a fee of 100 bps passes a 100 bps maximum: 0.875 -> 0.88');
update walltrack.config set min_token_age_hours = 0, max_top10_holder_percent = 100;
select is(pg_temp.score(80000.01, 100, true, true, false, 101, 0, false), '(t,t,f,t,0.63)',
  'age 0 passes a 0 h minimum, 100 % holders a 100 % maximum, 101 bps fails: 0.125 + 0.125 + 0.375 = 0.625 -> 0.63');

select * from finish();
rollback;
