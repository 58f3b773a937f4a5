-- The walltrack functions (trigger functions, the scale-out validator, the token scoring, signal
-- recording and processing, the sweepers, the order lifecycle and executor, exit evaluation and
-- accounting, the price monitor, the circuit breaker, the performance refresh, the Helius address
-- sync and the operator's commands) and the two Solana domains exist with their designed signatures,
-- return types, languages, base types and rules, each commented.
begin;
create extension if not exists pgtap with schema extensions;

create temp table expected_functions (
  function_name name not null,
  args text[] not null,
  returns text not null,
  language name not null
);

insert into expected_functions (function_name, args, returns, language) values
  ('set_updated_at', '{}', 'trigger', 'plpgsql'),
  ('enforce_config_singleton', '{}', 'trigger', 'plpgsql'),
  ('scaling_levels_are_valid', '{jsonb}', 'boolean', 'sql'),
  ('protect_signal_facts', '{}', 'trigger', 'plpgsql'),
  ('set_order_execution_duration', '{}', 'trigger', 'plpgsql'),
  ('recompute_position_pnl', '{}', 'trigger', 'plpgsql'),
  ('protect_circuit_breaker_events', '{}', 'trigger', 'plpgsql'),
  ('score_token', '{numeric,numeric,boolean,boolean,boolean,integer,numeric,boolean}', 'record', 'sql'),
  ('store_token_analyses', '{jsonb}', 'integer', 'sql'),
  ('record_signals', '{jsonb}', 'jsonb', 'plpgsql'),
  ('record_rejected_transactions', '{jsonb}', 'integer', 'plpgsql'),
  ('apply_entry_fill', '{}', 'trigger', 'plpgsql'),
  ('effective_exit_strategy', '{uuid,jsonb}', 'jsonb', 'sql'),
  ('signal_processing_needs', '{uuid[]}', 'jsonb', 'sql'),
  ('open_exposure', '{}', 'record', 'sql'),
  ('process_signals', '{uuid[],numeric,text,integer}', 'jsonb', 'plpgsql'),
  ('invoke_edge_function', '{text,jsonb}', 'bigint', 'plpgsql'),
  ('sweep_unprocessed_signals', '{interval}', 'bigint', 'plpgsql'),
  ('schedule_jobs', '{}', 'setof text', 'plpgsql'),
  ('enforce_order_status_transition', '{}', 'trigger', 'plpgsql'),
  ('swap_in_doubt', '{text,text}', 'boolean', 'sql'),
  ('exit_reason_of', '{text}', 'text', 'sql'),
  ('apply_exit_fill', '{}', 'trigger', 'plpgsql'),
  ('position_strategy', '{walltrack.positions}', 'jsonb', 'sql'),
  ('evaluate_exits', '{}', 'trigger', 'plpgsql'),
  ('close_position_manually', '{uuid}', 'uuid', 'plpgsql'),
  -- The named rules and the facts they share (20261205130000..130600, exit rules in 20261121002200).
  ('safety_analysis_is_fresh', '{"timestamp with time zone","timestamp with time zone"}', 'boolean', 'plpgsql'),
  ('realized_pnl_today_usd', '{"timestamp with time zone",text}', 'numeric', 'sql'),
  ('wsol_mint', '{}', 'text', 'sql'),
  ('token_decimals', '{uuid}', 'integer', 'plpgsql'),
  ('simulated_fill_price', '{numeric,numeric,boolean}', 'numeric', 'sql'),
  ('is_full_exit', '{text}', 'boolean', 'sql'),
  ('full_exit_in_flight', '{uuid}', 'boolean', 'plpgsql'),
  ('exits_in_flight_amount', '{uuid}', 'numeric', 'plpgsql'),
  ('create_exit_order', '{walltrack.positions,text,numeric,numeric,uuid,smallint,numeric,"timestamp with time zone"}', 'uuid', 'plpgsql'),
  ('position_size_usd', '{walltrack.signals,walltrack.config,numeric}', 'numeric', 'plpgsql'),
  ('buy_filter_reason', '{walltrack.signals,walltrack.wallets,walltrack.tokens,walltrack.config,numeric,numeric,numeric,"timestamp with time zone"}', 'text', 'plpgsql'),
  ('open_position', '{walltrack.signals,walltrack.wallets,walltrack.tokens,walltrack.config,numeric,numeric,numeric,"timestamp with time zone"}', 'uuid', 'plpgsql'),
  ('mirror_exit', '{walltrack.signals,numeric,"timestamp with time zone"}', 'record', 'plpgsql'),
  ('record_signal_outcome', '{walltrack.signals,uuid,text,uuid,numeric,numeric,text,"timestamp with time zone"}', 'void', 'plpgsql'),
  ('stop_loss_price', '{walltrack.positions,jsonb}', 'numeric', 'sql'),
  ('trailing_stop_price', '{walltrack.positions,jsonb}', 'numeric', 'sql'),
  ('trailing_stop_arms', '{walltrack.positions,jsonb}', 'boolean', 'sql'),
  ('scale_out_levels_due', '{walltrack.positions,jsonb,numeric}', 'setof record', 'plpgsql'),
  ('order_lease', '{}', 'interval', 'sql'),
  ('claim_orders', '{integer,interval}', 'jsonb', 'sql'),
  ('fill_simulated_orders', '{uuid[]}', 'jsonb', 'plpgsql'),
  ('release_order_claims', '{jsonb}', 'integer', 'sql'),
  ('record_order_submission', '{uuid,jsonb}', 'timestamp with time zone', 'plpgsql'),
  ('record_order_fill', '{uuid,jsonb}', 'void', 'plpgsql'),
  ('record_order_failure', '{uuid,text,text,integer,boolean,"timestamp with time zone"}', 'text', 'plpgsql'),
  ('defer_order', '{uuid,text,text,integer,"timestamp with time zone"}', 'boolean', 'sql'),
  ('kick_order_executor', '{}', 'trigger', 'plpgsql'),
  ('sweep_pending_orders', '{}', 'bigint', 'plpgsql'),
  ('open_position_tokens', '{}', 'text[]', 'sql'),
  ('apply_prices', '{jsonb,numeric}', 'jsonb', 'plpgsql'),
  ('swap_price_usd', '{walltrack.signals,numeric}', 'numeric', 'sql'),
  ('swap_price_is_current', '{walltrack.signals,integer,"timestamp with time zone"}', 'boolean', 'sql'),
  ('apply_swap_prices', '{}', 'trigger', 'plpgsql'),
  ('max_hold_reached', '{walltrack.positions,jsonb,"timestamp with time zone"}', 'boolean', 'sql'),
  ('evaluate_exits_on_timer', '{}', 'jsonb', 'plpgsql'),
  ('override_position_max_hold', '{uuid,integer}', 'jsonb', 'plpgsql'),
  ('exits_status', '{}', 'jsonb', 'sql'),
  ('monitor_prices', '{}', 'bigint', 'plpgsql'),
  ('circuit_breaker_metrics', '{text}', 'record', 'sql'),
  ('sync_circuit_breaker_config', '{}', 'void', 'sql'),
  ('deactivate_circuit_breaker', '{text,text}', 'uuid', 'plpgsql'),
  ('reset_circuit_breaker', '{}', 'uuid', 'plpgsql'),
  ('activate_circuit_breaker', '{text,text}', 'uuid', 'plpgsql'),
  ('circuit_breaker_blocks', '{text}', 'boolean', 'sql'),
  ('evaluate_circuit_breaker', '{text}', 'text', 'plpgsql'),
  ('evaluate_circuit_breakers', '{}', 'jsonb', 'sql'),
  ('median', '{numeric[]}', 'numeric', 'sql'),
  ('claim_priority', '{text,text}', 'integer', 'sql'),
  ('reevaluate_stale_exits', '{}', 'integer', 'sql'),
  ('stuck_positions', '{}', 'setof record', 'sql'),
  ('price_refusal_reason', '{text}', 'text', 'sql'),
  ('record_price_history', '{jsonb}', 'integer', 'plpgsql'),
  ('price_series_id', '{text}', 'integer', 'sql'),
  ('record_fill_price', '{}', 'trigger', 'plpgsql'),
  ('compact_price_history', '{"timestamp with time zone"}', 'jsonb', 'plpgsql'),
  ('purge_old_logs', '{"timestamp with time zone"}', 'jsonb', 'plpgsql'),
  ('price_history_status', '{}', 'jsonb', 'sql'),
  ('price_at', '{text,"timestamp with time zone","timestamp with time zone"}', 'numeric', 'sql'),
  ('price_path', '{text,"timestamp with time zone","timestamp with time zone"}', 'setof record', 'sql'),
  ('replay_trade', '{text,"timestamp with time zone",numeric,jsonb,"timestamp with time zone",numeric,"timestamp with time zone",numeric,uuid,jsonb}', 'setof record', 'plpgsql'),
  ('replay_signal', '{walltrack.signals,jsonb,"timestamp with time zone",numeric,numeric}', 'setof record', 'plpgsql'),
  ('shadow_book_tokens', '{}', 'text[]', 'sql'),
  ('shadow_book_status', '{}', 'jsonb', 'sql'),
  ('replay_report', '{text,interval,text,numeric,numeric}', 'setof record', 'plpgsql'),
  ('refresh_copyability', '{}', 'integer', 'sql'),
  ('copyability_status', '{}', 'jsonb', 'sql'),
  ('token_list_reason', '{walltrack.signals}', 'text', 'plpgsql'),
  ('is_quote_like', '{text}', 'boolean', 'sql'),
  ('token_pair_reading_kept', '{text,text,text}', 'boolean', 'sql'),
  ('signal_quote_mint', '{walltrack.signals}', 'text', 'sql'),
  ('quote_usd', '{walltrack.signals,numeric}', 'numeric', 'sql'),
  ('price_quote_assets', '{jsonb}', 'integer', 'sql'),
  ('list_token', '{text,text,text,text,text}', 'text', 'plpgsql'),
  ('unlist_token', '{text}', 'walltrack.token_lists', 'plpgsql'),
  ('sane_usd_price', '{text}', 'numeric', 'sql'),
  ('price_jump', '{numeric,numeric,numeric}', 'boolean', 'sql'),
  ('evaluate_circuit_breaker_on_close', '{}', 'trigger', 'plpgsql'),
  ('refresh_performance', '{}', 'integer', 'sql'),
  ('mark_wallet_sync_pending', '{}', 'trigger', 'plpgsql'),
  ('helius_sync_plan', '{}', 'jsonb', 'sql'),
  ('record_helius_sync', '{jsonb}', 'integer', 'plpgsql'),
  ('sync_helius_addresses', '{}', 'bigint', 'plpgsql'),
  ('helius_sync_backoff', '{integer}', 'interval', 'sql'),
  ('claim_helius_sync', '{interval}', 'jsonb', 'plpgsql'),
  ('finish_helius_sync', '{uuid,jsonb}', 'boolean', 'plpgsql'),
  ('add_wallet', '{text,text,text,text,text,text}', 'uuid', 'plpgsql'),
  ('find_wallet', '{text}', 'walltrack.wallets', 'plpgsql'),
  ('set_wallet_active', '{text,boolean}', 'void', 'sql'),
  ('set_wallet_mode', '{text,text}', 'void', 'sql'),
  ('set_wallet_strategy', '{text,text}', 'void', 'plpgsql'),
  ('override_position_strategy', '{uuid,jsonb}', 'jsonb', 'plpgsql'),
  ('status_summary', '{}', 'jsonb', 'sql'),
  ('status_core', '{}', 'jsonb', 'sql'),
  ('refuse_live_send_of_mock_data', '{}', 'trigger', 'plpgsql'),
  ('cron_schedule_interval', '{text}', 'interval', 'sql'),
  ('scheduled_job_problem', '{boolean,text,text,"timestamp with time zone",interval,"timestamp with time zone","timestamp with time zone"}', 'text', 'sql'),
  ('edge_function_call_outcome', '{boolean,boolean,integer,boolean,"timestamp with time zone","timestamp with time zone"}', 'text', 'sql'),
  ('edge_function_call_problem', '{text,integer,text}', 'text', 'sql'),
  ('record_edge_function_outcomes', '{}', 'integer', 'plpgsql'),
  ('lock_performance_close_totals', '{uuid[]}', 'void', 'plpgsql'),
  ('reset_performance_close_totals', '{uuid[]}', 'void', 'sql'),
  ('fold_performance_closes', '{uuid[]}', 'void', 'sql'),
  ('performance_track_inserted_positions', '{}', 'trigger', 'plpgsql'),
  ('performance_track_updated_positions', '{}', 'trigger', 'plpgsql'),
  ('performance_track_deleted_positions', '{}', 'trigger', 'plpgsql'),
  ('performance_track_truncated_positions', '{}', 'trigger', 'plpgsql'),
  ('performance_track_capital', '{}', 'trigger', 'plpgsql'),
  ('rebuild_performance_totals', '{}', 'integer', 'plpgsql'),
  ('performance_recomputed', '{}', 'setof record', 'sql'),
  ('performance_drift', '{}', 'setof record', 'sql'),
  ('performance_status', '{}', 'jsonb', 'sql'),
  ('start_capture_cursor', '{}', 'trigger', 'plpgsql'),
  ('capture_interval', '{}', 'interval', 'sql'),
  ('capture_backoff', '{integer,integer}', 'interval', 'sql'),
  ('claim_capture_run', '{interval}', 'jsonb', 'plpgsql'),
  ('capture_missing_signatures', '{text[]}', 'text[]', 'sql'),
  ('record_recovered_transactions', '{jsonb,jsonb,text[],text}', 'jsonb', 'plpgsql'),
  ('refresh_capture_rates', '{}', 'integer', 'plpgsql'),
  ('finish_capture_run', '{uuid,jsonb}', 'boolean', 'plpgsql'),
  ('reconcile_capture', '{}', 'bigint', 'plpgsql'),
  ('set_delivery_mode', '{text,integer,integer}', 'jsonb', 'plpgsql'),
  ('capture_status', '{}', 'jsonb', 'sql'),
  ('mirror_mode', '{jsonb}', 'text', 'sql'),
  ('proportional_mirror_amount', '{numeric,integer,numeric,numeric}', 'numeric', 'sql'),
  ('mirror_lot_amount', '{walltrack.positions,jsonb,integer}', 'numeric', 'plpgsql'),
  ('leader_sells_to_measure', '{uuid[]}', 'jsonb', 'sql'),
  ('record_leader_sell_balances', '{jsonb}', 'integer', 'plpgsql'),
  ('set_strategy_mirror', '{text,text,numeric,text}', 'jsonb', 'plpgsql'),
  ('mirror_status', '{}', 'jsonb', 'sql'),
  ('priority_fee_request', '{}', 'jsonb', 'sql'),
  ('record_order_fees', '{uuid,bigint,bigint}', 'boolean', 'plpgsql'),
  ('record_failed_swap_fee', '{uuid,text,bigint,bigint}', 'numeric', 'plpgsql'),
  ('set_priority_fee', '{text,text,bigint,bigint}', 'jsonb', 'plpgsql'),
  ('protect_leader_pause_events', '{}', 'trigger', 'plpgsql'),
  ('leader_loss_metrics', '{uuid,"timestamp with time zone",integer}', 'record', 'sql'),
  ('leader_pause_in_force', '{uuid,"timestamp with time zone"}', 'walltrack.leader_pause_events', 'plpgsql'),
  ('leader_exposure', '{uuid}', 'record', 'plpgsql'),
  ('leader_risk_reason', '{walltrack.wallets,walltrack.config,numeric,"timestamp with time zone"}', 'text', 'plpgsql'),
  ('evaluate_leader_pause', '{uuid,uuid}', 'text', 'plpgsql'),
  ('evaluate_leader_pause_on_close', '{}', 'trigger', 'plpgsql'),
  ('set_leader_limits', '{text,jsonb}', 'walltrack.wallets', 'plpgsql'),
  ('pause_leader', '{text,integer}', 'walltrack.leader_pause_events', 'plpgsql'),
  ('unpause_leader', '{text}', 'walltrack.leader_pause_events', 'plpgsql'),
  ('leader_risk_status', '{}', 'jsonb', 'sql'),
  ('sell_check_reason', '{walltrack.tokens,walltrack.config,numeric,"timestamp with time zone"}', 'text', 'plpgsql'),
  ('sell_checks_needed', '{uuid[],numeric}', 'jsonb', 'sql'),
  ('store_sell_checks', '{jsonb}', 'integer', 'sql'),
  ('token_simulation_slippage_percent', '{walltrack.tokens,walltrack.config}', 'numeric', 'sql'),
  ('set_risk_settings', '{jsonb}', 'jsonb', 'plpgsql'),
  ('sell_check_status', '{}', 'jsonb', 'sql'),
  ('refuse_audit_log_change', '{}', 'trigger', 'plpgsql'),
  ('changed_fields', '{jsonb,jsonb,text[]}', 'jsonb', 'sql'),
  ('record_audit', '{}', 'trigger', 'plpgsql'),
  ('notification_level_admits', '{text,text}', 'boolean', 'sql'),
  ('route_notifications', '{}', 'trigger', 'plpgsql'),
  ('short_address', '{text}', 'text', 'sql'),
  ('usd', '{numeric}', 'text', 'sql'),
  ('notify_position_changes', '{}', 'trigger', 'plpgsql'),
  ('notify_order_changes', '{}', 'trigger', 'plpgsql'),
  ('notify_breaker_events', '{}', 'trigger', 'plpgsql'),
  ('notify_leader_paused', '{uuid,text,"timestamp with time zone"}', 'uuid', 'sql'),
  ('notify_leader_pause_event', '{}', 'trigger', 'plpgsql'),
  ('enqueue_due_notifications', '{"timestamp with time zone"}', 'integer', 'plpgsql'),
  ('notification_backoff', '{integer}', 'interval', 'sql'),
  ('claim_notification_deliveries', '{text[],interval,"timestamp with time zone"}', 'setof record', 'plpgsql'),
  ('record_notification_deliveries', '{jsonb,"timestamp with time zone"}', 'jsonb', 'plpgsql'),
  ('retry_failed_notifications', '{text}', 'integer', 'sql'),
  ('dispatch_notifications', '{}', 'bigint', 'plpgsql'),
  ('notifications_status', '{}', 'jsonb', 'sql');

-- The plan follows from the lists above: adding an object needs one row, not a recount.
select plan((select 3 * count(*)::integer + 11 from expected_functions));

select functions_are(
  'walltrack',
  array(select function_name from expected_functions),
  'walltrack has exactly the designed functions'
);

select has_function(
  'walltrack', function_name, args::name[],
  format('walltrack.%s(%s) exists', function_name, array_to_string(args, ', '))
)
from expected_functions
order by function_name;

select function_returns(
  'walltrack', function_name, args::name[], returns,
  format('walltrack.%s returns %s', function_name, returns)
)
from expected_functions
order by function_name;

select function_lang_is(
  'walltrack', function_name, args::name[], language,
  format('walltrack.%s is written in %s', function_name, language)
)
from expected_functions
order by function_name;

select volatility_is(
  'walltrack', 'scaling_levels_are_valid', array['jsonb']::name[], 'immutable',
  'scaling_levels_are_valid is immutable (it backs a CHECK constraint)'
);

select is(
  array(
    select p.proname::text
    from pg_catalog.pg_proc p
    where p.pronamespace = 'walltrack'::regnamespace
      and p.prosecdef
    order by 1
  ),
  -- record_audit writes the audit log, which no role may insert into (nobody forges an entry).
  '{record_audit}'::text[],
  'no walltrack function is security definer but the audit trigger''s'
);

select is(
  array(
    select p.proname::text
    from pg_catalog.pg_proc p
    where p.pronamespace = 'walltrack'::regnamespace
      and coalesce(btrim(pg_catalog.obj_description(p.oid, 'pg_proc')), '') = ''
    order by 1
  ),
  '{}'::text[],
  'every walltrack function has a comment'
);

select domains_are(
  'walltrack', array['solana_address', 'solana_signature'],
  'walltrack has exactly the two Solana domains'
);

select domain_type_is('walltrack', 'solana_address', 'text', 'solana_address is a text domain');
select domain_type_is('walltrack', 'solana_signature', 'text', 'solana_signature is a text domain');

select is(
  (select pg_catalog.pg_get_constraintdef(k.oid)
   from pg_catalog.pg_constraint k
   where k.contypid = to_regtype('walltrack.solana_address') and k.conname = 'solana_address_base58'),
  $$CHECK ((VALUE ~ '^[1-9A-HJ-NP-Za-km-z]{32,44}$'::text))$$,
  'solana_address checks the base58 alphabet and 32-44 characters'
);

select is(
  (select pg_catalog.pg_get_constraintdef(k.oid)
   from pg_catalog.pg_constraint k
   where k.contypid = to_regtype('walltrack.solana_signature') and k.conname = 'solana_signature_base58'),
  $$CHECK ((VALUE ~ '^[1-9A-HJ-NP-Za-km-z]{64,88}$'::text))$$,
  'solana_signature checks the base58 alphabet and 64-88 characters'
);

select ok(
  coalesce(btrim(pg_catalog.obj_description(to_regtype('walltrack.' || domain_name), 'pg_type')), '') <> '',
  format('domain walltrack.%s has a comment', domain_name)
)
from unnest(array['solana_address', 'solana_signature']) as d(domain_name)
order by domain_name;

select * from finish();
rollback;
