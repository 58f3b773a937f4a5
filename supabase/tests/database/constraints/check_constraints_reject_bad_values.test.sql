-- Each CHECK constraint of every walltrack table rejects a bad value: one statement per
-- constraint, each breaking that constraint only, must fail with SQLSTATE 23514 and that
-- constraint's name in the message. A last test fails when a CHECK exists that no statement here
-- exercises. (The domain checks are in base58_domains_reject_bad_addresses.test.sql.)
begin;
create extension if not exists pgtap with schema extensions;
select plan(291);

-- Valid rows to break: each statement below changes one of them (updates), or inserts a copy of
-- one with a change (signals and circuit_breaker_events, whose triggers refuse most updates, and
-- an order in a status no transition leads to; CHECKs run before the primary key is checked, so
-- the copy may keep its id).
insert into walltrack.exit_strategies (id, name, stop_loss_percent, trailing_stop_percent)
values ('c0ffee00-0000-4000-8000-000000000e51', 'pgTAP check strategy', 20, 15);
insert into walltrack.wallets (id, address, exit_strategy_id)
values ('c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', 'c0ffee00-0000-4000-8000-000000000e51');
insert into walltrack.tokens (id, address, last_analyzed_at, safety_score, analysis_source)
values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111', now(), 0.80, 'rugcheck');
-- A complete sell check on the token, so that each statement below breaks one of its checks only.
update walltrack.tokens
   set sell_checked_at = now(), sell_check_outcome = 'route', sell_check_size_usd = 500,
       sell_check_sol_in_lamports = 3333333333, sell_check_token_raw = 1000, sell_check_sol_out_lamports = 3300000000,
       sell_round_trip_loss_percent = 1, is_token_2022 = false, mint_transfer_fee_bps = 0
 where id = 'c0ffee00-0000-4000-8000-00000000b001';
insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload)
values ('c0ffee00-0000-4000-8000-00000000c001', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
        'BUY',
        'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}');
insert into walltrack.positions
  (id, wallet_id, token_id, mode, entry_price, entry_amount, entry_value_usd, entry_timestamp,
   current_amount, current_price, exit_strategy_id)
values ('c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', 0.5, 100, 50, now(), 100, 0.6,
        'c0ffee00-0000-4000-8000-000000000e51');
insert into walltrack.orders
  (id, wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in)
values ('c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000e001', 'exit_manual', 'simulation',
        'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 100);
insert into walltrack.performance (id, wallet_id) values ('c0ffee00-0000-4000-8000-00000000f001', 'c0ffee00-0000-4000-8000-00000000a001');
insert into walltrack.circuit_breaker_events (id, event_type, trigger_reason, deactivated_at)
values ('c0ffee00-0000-4000-8000-000000000cb1', 'activated', 'manual', now());

create temp table bad_values (
  constraint_name name not null,
  table_name name not null,
  statement text not null
);

insert into bad_values (constraint_name, table_name, statement) values
  -- config (the singleton row)
  ('config_capture_failures_check', 'config', $$update walltrack.config set capture_failures = -1$$),
  ('config_capture_fetches_per_run_check', 'config', $$update walltrack.config set capture_fetches_per_run = 0$$),
  ('config_capture_lease_has_expiry', 'config',
   $$update walltrack.config set capture_lease = gen_random_uuid(), capture_lease_until = null$$),
  ('config_capture_pages_per_wallet_check', 'config', $$update walltrack.config set capture_pages_per_wallet = 21$$),
  ('config_capture_settle_seconds_check', 'config', $$update walltrack.config set capture_settle_seconds = -1$$),
  ('config_capture_wallets_per_run_check', 'config', $$update walltrack.config set capture_wallets_per_run = 0$$),
  ('config_delivery_mode_check', 'config', $$update walltrack.config set delivery_mode = 'push'$$),
  ('config_poll_interval_seconds_check', 'config', $$update walltrack.config set poll_interval_seconds = 59$$),
  ('config_reconcile_interval_minutes_check', 'config', $$update walltrack.config set reconcile_interval_minutes = 0$$),
  ('config_breaker_active_has_time', 'config',
   $$update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = null$$),
  ('config_capital_usd_check', 'config', $$update walltrack.config set capital_usd = 0$$),
  ('config_circuit_breaker_unlock_minutes_check', 'config',
   $$update walltrack.config set circuit_breaker_unlock_minutes = -1$$),
  ('config_daily_loss_limit_usd_check', 'config', $$update walltrack.config set daily_loss_limit_usd = 0$$),
  ('config_helius_sync_failures_check', 'config', $$update walltrack.config set helius_sync_failures = -1$$),
  ('config_helius_sync_lease_has_expiry', 'config',
   $$update walltrack.config set helius_sync_lease = gen_random_uuid(), helius_sync_lease_until = null$$),
  ('config_default_slippage_percent_check', 'config',
   $$update walltrack.config set default_slippage_percent = 100$$),
  ('config_leader_size_fraction_check', 'config', $$update walltrack.config set leader_size_fraction = 1.5$$),
  ('config_leader_loss_limit_usd_check', 'config', $$update walltrack.config set leader_loss_limit_usd = 0$$),
  ('config_leader_loss_window_hours_check', 'config', $$update walltrack.config set leader_loss_window_hours = 721$$),
  ('config_leader_max_exposure_usd_check', 'config', $$update walltrack.config set leader_max_exposure_usd = 0$$),
  ('config_leader_max_open_positions_check', 'config', $$update walltrack.config set leader_max_open_positions = 0$$),
  ('config_leader_pause_after_losses_check', 'config', $$update walltrack.config set leader_pause_after_losses = 0$$),
  ('config_leader_pause_minutes_check', 'config', $$update walltrack.config set leader_pause_minutes = 0$$),
  ('config_sell_check_max_price_impact_percent_check', 'config',
   $$update walltrack.config set sell_check_max_price_impact_percent = 0$$),
  ('config_sell_check_max_round_trip_loss_percent_check', 'config',
   $$update walltrack.config set sell_check_max_round_trip_loss_percent = 100.01$$),
  ('config_sell_check_max_transfer_fee_bps_check', 'config', $$update walltrack.config set sell_check_max_transfer_fee_bps = -1$$),
  ('config_sell_check_ttl_minutes_check', 'config', $$update walltrack.config set sell_check_ttl_minutes = 0$$),
  ('config_max_consecutive_losses_check', 'config', $$update walltrack.config set max_consecutive_losses = 0$$),
  ('config_max_drawdown_percent_check', 'config', $$update walltrack.config set max_drawdown_percent = 0$$),
  ('config_max_open_positions_check', 'config', $$update walltrack.config set max_open_positions = 0$$),
  ('config_price_jump_multiple_check', 'config', $$update walltrack.config set price_jump_multiple = 1$$),
  ('config_price_jump_window_minutes_check', 'config', $$update walltrack.config set price_jump_window_minutes = 0$$),
  ('config_price_monitor_interval_seconds_check', 'config', $$update walltrack.config set price_monitor_interval_seconds = 61$$),
  ('config_swap_price_max_age_seconds_check', 'config', $$update walltrack.config set swap_price_max_age_seconds = 0$$),
  ('config_max_position_size_usd_check', 'config',
   $$update walltrack.config set max_position_size_usd = 0, min_position_size_usd = 0$$),
  ('config_max_signal_age_seconds_check', 'config', $$update walltrack.config set max_signal_age_seconds = 0$$),
  ('config_max_top10_holder_percent_check', 'config',
   $$update walltrack.config set max_top10_holder_percent = 0$$),
  ('config_max_total_exposure_usd_check', 'config', $$update walltrack.config set max_total_exposure_usd = 0$$),
  ('config_max_transfer_fee_bps_check', 'config', $$update walltrack.config set max_transfer_fee_bps = 10001$$),
  ('config_min_liquidity_usd_check', 'config', $$update walltrack.config set min_liquidity_usd = -1$$),
  ('config_min_position_size_usd_check', 'config', $$update walltrack.config set min_position_size_usd = -1$$),
  ('config_min_token_age_hours_check', 'config', $$update walltrack.config set min_token_age_hours = -1$$),
  ('config_min_win_rate_percent_check', 'config', $$update walltrack.config set min_win_rate_percent = 101$$),
  ('config_mock_data_never_live', 'config',
   $$update walltrack.config set holds_mock_data = true, live_trading_enabled = true$$),
  ('config_order_max_retries_check', 'config', $$update walltrack.config set order_max_retries = -1$$),
  ('config_position_size_bounds', 'config',
   $$update walltrack.config set min_position_size_usd = max_position_size_usd + 1$$),
  ('config_position_sizing_mode_check', 'config', $$update walltrack.config set position_sizing_mode = 'all_in'$$),
  ('config_priority_fee_lamports_check', 'config', $$update walltrack.config set priority_fee_lamports = -1$$),
  ('config_reentry_cooldown_minutes_check', 'config', $$update walltrack.config set reentry_cooldown_minutes = -1$$),
  ('config_risk_per_trade_percent_check', 'config', $$update walltrack.config set risk_per_trade_percent = 0$$),
  ('config_safety_score_threshold_check', 'config', $$update walltrack.config set safety_score_threshold = 1.01$$),
  ('config_safety_weight_age_check', 'config', $$update walltrack.config set safety_weight_age = 1.5$$),
  ('config_safety_weight_contract_check', 'config', $$update walltrack.config set safety_weight_contract = 1.5$$),
  ('config_safety_weight_holders_check', 'config', $$update walltrack.config set safety_weight_holders = 1.5$$),
  ('config_safety_weight_liquidity_check', 'config', $$update walltrack.config set safety_weight_liquidity = 1.5$$),
  ('config_safety_weights_sum_to_one', 'config',
   $$update walltrack.config
     set safety_weight_liquidity = 0, safety_weight_holders = 0, safety_weight_contract = 0, safety_weight_age = 0$$),
  ('config_simulation_slippage_percent_check', 'config',
   $$update walltrack.config set simulation_slippage_percent = -1$$),
  ('config_sol_usd_price_check', 'config', $$update walltrack.config set sol_usd_price = 0$$),
  ('config_token_cache_ttl_minutes_check', 'config', $$update walltrack.config set token_cache_ttl_minutes = 0$$),
  ('config_win_rate_lookback_positions_check', 'config',
   $$update walltrack.config set win_rate_lookback_positions = 0$$),
  ('config_win_rate_min_sample_check', 'config', $$update walltrack.config set win_rate_min_sample = 0$$),
  ('config_win_rate_sample_within_lookback', 'config',
   $$update walltrack.config set win_rate_min_sample = win_rate_lookback_positions + 1$$),

  -- exit_strategies
  ('exit_strategies_default_is_active', 'exit_strategies',
   $$update walltrack.exit_strategies set is_default = true, is_active = false where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_name_check', 'exit_strategies',
   $$update walltrack.exit_strategies set name = '   ' where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_scaling_levels_valid', 'exit_strategies',
   $$update walltrack.exit_strategies set scaling_levels = '[{"multiplier": 0.5, "sell_percent": 50}]'
     where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_stop_loss_percent_check', 'exit_strategies',
   $$update walltrack.exit_strategies set stop_loss_percent = 0 where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_max_hold_minutes_check', 'exit_strategies',
   $$update walltrack.exit_strategies set max_hold_minutes = 0 where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_trailing_activation_multiplier_check', 'exit_strategies',
   $$update walltrack.exit_strategies set trailing_activation_multiplier = 0.5 where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_trailing_percent_when_enabled', 'exit_strategies',
   $$update walltrack.exit_strategies set trailing_stop_enabled = true, trailing_stop_percent = null
     where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_trailing_stop_percent_check', 'exit_strategies',
   $$update walltrack.exit_strategies set trailing_stop_percent = 0 where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),

  -- wallets
  ('wallets_discovery_source_check', 'wallets',
   $$update walltrack.wallets set discovery_source = 'reddit' where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_helius_sync_status_check', 'wallets',
   $$update walltrack.wallets set helius_sync_status = 'done' where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_initial_trades_observed_check', 'wallets',
   $$update walltrack.wallets set initial_trades_observed = -1 where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_initial_win_rate_percent_check', 'wallets',
   $$update walltrack.wallets set initial_win_rate_percent = 101 where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_loss_limit_usd_check', 'wallets',
   $$update walltrack.wallets set loss_limit_usd = 0 where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_max_exposure_usd_check', 'wallets',
   $$update walltrack.wallets set max_exposure_usd = -1 where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_max_open_positions_check', 'wallets',
   $$update walltrack.wallets set max_open_positions = 0 where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_pause_after_losses_check', 'wallets',
   $$update walltrack.wallets set pause_after_losses = 0 where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_mode_check', 'wallets', $$update walltrack.wallets set mode = 'paper' where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('wallets_sync_error_has_message', 'wallets',
   $$update walltrack.wallets set helius_sync_status = 'error', helius_sync_error = null where id = 'c0ffee00-0000-4000-8000-00000000a001'$$),

  -- tokens
  ('tokens_age_hours_check', 'tokens', $$update walltrack.tokens set age_hours = -1 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_analysis_is_complete', 'tokens',
   $$update walltrack.tokens set last_analyzed_at = null where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_analysis_source_check', 'tokens',
   $$update walltrack.tokens set analysis_source = 'birdeye' where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_decimals_check', 'tokens', $$update walltrack.tokens set decimals = 19 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_holder_distribution_top_10_percent_check', 'tokens',
   $$update walltrack.tokens set holder_distribution_top_10_percent = 101 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_liquidity_usd_check', 'tokens', $$update walltrack.tokens set liquidity_usd = -1 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_safety_score_check', 'tokens', $$update walltrack.tokens set safety_score = 1.01 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_mint_transfer_fee_bps_check', 'tokens',
   $$update walltrack.tokens set mint_transfer_fee_bps = 10001 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_is_complete', 'tokens',
   $$update walltrack.tokens set sell_check_size_usd = null where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_outcome_check', 'tokens',
   $$update walltrack.tokens set sell_check_outcome = 'maybe' where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_route_is_measured', 'tokens',
   $$update walltrack.tokens set sell_check_sol_out_lamports = null where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_size_usd_check', 'tokens',
   $$update walltrack.tokens set sell_check_size_usd = 0 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_sol_in_lamports_check', 'tokens',
   $$update walltrack.tokens set sell_check_sol_in_lamports = 1.5 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_sol_out_lamports_check', 'tokens',
   $$update walltrack.tokens set sell_check_sol_out_lamports = -1 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_sell_check_token_raw_check', 'tokens',
   $$update walltrack.tokens set sell_check_token_raw = 0.5 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('tokens_transfer_fee_bps_check', 'tokens',
   $$update walltrack.tokens set transfer_fee_bps = 10001 where id = 'c0ffee00-0000-4000-8000-00000000b001'$$),

  -- signals (a copy of the fixture BUY with one change)
  ('signals_amount_in_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"amount_in": 0}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_amount_out_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"amount_out": 0}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_created_has_position', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"position_created": true, "processed_at": "2026-01-01T00:00:00Z"}') r
     where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_filter_reason_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"filtered": true, "filter_reason": "boring", "processed_at": "2026-01-01T00:00:00Z"}') r
     where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_filtered_has_reason', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"filtered": true, "processed_at": "2026-01-01T00:00:00Z"}') r
     where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_filtered_or_created', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"filtered": true, "filter_reason": "duplicate", "position_created": true,
                                "position_id": "c0ffee00-0000-4000-8000-00000000e001", "processed_at": "2026-01-01T00:00:00Z"}') r
     where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_outcome_needs_processing', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"filtered": true, "filter_reason": "duplicate"}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_price_all_in_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"price_all_in": 0}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_price_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"price": 0}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_price_usd_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"price_usd": -1}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_processing_duration_ms_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"processing_duration_ms": -1}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_delivery_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"delivery": "carrier_pigeon"}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_signal_type_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"signal_type": "HOLD"}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_slot_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"slot": -1}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_quote_usd_price_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"quote_usd_price": 0}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_sol_usd_price_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"sol_usd_price": 0}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_token_decimals_check', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"token_decimals": 19}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_token_in_differs_from_out', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"token_in": "TestTokenA1111111111111111111111"}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),
  ('signals_token_is_traded', 'signals',
   $$insert into walltrack.signals select r.* from walltrack.signals s,
     jsonb_populate_record(s, '{"signal_type": "SELL"}') r where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$),

  -- orders
  ('orders_amount_in_check', 'orders', $$update walltrack.orders set amount_in = 0 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_amounts_are_finite', 'orders',
   $$update walltrack.orders set price_usd = 'Infinity' where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_amount_out_check', 'orders', $$update walltrack.orders set amount_out = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_amount_out_expected_check', 'orders',
   $$update walltrack.orders set amount_out_expected = 0 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_block_number_check', 'orders', $$update walltrack.orders set block_number = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_entry_has_signal', 'orders',
   $$update walltrack.orders set order_type = 'entry', signal_id = null where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  -- Orders follow pending -> submitted -> executed (walltrack.enforce_order_status_transition):
  -- the fixture order is submitted first, so that only the CHECK refuses the fill.
  ('orders_executed_has_fill', 'orders',
   $$update walltrack.orders set status = 'submitted' where id = 'c0ffee00-0000-4000-8000-00000000d001';
     update walltrack.orders set status = 'executed', executed_at = null where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  -- execution_duration_ms is computed by a trigger, which never writes a negative; switch it off
  -- for this statement (the failure rolls the switch back) to reach the CHECK behind it.
  ('orders_execution_duration_ms_check', 'orders',
   $$alter table walltrack.orders disable trigger orders_set_execution_duration;
     update walltrack.orders set execution_duration_ms = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_failed_has_error', 'orders',
   $$update walltrack.orders set status = 'failed', error_message = null where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_last_valid_block_height_check', 'orders',
   $$update walltrack.orders set last_valid_block_height = 0 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_live_executed_has_signature', 'orders',
   $$update walltrack.orders set status = 'submitted' where id = 'c0ffee00-0000-4000-8000-00000000d001';
     update walltrack.orders
     set mode = 'live', status = 'executed', executed_at = requested_at + interval '1 second',
         amount_out = 1, price_usd = 1, tx_signature = null
     where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_max_retries_check', 'orders', $$update walltrack.orders set max_retries = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_mode_check', 'orders', $$update walltrack.orders set mode = 'paper' where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_order_type_check', 'orders', $$update walltrack.orders set order_type = 'exit_panic' where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_price_usd_check', 'orders', $$update walltrack.orders set price_usd = 0 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_priority_fee_lamports_check', 'orders',
   $$update walltrack.orders set priority_fee_lamports = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_retries_within_max', 'orders',
   $$update walltrack.orders set retry_count = max_retries + 1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_retry_count_check', 'orders', $$update walltrack.orders set retry_count = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_scaling_context', 'orders',
   $$update walltrack.orders set order_type = 'exit_scaling', scaling_level = null, scaling_percent = null
     where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_scaling_level_check', 'orders', $$update walltrack.orders set scaling_level = 0 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_scaling_percent_check', 'orders',
   $$update walltrack.orders set scaling_percent = 101 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_slippage_requested_percent_check', 'orders',
   $$update walltrack.orders set slippage_requested_percent = 0 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  -- No transition leads to an unknown status (the status machine refuses it first): a copy of the
  -- fixture order with one, inserted, reaches the CHECK.
  ('orders_status_check', 'orders',
   $$insert into walltrack.orders select r.* from walltrack.orders o,
     jsonb_populate_record(o, '{"status": "done"}') r where o.id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_timing_ordered', 'orders',
   $$update walltrack.orders set submitted_at = requested_at - interval '1 second' where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_token_in_differs_from_out', 'orders',
   $$update walltrack.orders set token_out = token_in where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('orders_value_usd_check', 'orders', $$update walltrack.orders set value_usd = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),

  -- positions
  ('positions_amounts_balance', 'positions',
   $$update walltrack.positions set current_amount = entry_amount + 1 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_closed_is_complete', 'positions',
   $$update walltrack.positions set status = 'closed', closed_at = entry_timestamp + interval '1 hour',
       exit_reason = 'manual'
     where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_current_amount_check', 'positions',
   $$update walltrack.positions set current_amount = -1 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_current_price_check', 'positions',
   $$update walltrack.positions set current_price = 0 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_fees_usd_check', 'positions',
   $$update walltrack.positions set fees_usd = 'Infinity' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_decision_delay_seconds_check', 'positions',
   $$update walltrack.positions set decision_delay_seconds = -1 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_entry_amount_check', 'positions',
   $$update walltrack.positions set entry_amount = 0, current_amount = 0 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_entry_is_complete', 'positions',
   $$update walltrack.positions set entry_timestamp = null where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_entry_price_check', 'positions',
   $$update walltrack.positions set entry_price = 0 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_entry_value_usd_check', 'positions',
   $$update walltrack.positions set entry_value_usd = 0 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_exit_amount_check', 'positions',
   $$update walltrack.positions set exit_amount = -1 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_exit_price_check', 'positions',
   $$update walltrack.positions set exit_price = 0 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_exit_reason_check', 'positions',
   $$update walltrack.positions set exit_reason = 'panic' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_exit_time_after_entry', 'positions',
   $$update walltrack.positions
     set status = 'closed', current_amount = 0, exit_reason = 'manual',
         closed_at = entry_timestamp - interval '1 hour'
     where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_fill_delay_seconds_check', 'positions',
   $$update walltrack.positions set fill_delay_seconds = -1 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_leader_price_usd_check', 'positions',
   $$update walltrack.positions set leader_price_usd = 0 where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_live_entry_has_signature', 'positions',
   $$update walltrack.positions set mode = 'live', entry_tx_signature = null where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_mode_check', 'positions', $$update walltrack.positions set mode = 'paper' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_open_has_no_close', 'positions',
   $$update walltrack.positions set closed_at = entry_timestamp + interval '1 hour' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_override_is_object', 'positions',
   $$update walltrack.positions set exit_strategy_override = '[]' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  -- peak_price is kept by the PnL trigger while both prices are known; without a current price it
  -- is stored as written, and the CHECK is what stands behind it.
  ('positions_prices_are_finite', 'positions',
   $$update walltrack.positions set exit_price = 'NaN' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_pnl_is_finite', 'positions',
   $$update walltrack.positions set realized_pnl_usd = '-Infinity' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_override_levels_valid', 'positions',
   $$update walltrack.positions set exit_strategy_override = '{"scaling_levels": [{"multiplier": 2, "sell_percent": 10, "x": 1}]}'
     where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_override_max_hold_valid', 'positions',
   $$update walltrack.positions set exit_strategy_override = '{"max_hold_minutes": 90.5}'
     where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_price_source_length', 'positions',
   $$update walltrack.positions set price_source = '' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_peak_price_check', 'positions',
   $$update walltrack.positions set peak_price = -1, current_price = null where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),
  ('positions_status_check', 'positions', $$update walltrack.positions set status = 'pending' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$),

  -- performance
  ('performance_average_loss_usd_check', 'performance',
   $$update walltrack.performance set average_loss_usd = 1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_average_win_usd_check', 'performance',
   $$update walltrack.performance set average_win_usd = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_breakeven_positions_check', 'performance',
   $$update walltrack.performance set winning_positions = 1, breakeven_positions = -1, total_positions = 0
     where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_current_loss_streak_check', 'performance',
   $$update walltrack.performance set current_loss_streak = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_current_win_streak_check', 'performance',
   $$update walltrack.performance set current_win_streak = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_losing_positions_check', 'performance',
   $$update walltrack.performance set winning_positions = 1, losing_positions = -1, total_positions = 0
     where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_max_drawdown_percent_check', 'performance',
   $$update walltrack.performance set max_drawdown_percent = 101 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_max_drawdown_usd_check', 'performance',
   $$update walltrack.performance set max_drawdown_usd = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_max_loss_streak_check', 'performance',
   $$update walltrack.performance set max_loss_streak = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_max_win_streak_check', 'performance',
   $$update walltrack.performance set max_win_streak = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_median_copy_delay_seconds_check', 'performance',
   $$update walltrack.performance set median_copy_delay_seconds = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_only_one_current_streak', 'performance',
   $$update walltrack.performance
     set current_win_streak = 1, current_loss_streak = 1, max_win_streak = 1, max_loss_streak = 1
     where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_outcomes_add_up', 'performance',
   $$update walltrack.performance set total_positions = 1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_positions_24h_check', 'performance',
   $$update walltrack.performance set positions_24h = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_positions_30d_check', 'performance',
   $$update walltrack.performance set positions_30d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_positions_7d_check', 'performance',
   $$update walltrack.performance set positions_7d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_profit_factor_check', 'performance',
   $$update walltrack.performance set profit_factor = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_profit_ratio_check', 'performance',
   $$update walltrack.performance set profit_ratio = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_signal_count_24h_check', 'performance',
   $$update walltrack.performance set signal_count_24h = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_signal_count_30d_check', 'performance',
   $$update walltrack.performance set signal_count_30d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_signal_count_7d_check', 'performance',
   $$update walltrack.performance set signal_count_7d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_capture_rate_percent_check', 'performance',
   $$update walltrack.performance set capture_rate_percent = 100.01 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_signals_polled_30d_check', 'performance',
   $$update walltrack.performance set signals_polled_30d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_signals_recovered_30d_check', 'performance',
   $$update walltrack.performance set signals_recovered_30d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_signals_webhook_30d_check', 'performance',
   $$update walltrack.performance set signals_webhook_30d = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_streaks_within_max', 'performance',
   $$update walltrack.performance set current_win_streak = 1, max_win_streak = 0 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_total_positions_check', 'performance',
   $$update walltrack.performance set total_positions = -1, winning_positions = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_win_rate_check', 'performance',
   $$update walltrack.performance set win_rate = 101 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_windows_nest', 'performance',
   $$update walltrack.performance set signal_count_24h = 1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('performance_winning_positions_check', 'performance',
   $$update walltrack.performance set winning_positions = -1, losing_positions = 1, total_positions = 0
     where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),

  -- circuit_breaker_events (a copy of the fixture activation with one change)
  ('circuit_breaker_events_consecutive_losses_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"consecutive_losses": -1}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_current_win_rate_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"current_win_rate": 101}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_deactivation_names_activation', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"activation_event_id": "c0ffee00-0000-4000-8000-000000000cb1"}') r
     where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_deactivation_reason', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"event_type": "deactivated", "activation_event_id": "c0ffee00-0000-4000-8000-000000000cb1",
                                "deactivated_at": null, "trigger_reason": "max_drawdown"}') r
     where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_event_type_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"event_type": "paused", "deactivated_at": null}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_mode_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"mode": "paper"}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_new_positions_blocked_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"new_positions_blocked": -1}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_open_positions_at_activation_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"open_positions_at_activation": -1}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_stamp_only_on_activation', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"event_type": "deactivated", "activation_event_id": "c0ffee00-0000-4000-8000-000000000cb1"}') r
     where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  ('circuit_breaker_events_trigger_reason_check', 'circuit_breaker_events',
   $$insert into walltrack.circuit_breaker_events select r.* from walltrack.circuit_breaker_events e,
     jsonb_populate_record(e, '{"trigger_reason": "bored"}') r where e.id = 'c0ffee00-0000-4000-8000-000000000cb1'$$),
  -- rejected_transactions (what the webhook refused, one row per transaction)
  ('rejected_transactions_excerpt_length', 'rejected_transactions',
   $$insert into walltrack.rejected_transactions (position_in_delivery, reason, payload_excerpt, webhook_received_at)
     values (0, 'x', repeat('x', 2001), now())$$),
  ('rejected_transactions_position_check', 'rejected_transactions',
   $$insert into walltrack.rejected_transactions (position_in_delivery, reason, payload_excerpt, webhook_received_at)
     values (-1, 'x', '{}', now())$$),
  ('rejected_transactions_reason_length', 'rejected_transactions',
   $$insert into walltrack.rejected_transactions (position_in_delivery, reason, payload_excerpt, webhook_received_at)
     values (0, '', '{}', now())$$),
  ('rejected_transactions_signature_length', 'rejected_transactions',
   $$insert into walltrack.rejected_transactions (transaction_signature, position_in_delivery, reason, payload_excerpt, webhook_received_at)
     values (repeat('x', 129), 0, 'x', '{}', now())$$),
  -- price_refusals (prices the monitor refused)
  ('price_refusals_jump_has_prices', 'price_refusals',
   $$insert into walltrack.price_refusals (token_address, source, reason) values ('x', 'jupiter', 'unconfirmed_jump')$$),
  ('price_refusals_observed_length', 'price_refusals',
   $$insert into walltrack.price_refusals (token_address, source, observed, reason) values ('x', 'jupiter', repeat('x', 101), 'absurd')$$),
  ('price_refusals_reason_check', 'price_refusals',
   $$insert into walltrack.price_refusals (token_address, source, reason) values ('x', 'jupiter', 'bored')$$),
  ('price_refusals_source_length', 'price_refusals',
   $$insert into walltrack.price_refusals (token_address, source, reason) values ('x', '', 'absurd')$$),
  ('price_refusals_token_address_length', 'price_refusals',
   $$insert into walltrack.price_refusals (token_address, source, reason) values (repeat('x', 65), 'jupiter', 'absurd')$$),
  -- edge_function_calls: a call not sent says why
  ('edge_function_calls_unsent_has_error', 'edge_function_calls',
   $$insert into walltrack.edge_function_calls (function_name) values ('test-check')$$),
  -- leader_pause_events (per-leader pauses)
  ('leader_pause_events_consecutive_losses_check', 'leader_pause_events',
   $$insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason, pause_until, consecutive_losses)
     values ('c0ffee00-0000-4000-8000-00000000a001', 'paused', 'consecutive_losses', now(), -1)$$),
  ('leader_pause_events_event_type_check', 'leader_pause_events',
   $$insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason, pause_until)
     values ('c0ffee00-0000-4000-8000-00000000a001', 'snoozed', 'manual', now())$$),
  ('leader_pause_events_pause_has_end', 'leader_pause_events',
   $$insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason)
     values ('c0ffee00-0000-4000-8000-00000000a001', 'paused', 'manual')$$),
  ('leader_pause_events_trigger_reason_check', 'leader_pause_events',
   $$insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason, pause_until)
     values ('c0ffee00-0000-4000-8000-00000000a001', 'paused', 'bad_mood', now())$$),
  ('leader_pause_events_unpause_is_manual', 'leader_pause_events',
   $$insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason, pause_event_id)
     values ('c0ffee00-0000-4000-8000-00000000a001', 'unpaused', 'loss_limit', 'c0ffee00-0000-4000-8000-0000000001e1')$$),
  ('leader_pause_events_unpause_names_pause', 'leader_pause_events',
   $$insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason)
     values ('c0ffee00-0000-4000-8000-00000000a001', 'unpaused', 'manual')$$),
  -- token_lists (the operator's deny and allow lists)
  ('token_lists_allow_is_operator', 'token_lists',
   $$insert into walltrack.token_lists (mint, list, kind) values ('DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'allow', 'stablecoin')$$),
  ('token_lists_kind_check', 'token_lists',
   $$insert into walltrack.token_lists (mint, list, kind) values ('DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'deny', 'memecoin')$$),
  ('token_lists_list_check', 'token_lists',
   $$insert into walltrack.token_lists (mint, list, kind) values ('DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'maybe', 'operator')$$),
  ('token_lists_note_length', 'token_lists',
   $$insert into walltrack.token_lists (mint, list, kind, note) values ('DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'deny', 'operator', repeat('x', 501))$$),
  ('token_lists_symbol_length', 'token_lists',
   $$insert into walltrack.token_lists (mint, list, kind, symbol) values ('DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', 'deny', 'operator', '')$$),
  -- job_schedule (the pg_cron jobs as designed)
  ('job_schedule_command_check', 'job_schedule',
   $$update walltrack.job_schedule set command = 'delete from walltrack.positions' where jobname = 'walltrack-price-monitor'$$),
  ('job_schedule_jobname_check', 'job_schedule',
   $$update walltrack.job_schedule set jobname = 'price monitor' where jobname = 'walltrack-price-monitor'$$),
  ('job_schedule_purpose_length', 'job_schedule',
   $$update walltrack.job_schedule set purpose = '' where jobname = 'walltrack-price-monitor'$$),
  ('job_schedule_schedule_check', 'job_schedule',
   $$update walltrack.job_schedule set schedule = '10 seconds' where jobname = 'walltrack-price-monitor'$$),
  -- performance_close_totals / performance_copy_values (performance kept as positions change)
  ('performance_close_totals_outcomes_add_up', 'performance_close_totals',
   $$insert into walltrack.performance_close_totals (wallet_id, closes, wins) values ('c0ffee00-0000-4000-8000-00000000a001', 2, 1)$$),
  ('performance_close_totals_outcome_check', 'performance_close_totals',
   $$insert into walltrack.performance_close_totals (wallet_id, last_outcome) values ('c0ffee00-0000-4000-8000-00000000a001', 'X')$$),
  ('performance_copy_values_measure_check', 'performance_copy_values',
   $$insert into walltrack.performance_copy_values (wallet_id, measure, value, positions) values ('c0ffee00-0000-4000-8000-00000000a001', 'speed', 1, 1)$$),
  -- capture_cursors (the fixture wallet, added active, has one) and fetched_transactions
  ('capture_cursors_last_error_length', 'capture_cursors',
   $$update walltrack.capture_cursors set last_error = repeat('x', 2001) where wallet_id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('capture_cursors_walk_is_whole', 'capture_cursors',
   $$update walltrack.capture_cursors set walk_top_signature = 'TestSignatureA11111111111111111111111111111111111111111111111111'
     where wallet_id = 'c0ffee00-0000-4000-8000-00000000a001'$$),
  ('fetched_transactions_delivery_check', 'fetched_transactions',
   $$insert into walltrack.fetched_transactions (transaction_signature, delivery, outcome)
     values ('TestSignatureA11111111111111111111111111111111111111111111111111', 'webhook', 'signals')$$),
  ('fetched_transactions_outcome_check', 'fetched_transactions',
   $$insert into walltrack.fetched_transactions (transaction_signature, delivery, outcome)
     values ('TestSignatureA11111111111111111111111111111111111111111111111111', 'recovered', 'lost')$$),
  ('exit_strategies_mirror_mode_check', 'exit_strategies',
   $$update walltrack.exit_strategies set mirror_mode = 'half' where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_mirror_share_percent_check', 'exit_strategies',
   $$update walltrack.exit_strategies set mirror_share_percent = 0 where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('exit_strategies_mirror_fallback_check', 'exit_strategies',
   $$update walltrack.exit_strategies set mirror_fallback = 'half' where id = 'c0ffee00-0000-4000-8000-000000000e51'$$),
  ('config_priority_fee_mode_check', 'config', $$update walltrack.config set priority_fee_mode = 'auto'$$),
  ('config_priority_fee_level_check', 'config', $$update walltrack.config set priority_fee_level = 'extreme'$$),
  ('config_priority_fee_max_lamports_check', 'config', $$update walltrack.config set priority_fee_max_lamports = 100000001$$),
  ('config_log_retention_days_check', 'config', $$update walltrack.config set log_retention_days = 0$$),
  ('orders_network_fee_lamports_check', 'orders',
   $$update walltrack.orders set network_fee_lamports = -1 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('failed_swap_fees_mode_check', 'failed_swap_fees',
   $$insert into walltrack.failed_swap_fees (tx_signature, order_id, position_id, mode, network_fee_lamports, priority_fee_lamports, sol_usd_price, fee_usd) values ('TestSignatureFee1111111111111111111111111111111111111111111111111', 'c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000e001', 'simulation', 10000, 5000, 150, 0.0015)$$),
  ('failed_swap_fees_network_fee_lamports_check', 'failed_swap_fees',
   $$insert into walltrack.failed_swap_fees (tx_signature, order_id, position_id, mode, network_fee_lamports, priority_fee_lamports, sol_usd_price, fee_usd) values ('TestSignatureFee1111111111111111111111111111111111111111111111111', 'c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000e001', 'live', 0, 0, 150, 0)$$),
  ('failed_swap_fees_priority_fee_lamports_check', 'failed_swap_fees',
   $$insert into walltrack.failed_swap_fees (tx_signature, order_id, position_id, mode, network_fee_lamports, priority_fee_lamports, sol_usd_price, fee_usd) values ('TestSignatureFee1111111111111111111111111111111111111111111111111', 'c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000e001', 'live', 10000, 10001, 150, 0.0015)$$),
  ('failed_swap_fees_sol_usd_price_check', 'failed_swap_fees',
   $$insert into walltrack.failed_swap_fees (tx_signature, order_id, position_id, mode, network_fee_lamports, priority_fee_lamports, sol_usd_price, fee_usd) values ('TestSignatureFee1111111111111111111111111111111111111111111111111', 'c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000e001', 'live', 10000, 5000, 0, 0)$$),
  ('failed_swap_fees_fee_usd_check', 'failed_swap_fees',
   $$insert into walltrack.failed_swap_fees (tx_signature, order_id, position_id, mode, network_fee_lamports, priority_fee_lamports, sol_usd_price, fee_usd) values ('TestSignatureFee1111111111111111111111111111111111111111111111111', 'c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000e001', 'live', 10000, 5000, 150, -1)$$),
  ('orders_fee_usd_check', 'orders',
   $$update walltrack.orders set fee_usd = -0.01 where id = 'c0ffee00-0000-4000-8000-00000000d001'$$),
  ('leader_sell_balances_held_before_raw_check', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', 1.5, 1, 6, 'rpc_get_transaction', null)$$),
  ('leader_sell_balances_held_after_raw_check', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', 3, -1, 6, 'rpc_get_transaction', null)$$),
  ('leader_sell_balances_token_decimals_check', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', 3, 2, 19, 'rpc_get_transaction', null)$$),
  ('leader_sell_balances_source_check', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', 3, 2, 6, 'helius', null)$$),
  ('leader_sell_balances_unknown_reason_check', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', null, null, null, null, 'unlucky')$$),
  ('leader_sell_balances_known_or_why', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', 3, 2, 6, 'rpc_get_transaction', 'rpc_unavailable')$$),
  ('leader_sell_balances_a_sale', 'leader_sell_balances',
   $$insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source, unknown_reason) values ('c0ffee00-0000-4000-8000-00000000c001', 2, 3, 6, 'rpc_get_transaction', null)$$),
  -- price history: retention settings, raw prices and one-minute candles
  ('config_price_history_raw_days_check', 'config', $$update walltrack.config set price_history_raw_days = 0$$),
  ('config_price_candle_days_check', 'config', $$update walltrack.config set price_candle_days = 3651$$),
  ('config_shadow_book_hours_check', 'config', $$update walltrack.config set shadow_book_hours = 0$$),
  ('config_do_not_copy_min_trades_check', 'config', $$update walltrack.config set do_not_copy_min_trades = 0$$),
  ('performance_copied_trades_check', 'performance',
   $$update walltrack.performance set copied_trades = -1 where id = 'c0ffee00-0000-4000-8000-00000000f001'$$),
  ('config_candles_outlive_raw_prices', 'config', $$update walltrack.config set price_history_raw_days = 5, price_candle_days = 4$$),
  ('price_series_token_address_length', 'price_series',
   $$insert into walltrack.price_series (token_address) values ('')$$),
  ('price_series_last_price_usd_check', 'price_series',
   $$insert into walltrack.price_series (token_address, last_price_usd) values ('x', 0)$$),
  ('price_history_price_usd_check', 'price_history',
   $$insert into walltrack.price_history (series_id, observed_at, price_usd, source) values (walltrack.price_series_id('x'), now(), 'Infinity', 'jupiter')$$),
  ('price_history_source_length', 'price_history',
   $$insert into walltrack.price_history (series_id, observed_at, price_usd, source) values (walltrack.price_series_id('x'), now(), 1, repeat('x', 33))$$),
  ('price_candles_minute_is_whole', 'price_candles',
   $$insert into walltrack.price_candles values (walltrack.price_series_id('x'), '2026-01-01 00:00:01', 1, 1, 1, 1, 1)$$),
  ('price_candles_observations_check', 'price_candles',
   $$insert into walltrack.price_candles values (walltrack.price_series_id('x'), '2026-01-01', 1, 1, 1, 1, 0)$$),
  ('price_candles_prices_are_ordered', 'price_candles',
   $$insert into walltrack.price_candles values (walltrack.price_series_id('x'), '2026-01-01', 1, 2, 1.5, 1, 1)$$),
  -- the audit log and the notifications (issue 16)
  ('audit_log_action_check', 'audit_log',
   $$insert into walltrack.audit_log (table_name, row_id, action, db_role, session_user_name) values ('config', 'x', 'upsert', 'me', 'me')$$),
  ('config_notify_order_unconfirmed_minutes_check', 'config', $$update walltrack.config set notify_order_unconfirmed_minutes = 0$$),
  ('config_notify_webhook_silence_minutes_check', 'config', $$update walltrack.config set notify_webhook_silence_minutes = 0$$),
  ('notification_channels_channel_check', 'notification_channels',
   $$insert into walltrack.notification_channels (channel) values ('slack')$$),
  ('notification_channels_level_check', 'notification_channels', $$update walltrack.notification_channels set level = 'loud'$$),
  ('notification_channels_max_attempts_check', 'notification_channels', $$update walltrack.notification_channels set max_attempts = 0$$),
  ('notification_channels_rate_limit_per_minute_check', 'notification_channels', $$update walltrack.notification_channels set rate_limit_per_minute = 0$$),
  ('notifications_body_check', 'notifications',
   $$insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 't', repeat('x', 3001), 'check:body')$$),
  ('notifications_details_check', 'notifications',
   $$insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key) values ('exit_fired', 'info', 't', 'b', '[]', 'check:details')$$),
  ('notifications_event_type_check', 'notifications',
   $$insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('moon', 'info', 't', 'b', 'check:event')$$),
  ('notifications_severity_check', 'notifications',
   $$insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'loud', 't', 'b', 'check:severity')$$),
  ('notifications_title_check', 'notifications',
   $$insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', '', 'b', 'check:title')$$),
  ('notification_deliveries_attempts_check', 'notification_deliveries',
   $$with n as (insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 't', 'b', 'check:attempts') returning id)
     insert into walltrack.notification_deliveries (notification_id, channel, attempts) select id, 'webhook', -1 from n$$),
  ('notification_deliveries_delivered_has_time', 'notification_deliveries',
   $$with n as (insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 't', 'b', 'check:delivered') returning id)
     insert into walltrack.notification_deliveries (notification_id, channel, status) select id, 'webhook', 'delivered' from n$$),
  ('notification_deliveries_last_error_check', 'notification_deliveries',
   $$with n as (insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 't', 'b', 'check:error') returning id)
     insert into walltrack.notification_deliveries (notification_id, channel, last_error) select id, 'webhook', repeat('x', 501) from n$$),
  ('notification_deliveries_status_check', 'notification_deliveries',
   $$with n as (insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 't', 'b', 'check:status') returning id)
     insert into walltrack.notification_deliveries (notification_id, channel, status) select id, 'webhook', 'lost' from n$$);

select throws_ok(
  statement,
  '23514',
  format('new row for relation "%s" violates check constraint "%s"', table_name, constraint_name),
  format('%s rejects a bad value', constraint_name)
)
from bad_values
order by table_name, constraint_name;

select is(
  array(
    select format('%s.%s', k.conrelid::regclass, k.conname)
    from pg_catalog.pg_constraint k
    where k.connamespace = 'walltrack'::regnamespace
      and k.contype = 'c'
      and k.conrelid <> 0
      and k.conname not in (select constraint_name from bad_values)
    order by 1
  ),
  '{}'::text[],
  'every CHECK constraint of every walltrack table is exercised above'
);

select * from finish();
rollback;
