-- Every primary-key, unique and foreign-key constraint of walltrack exists exactly as designed
-- (columns, referenced table, ON DELETE action), and there is no other. CHECK constraints are
-- proven one by one in constraints/check_constraints_reject_bad_values.test.sql.
begin;
create extension if not exists pgtap with schema extensions;
select plan(75);

create temp table expected_constraints (
  table_name name not null,
  constraint_name name not null,
  definition text not null
);

insert into expected_constraints (table_name, constraint_name, definition) values
  ('config', 'config_pkey',
   'PRIMARY KEY (id)'),
  ('exit_strategies', 'uq_exit_strategies_name',
   'UNIQUE (name)'),
  ('exit_strategies', 'exit_strategies_pkey',
   'PRIMARY KEY (id)'),
  ('wallets', 'wallets_pkey',
   'PRIMARY KEY (id)'),
  ('wallets', 'fk_wallets_exit_strategies',
   'FOREIGN KEY (exit_strategy_id) REFERENCES walltrack.exit_strategies(id) ON DELETE RESTRICT'),
  ('tokens', 'tokens_pkey',
   'PRIMARY KEY (id)'),
  ('signals', 'uq_signals_transaction_signature_wallet_id',
   'UNIQUE (transaction_signature, wallet_id)'),
  ('signals', 'signals_pkey',
   'PRIMARY KEY (id)'),
  ('signals', 'fk_signals_positions',
   'FOREIGN KEY (position_id) REFERENCES walltrack.positions(id)'),
  ('signals', 'fk_signals_tokens',
   'FOREIGN KEY (token_id) REFERENCES walltrack.tokens(id) ON DELETE SET NULL'),
  ('signals', 'fk_signals_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('orders', 'uq_orders_tx_signature',
   'UNIQUE (tx_signature)'),
  ('orders', 'orders_pkey',
   'PRIMARY KEY (id)'),
  ('orders', 'fk_orders_positions',
   'FOREIGN KEY (position_id) REFERENCES walltrack.positions(id) ON DELETE CASCADE'),
  ('orders', 'fk_orders_signals',
   'FOREIGN KEY (signal_id) REFERENCES walltrack.signals(id)'),
  ('orders', 'fk_orders_tokens',
   'FOREIGN KEY (token_id) REFERENCES walltrack.tokens(id) ON DELETE RESTRICT'),
  ('orders', 'fk_orders_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('positions', 'positions_pkey',
   'PRIMARY KEY (id)'),
  ('positions', 'fk_positions_exit_strategies',
   'FOREIGN KEY (exit_strategy_id) REFERENCES walltrack.exit_strategies(id) ON DELETE RESTRICT'),
  ('positions', 'fk_positions_signals',
   'FOREIGN KEY (signal_id) REFERENCES walltrack.signals(id)'),
  ('positions', 'fk_positions_tokens',
   'FOREIGN KEY (token_id) REFERENCES walltrack.tokens(id) ON DELETE RESTRICT'),
  ('positions', 'fk_positions_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('performance', 'uq_performance_wallet_id',
   'UNIQUE (wallet_id)'),
  ('performance', 'performance_pkey',
   'PRIMARY KEY (id)'),
  ('performance', 'fk_performance_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('circuit_breaker_events', 'circuit_breaker_events_pkey',
   'PRIMARY KEY (id)'),
  ('circuit_breaker_events', 'fk_circuit_breaker_events_activation',
   'FOREIGN KEY (activation_event_id) REFERENCES walltrack.circuit_breaker_events(id)'),
  ('rejected_transactions', 'rejected_transactions_pkey',
   'PRIMARY KEY (id)'),
  ('price_refusals', 'price_refusals_pkey',
   'PRIMARY KEY (id)'),
  ('edge_function_calls', 'edge_function_calls_pkey',
   'PRIMARY KEY (id)'),
  ('edge_function_calls', 'uq_edge_function_calls_request_id',
   'UNIQUE (request_id)'),
  ('token_lists', 'token_lists_pkey',
   'PRIMARY KEY (mint)'),
  ('job_schedule', 'job_schedule_pkey',
   'PRIMARY KEY (jobname)'),
  ('performance_close_totals', 'performance_close_totals_pkey',
   'PRIMARY KEY (wallet_id)'),
  ('performance_close_totals', 'fk_performance_close_totals_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('performance_copy_values', 'performance_copy_values_pkey',
   'PRIMARY KEY (wallet_id, measure, value)'),
  ('performance_copy_values', 'fk_performance_copy_values_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('capture_cursors', 'capture_cursors_pkey',
   'PRIMARY KEY (wallet_id)'),
  ('capture_cursors', 'fk_capture_cursors_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE CASCADE'),
  ('fetched_transactions', 'fetched_transactions_pkey',
   'PRIMARY KEY (transaction_signature)'),
  ('leader_sell_balances', 'leader_sell_balances_pkey',
   'PRIMARY KEY (signal_id)'),
  ('leader_sell_balances', 'fk_leader_sell_balances_signals',
   'FOREIGN KEY (signal_id) REFERENCES walltrack.signals(id) ON DELETE CASCADE'),
  ('leader_pause_events', 'leader_pause_events_pkey',
   'PRIMARY KEY (id)'),
  ('leader_pause_events', 'fk_leader_pause_events_wallets',
   'FOREIGN KEY (wallet_id) REFERENCES walltrack.wallets(id) ON DELETE RESTRICT'),
  ('leader_pause_events', 'fk_leader_pause_events_pause',
   'FOREIGN KEY (pause_event_id) REFERENCES walltrack.leader_pause_events(id)'),
  ('leader_pause_events', 'fk_leader_pause_events_positions',
   'FOREIGN KEY (closed_position_id) REFERENCES walltrack.positions(id)'),
  ('price_series', 'price_series_pkey',
   'PRIMARY KEY (id)'),
  ('price_series', 'uq_price_series_token_address',
   'UNIQUE (token_address)'),
  ('price_history', 'price_history_pkey',
   'PRIMARY KEY (series_id, observed_at)'),
  ('price_history', 'fk_price_history_price_series',
   'FOREIGN KEY (series_id) REFERENCES walltrack.price_series(id) ON DELETE CASCADE'),
  ('price_candles', 'price_candles_pkey',
   'PRIMARY KEY (series_id, minute)'),
  ('price_candles', 'fk_price_candles_price_series',
   'FOREIGN KEY (series_id) REFERENCES walltrack.price_series(id) ON DELETE CASCADE'),
  ('audit_log', 'audit_log_pkey',
   'PRIMARY KEY (id)'),
  ('notification_channels', 'notification_channels_pkey',
   'PRIMARY KEY (channel)'),
  ('notification_deliveries', 'fk_notification_deliveries_channels',
   'FOREIGN KEY (channel) REFERENCES walltrack.notification_channels(channel) ON DELETE CASCADE'),
  ('notification_deliveries', 'fk_notification_deliveries_notifications',
   'FOREIGN KEY (notification_id) REFERENCES walltrack.notifications(id) ON DELETE CASCADE'),
  ('notification_deliveries', 'pk_notification_deliveries',
   'PRIMARY KEY (notification_id, channel)'),
  ('notifications', 'notifications_pkey',
   'PRIMARY KEY (id)'),
  ('notifications', 'uq_notifications_dedupe_key',
   'UNIQUE (dedupe_key)'),
  ('failed_swap_fees', 'failed_swap_fees_pkey',
   'PRIMARY KEY (tx_signature)'),
  ('failed_swap_fees', 'fk_failed_swap_fees_orders',
   'FOREIGN KEY (order_id) REFERENCES walltrack.orders(id) ON DELETE CASCADE'),
  ('failed_swap_fees', 'fk_failed_swap_fees_positions',
   'FOREIGN KEY (position_id) REFERENCES walltrack.positions(id) ON DELETE CASCADE');

select is(
  (select pg_catalog.pg_get_constraintdef(k.oid)
   from pg_catalog.pg_constraint k
   where k.conrelid = to_regclass('walltrack.' || e.table_name)
     and k.conname = e.constraint_name),
  e.definition,
  format('constraint %s on walltrack.%s is %s', e.constraint_name, e.table_name, e.definition)
)
from expected_constraints e
order by e.table_name, e.constraint_name;

select is(
  array(
    select format('%s.%s', c.relname, k.conname)
    from pg_catalog.pg_constraint k
    join pg_catalog.pg_class c on c.oid = k.conrelid
    where k.connamespace = 'walltrack'::regnamespace
      and k.contype in ('p', 'u', 'f')
      and (c.relname, k.conname) not in (select table_name, constraint_name from expected_constraints)
    order by 1
  ),
  '{}'::text[],
  'walltrack has no primary-key, unique or foreign-key constraint beyond the designed ones'
);

select col_is_pk('walltrack', table_name, 'id', format('walltrack.%s has primary key id', table_name))
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'rejected_transactions', 'price_refusals', 'edge_function_calls']::name[]) as t(table_name)
order by table_name;

select * from finish();
rollback;
