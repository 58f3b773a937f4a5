-- Adds walltrack.tokens, the read-through cache of token metadata and safety analysis
-- (RugCheck first, DexScreener fallback, TTL config.token_cache_ttl_minutes).

create table walltrack.tokens (
  id uuid primary key default gen_random_uuid(),
  address walltrack.solana_address not null,
  symbol text,
  name text,
  decimals smallint check (decimals between 0 and 18),

  -- Safety score and the values each check measured
  safety_score numeric(3, 2) check (safety_score between 0 and 1),
  liquidity_usd numeric(24, 2) check (liquidity_usd >= 0),
  holder_distribution_top_10_percent numeric(5, 2) check (holder_distribution_top_10_percent between 0 and 100),
  age_hours numeric(12, 2) check (age_hours >= 0),
  is_mint_authority_revoked boolean,
  is_freeze_authority_revoked boolean,
  has_dangerous_extension boolean,
  transfer_fee_bps integer check (transfer_fee_bps between 0 and 10000),

  -- Individual checks
  liquidity_check_passed boolean,
  holder_check_passed boolean,
  contract_check_passed boolean,
  age_check_passed boolean,

  -- Cache metadata
  last_analyzed_at timestamptz,
  analysis_source text constraint tokens_analysis_source_check check (analysis_source in ('rugcheck', 'dexscreener')),
  analysis_snapshot jsonb,

  -- DEX info
  dex_name text,
  pair_address walltrack.solana_address,
  first_pool_created_at timestamptz,

  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tokens_analysis_is_complete check (
    (last_analyzed_at is null and safety_score is null and analysis_source is null)
    or (last_analyzed_at is not null and safety_score is not null and analysis_source is not null)
  )
);

create unique index idx_tokens_address on walltrack.tokens (address);
create index idx_tokens_last_analyzed_at on walltrack.tokens (last_analyzed_at);

create trigger tokens_set_updated_at before update on walltrack.tokens
  for each row execute function walltrack.set_updated_at();

alter table walltrack.tokens enable row level security;
revoke all on walltrack.tokens from anon, authenticated;
grant select, insert, update, delete on walltrack.tokens to service_role;

comment on table walltrack.tokens is
  'Read-Through Cache: token metadata and safety analysis, fetched on a miss or when older than the TTL (RugCheck first, DexScreener fallback); every check is kept with its measured value for forensics.';
comment on column walltrack.tokens.id is 'Primary key.';
comment on column walltrack.tokens.address is 'Mint address of the token (base58, unique).';
comment on column walltrack.tokens.symbol is 'Ticker symbol, as the analysis source reports it.';
comment on column walltrack.tokens.name is 'Token name, as the analysis source reports it.';
comment on column walltrack.tokens.decimals is 'Decimals of the mint; raw amounts divided by 10^decimals give token units.';
comment on column walltrack.tokens.safety_score is 'Weighted safety score 0.00-1.00 (weights in config); below config.safety_score_threshold a BUY is filtered.';
comment on column walltrack.tokens.liquidity_usd is 'USD liquidity of the deepest non-curve pool.';
comment on column walltrack.tokens.holder_distribution_top_10_percent is 'Percent of supply held by the top-10 holders, pool and locker accounts excluded.';
comment on column walltrack.tokens.age_hours is 'Hours since the token''s first pool was created, at analysis time.';
comment on column walltrack.tokens.is_mint_authority_revoked is 'True when nobody can mint more of the token.';
comment on column walltrack.tokens.is_freeze_authority_revoked is 'True when nobody can freeze holders'' accounts.';
comment on column walltrack.tokens.has_dangerous_extension is 'True when the Token-2022 mint has an extension that can trap holders (permanent delegate, non-transferable, transfer hook, ...).';
comment on column walltrack.tokens.transfer_fee_bps is 'Token-2022 transfer fee in basis points (0 when none).';
comment on column walltrack.tokens.liquidity_check_passed is 'liquidity_usd >= config.min_liquidity_usd.';
comment on column walltrack.tokens.holder_check_passed is 'holder_distribution_top_10_percent <= config.max_top10_holder_percent.';
comment on column walltrack.tokens.contract_check_passed is 'Mint and freeze authority revoked, no dangerous extension, transfer fee <= config.max_transfer_fee_bps.';
comment on column walltrack.tokens.age_check_passed is 'age_hours >= config.min_token_age_hours.';
comment on column walltrack.tokens.last_analyzed_at is 'When the safety analysis was fetched; older than the TTL means re-analyze on the next signal.';
comment on column walltrack.tokens.analysis_source is 'Which API answered the analysis: rugcheck or dexscreener (fallback).';
comment on column walltrack.tokens.analysis_snapshot is 'The inputs the score was computed from, as fetched (for forensics of a trade decision).';
comment on column walltrack.tokens.dex_name is 'DEX of the deepest pool (raydium, meteora, orca, pumpswap, ...).';
comment on column walltrack.tokens.pair_address is 'Address of the deepest pool.';
comment on column walltrack.tokens.first_pool_created_at is 'When the first pool of the token was created (source of age_hours).';
comment on column walltrack.tokens.created_at is 'When the row was created.';
comment on column walltrack.tokens.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.tokens cascade;
