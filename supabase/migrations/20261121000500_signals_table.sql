-- Adds walltrack.signals, the append-only log of BUY/SELL signals classified from Helius
-- webhook transactions; its facts are immutable and its processing outcome is written once.

create table walltrack.signals (
  id uuid primary key default gen_random_uuid(),

  -- Identity (facts)
  wallet_id uuid not null constraint fk_signals_wallets references walltrack.wallets (id) on delete cascade,
  token_address walltrack.solana_address not null,
  transaction_signature walltrack.solana_signature not null,
  signal_type text not null constraint signals_signal_type_check check (signal_type in ('BUY', 'SELL')),

  -- Transaction details (facts, exact): what the leader gave and got
  token_in walltrack.solana_address not null,
  token_out walltrack.solana_address not null,
  amount_in numeric not null check (amount_in > 0),
  amount_out numeric not null check (amount_out > 0),
  price numeric check (price > 0),
  price_all_in numeric check (price_all_in > 0),
  price_usd numeric check (price_usd > 0),
  sol_usd_price numeric check (sol_usd_price > 0),
  price_source text,
  token_decimals smallint check (token_decimals between 0 and 18),
  slot bigint check (slot >= 0),
  leader_block_time timestamptz,

  -- Webhook metadata (facts)
  webhook_received_at timestamptz not null default now(),
  raw_payload jsonb not null,

  -- Processing outcome (written once)
  token_id uuid constraint fk_signals_tokens references walltrack.tokens (id) on delete set null,
  filtered boolean not null default false,
  filter_reason text constraint signals_filter_reason_check check (filter_reason in (
    'wallet_inactive', 'stale_signal', 'safety_check_failed', 'safety_check_unavailable', 'circuit_breaker',
    'duplicate', 'cooldown', 'exposure_limit', 'position_too_small', 'no_open_position',
    'mirror_exit_disabled', 'processing_error')),
  position_created boolean not null default false,
  position_id uuid,
  processed_at timestamptz,
  processing_duration_ms integer check (processing_duration_ms >= 0),

  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  -- One signal per (transaction, watched wallet): a transaction that touches two watched wallets
  -- yields one signal for each; a redelivery of the same transaction yields none.
  constraint uq_signals_transaction_signature_wallet_id unique (transaction_signature, wallet_id),
  constraint signals_token_in_differs_from_out check (token_in <> token_out),
  constraint signals_token_is_traded check (
    (signal_type = 'BUY' and token_out = token_address) or (signal_type = 'SELL' and token_in = token_address)),
  constraint signals_filtered_has_reason check (filtered = (filter_reason is not null)),
  constraint signals_filtered_or_created check (not (filtered and position_created)),
  constraint signals_created_has_position check (not position_created or position_id is not null),
  constraint signals_outcome_needs_processing check (
    processed_at is not null or (not filtered and not position_created and position_id is null))
);

create index idx_signals_wallet_id on walltrack.signals (wallet_id);
create index idx_signals_token_address on walltrack.signals (token_address);
create index idx_signals_token_id on walltrack.signals (token_id);
create index idx_signals_position_id on walltrack.signals (position_id);
create index idx_signals_created_at on walltrack.signals (created_at);
create index idx_signals_filtered on walltrack.signals (filtered);
-- The processing queue: signals recorded but never processed (the sweeper's crash safety).
create index idx_signals_unprocessed on walltrack.signals (webhook_received_at) where processed_at is null;
-- Seed 000 asks for a partial "last 90 days" index, but Postgres refuses now() in an index
-- predicate (it must be immutable), and a fixed date would go stale. A (wallet_id, created_at desc)
-- btree serves every recent-window query (the 24h/7d/30d counts) as an index range scan instead.
create index idx_signals_recent on walltrack.signals (wallet_id, created_at desc);

create function walltrack.protect_signal_facts()
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
comment on function walltrack.protect_signal_facts() is
  'Trigger function: a signal''s facts never change, and its processing outcome (filter, position link, timings, USD pricing) is written once.';
revoke execute on function walltrack.protect_signal_facts() from public;

create trigger signals_protect_facts before update on walltrack.signals
  for each row execute function walltrack.protect_signal_facts();
create trigger signals_set_updated_at before update on walltrack.signals
  for each row execute function walltrack.set_updated_at();

alter table walltrack.signals enable row level security;
revoke all on walltrack.signals from anon, authenticated;
grant select, insert, update, delete on walltrack.signals to service_role;

comment on table walltrack.signals is
  'Event Sourcing: append-only audit trail of BUY/SELL signals classified from Helius webhook transactions, one per (transaction, watched wallet). Facts are immutable; the processing outcome is written once.';
comment on column walltrack.signals.id is 'Primary key.';
comment on column walltrack.signals.wallet_id is 'Watched wallet whose own balance deltas made the signal.';
comment on column walltrack.signals.token_address is 'Mint of the token bought or sold (not the quote).';
comment on column walltrack.signals.transaction_signature is 'Solana transaction signature; with wallet_id, the idempotency key of a webhook delivery.';
comment on column walltrack.signals.signal_type is 'BUY: token up, quote (SOL/WSOL/USDC/USDT) down; SELL: the reverse.';
comment on column walltrack.signals.token_in is 'Mint the leader gave (the quote for a BUY, the token for a SELL).';
comment on column walltrack.signals.token_out is 'Mint the leader got (the token for a BUY, the quote for a SELL).';
comment on column walltrack.signals.amount_in is 'Exact amount of token_in given, in token units (raw / 10^decimals).';
comment on column walltrack.signals.amount_out is 'Exact amount of token_out received, in token units.';
comment on column walltrack.signals.price is 'Swap-leg price of one token in the quote (quote amount / token amount), fees excluded.';
comment on column walltrack.signals.price_all_in is 'All-in price of one token in the quote, the network fee and tips the leader paid included.';
comment on column walltrack.signals.price_usd is 'Price of one token in USD: direct for a stable quote (set when recorded), price x sol_usd_price otherwise (set when processed).';
comment on column walltrack.signals.sol_usd_price is 'SOL/USD price used for price_usd, set when processed (null for a stable quote).';
comment on column walltrack.signals.price_source is 'Where the USD price came from: stable (USDC/USDT quote), jupiter or dexscreener (SOL/USD).';
comment on column walltrack.signals.token_decimals is 'Decimals of the traded token, from the leader''s balance changes.';
comment on column walltrack.signals.slot is 'Slot of the leader''s transaction.';
comment on column walltrack.signals.leader_block_time is 'Block time of the leader''s transaction (Helius timestamp): the start of copy latency.';
comment on column walltrack.signals.webhook_received_at is 'When the Helius delivery reached the webhook.';
comment on column walltrack.signals.raw_payload is 'The full enhanced transaction as Helius sent it, for debugging and replay.';
comment on column walltrack.signals.token_id is 'Cached token analysis used by the decision (set at processing).';
comment on column walltrack.signals.filtered is 'True when processing decided not to act; filter_reason says why.';
comment on column walltrack.signals.filter_reason is 'Why the signal was not acted on: wallet_inactive, stale_signal, safety_check_failed, safety_check_unavailable, circuit_breaker, duplicate, cooldown, exposure_limit, position_too_small, no_open_position, mirror_exit_disabled, processing_error (the decision failed; the error is in the server log).';
comment on column walltrack.signals.position_created is 'True when this BUY opened a position (position_id).';
comment on column walltrack.signals.position_id is 'Position opened by this BUY, or exited by this SELL''s mirror order.';
comment on column walltrack.signals.processed_at is 'When processing decided the outcome; null means still in the queue.';
comment on column walltrack.signals.processing_duration_ms is 'Milliseconds from webhook_received_at to processed_at.';
comment on column walltrack.signals.created_at is 'When the row was created.';
comment on column walltrack.signals.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.signals cascade; drop function walltrack.protect_signal_facts();
