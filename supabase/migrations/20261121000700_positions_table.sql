-- Adds walltrack.positions, the aggregate root of a trade (entry, current state, realized and
-- unrealized PnL, exits, strategy snapshot, copy quality), its PnL trigger, and the foreign keys
-- that close the signal <-> position and order -> position links.

create table walltrack.positions (
  id uuid primary key default gen_random_uuid(),

  -- Identity
  wallet_id uuid not null constraint fk_positions_wallets references walltrack.wallets (id) on delete cascade,
  token_id uuid not null constraint fk_positions_tokens references walltrack.tokens (id) on delete restrict,
  -- NO ACTION (checked at statement end) lets a wallet's cascade remove signals and positions together,
  -- while a lone position linked to a signal cannot be deleted.
  signal_id uuid constraint fk_positions_signals references walltrack.signals (id),
  mode text not null constraint positions_mode_check check (mode in ('simulation', 'live')),

  -- Entry: null until the entry order fills. Prices are USD per token; amounts in token units.
  entry_price numeric check (entry_price > 0),
  entry_amount numeric check (entry_amount > 0),
  entry_value_usd numeric check (entry_value_usd > 0),
  entry_timestamp timestamptz,
  entry_tx_signature walltrack.solana_signature,

  -- Current state
  current_amount numeric not null default 0 check (current_amount >= 0),
  current_price numeric check (current_price > 0),
  price_updated_at timestamptz,
  exits_reevaluated_at timestamptz,
  peak_price numeric check (peak_price > 0),

  -- PnL (USD): realized from executed exits, unrealized on what remains
  unrealized_pnl_usd numeric not null default 0,
  realized_pnl_usd numeric not null default 0,
  current_pnl_usd numeric not null default 0,

  -- Exit
  exit_price numeric check (exit_price > 0),
  exit_amount numeric not null default 0 check (exit_amount >= 0),
  exit_reason text constraint positions_exit_reason_check check (exit_reason in (
    'stop_loss', 'trailing_stop', 'scaling', 'mirror', 'manual')),
  closed_at timestamptz,

  -- Exit strategy (ADR-002): template, per-position override, and the effective snapshot
  exit_strategy_id uuid not null
    constraint fk_positions_exit_strategies references walltrack.exit_strategies (id) on delete restrict,
  exit_strategy_override jsonb,
  exit_strategy_snapshot jsonb,
  trailing_stop_armed boolean not null default false,
  scaling_levels_fired smallint[] not null default '{}',

  -- Copy quality: how close we followed the leader
  leader_price_usd numeric check (leader_price_usd > 0),
  decision_delay_seconds numeric(12, 3) check (decision_delay_seconds >= 0),
  fill_delay_seconds numeric(12, 3) check (fill_delay_seconds >= 0),
  slippage_vs_leader_percent numeric,

  status text not null default 'open' constraint positions_status_check check (status in ('open', 'closed', 'error')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  constraint positions_entry_is_complete check (
    (entry_price is null and entry_amount is null and entry_value_usd is null and entry_timestamp is null)
    or (entry_price is not null and entry_amount is not null and entry_value_usd is not null
        and entry_timestamp is not null)),
  constraint positions_amounts_balance check (
    entry_amount is null or current_amount <= entry_amount),
  constraint positions_live_entry_has_signature check (
    mode <> 'live' or entry_amount is null or entry_tx_signature is not null),
  constraint positions_closed_is_complete check (
    status <> 'closed' or (closed_at is not null and current_amount = 0 and exit_reason is not null
                           and entry_amount is not null)),
  constraint positions_open_has_no_close check (status = 'closed' or closed_at is null),
  constraint positions_override_is_object check (
    exit_strategy_override is null or jsonb_typeof(exit_strategy_override) = 'object'),
  -- The override's levels obey the strategies' rule (at most 10, known keys only), whoever writes them.
  constraint positions_override_levels_valid check (
    exit_strategy_override is null or not exit_strategy_override ? 'scaling_levels'
    or walltrack.scaling_levels_are_valid(exit_strategy_override -> 'scaling_levels')),
  constraint positions_exit_time_after_entry check (closed_at is null or closed_at >= entry_timestamp)
);

alter table walltrack.signals
  add constraint fk_signals_positions foreign key (position_id) references walltrack.positions (id);
alter table walltrack.orders
  add constraint fk_orders_positions foreign key (position_id) references walltrack.positions (id) on delete cascade;

create index idx_positions_wallet_id on walltrack.positions (wallet_id);
create index idx_positions_token_id on walltrack.positions (token_id);
create index idx_positions_signal_id on walltrack.positions (signal_id);
create index idx_positions_exit_strategy_id on walltrack.positions (exit_strategy_id);
create index idx_positions_status on walltrack.positions (status);
-- The price monitor's working set.
create index idx_positions_open on walltrack.positions (token_id) where status = 'open';
-- One open position per wallet and token: the duplicate rule holds even under concurrent signals.
create unique index uq_positions_open_wallet_token on walltrack.positions (wallet_id, token_id)
  where status = 'open';
-- Recently closed positions (performance windows). The time bound cannot be in the predicate
-- (now() is not immutable); a range scan on closed_at desc does the same work.
create index idx_positions_recent_closed on walltrack.positions (closed_at desc) where status = 'closed';

-- unrealized = current_amount x (current_price - entry_price); current = realized + unrealized;
-- peak_price = the highest price seen since entry (the trailing stop's reference).
create function walltrack.recompute_position_pnl()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.entry_price is not null and new.current_price is not null then
    new.unrealized_pnl_usd := new.current_amount * (new.current_price - new.entry_price);
    new.peak_price := greatest(coalesce(new.peak_price, new.entry_price), new.current_price);
  else
    new.unrealized_pnl_usd := 0;
  end if;
  new.current_pnl_usd := new.realized_pnl_usd + new.unrealized_pnl_usd;
  return new;
end;
$$;
comment on function walltrack.recompute_position_pnl() is
  'Trigger function: recomputes unrealized_pnl_usd, current_pnl_usd and peak_price from the amounts and prices, so PnL is never written by hand.';
revoke execute on function walltrack.recompute_position_pnl() from public;

create trigger positions_recompute_pnl before insert or update on walltrack.positions
  for each row execute function walltrack.recompute_position_pnl();
create trigger positions_set_updated_at before update on walltrack.positions
  for each row execute function walltrack.set_updated_at();

alter table walltrack.positions enable row level security;
revoke all on walltrack.positions from anon, authenticated;
grant select, insert, update, delete on walltrack.positions to service_role;

comment on table walltrack.positions is
  'Aggregate Root: one copy trade from entry through price updates and partial exits to close, with realized/unrealized PnL kept apart, its exit-strategy snapshot (ADR-002) and copy quality. One open position per wallet and token.';
comment on column walltrack.positions.id is 'Primary key.';
comment on column walltrack.positions.wallet_id is 'Wallet copied.';
comment on column walltrack.positions.token_id is 'Token held.';
comment on column walltrack.positions.signal_id is 'BUY signal that opened the position.';
comment on column walltrack.positions.mode is 'simulation or live, the wallet''s mode when the position opened.';
comment on column walltrack.positions.entry_price is 'USD price of one token at which the entry filled.';
comment on column walltrack.positions.entry_amount is 'Tokens bought by the entry (the original amount scale-out percents refer to).';
comment on column walltrack.positions.entry_value_usd is 'USD cost of the entry (entry_amount x entry_price): the cost basis.';
comment on column walltrack.positions.entry_timestamp is 'When the entry filled.';
comment on column walltrack.positions.entry_tx_signature is 'Signature of the entry swap (live only).';
comment on column walltrack.positions.current_amount is 'Tokens still held: entry_amount minus executed exits; 0 when closed.';
comment on column walltrack.positions.current_price is 'Latest observed USD price of the token (price monitor).';
comment on column walltrack.positions.price_updated_at is 'When current_price was observed.';
comment on column walltrack.positions.exits_reevaluated_at is 'When the exit rules were last evaluated without a price change (walltrack.reevaluate_stale_exits, every minute for a position whose price has not moved for 5 minutes); null before the first time.';
comment on column walltrack.positions.peak_price is 'Highest price since entry (trigger): reference of the trailing stop.';
comment on column walltrack.positions.unrealized_pnl_usd is 'PnL of what is still held: current_amount x (current_price - entry_price) (trigger).';
comment on column walltrack.positions.realized_pnl_usd is 'PnL of executed exits: proceeds minus the cost basis of the amounts sold.';
comment on column walltrack.positions.current_pnl_usd is 'realized_pnl_usd + unrealized_pnl_usd (trigger).';
comment on column walltrack.positions.exit_price is 'Amount-weighted average USD price of the executed exits.';
comment on column walltrack.positions.exit_amount is 'Tokens sold by executed exits so far.';
comment on column walltrack.positions.exit_reason is 'Why the position closed (stop_loss, trailing_stop, scaling, mirror, manual): the reason of its last exit.';
comment on column walltrack.positions.closed_at is 'When the last exit filled and nothing remained.';
comment on column walltrack.positions.exit_strategy_id is 'Template the position''s exits come from.';
comment on column walltrack.positions.exit_strategy_override is 'Per-position override merged over the template (ADR-002), e.g. {"stop_loss_percent": 10}.';
comment on column walltrack.positions.exit_strategy_snapshot is 'Effective strategy (template merged with override) frozen when the position opened.';
comment on column walltrack.positions.trailing_stop_armed is 'True once price reached entry x the trailing activation multiplier.';
comment on column walltrack.positions.scaling_levels_fired is 'Scale-out levels (1-based) that already created their exit order; each fires once.';
comment on column walltrack.positions.leader_price_usd is 'USD price the leader paid per token (the signal''s price_usd).';
comment on column walltrack.positions.decision_delay_seconds is 'Seconds from the leader''s block time to our entry decision.';
comment on column walltrack.positions.fill_delay_seconds is 'Seconds from the leader''s block time to our entry fill.';
comment on column walltrack.positions.slippage_vs_leader_percent is '(entry_price - leader_price_usd) / leader_price_usd x 100: what following cost us.';
comment on column walltrack.positions.status is 'open (holding or entry pending), closed (nothing remains), error (the entry never filled).';
comment on column walltrack.positions.created_at is 'When the row was created.';
comment on column walltrack.positions.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.positions cascade; drop function walltrack.recompute_position_pnl();
