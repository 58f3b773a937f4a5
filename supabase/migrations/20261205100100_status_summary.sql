-- The operator's status at a glance (npm run status), defined once, here, after every table,
-- column and view it reads exists. Add a field here rather than redefining it in a later file.

create function walltrack.status_summary()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'open_positions', (select count(*) from walltrack.positions where status = 'open'),
    'exposure_usd', (select exposure_usd::text from walltrack.open_exposure()),
    'unrealized_pnl_usd', (select coalesce(sum(unrealized_pnl_usd), 0)::text from walltrack.positions where status = 'open'),
    'realized_pnl_today_usd', walltrack.realized_pnl_today_usd()::text,
    'pending_orders', (select count(*) from walltrack.orders where status in ('pending', 'submitted')),
    -- Swaps sent whose fate is not known yet: how many, and since when.
    'awaiting_confirmation', (select pg_catalog.jsonb_build_object('orders', count(*), 'oldest_submitted_at', min(submitted_at))
                              from walltrack.orders where walltrack.swap_in_doubt(status, error_code)),
    'unprocessed_signals', (select count(*) from walltrack.signals where processed_at is null),
    -- Open positions nobody prices any more or whose exit failed for good (walltrack.stuck_positions).
    'stuck_positions', (select pg_catalog.jsonb_build_object('count', count(*),
                          'positions', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                            'id', s.position_id, 'token', s.token_address, 'problem', s.problem)) filter (where s.n <= 10), '[]'::jsonb))
                        from (select x.*, row_number() over () as n from walltrack.stuck_positions() x) s),
    -- Prices the monitor refused (walltrack.price_refusals): how many in the last 24 h, the latest.
    'price_refusals_24h', (select pg_catalog.jsonb_build_object('count', count(*), 'latest_at', max(created_at))
                           from walltrack.price_refusals where created_at > pg_catalog.now() - interval '24 hours'),
    -- One breaker per mode; reason and unlock_at are the earliest open activation's, and `modes`
    -- names each active one (percentages rounded here, for reading only).
    'circuit_breaker', (select pg_catalog.jsonb_build_object(
        'active', c.circuit_breaker_active, 'since', c.circuit_breaker_activated_at,
        'reason', (select trigger_reason from walltrack.circuit_breaker_events
                    where event_type = 'activated' and deactivated_at is null order by created_at limit 1),
        'unlock_at', (select unlock_at from walltrack.circuit_breaker_events
                       where event_type = 'activated' and deactivated_at is null order by created_at limit 1),
        'modes', (select coalesce(pg_catalog.jsonb_object_agg(e.mode, pg_catalog.jsonb_build_object(
                    'reason', e.trigger_reason, 'since', e.created_at, 'unlock_at', e.unlock_at,
                    'drawdown_percent', pg_catalog.round(e.current_drawdown_percent, 2),
                    'win_rate_percent', pg_catalog.round(e.current_win_rate, 2))), '{}'::jsonb)
                  from walltrack.circuit_breaker_events e
                  where e.event_type = 'activated' and e.deactivated_at is null))
      from walltrack.config c),
    'live_trading_enabled', (select live_trading_enabled from walltrack.config),
    'holds_mock_data', (select holds_mock_data from walltrack.config),
    'webhook_last_signal_at', (select webhook_last_signal_at from walltrack.config),
    'wallets', (select pg_catalog.jsonb_build_object('active', count(*) filter (where is_active),
                  'pending_sync', count(*) filter (where helius_sync_status = 'pending'),
                  'sync_errors', count(*) filter (where helius_sync_status = 'error'))
                from walltrack.wallets),
    -- The Helius sync's own state: failures in a row, when it may try again, why it last failed.
    'helius_sync', (select pg_catalog.jsonb_build_object(
        'failures', c.helius_sync_failures, 'next_attempt_at', c.helius_sync_next_attempt_at,
        'last_error', c.helius_sync_last_error,
        'running', coalesce(c.helius_sync_lease_until > pg_catalog.now(), false))
      from walltrack.config c),
    'cron', (select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'job', jobname, 'last_run_at', last_run_at, 'last_status', last_status,
               'failures_24h', failures_24h, 'failures_since_success', failures_since_success, 'problem', problem)
             order by jobname), '[]'::jsonb) from walltrack.cron_job_health),
    -- What became of the calls the database made to each function (walltrack.edge_function_call_health).
    'edge_function_calls', (select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'function', function_name, 'last_call_at', last_call_at, 'last_outcome', last_outcome,
               'failures_1h', failures_1h, 'failures_24h', failures_24h, 'problem', problem)
             order by function_name), '[]'::jsonb) from walltrack.edge_function_call_health));
$$;
comment on function walltrack.status_summary() is
  'The operator''s status at a glance: open positions, exposure, PnL today, orders waiting and awaiting confirmation, signals waiting, prices refused in the last 24 h, breaker (per mode), live switch, mock data mark, last webhook, wallets'' sync and the Helius sync''s backoff, each scheduled job''s health and problem, and per edge function the outcome of the calls the database made to it.';
revoke execute on function walltrack.status_summary() from public;
