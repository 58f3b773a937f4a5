-- Every walltrack table and every column carries a comment (COMMENT ON TABLE / COLUMN). The
-- designed columns are listed here so a dropped column fails has_column instead of silently
-- leaving the "no column without a comment" check with less to look at.
begin;
create extension if not exists pgtap with schema extensions;
select plan(394);

create temp table expected_columns as
select t.table_name, c.column_name
from (values
  ('config', array[
    'id', 'capital_usd', 'risk_per_trade_percent', 'position_sizing_mode',
    'leader_size_fraction', 'min_position_size_usd', 'max_position_size_usd',
    'max_open_positions', 'max_total_exposure_usd', 'reentry_cooldown_minutes',
    'simulation_slippage_percent', 'default_slippage_percent', 'priority_fee_lamports',
    'order_max_retries', 'live_trading_enabled',
    'max_drawdown_percent', 'min_win_rate_percent', 'win_rate_lookback_positions',
    'win_rate_min_sample', 'max_consecutive_losses', 'daily_loss_limit_usd',
    'circuit_breaker_unlock_minutes', 'safety_score_threshold', 'min_liquidity_usd',
    'max_top10_holder_percent', 'min_token_age_hours', 'max_transfer_fee_bps',
    'safety_weight_liquidity', 'safety_weight_holders', 'safety_weight_contract',
    'safety_weight_age', 'token_cache_ttl_minutes', 'helius_webhook_id', 'helius_webhook_url',
    'helius_last_sync_at', 'circuit_breaker_active', 'circuit_breaker_activated_at',
    'webhook_last_signal_at', 'created_at', 'updated_at',
    'max_signal_age_seconds', 'sol_usd_price', 'sol_usd_price_at',
    'delivery_mode', 'poll_interval_seconds', 'reconcile_interval_minutes', 'capture_settle_seconds',
    'capture_wallets_per_run', 'capture_pages_per_wallet', 'capture_fetches_per_run', 'capture_lease',
    'capture_lease_until', 'capture_last_run_at', 'capture_failures', 'capture_next_attempt_at',
    'capture_last_error', 'capture_last_report',
    'leader_max_open_positions', 'leader_max_exposure_usd', 'leader_pause_after_losses', 'leader_loss_limit_usd',
    'leader_loss_window_hours', 'leader_pause_minutes', 'sell_check_enabled', 'sell_check_ttl_minutes',
    'sell_check_max_round_trip_loss_percent', 'sell_check_max_price_impact_percent', 'sell_check_max_transfer_fee_bps'
  ]),
  ('exit_strategies', array[
    'id', 'name', 'description', 'stop_loss_percent', 'trailing_stop_enabled',
    'trailing_stop_percent', 'trailing_activation_multiplier', 'scaling_levels',
    'mirror_exit_enabled', 'is_default', 'is_active', 'created_at', 'updated_at'
  ]),
  ('wallets', array[
    'id', 'address', 'label', 'mode', 'exit_strategy_id', 'discovery_source', 'discovery_date',
    'discovery_notes', 'initial_win_rate_percent', 'initial_trades_observed',
    'helius_sync_status', 'helius_synced_at', 'helius_sync_error', 'is_active', 'created_at',
    'updated_at', 'max_open_positions', 'max_exposure_usd', 'pause_after_losses', 'loss_limit_usd'
  ]),
  ('tokens', array[
    'id', 'address', 'symbol', 'name', 'decimals', 'safety_score', 'liquidity_usd',
    'holder_distribution_top_10_percent', 'age_hours', 'is_mint_authority_revoked',
    'is_freeze_authority_revoked', 'has_dangerous_extension', 'transfer_fee_bps',
    'liquidity_check_passed', 'holder_check_passed', 'contract_check_passed',
    'age_check_passed', 'last_analyzed_at', 'analysis_source', 'analysis_snapshot', 'dex_name',
    'pair_address', 'first_pool_created_at', 'created_at', 'updated_at',
    'sell_checked_at', 'sell_check_outcome', 'sell_check_size_usd', 'sell_check_sol_in_lamports',
    'sell_check_token_raw', 'sell_check_sol_out_lamports', 'sell_round_trip_loss_percent',
    'sell_price_impact_percent', 'is_token_2022', 'mint_transfer_fee_bps', 'mint_transfer_hook_program'
  ]),
  ('signals', array[
    'id', 'wallet_id', 'token_address', 'transaction_signature', 'signal_type', 'token_in',
    'token_out', 'amount_in', 'amount_out', 'price', 'price_all_in', 'price_usd',
    'sol_usd_price', 'quote_usd_price', 'price_source', 'slot', 'leader_block_time', 'webhook_received_at',
    'raw_payload', 'token_id', 'filtered', 'filter_reason', 'position_created', 'position_id',
    'processed_at', 'processing_duration_ms', 'created_at', 'updated_at',
    'token_decimals', 'delivery'
  ]),
  ('orders', array[
    'id', 'wallet_id', 'token_id', 'position_id', 'signal_id', 'order_type', 'mode', 'token_in',
    'token_out', 'amount_in', 'amount_out_expected', 'amount_out', 'price_usd', 'value_usd',
    'slippage_requested_percent', 'slippage_actual_percent', 'status', 'jupiter_quote_id',
    'jupiter_route', 'tx_signature', 'block_number', 'priority_fee_lamports', 'requested_at',
    'submitted_at', 'executed_at', 'execution_duration_ms', 'retry_count', 'max_retries',
    'next_retry_at', 'error_code', 'error_message', 'scaling_level', 'scaling_percent',
    'created_at', 'updated_at',
    'claimed_until', 'last_valid_block_height'
  ]),
  ('positions', array[
    'id', 'wallet_id', 'token_id', 'signal_id', 'mode', 'entry_price', 'entry_amount',
    'entry_value_usd', 'entry_timestamp', 'entry_tx_signature', 'current_amount',
    'current_price', 'price_updated_at', 'exits_reevaluated_at', 'peak_price', 'unrealized_pnl_usd', 'realized_pnl_usd',
    'current_pnl_usd', 'exit_price', 'exit_amount', 'exit_reason', 'closed_at',
    'exit_strategy_id', 'exit_strategy_override', 'exit_strategy_snapshot',
    'trailing_stop_armed', 'scaling_levels_fired', 'leader_price_usd', 'decision_delay_seconds',
    'fill_delay_seconds', 'slippage_vs_leader_percent', 'status', 'created_at', 'updated_at'
  ]),
  ('performance', array[
    'id', 'wallet_id', 'total_positions', 'winning_positions', 'losing_positions',
    'breakeven_positions', 'win_rate', 'total_pnl_usd', 'total_pnl_percent', 'average_win_usd',
    'average_loss_usd', 'profit_ratio', 'profit_factor', 'expectancy_usd', 'max_drawdown_usd',
    'max_drawdown_percent', 'signal_count_24h', 'signal_count_7d', 'signal_count_30d',
    'positions_24h', 'positions_7d', 'positions_30d', 'best_trade_pnl_usd',
    'best_trade_pnl_percent', 'worst_trade_pnl_usd', 'worst_trade_pnl_percent',
    'current_win_streak', 'current_loss_streak', 'max_win_streak', 'max_loss_streak',
    'signals_webhook_30d', 'signals_recovered_30d', 'signals_polled_30d', 'capture_rate_percent',
    'capture_calculated_at',
    'median_copy_delay_seconds', 'median_slippage_vs_leader_percent', 'last_calculated_at',
    'created_at', 'updated_at'
  ]),
  ('circuit_breaker_events', array[
    'id', 'event_type', 'trigger_reason', 'activation_event_id', 'current_drawdown_percent',
    'current_win_rate', 'consecutive_losses', 'daily_realized_pnl_usd',
    'max_drawdown_threshold', 'min_win_rate_threshold', 'consecutive_loss_threshold',
    'daily_loss_limit_threshold', 'new_positions_blocked', 'open_positions_at_activation',
    'unlock_at', 'deactivated_at', 'created_at', 'updated_at'
  ]),
  ('token_lists', array[
    'mint', 'list', 'kind', 'symbol', 'note', 'created_at', 'updated_at'
  ]),
  ('leader_pause_events', array[
    'id', 'wallet_id', 'event_type', 'trigger_reason', 'pause_event_id', 'closed_position_id',
    'consecutive_losses', 'window_realized_pnl_usd', 'pause_after_losses_threshold',
    'loss_limit_threshold_usd', 'loss_window_hours', 'pause_until', 'created_at', 'updated_at'
  ]),
  ('price_refusals', array[
    'id', 'token_address', 'source', 'observed', 'observed_usd', 'last_price_usd', 'reason', 'created_at', 'updated_at'
  ]),
  ('rejected_transactions', array[
    'id', 'transaction_signature', 'position_in_delivery', 'reason', 'payload_excerpt', 'webhook_received_at',
    'created_at', 'updated_at'
  ]),
  ('edge_function_calls', array[
    'id', 'function_name', 'request_id', 'answered_at', 'status_code', 'timed_out', 'error', 'created_at', 'updated_at'
  ]),
  ('job_schedule', array['jobname', 'schedule', 'command', 'purpose', 'created_at', 'updated_at']),
  ('capture_cursors', array[
    'wallet_id', 'watch_since', 'last_signature', 'last_block_time', 'walk_top_signature', 'walk_before_signature',
    'checked_at', 'last_error', 'created_at', 'updated_at'
  ]),
  ('fetched_transactions', array[
    'transaction_signature', 'delivery', 'outcome', 'created_at', 'updated_at'
  ]),
  ('leader_sell_balances', array[
    'signal_id', 'held_before_raw', 'held_after_raw', 'token_decimals', 'source', 'unknown_reason', 'detail', 'created_at', 'updated_at'
  ])
) as t(table_name, columns)
cross join lateral unnest(t.columns) as c(column_name);

select has_column(
  'walltrack', table_name::name, column_name::name,
  format('walltrack.%s.%s exists', table_name, column_name)
)
from expected_columns
order by table_name, column_name;

select is(
  array(
    select format('%s.%s', c.relname, a.attname)
    from pg_catalog.pg_attribute a
    join pg_catalog.pg_class c on c.oid = a.attrelid
    where c.relnamespace = 'walltrack'::regnamespace
      and c.relkind in ('r', 'p')
      and a.attnum > 0
      and not a.attisdropped
      and coalesce(btrim(pg_catalog.col_description(c.oid, a.attnum)), '') = ''
    order by 1
  ),
  '{}'::text[],
  'no walltrack column is without a comment'
);

select ok(
  coalesce(btrim(pg_catalog.obj_description(to_regclass('walltrack.' || table_name), 'pg_class')), '') <> '',
  format('table walltrack.%s has a comment', table_name)
)
from (select distinct table_name from expected_columns) as t
order by table_name;

select is(
  array(
    select c.relname::text
    from pg_catalog.pg_class c
    where c.relnamespace = 'walltrack'::regnamespace
      and c.relkind in ('r', 'p')
      and coalesce(btrim(pg_catalog.obj_description(c.oid, 'pg_class')), '') = ''
    order by 1
  ),
  '{}'::text[],
  'no walltrack table is without a comment'
);

select ok(
  coalesce(btrim(pg_catalog.obj_description('walltrack'::regnamespace, 'pg_namespace')), '') <> '',
  'schema walltrack has a comment'
);

select * from finish();
rollback;
