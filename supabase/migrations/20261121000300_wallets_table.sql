-- Adds walltrack.wallets, the watchlist of smart-money wallets: mode, exit strategy, discovery
-- context, baseline performance and the Helius address-sync state.

create table walltrack.wallets (
  id uuid primary key default gen_random_uuid(),
  address walltrack.solana_address not null,
  label text,
  mode text not null default 'simulation' constraint wallets_mode_check check (mode in ('simulation', 'live')),
  exit_strategy_id uuid not null
    constraint fk_wallets_exit_strategies references walltrack.exit_strategies (id) on delete restrict,
  discovery_source text not null default 'manual'
    constraint wallets_discovery_source_check check (discovery_source in ('twitter', 'telegram', 'scanner', 'manual')),
  discovery_date timestamptz not null default now(),
  discovery_notes text,
  initial_win_rate_percent numeric(5, 2) check (initial_win_rate_percent between 0 and 100),
  initial_trades_observed integer check (initial_trades_observed >= 0),
  helius_sync_status text not null default 'pending'
    constraint wallets_helius_sync_status_check check (helius_sync_status in ('pending', 'synced', 'error')),
  helius_synced_at timestamptz,
  helius_sync_error text,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint wallets_sync_error_has_message check (helius_sync_status <> 'error' or helius_sync_error is not null)
);

create unique index idx_wallets_address on walltrack.wallets (address);
create index idx_wallets_mode on walltrack.wallets (mode);
create index idx_wallets_is_active on walltrack.wallets (is_active);
create index idx_wallets_exit_strategy_id on walltrack.wallets (exit_strategy_id);
create index idx_wallets_helius_sync_pending on walltrack.wallets (id) where helius_sync_status = 'pending';

create trigger wallets_set_updated_at before update on walltrack.wallets
  for each row execute function walltrack.set_updated_at();

alter table walltrack.wallets enable row level security;
revoke all on walltrack.wallets from anon, authenticated;
grant select, insert, update, delete on walltrack.wallets to service_role;

comment on table walltrack.wallets is
  'Registry Pattern: the watchlist of Solana wallets copied, each with its mode (simulation/live), exit strategy, discovery context and Helius sync state. One global Helius webhook watches every active wallet (ADR-001).';
comment on column walltrack.wallets.id is 'Primary key.';
comment on column walltrack.wallets.address is 'Solana address of the watched wallet (base58, unique).';
comment on column walltrack.wallets.label is 'Human-readable name the operator gives the wallet.';
comment on column walltrack.wallets.mode is 'simulation: paper trades only; live: actual swaps when the global live switch is also on (ADR-008).';
comment on column walltrack.wallets.exit_strategy_id is 'Exit-strategy template snapshotted onto each position opened from this wallet.';
comment on column walltrack.wallets.discovery_source is 'Where the wallet was found: twitter, telegram, scanner or manual.';
comment on column walltrack.wallets.discovery_date is 'When the wallet was found.';
comment on column walltrack.wallets.discovery_notes is 'Why the wallet was added, free text.';
comment on column walltrack.wallets.initial_win_rate_percent is 'Win rate observed before adding the wallet (0-100), the baseline to validate before live mode.';
comment on column walltrack.wallets.initial_trades_observed is 'Trades observed to compute the initial win rate.';
comment on column walltrack.wallets.helius_sync_status is 'pending: the global webhook must be updated for this wallet; synced: it is; error: the last sync failed (see helius_sync_error).';
comment on column walltrack.wallets.helius_synced_at is 'When the wallet''s state was last pushed to the Helius webhook.';
comment on column walltrack.wallets.helius_sync_error is 'Message of the last failed Helius sync; required when the status is error.';
comment on column walltrack.wallets.is_active is 'Inactive wallets are removed from the webhook and their signals are filtered wallet_inactive.';
comment on column walltrack.wallets.created_at is 'When the row was created.';
comment on column walltrack.wallets.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.wallets cascade;
