-- Every walltrack trigger exists, fires when designed (BEFORE or AFTER, on which events and
-- condition, per row or per statement), calls the designed function, and is enabled.
begin;
create extension if not exists pgtap with schema extensions;

create temp table expected_triggers (
  table_name name not null,
  trigger_name name not null,
  definition text not null
);

insert into expected_triggers (table_name, trigger_name, definition) values
  ('config', 'config_set_updated_at',
   'CREATE TRIGGER config_set_updated_at BEFORE UPDATE ON walltrack.config FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('config', 'config_singleton_delete',
   'CREATE TRIGGER config_singleton_delete BEFORE DELETE ON walltrack.config FOR EACH ROW EXECUTE FUNCTION walltrack.enforce_config_singleton()'),
  ('config', 'config_singleton_insert',
   'CREATE TRIGGER config_singleton_insert BEFORE INSERT ON walltrack.config FOR EACH ROW EXECUTE FUNCTION walltrack.enforce_config_singleton()'),
  ('config', 'config_singleton_truncate',
   'CREATE TRIGGER config_singleton_truncate BEFORE TRUNCATE ON walltrack.config FOR EACH STATEMENT EXECUTE FUNCTION walltrack.enforce_config_singleton()'),
  ('exit_strategies', 'exit_strategies_set_updated_at',
   'CREATE TRIGGER exit_strategies_set_updated_at BEFORE UPDATE ON walltrack.exit_strategies FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  -- A wallet added, activated, deactivated or re-addressed must be pushed to Helius.
  ('wallets', 'wallets_mark_sync_pending',
   'CREATE TRIGGER wallets_mark_sync_pending BEFORE INSERT OR UPDATE OF is_active, address ON walltrack.wallets FOR EACH ROW EXECUTE FUNCTION walltrack.mark_wallet_sync_pending()'),
  ('wallets', 'wallets_start_capture_cursor',
   'CREATE TRIGGER wallets_start_capture_cursor AFTER INSERT OR UPDATE OF is_active ON walltrack.wallets FOR EACH ROW EXECUTE FUNCTION walltrack.start_capture_cursor()'),
  ('wallets', 'wallets_set_updated_at',
   'CREATE TRIGGER wallets_set_updated_at BEFORE UPDATE ON walltrack.wallets FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('tokens', 'tokens_set_updated_at',
   'CREATE TRIGGER tokens_set_updated_at BEFORE UPDATE ON walltrack.tokens FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('signals', 'signals_apply_swap_prices',
   'CREATE TRIGGER signals_apply_swap_prices AFTER INSERT ON walltrack.signals REFERENCING NEW TABLE AS recorded FOR EACH STATEMENT EXECUTE FUNCTION walltrack.apply_swap_prices()'),
  ('signals', 'signals_protect_facts',
   'CREATE TRIGGER signals_protect_facts BEFORE UPDATE ON walltrack.signals FOR EACH ROW EXECUTE FUNCTION walltrack.protect_signal_facts()'),
  ('signals', 'signals_set_updated_at',
   'CREATE TRIGGER signals_set_updated_at BEFORE UPDATE ON walltrack.signals FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  -- A fill counts once: on insert as executed, or on the transition to executed, never again.
  ('orders', 'orders_apply_entry_fill_on_insert',
   'CREATE TRIGGER orders_apply_entry_fill_on_insert AFTER INSERT ON walltrack.orders FOR EACH ROW WHEN (((new.order_type = ''entry''::text) AND (new.status = ''executed''::text))) EXECUTE FUNCTION walltrack.apply_entry_fill()'),
  ('orders', 'orders_apply_entry_fill_on_update',
   'CREATE TRIGGER orders_apply_entry_fill_on_update AFTER UPDATE OF status ON walltrack.orders FOR EACH ROW WHEN (((new.order_type = ''entry''::text) AND (new.status = ''executed''::text) AND (old.status <> ''executed''::text))) EXECUTE FUNCTION walltrack.apply_entry_fill()'),
  ('orders', 'orders_apply_exit_fill_on_insert',
   'CREATE TRIGGER orders_apply_exit_fill_on_insert AFTER INSERT ON walltrack.orders FOR EACH ROW WHEN (((new.order_type <> ''entry''::text) AND (new.status = ''executed''::text))) EXECUTE FUNCTION walltrack.apply_exit_fill()'),
  ('orders', 'orders_apply_exit_fill_on_update',
   'CREATE TRIGGER orders_apply_exit_fill_on_update AFTER UPDATE OF status ON walltrack.orders FOR EACH ROW WHEN (((new.order_type <> ''entry''::text) AND (new.status = ''executed''::text) AND (old.status <> ''executed''::text))) EXECUTE FUNCTION walltrack.apply_exit_fill()'),
  ('orders', 'orders_record_fill_price_on_insert',
   'CREATE TRIGGER orders_record_fill_price_on_insert AFTER INSERT ON walltrack.orders FOR EACH ROW WHEN (((new.status = ''executed''::text) AND (new.price_usd IS NOT NULL))) EXECUTE FUNCTION walltrack.record_fill_price()'),
  ('orders', 'orders_record_fill_price_on_update',
   'CREATE TRIGGER orders_record_fill_price_on_update AFTER UPDATE OF status ON walltrack.orders FOR EACH ROW WHEN (((new.status = ''executed''::text) AND (old.status <> ''executed''::text) AND (new.price_usd IS NOT NULL))) EXECUTE FUNCTION walltrack.record_fill_price()'),
  ('orders', 'orders_enforce_status_transition',
   'CREATE TRIGGER orders_enforce_status_transition BEFORE UPDATE ON walltrack.orders FOR EACH ROW EXECUTE FUNCTION walltrack.enforce_order_status_transition()'),
  ('orders', 'orders_mock_data_never_sent_live',
   'CREATE TRIGGER orders_mock_data_never_sent_live BEFORE UPDATE ON walltrack.orders FOR EACH ROW WHEN (((new.mode = ''live''::text) AND (new.status = ''submitted''::text) AND ((new.tx_signature)::text IS DISTINCT FROM (old.tx_signature)::text))) EXECUTE FUNCTION walltrack.refuse_live_send_of_mock_data()'),
  ('orders', 'orders_kick_executor',
   'CREATE TRIGGER orders_kick_executor AFTER INSERT ON walltrack.orders REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION walltrack.kick_order_executor()'),
  ('orders', 'orders_set_execution_duration',
   'CREATE TRIGGER orders_set_execution_duration BEFORE INSERT OR UPDATE ON walltrack.orders FOR EACH ROW EXECUTE FUNCTION walltrack.set_order_execution_duration()'),
  ('orders', 'orders_set_updated_at',
   'CREATE TRIGGER orders_set_updated_at BEFORE UPDATE ON walltrack.orders FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  -- The circuit breaker is evaluated whenever a position closes (ADR-004).
  ('positions', 'positions_evaluate_circuit_breaker',
   'CREATE TRIGGER positions_evaluate_circuit_breaker AFTER UPDATE OF status ON walltrack.positions FOR EACH ROW WHEN (((new.status = ''closed''::text) AND (old.status <> ''closed''::text))) EXECUTE FUNCTION walltrack.evaluate_circuit_breaker_on_close()'),
  ('positions', 'positions_recompute_pnl',
   'CREATE TRIGGER positions_recompute_pnl BEFORE INSERT OR UPDATE ON walltrack.positions FOR EACH ROW EXECUTE FUNCTION walltrack.recompute_position_pnl()'),
  ('positions', 'positions_set_updated_at',
   'CREATE TRIGGER positions_set_updated_at BEFORE UPDATE ON walltrack.positions FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  -- BEFORE triggers run in name order: positions_recompute_pnl (peak price) before this one.
  ('positions', 'positions_then_evaluate_exits',
   'CREATE TRIGGER positions_then_evaluate_exits BEFORE UPDATE OF current_price, entry_price, exits_reevaluated_at ON walltrack.positions FOR EACH ROW WHEN (((new.current_price IS DISTINCT FROM old.current_price) OR (new.entry_price IS DISTINCT FROM old.entry_price) OR (new.exits_reevaluated_at IS DISTINCT FROM old.exits_reevaluated_at))) EXECUTE FUNCTION walltrack.evaluate_exits()'),
  ('performance', 'performance_set_updated_at',
   'CREATE TRIGGER performance_set_updated_at BEFORE UPDATE ON walltrack.performance FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('circuit_breaker_events', 'circuit_breaker_events_append_only',
   'CREATE TRIGGER circuit_breaker_events_append_only BEFORE DELETE OR UPDATE ON walltrack.circuit_breaker_events FOR EACH ROW EXECUTE FUNCTION walltrack.protect_circuit_breaker_events()'),
  ('circuit_breaker_events', 'circuit_breaker_events_set_updated_at',
   'CREATE TRIGGER circuit_breaker_events_set_updated_at BEFORE UPDATE ON walltrack.circuit_breaker_events FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('rejected_transactions', 'rejected_transactions_set_updated_at',
   'CREATE TRIGGER rejected_transactions_set_updated_at BEFORE UPDATE ON walltrack.rejected_transactions FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('price_refusals', 'price_refusals_set_updated_at',
   'CREATE TRIGGER price_refusals_set_updated_at BEFORE UPDATE ON walltrack.price_refusals FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('edge_function_calls', 'edge_function_calls_set_updated_at',
   'CREATE TRIGGER edge_function_calls_set_updated_at BEFORE UPDATE ON walltrack.edge_function_calls FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('token_lists', 'token_lists_set_updated_at',
   'CREATE TRIGGER token_lists_set_updated_at BEFORE UPDATE ON walltrack.token_lists FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('job_schedule', 'job_schedule_set_updated_at',
   'CREATE TRIGGER job_schedule_set_updated_at BEFORE UPDATE ON walltrack.job_schedule FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  -- Performance kept as positions change (per statement, set-based), and on a new capital.
  ('positions', 'positions_track_performance_insert',
   'CREATE TRIGGER positions_track_performance_insert AFTER INSERT ON walltrack.positions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION walltrack.performance_track_inserted_positions()'),
  ('positions', 'positions_track_performance_update',
   'CREATE TRIGGER positions_track_performance_update AFTER UPDATE ON walltrack.positions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION walltrack.performance_track_updated_positions()'),
  ('positions', 'positions_track_performance_delete',
   'CREATE TRIGGER positions_track_performance_delete AFTER DELETE ON walltrack.positions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION walltrack.performance_track_deleted_positions()'),
  ('positions', 'positions_track_performance_truncate',
   'CREATE TRIGGER positions_track_performance_truncate AFTER TRUNCATE ON walltrack.positions FOR EACH STATEMENT EXECUTE FUNCTION walltrack.performance_track_truncated_positions()'),
  ('config', 'config_track_performance_capital',
   'CREATE TRIGGER config_track_performance_capital AFTER UPDATE OF capital_usd ON walltrack.config FOR EACH ROW WHEN ((new.capital_usd IS DISTINCT FROM old.capital_usd)) EXECUTE FUNCTION walltrack.performance_track_capital()'),
  ('performance_close_totals', 'performance_close_totals_set_updated_at',
   'CREATE TRIGGER performance_close_totals_set_updated_at BEFORE UPDATE ON walltrack.performance_close_totals FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('performance_copy_values', 'performance_copy_values_set_updated_at',
   'CREATE TRIGGER performance_copy_values_set_updated_at BEFORE UPDATE ON walltrack.performance_copy_values FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('capture_cursors', 'capture_cursors_set_updated_at',
   'CREATE TRIGGER capture_cursors_set_updated_at BEFORE UPDATE ON walltrack.capture_cursors FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('fetched_transactions', 'fetched_transactions_set_updated_at',
   'CREATE TRIGGER fetched_transactions_set_updated_at BEFORE UPDATE ON walltrack.fetched_transactions FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('leader_sell_balances', 'leader_sell_balances_set_updated_at',
   'CREATE TRIGGER leader_sell_balances_set_updated_at BEFORE UPDATE ON walltrack.leader_sell_balances FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('positions', 'positions_evaluate_leader_pause',
   'CREATE TRIGGER positions_evaluate_leader_pause AFTER UPDATE OF status ON walltrack.positions FOR EACH ROW WHEN (((new.status = ''closed''::text) AND (old.status <> ''closed''::text))) EXECUTE FUNCTION walltrack.evaluate_leader_pause_on_close()'),
  ('leader_pause_events', 'leader_pause_events_append_only',
   'CREATE TRIGGER leader_pause_events_append_only BEFORE DELETE OR UPDATE ON walltrack.leader_pause_events FOR EACH ROW EXECUTE FUNCTION walltrack.protect_leader_pause_events()'),
  ('leader_pause_events', 'leader_pause_events_set_updated_at',
   'CREATE TRIGGER leader_pause_events_set_updated_at BEFORE UPDATE ON walltrack.leader_pause_events FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('price_series', 'price_series_set_updated_at',
   'CREATE TRIGGER price_series_set_updated_at BEFORE UPDATE ON walltrack.price_series FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('leader_pause_events', 'leader_pause_events_notify',
   'CREATE TRIGGER leader_pause_events_notify AFTER INSERT ON walltrack.leader_pause_events FOR EACH ROW WHEN ((new.event_type = ''paused''::text)) EXECUTE FUNCTION walltrack.notify_leader_pause_event()'),
  ('audit_log', 'audit_log_append_only',
   'CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON walltrack.audit_log FOR EACH ROW EXECUTE FUNCTION walltrack.refuse_audit_log_change()'),
  ('audit_log', 'audit_log_no_truncate',
   'CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON walltrack.audit_log FOR EACH STATEMENT EXECUTE FUNCTION walltrack.refuse_audit_log_change()'),
  ('circuit_breaker_events', 'circuit_breaker_events_notify',
   'CREATE TRIGGER circuit_breaker_events_notify AFTER INSERT ON walltrack.circuit_breaker_events REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION walltrack.notify_breaker_events()'),
  ('circuit_breaker_events', 'circuit_breaker_reset_audit',
   'CREATE TRIGGER circuit_breaker_reset_audit AFTER INSERT ON walltrack.circuit_breaker_events FOR EACH ROW WHEN (((new.event_type = ''deactivated''::text) AND (new.trigger_reason = ''manual''::text))) EXECUTE FUNCTION walltrack.record_audit(''id'')'),
  ('config', 'config_audit',
   'CREATE TRIGGER config_audit AFTER UPDATE ON walltrack.config FOR EACH ROW WHEN (((NOT (old.webhook_last_signal_at IS DISTINCT FROM new.webhook_last_signal_at)) AND (NOT (old.sol_usd_price_at IS DISTINCT FROM new.sol_usd_price_at)) AND (NOT (old.helius_last_sync_at IS DISTINCT FROM new.helius_last_sync_at)) AND (NOT (old.circuit_breaker_active IS DISTINCT FROM new.circuit_breaker_active)))) EXECUTE FUNCTION walltrack.record_audit(''id'', ''updated_at'', ''circuit_breaker_active'', ''circuit_breaker_activated_at'', ''webhook_last_signal_at'', ''sol_usd_price'', ''sol_usd_price_at'', ''helius_last_sync_at'', ''helius_webhook_id'', ''helius_webhook_url'', ''helius_sync_lease'', ''helius_sync_lease_until'', ''helius_sync_failures'', ''helius_sync_next_attempt_at'', ''helius_sync_last_error'', ''capture_lease'', ''capture_lease_until'', ''capture_last_run_at'', ''capture_failures'', ''capture_next_attempt_at'', ''capture_last_error'', ''capture_last_report'')'),
  ('exit_strategies', 'exit_strategies_audit',
   'CREATE TRIGGER exit_strategies_audit AFTER INSERT OR DELETE OR UPDATE ON walltrack.exit_strategies FOR EACH ROW EXECUTE FUNCTION walltrack.record_audit(''id'', ''updated_at'')'),
  ('notification_channels', 'notification_channels_audit',
   'CREATE TRIGGER notification_channels_audit AFTER INSERT OR DELETE OR UPDATE ON walltrack.notification_channels FOR EACH ROW EXECUTE FUNCTION walltrack.record_audit(''channel'', ''updated_at'', ''paused_until'')'),
  ('notification_channels', 'notification_channels_set_updated_at',
   'CREATE TRIGGER notification_channels_set_updated_at BEFORE UPDATE ON walltrack.notification_channels FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('notification_deliveries', 'notification_deliveries_set_updated_at',
   'CREATE TRIGGER notification_deliveries_set_updated_at BEFORE UPDATE ON walltrack.notification_deliveries FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('notifications', 'notifications_route',
   'CREATE TRIGGER notifications_route AFTER INSERT ON walltrack.notifications REFERENCING NEW TABLE AS new_notifications FOR EACH STATEMENT EXECUTE FUNCTION walltrack.route_notifications()'),
  ('notifications', 'notifications_set_updated_at',
   'CREATE TRIGGER notifications_set_updated_at BEFORE UPDATE ON walltrack.notifications FOR EACH ROW EXECUTE FUNCTION walltrack.set_updated_at()'),
  ('orders', 'orders_notify_insert',
   'CREATE TRIGGER orders_notify_insert AFTER INSERT ON walltrack.orders REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION walltrack.notify_order_changes()'),
  ('orders', 'orders_notify_update',
   'CREATE TRIGGER orders_notify_update AFTER UPDATE ON walltrack.orders REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION walltrack.notify_order_changes()'),
  ('positions', 'positions_notify',
   'CREATE TRIGGER positions_notify AFTER UPDATE ON walltrack.positions REFERENCING OLD TABLE AS old_positions NEW TABLE AS new_positions FOR EACH STATEMENT EXECUTE FUNCTION walltrack.notify_position_changes()'),
  ('positions', 'positions_override_audit',
   'CREATE TRIGGER positions_override_audit AFTER UPDATE OF exit_strategy_override ON walltrack.positions FOR EACH ROW WHEN ((old.exit_strategy_override IS DISTINCT FROM new.exit_strategy_override)) EXECUTE FUNCTION walltrack.record_audit(''id'', ''updated_at'', ''current_price'', ''price_updated_at'', ''exits_reevaluated_at'', ''peak_price'', ''unrealized_pnl_usd'', ''current_pnl_usd'')'),
  ('token_lists', 'token_lists_audit',
   'CREATE TRIGGER token_lists_audit AFTER INSERT OR DELETE OR UPDATE ON walltrack.token_lists FOR EACH ROW EXECUTE FUNCTION walltrack.record_audit(''mint'', ''updated_at'')'),
  ('wallets', 'wallets_audit',
   'CREATE TRIGGER wallets_audit AFTER INSERT OR DELETE OR UPDATE ON walltrack.wallets FOR EACH ROW EXECUTE FUNCTION walltrack.record_audit(''id'', ''updated_at'', ''helius_sync_status'', ''helius_synced_at'', ''helius_sync_error'')');

-- The plan follows from the lists above: adding an object needs one row, not a recount.
select plan((select count(*)::integer + count(distinct table_name)::integer + 1 from expected_triggers));

select triggers_are(
  'walltrack', table_name, array_agg(trigger_name),
  format('walltrack.%s has exactly the designed triggers', table_name)
)
from expected_triggers
group by table_name
order by table_name;

select is(
  (select pg_catalog.pg_get_triggerdef(t.oid)
   from pg_catalog.pg_trigger t
   where t.tgrelid = to_regclass('walltrack.' || e.table_name)
     and t.tgname = e.trigger_name),
  e.definition,
  format('trigger %s on walltrack.%s is defined as designed', e.trigger_name, e.table_name)
)
from expected_triggers e
order by e.table_name, e.trigger_name;

select is(
  array(
    select format('%s.%s', c.relname, t.tgname)
    from pg_catalog.pg_trigger t
    join pg_catalog.pg_class c on c.oid = t.tgrelid
    where c.relnamespace = 'walltrack'::regnamespace
      and not t.tgisinternal
      and t.tgenabled <> 'O'
    order by 1
  ),
  '{}'::text[],
  'every walltrack trigger is enabled'
);

select * from finish();
rollback;
