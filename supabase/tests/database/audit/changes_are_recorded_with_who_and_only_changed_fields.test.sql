-- Every change to what steers the money is in walltrack.audit_log, written by trigger: config,
-- exit strategies, wallets (per-leader settings included), token lists, position overrides,
-- notification channels and manual breaker resets. Each row says when, who (the role in force, the
-- session's login role, application_name) and only the fields that changed; what the system stamps
-- on its own (webhook_last_signal_at, the Helius sync state, prices) is not a change of configuration.
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

select tests.risk_neutral_config();
create temp table mark as select coalesce(max(id), 0) as last_id from walltrack.audit_log;
create temp view recent as select * from walltrack.audit_log where id > (select last_id from mark);
grant select on recent to service_role;
grant select on mark to service_role;

set local application_name = 'walltrack-cli';
update walltrack.config set capital_usd = 12345, daily_loss_limit_usd = daily_loss_limit_usd;
select is((select table_name || '|' || action || '|' || old_values::text || '|' || new_values::text from recent),
          'config|update|{"capital_usd": 10000.00}|{"capital_usd": 12345.00}', 'a config change: only the changed field, old and new');
select is((select db_role || '|' || session_user_name || '|' || application_name from recent), 'postgres|postgres|walltrack-cli',
          'who: the role, the login role and application_name');
select ok((select changed_at <= clock_timestamp() and changed_at >= now() from recent), 'when');

update walltrack.config set webhook_last_signal_at = now(), sol_usd_price = 150, sol_usd_price_at = now();
update walltrack.config set capital_usd = capital_usd;
select is((select count(*)::int from recent), 1, 'the system''s own stamps and a no-op update are not recorded');

-- As service_role (the API's role): the role in force is recorded.
set local role service_role;
update walltrack.config set max_consecutive_losses = 4;
reset role;
select is((select db_role || '|' || new_values::text from recent where new_values ? 'max_consecutive_losses'),
          'service_role|{"max_consecutive_losses": 4}', 'a change made as service_role is recorded as service_role');

-- Exit strategies.
update walltrack.exit_strategies set stop_loss_percent = 12 where name = 'Conservative';
select is((select old_values ->> 'stop_loss_percent' || '->' || (new_values ->> 'stop_loss_percent') from recent where table_name = 'exit_strategies'),
          '15.00->12.00', 'who changed a stop loss, and from what to what');

-- Wallets: added, a per-leader setting changed, the sync bookkeeping ignored, removed.
select tests.operations_wallet('Aud');
select is((select action from recent where table_name = 'wallets'), 'insert', 'a wallet added');
select ok((select new_values ? 'address' and new_values ? 'mode' and old_values is null from recent where table_name = 'wallets'),
          'an insert keeps the whole new row');
update walltrack.wallets set helius_sync_status = 'synced', helius_synced_at = now() where id = tests.operations_wid('Aud');
select is((select count(*)::int from recent where table_name = 'wallets'), 1, 'the Helius sync state is not a change of configuration');
update walltrack.wallets set mode = 'live' where id = tests.operations_wid('Aud');
select is((select new_values::text from recent where table_name = 'wallets' and action = 'update'), '{"mode": "live"}', 'a wallet switched to live');
delete from walltrack.wallets where id = tests.operations_wid('Aud');
select ok((select old_values ->> 'mode' = 'live' and new_values is null from recent where table_name = 'wallets' and action = 'delete'),
          'a wallet removed: its last values kept');

-- Token lists.
select walltrack.list_token(tests.addr('TkAud'), 'deny', 'operator', 'AUD', 'audit test');
select is((select table_name || '|' || action || '|' || row_id from recent where table_name = 'token_lists'),
          'token_lists|insert|' || tests.addr('TkAud'), 'a mint listed, keyed by the mint');

-- Position overrides; price ticks are not.
select tests.lifecycle_open_position('Aud', 'Aud', 1.00, 100);
select tests.lifecycle_tick('Aud', 1.10);
select is((select count(*)::int from recent where table_name = 'positions'), 0, 'a price tick is no change of configuration');
select walltrack.override_position_strategy(tests.lifecycle_pos('Aud'), '{"stop_loss_percent": 5}');
select is((select new_values -> 'exit_strategy_override' from recent where table_name = 'positions'), '{"stop_loss_percent": 5}'::jsonb,
          'a position override is recorded');

-- A manual breaker reset; an automatic unlock is not an operator's change.
select walltrack.activate_circuit_breaker('manual', 'simulation');
select walltrack.reset_circuit_breaker();
select is((select new_values ->> 'trigger_reason' from recent where table_name = 'circuit_breaker_events'), 'manual', 'a breaker reset is recorded');
select walltrack.activate_circuit_breaker('manual', 'live');
select walltrack.deactivate_circuit_breaker('unlock_time_reached', 'live');
select is((select count(*)::int from recent where table_name = 'circuit_breaker_events'), 1, 'an unlock by time is not');

-- Notification channels.
update walltrack.notification_channels set is_enabled = true, level = 'critical' where channel = 'telegram';
select is((select new_values from recent where table_name = 'notification_channels'), '{"level": "critical", "is_enabled": true}'::jsonb,
          'a channel switched on at level critical');

select * from finish();
rollback;
