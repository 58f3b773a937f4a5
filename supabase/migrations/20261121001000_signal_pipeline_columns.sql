-- Adds what the signal pipeline needs beyond seed 000: a maximum signal age (a stale signal is not
-- copied), the token's decimals on the signal, and USD pricing written at processing time (SOL/USD
-- is fetched after the webhook has answered, so it is part of the outcome, not of the facts).

alter table walltrack.config
  add column max_signal_age_seconds integer not null default 300 check (max_signal_age_seconds > 0);
comment on column walltrack.config.max_signal_age_seconds is
  'A BUY whose leader transaction is older than this many seconds when processed is filtered stale_signal: copying late is copying blind.';

alter table walltrack.config
  add column sol_usd_price numeric check (sol_usd_price > 0),
  add column sol_usd_price_at timestamptz;
comment on column walltrack.config.sol_usd_price is 'Latest SOL/USD price observed (signal processing, price monitor): converts SOL amounts of fills to USD.';
comment on column walltrack.config.sol_usd_price_at is 'When sol_usd_price was observed.';

alter table walltrack.signals
  add column token_decimals smallint check (token_decimals between 0 and 18);
comment on column walltrack.signals.token_decimals is 'Decimals of the traded token, from the leader''s balance changes.';

alter table walltrack.signals drop constraint signals_filter_reason_check;
alter table walltrack.signals add constraint signals_filter_reason_check check (filter_reason in (
  'wallet_inactive', 'stale_signal', 'safety_check_failed', 'safety_check_unavailable', 'circuit_breaker',
  'duplicate', 'cooldown', 'exposure_limit', 'position_too_small', 'no_open_position', 'mirror_exit_disabled'));
comment on column walltrack.signals.filter_reason is 'Why the signal was not acted on: wallet_inactive, stale_signal, safety_check_failed, safety_check_unavailable, circuit_breaker, duplicate, cooldown, exposure_limit, position_too_small, no_open_position, mirror_exit_disabled.';
comment on column walltrack.signals.price_usd is 'Price of one token in USD: direct for a stable quote (set when recorded), price x sol_usd_price otherwise (set when processed).';
comment on column walltrack.signals.sol_usd_price is 'SOL/USD price used for price_usd, set when processed (null for a stable quote).';
comment on column walltrack.signals.price_source is 'Where the USD price came from: stable (USDC/USDT quote), jupiter or dexscreener (SOL/USD).';

create or replace function walltrack.protect_signal_facts()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  outcome constant text[] := array['token_id', 'filtered', 'filter_reason', 'position_created', 'position_id',
                                   'processed_at', 'processing_duration_ms', 'price_usd', 'sol_usd_price',
                                   'price_source', 'updated_at'];
begin
  if (pg_catalog.to_jsonb(new) - outcome) is distinct from (pg_catalog.to_jsonb(old) - outcome) then
    raise exception 'signal % is immutable: only its processing outcome may be written', old.id
      using errcode = 'integrity_constraint_violation',
            hint = 'signals are an append-only audit trail; record a new signal instead';
  end if;
  if old.processed_at is not null
     and (pg_catalog.to_jsonb(new) - 'updated_at') is distinct from (pg_catalog.to_jsonb(old) - 'updated_at') then
    raise exception 'signal % was already processed at %: its outcome is written once', old.id, old.processed_at
      using errcode = 'integrity_constraint_violation';
  end if;
  if old.price_usd is not null and new.price_usd is distinct from old.price_usd then
    raise exception 'signal %: price_usd was already set', old.id using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;

comment on column walltrack.orders.value_usd is 'USD value of the order: the intended size while pending, amount x price_usd once executed.';

-- Rollback:
-- alter table walltrack.config drop column max_signal_age_seconds;
-- alter table walltrack.signals drop column token_decimals;
