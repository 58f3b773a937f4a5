-- Adds walltrack.performance, one row of pre-computed metrics per wallet, refreshed daily by
-- pg_cron and on demand (ADR-003): win rate, PnL, rolling windows, best/worst, streaks, risk and
-- copy quality.

create table walltrack.performance (
  id uuid primary key default gen_random_uuid(),
  wallet_id uuid not null constraint fk_performance_wallets references walltrack.wallets (id) on delete cascade,

  -- Win rate
  total_positions integer not null default 0 check (total_positions >= 0),
  winning_positions integer not null default 0 check (winning_positions >= 0),
  losing_positions integer not null default 0 check (losing_positions >= 0),
  breakeven_positions integer not null default 0 check (breakeven_positions >= 0),
  win_rate numeric(5, 2) not null default 0 check (win_rate between 0 and 100),

  -- PnL
  total_pnl_usd numeric not null default 0,
  total_pnl_percent numeric not null default 0,
  average_win_usd numeric not null default 0 check (average_win_usd >= 0),
  average_loss_usd numeric not null default 0 check (average_loss_usd <= 0),
  profit_ratio numeric check (profit_ratio >= 0),
  profit_factor numeric check (profit_factor >= 0),
  expectancy_usd numeric,
  max_drawdown_usd numeric not null default 0 check (max_drawdown_usd >= 0),
  max_drawdown_percent numeric(7, 4) not null default 0 check (max_drawdown_percent between 0 and 100),

  -- Rolling windows
  signal_count_24h integer not null default 0 check (signal_count_24h >= 0),
  signal_count_7d integer not null default 0 check (signal_count_7d >= 0),
  signal_count_30d integer not null default 0 check (signal_count_30d >= 0),
  positions_24h integer not null default 0 check (positions_24h >= 0),
  positions_7d integer not null default 0 check (positions_7d >= 0),
  positions_30d integer not null default 0 check (positions_30d >= 0),

  -- Best / worst closed trade
  best_trade_pnl_usd numeric,
  best_trade_pnl_percent numeric,
  worst_trade_pnl_usd numeric,
  worst_trade_pnl_percent numeric,

  -- Streaks (in close order)
  current_win_streak integer not null default 0 check (current_win_streak >= 0),
  current_loss_streak integer not null default 0 check (current_loss_streak >= 0),
  max_win_streak integer not null default 0 check (max_win_streak >= 0),
  max_loss_streak integer not null default 0 check (max_loss_streak >= 0),

  -- Copy quality
  median_copy_delay_seconds numeric check (median_copy_delay_seconds >= 0),
  median_slippage_vs_leader_percent numeric,

  last_calculated_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  constraint uq_performance_wallet_id unique (wallet_id),
  constraint performance_outcomes_add_up check (
    winning_positions + losing_positions + breakeven_positions = total_positions),
  constraint performance_windows_nest check (
    signal_count_24h <= signal_count_7d and signal_count_7d <= signal_count_30d
    and positions_24h <= positions_7d and positions_7d <= positions_30d),
  constraint performance_only_one_current_streak check (current_win_streak = 0 or current_loss_streak = 0),
  constraint performance_streaks_within_max check (
    current_win_streak <= max_win_streak and current_loss_streak <= max_loss_streak)
);

create trigger performance_set_updated_at before update on walltrack.performance
  for each row execute function walltrack.set_updated_at();

alter table walltrack.performance enable row level security;
revoke all on walltrack.performance from anon, authenticated;
grant select, insert, update, delete on walltrack.performance to service_role;

comment on table walltrack.performance is
  'Materialized View: one row per wallet of pre-computed performance metrics over its closed positions, refreshed by pg_cron at 00:00 UTC and on demand (ADR-003); dashboards read it without joins.';
comment on column walltrack.performance.id is 'Primary key.';
comment on column walltrack.performance.wallet_id is 'Wallet measured (one row per wallet).';
comment on column walltrack.performance.total_positions is 'Closed positions counted.';
comment on column walltrack.performance.winning_positions is 'Closed positions with realized PnL > 0.';
comment on column walltrack.performance.losing_positions is 'Closed positions with realized PnL < 0.';
comment on column walltrack.performance.breakeven_positions is 'Closed positions with realized PnL = 0 (neither win nor loss).';
comment on column walltrack.performance.win_rate is 'winning_positions / total_positions x 100 (0 with no positions).';
comment on column walltrack.performance.total_pnl_usd is 'Sum of realized PnL of closed positions.';
comment on column walltrack.performance.total_pnl_percent is 'total_pnl_usd / sum of entry_value_usd x 100.';
comment on column walltrack.performance.average_win_usd is 'Mean PnL of winning positions (>= 0).';
comment on column walltrack.performance.average_loss_usd is 'Mean PnL of losing positions (<= 0).';
comment on column walltrack.performance.profit_ratio is 'average_win_usd / |average_loss_usd|; null without losses.';
comment on column walltrack.performance.profit_factor is 'Gross profit / gross loss; null without losses.';
comment on column walltrack.performance.expectancy_usd is 'Mean PnL per closed position (what one more trade is expected to make).';
comment on column walltrack.performance.max_drawdown_usd is 'Largest fall of cumulative realized PnL from its running peak, in USD.';
comment on column walltrack.performance.max_drawdown_percent is 'max_drawdown_usd relative to capital plus the running peak, in percent.';
comment on column walltrack.performance.signal_count_24h is 'Signals received from the wallet in the last 24 hours.';
comment on column walltrack.performance.signal_count_7d is 'Signals received in the last 7 days.';
comment on column walltrack.performance.signal_count_30d is 'Signals received in the last 30 days.';
comment on column walltrack.performance.positions_24h is 'Positions opened in the last 24 hours.';
comment on column walltrack.performance.positions_7d is 'Positions opened in the last 7 days.';
comment on column walltrack.performance.positions_30d is 'Positions opened in the last 30 days.';
comment on column walltrack.performance.best_trade_pnl_usd is 'Highest realized PnL of one closed position.';
comment on column walltrack.performance.best_trade_pnl_percent is 'Highest realized PnL percent of one closed position.';
comment on column walltrack.performance.worst_trade_pnl_usd is 'Lowest realized PnL of one closed position.';
comment on column walltrack.performance.worst_trade_pnl_percent is 'Lowest realized PnL percent of one closed position.';
comment on column walltrack.performance.current_win_streak is 'Wins in a row ending with the latest close.';
comment on column walltrack.performance.current_loss_streak is 'Losses in a row ending with the latest close.';
comment on column walltrack.performance.max_win_streak is 'Longest run of consecutive wins.';
comment on column walltrack.performance.max_loss_streak is 'Longest run of consecutive losses.';
comment on column walltrack.performance.median_copy_delay_seconds is 'Median seconds from the leader''s block time to our entry fill.';
comment on column walltrack.performance.median_slippage_vs_leader_percent is 'Median of our entry price against the leader''s, in percent.';
comment on column walltrack.performance.last_calculated_at is 'When the refresh computed this row.';
comment on column walltrack.performance.created_at is 'When the row was created.';
comment on column walltrack.performance.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.performance cascade;
