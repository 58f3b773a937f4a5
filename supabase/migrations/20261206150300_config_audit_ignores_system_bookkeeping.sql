-- The capture reconciliation (20261206140000) claims, finishes and backs off its runs on the config
-- row (every minute in poll mode), as the Helius sync does with its lease: the system's own
-- bookkeeping, not a change of configuration. config_audit ignores those columns as it ignores the
-- other stamps, so the audit log stays a record of what people changed. The operator's capture
-- settings (delivery_mode, poll_interval_seconds, reconcile_interval_minutes, capture_settle_seconds,
-- capture_wallets_per_run, capture_pages_per_wallet, capture_fetches_per_run) stay audited.
drop trigger config_audit on walltrack.config;
create trigger config_audit after update on walltrack.config
  for each row when (old.webhook_last_signal_at is not distinct from new.webhook_last_signal_at
                     and old.sol_usd_price_at is not distinct from new.sol_usd_price_at
                     and old.helius_last_sync_at is not distinct from new.helius_last_sync_at
                     and old.circuit_breaker_active is not distinct from new.circuit_breaker_active)
  execute function walltrack.record_audit(
    'id', 'updated_at', 'circuit_breaker_active', 'circuit_breaker_activated_at', 'webhook_last_signal_at',
    'sol_usd_price', 'sol_usd_price_at', 'helius_last_sync_at', 'helius_webhook_id', 'helius_webhook_url',
    'helius_sync_lease', 'helius_sync_lease_until', 'helius_sync_failures', 'helius_sync_next_attempt_at', 'helius_sync_last_error',
    'capture_lease', 'capture_lease_until', 'capture_last_run_at', 'capture_failures', 'capture_next_attempt_at',
    'capture_last_error', 'capture_last_report');

-- Rollback: drop trigger config_audit on walltrack.config; and create it again as in
-- 20261206150000_audit_log.sql.
