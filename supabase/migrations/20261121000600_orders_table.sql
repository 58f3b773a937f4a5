-- Adds walltrack.orders, the command log of swap orders (entries and exits, simulation and live)
-- with retry bookkeeping, execution details and the execution_duration_ms trigger.

create table walltrack.orders (
  id uuid primary key default gen_random_uuid(),

  -- Identity (position_id's foreign key is added with walltrack.positions)
  wallet_id uuid not null constraint fk_orders_wallets references walltrack.wallets (id) on delete cascade,
  token_id uuid not null constraint fk_orders_tokens references walltrack.tokens (id) on delete restrict,
  position_id uuid,
  signal_id uuid constraint fk_orders_signals references walltrack.signals (id),

  order_type text not null constraint orders_order_type_check check (order_type in (
    'entry', 'exit_stop_loss', 'exit_trailing_stop', 'exit_scaling', 'exit_mirror', 'exit_manual')),
  mode text not null constraint orders_mode_check check (mode in ('simulation', 'live')),

  -- Swap details, exact, in token units
  token_in walltrack.solana_address not null,
  token_out walltrack.solana_address not null,
  amount_in numeric not null check (amount_in > 0),
  amount_out_expected numeric check (amount_out_expected > 0),
  -- 0 only for an exit whose proceeds round to nothing (a worthless token, error_code zero_proceeds).
  amount_out numeric constraint orders_amount_out_check check (amount_out > 0 or (amount_out = 0 and order_type <> 'entry')),
  price_usd numeric check (price_usd > 0),
  value_usd numeric check (value_usd >= 0),

  -- Slippage
  slippage_requested_percent numeric(5, 2) not null default 3.00
    check (slippage_requested_percent > 0 and slippage_requested_percent < 100),
  slippage_actual_percent numeric,

  status text not null default 'pending' constraint orders_status_check check (status in (
    'pending', 'submitted', 'executed', 'failed', 'cancelled')),

  -- Execution (live only)
  jupiter_quote_id text,
  jupiter_route jsonb,
  tx_signature walltrack.solana_signature constraint uq_orders_tx_signature unique,
  block_number bigint check (block_number >= 0),
  priority_fee_lamports bigint check (priority_fee_lamports >= 0),

  -- Timing
  requested_at timestamptz not null default now(),
  submitted_at timestamptz,
  executed_at timestamptz,
  execution_duration_ms integer check (execution_duration_ms >= 0),

  -- Retry
  retry_count integer not null default 0 check (retry_count >= 0),
  max_retries integer not null default 3 check (max_retries >= 0),
  next_retry_at timestamptz,
  error_code text,
  error_message text,

  -- Scaling context
  scaling_level smallint check (scaling_level >= 1),
  scaling_percent numeric(5, 2) check (scaling_percent > 0 and scaling_percent <= 100),

  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  constraint orders_token_in_differs_from_out check (token_in <> token_out),
  constraint orders_retries_within_max check (retry_count <= max_retries),
  constraint orders_executed_has_fill check (
    status <> 'executed' or (executed_at is not null and amount_out is not null and price_usd is not null)),
  constraint orders_live_executed_has_signature check (
    not (mode = 'live' and status = 'executed') or tx_signature is not null),
  constraint orders_failed_has_error check (status <> 'failed' or error_message is not null),
  constraint orders_scaling_context check (
    (order_type = 'exit_scaling') = (scaling_level is not null and scaling_percent is not null)),
  constraint orders_entry_has_signal check (order_type <> 'entry' or signal_id is not null),
  constraint orders_timing_ordered check (
    (submitted_at is null or submitted_at >= requested_at)
    and (executed_at is null or executed_at >= requested_at))
);

create index idx_orders_wallet_id on walltrack.orders (wallet_id);
create index idx_orders_token_id on walltrack.orders (token_id);
create index idx_orders_position_id on walltrack.orders (position_id);
create index idx_orders_signal_id on walltrack.orders (signal_id);
create index idx_orders_status on walltrack.orders (status);
create index idx_orders_created_at on walltrack.orders (created_at);
-- The executor's queue: pending orders that still have attempts left, oldest retry first.
create index idx_orders_pending_retry on walltrack.orders (next_retry_at nulls first, requested_at)
  where status = 'pending' and retry_count < max_retries;
-- Same reasoning as idx_signals_recent: now() cannot appear in an index predicate, so a
-- (wallet_id, created_at desc) btree serves the "recent orders" windows instead.
create index idx_orders_recent on walltrack.orders (wallet_id, created_at desc);

-- Milliseconds from the request to the fill, for every executed order (simulation and live).
create function walltrack.set_order_execution_duration()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.executed_at is not null then
    new.execution_duration_ms := greatest(
      0, pg_catalog.round(extract(epoch from (new.executed_at - new.requested_at)) * 1000)::integer);
  else
    new.execution_duration_ms := null;
  end if;
  return new;
end;
$$;
comment on function walltrack.set_order_execution_duration() is
  'Trigger function: execution_duration_ms = executed_at - requested_at in milliseconds (null until executed); never written by hand.';
revoke execute on function walltrack.set_order_execution_duration() from public;

create trigger orders_set_execution_duration before insert or update on walltrack.orders
  for each row execute function walltrack.set_order_execution_duration();
create trigger orders_set_updated_at before update on walltrack.orders
  for each row execute function walltrack.set_updated_at();

alter table walltrack.orders enable row level security;
revoke all on walltrack.orders from anon, authenticated;
grant select, insert, update, delete on walltrack.orders to service_role;

comment on table walltrack.orders is
  'Command Log: every swap order (entry and exits, simulation and live) with its retries, execution details, slippage and timing. A position has one entry order and any number of exit orders.';
comment on column walltrack.orders.id is 'Primary key.';
comment on column walltrack.orders.wallet_id is 'Wallet whose signal or position the order serves.';
comment on column walltrack.orders.token_id is 'Token bought or sold.';
comment on column walltrack.orders.position_id is 'Position the order opens or reduces.';
comment on column walltrack.orders.signal_id is 'Signal that caused the order (entries and mirror exits); null for price-driven and manual exits.';
comment on column walltrack.orders.order_type is 'entry, exit_stop_loss, exit_trailing_stop, exit_scaling, exit_mirror or exit_manual.';
comment on column walltrack.orders.mode is 'simulation (filled at the observed price with the slippage model) or live (Jupiter swap signed and sent).';
comment on column walltrack.orders.token_in is 'Mint spent by the swap (SOL for an entry, the token for an exit).';
comment on column walltrack.orders.token_out is 'Mint received by the swap.';
comment on column walltrack.orders.amount_in is 'Exact amount of token_in to spend, in token units.';
comment on column walltrack.orders.amount_out_expected is 'Amount of token_out expected from the quote or the observed price.';
comment on column walltrack.orders.amount_out is 'Amount of token_out actually received (null until executed; 0 only for an exit whose proceeds round to nothing, error_code zero_proceeds).';
comment on column walltrack.orders.price_usd is 'USD price of one token at which the order filled (null until executed).';
comment on column walltrack.orders.value_usd is 'USD value of the order: the intended size while pending, amount x price_usd once executed.';
comment on column walltrack.orders.slippage_requested_percent is 'Slippage tolerance requested (default 3%).';
comment on column walltrack.orders.slippage_actual_percent is 'Slippage measured: (expected - actual) / expected x 100; negative means better than expected.';
comment on column walltrack.orders.status is 'pending -> submitted -> executed | failed | cancelled.';
comment on column walltrack.orders.jupiter_quote_id is 'Identifier of the Jupiter quote used (live).';
comment on column walltrack.orders.jupiter_route is 'Route plan of the Jupiter quote (live), for forensics.';
comment on column walltrack.orders.tx_signature is 'Signature of the sent transaction (live); unique, the on-chain idempotency key.';
comment on column walltrack.orders.block_number is 'Slot in which the transaction was confirmed (live).';
comment on column walltrack.orders.priority_fee_lamports is 'Priority fee paid, in lamports (live).';
comment on column walltrack.orders.requested_at is 'When the order was created.';
comment on column walltrack.orders.submitted_at is 'When the order was handed to the executor (claimed) or sent on-chain.';
comment on column walltrack.orders.executed_at is 'When the fill was confirmed.';
comment on column walltrack.orders.execution_duration_ms is 'executed_at - requested_at in milliseconds (trigger).';
comment on column walltrack.orders.retry_count is 'Attempts that failed so far.';
comment on column walltrack.orders.max_retries is 'Attempts after which the order is failed (default 3).';
comment on column walltrack.orders.next_retry_at is 'Earliest time of the next attempt (backoff); null means now.';
comment on column walltrack.orders.error_code is 'Machine-readable code of the last failure (no_route, rate_limited, timeout, ...).';
comment on column walltrack.orders.error_message is 'Human-readable message of the last failure.';
comment on column walltrack.orders.scaling_level is 'Scale-out level (1-based) an exit_scaling order sells.';
comment on column walltrack.orders.scaling_percent is 'Percent of the original amount an exit_scaling order sells.';
comment on column walltrack.orders.created_at is 'When the row was created.';
comment on column walltrack.orders.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.orders cascade; drop function walltrack.set_order_execution_duration();
