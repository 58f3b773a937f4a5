-- Adds walltrack.config, the configuration singleton (one row, never deleted), with the product
-- defaults every other rule reads: trading, sizing, risk, circuit breaker, safety and Helius.

create table walltrack.config (
  id uuid primary key default gen_random_uuid(),

  -- Trading
  capital_usd numeric(20, 2) not null default 10000 check (capital_usd > 0),
  risk_per_trade_percent numeric(5, 2) not null default 5
    check (risk_per_trade_percent > 0 and risk_per_trade_percent <= 100),
  position_sizing_mode text not null default 'fixed_percent'
    constraint config_position_sizing_mode_check check (position_sizing_mode in ('fixed_percent', 'follow_leader')),
  leader_size_fraction numeric(6, 4) not null default 0.10
    check (leader_size_fraction > 0 and leader_size_fraction <= 1),
  min_position_size_usd numeric(20, 2) not null default 10 check (min_position_size_usd >= 0),
  max_position_size_usd numeric(20, 2) not null default 1000 check (max_position_size_usd > 0),
  max_open_positions integer not null default 10 check (max_open_positions > 0),
  max_total_exposure_usd numeric(20, 2) not null default 5000 check (max_total_exposure_usd > 0),
  reentry_cooldown_minutes integer not null default 60 check (reentry_cooldown_minutes >= 0),
  max_signal_age_seconds integer not null default 300 check (max_signal_age_seconds > 0),
  simulation_slippage_percent numeric(5, 2) not null default 1.00
    check (simulation_slippage_percent >= 0 and simulation_slippage_percent < 100),
  default_slippage_percent numeric(5, 2) not null default 3.00
    check (default_slippage_percent > 0 and default_slippage_percent < 100),
  priority_fee_lamports bigint not null default 10000 check (priority_fee_lamports >= 0),
  order_max_retries integer not null default 3 check (order_max_retries >= 0),
  live_trading_enabled boolean not null default false,

  -- Risk: the circuit breaker (ADR-004). Stop loss and trailing stop live in the exit strategies.
  max_drawdown_percent numeric(5, 2) not null default 15
    check (max_drawdown_percent > 0 and max_drawdown_percent <= 100),
  min_win_rate_percent numeric(5, 2) not null default 40
    check (min_win_rate_percent >= 0 and min_win_rate_percent <= 100),
  win_rate_lookback_positions integer not null default 20 check (win_rate_lookback_positions > 0),
  win_rate_min_sample integer not null default 10 check (win_rate_min_sample > 0),
  max_consecutive_losses integer not null default 5 check (max_consecutive_losses > 0),
  daily_loss_limit_usd numeric(20, 2) not null default 500 check (daily_loss_limit_usd > 0),
  circuit_breaker_unlock_minutes integer not null default 720 check (circuit_breaker_unlock_minutes >= 0),

  -- Token safety
  safety_score_threshold numeric(3, 2) not null default 0.60
    check (safety_score_threshold >= 0 and safety_score_threshold <= 1),
  min_liquidity_usd numeric(20, 2) not null default 50000 check (min_liquidity_usd >= 0),
  max_top10_holder_percent numeric(5, 2) not null default 30
    check (max_top10_holder_percent > 0 and max_top10_holder_percent <= 100),
  min_token_age_hours numeric(10, 2) not null default 24 check (min_token_age_hours >= 0),
  max_transfer_fee_bps integer not null default 0 check (max_transfer_fee_bps between 0 and 10000),
  safety_weight_liquidity numeric(4, 3) not null default 0.300 check (safety_weight_liquidity between 0 and 1),
  safety_weight_holders numeric(4, 3) not null default 0.250 check (safety_weight_holders between 0 and 1),
  safety_weight_contract numeric(4, 3) not null default 0.300 check (safety_weight_contract between 0 and 1),
  safety_weight_age numeric(4, 3) not null default 0.150 check (safety_weight_age between 0 and 1),
  token_cache_ttl_minutes integer not null default 60 check (token_cache_ttl_minutes > 0),

  -- Helius global webhook (ADR-001); its secret lives in the environment, never here
  helius_webhook_id text,
  helius_webhook_url text,
  helius_last_sync_at timestamptz,

  -- System status
  circuit_breaker_active boolean not null default false,
  circuit_breaker_activated_at timestamptz,
  webhook_last_signal_at timestamptz,
  sol_usd_price numeric check (sol_usd_price > 0),
  sol_usd_price_at timestamptz,

  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  constraint config_position_size_bounds check (min_position_size_usd <= max_position_size_usd),
  constraint config_safety_weights_sum_to_one check (
    safety_weight_liquidity + safety_weight_holders + safety_weight_contract + safety_weight_age = 1
  ),
  constraint config_win_rate_sample_within_lookback check (win_rate_min_sample <= win_rate_lookback_positions),
  constraint config_breaker_active_has_time check (not circuit_breaker_active or circuit_breaker_activated_at is not null)
);

-- The index makes the singleton hold under concurrent inserts; the trigger gives the clear message.
create unique index uq_config_singleton on walltrack.config ((true));

create function walltrack.enforce_config_singleton()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if exists (select 1 from walltrack.config) then
      raise exception 'config already exists: walltrack.config is a singleton; update the existing row'
        using errcode = 'unique_violation';
    end if;
    return new;
  end if;
  raise exception 'config cannot be deleted: walltrack.config is a singleton; update the existing row instead'
    using errcode = 'restrict_violation';
end;
$$;
comment on function walltrack.enforce_config_singleton() is
  'Trigger function: refuses a second config row and any DELETE or TRUNCATE of the singleton.';
revoke execute on function walltrack.enforce_config_singleton() from public;

create trigger config_singleton_insert before insert on walltrack.config
  for each row execute function walltrack.enforce_config_singleton();
create trigger config_singleton_delete before delete on walltrack.config
  for each row execute function walltrack.enforce_config_singleton();
create trigger config_singleton_truncate before truncate on walltrack.config
  for each statement execute function walltrack.enforce_config_singleton();
create trigger config_set_updated_at before update on walltrack.config
  for each row execute function walltrack.set_updated_at();

alter table walltrack.config enable row level security;
revoke all on walltrack.config from anon, authenticated, service_role;
grant select, insert, update on walltrack.config to service_role;

-- The product defaults: every column default above.
insert into walltrack.config default values;

comment on table walltrack.config is
  'Configuration Singleton: exactly one row of global settings (trading, sizing, risk, circuit breaker, token safety, Helius webhook, system status). A second row or a DELETE is refused.';
comment on column walltrack.config.id is 'Primary key of the single config row.';
comment on column walltrack.config.capital_usd is 'Trading capital in USD; base of fixed-percent sizing and of equity for the drawdown breaker.';
comment on column walltrack.config.risk_per_trade_percent is 'Percent of capital committed to one position in fixed_percent sizing (default 5).';
comment on column walltrack.config.position_sizing_mode is 'fixed_percent: capital x risk_per_trade_percent; follow_leader: leader''s USD size x leader_size_fraction, capped by max_position_size_usd.';
comment on column walltrack.config.leader_size_fraction is 'Fraction of the leader''s trade size copied in follow_leader sizing (0-1].';
comment on column walltrack.config.min_position_size_usd is 'Smallest position worth opening (USD); smaller sized entries are filtered.';
comment on column walltrack.config.max_position_size_usd is 'Cap on one position''s size in USD, whatever the sizing mode.';
comment on column walltrack.config.max_open_positions is 'Exposure limit: open positions at most; a signal beyond it is filtered exposure_limit.';
comment on column walltrack.config.max_total_exposure_usd is 'Exposure limit: total USD entry value of open positions at most.';
comment on column walltrack.config.reentry_cooldown_minutes is 'Minutes after a position in a token closes before the same token may be entered again (filter cooldown).';
comment on column walltrack.config.max_signal_age_seconds is
  'A BUY whose leader transaction is older than this many seconds when processed is filtered stale_signal: copying late is copying blind.';
comment on column walltrack.config.simulation_slippage_percent is 'Slippage model of simulation: fills move this percent against us from the observed price.';
comment on column walltrack.config.default_slippage_percent is 'Slippage tolerance requested on new orders (Jupiter slippageBps = this x 100).';
comment on column walltrack.config.priority_fee_lamports is 'Priority fee in lamports passed to Jupiter /swap for live orders.';
comment on column walltrack.config.order_max_retries is 'max_retries given to new orders: attempts after which an order is failed.';
comment on column walltrack.config.live_trading_enabled is 'Global live switch (ADR-008): live orders run only when this and the wallet''s live mode are both on and a signing key is in the environment.';
comment on column walltrack.config.max_drawdown_percent is 'Circuit breaker: drawdown of equity (capital + realized PnL) from its peak that activates it (default 15).';
comment on column walltrack.config.min_win_rate_percent is 'Circuit breaker: win rate over the last win_rate_lookback_positions closed positions below which it activates.';
comment on column walltrack.config.win_rate_lookback_positions is 'Circuit breaker: how many most recent closed positions the win rate is measured over.';
comment on column walltrack.config.win_rate_min_sample is 'Circuit breaker: closed positions needed before the win-rate trigger may fire.';
comment on column walltrack.config.max_consecutive_losses is 'Circuit breaker: consecutive losing closes that activate it.';
comment on column walltrack.config.daily_loss_limit_usd is 'Circuit breaker: realized loss in USD within the current UTC day that activates it.';
comment on column walltrack.config.circuit_breaker_unlock_minutes is 'Minutes after activation when the breaker unlocks by itself (0: manual reset only); not the re-entry cooldown (reentry_cooldown_minutes).';
comment on column walltrack.config.safety_score_threshold is 'Token safety score (0-1) below which a BUY is filtered safety_check_failed (default 0.60).';
comment on column walltrack.config.min_liquidity_usd is 'Liquidity check: USD liquidity of the deepest non-curve pool at least this.';
comment on column walltrack.config.max_top10_holder_percent is 'Holder check: top-10 holders (pools and lockers excluded) hold at most this percent of supply.';
comment on column walltrack.config.min_token_age_hours is 'Age check: hours since the first pool at least this.';
comment on column walltrack.config.max_transfer_fee_bps is 'Contract check: Token-2022 transfer fee in basis points at most this.';
comment on column walltrack.config.safety_weight_liquidity is 'Weight of the liquidity check in the safety score; the four weights sum to 1.';
comment on column walltrack.config.safety_weight_holders is 'Weight of the holder-concentration check in the safety score.';
comment on column walltrack.config.safety_weight_contract is 'Weight of the contract check (authorities revoked, no dangerous extension, fee) in the safety score.';
comment on column walltrack.config.safety_weight_age is 'Weight of the token-age check in the safety score.';
comment on column walltrack.config.token_cache_ttl_minutes is 'Read-through cache TTL of a token safety analysis (default 60 minutes).';
comment on column walltrack.config.helius_webhook_id is 'ID of the one global Helius webhook (ADR-001); null until created.';
comment on column walltrack.config.helius_webhook_url is 'URL the global Helius webhook posts to (the helius-webhook edge function).';
comment on column walltrack.config.helius_last_sync_at is 'When the webhook''s accountAddresses were last synced with the active wallets.';
comment on column walltrack.config.circuit_breaker_active is 'True while the simulation or the live circuit breaker is active (kept in step by the breaker''s functions). Which entries are blocked follows each mode''s open activation in circuit_breaker_events (open positions keep their exits).';
comment on column walltrack.config.circuit_breaker_activated_at is 'When the active circuit breaker was activated; null when inactive.';
comment on column walltrack.config.webhook_last_signal_at is 'When the Helius webhook last delivered a batch; a stale value means no signals arrive.';
comment on column walltrack.config.sol_usd_price is 'Latest SOL/USD price observed (signal processing, price monitor): converts SOL amounts of fills to USD.';
comment on column walltrack.config.sol_usd_price_at is 'When sol_usd_price was observed.';
comment on column walltrack.config.created_at is 'When the row was created.';
comment on column walltrack.config.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.config cascade; drop function walltrack.enforce_config_singleton();
