-- Every walltrack index exists exactly as designed: indexes_are() per table catches a missing or
-- extra index, and each definition (columns, order, uniqueness, partial predicate) is compared
-- with the one written here. The story's named indexes are all below: idx_wallets_address,
-- idx_wallets_mode, idx_wallets_is_active, idx_tokens_address, idx_tokens_last_analyzed_at,
-- idx_signals_wallet_id, idx_signals_created_at, idx_signals_filtered, idx_signals_unprocessed
-- (the processing queue), idx_signals_recent, idx_orders_position_id, idx_orders_status,
-- idx_orders_created_at, idx_orders_pending_retry, idx_orders_recent, idx_positions_wallet_id,
-- idx_positions_token_id, idx_positions_status, idx_positions_open, idx_positions_recent_closed.
-- The order lifecycle adds the executor's queue (idx_orders_executor_queue) and the two unique
-- indexes that keep one full exit, and each scale-out level once, in flight per position.
begin;
create extension if not exists pgtap with schema extensions;
select plan(70);

create temp table expected_indexes (
  table_name name not null,
  index_name name not null,
  definition text not null
);

insert into expected_indexes (table_name, index_name, definition) values
  ('config', 'config_pkey',
   'CREATE UNIQUE INDEX config_pkey ON walltrack.config USING btree (id)'),
  ('config', 'uq_config_singleton',
   'CREATE UNIQUE INDEX uq_config_singleton ON walltrack.config USING btree ((true))'),
  ('exit_strategies', 'exit_strategies_pkey',
   'CREATE UNIQUE INDEX exit_strategies_pkey ON walltrack.exit_strategies USING btree (id)'),
  ('exit_strategies', 'uq_exit_strategies_is_default',
   'CREATE UNIQUE INDEX uq_exit_strategies_is_default ON walltrack.exit_strategies USING btree (is_default) WHERE is_default'),
  ('exit_strategies', 'uq_exit_strategies_name',
   'CREATE UNIQUE INDEX uq_exit_strategies_name ON walltrack.exit_strategies USING btree (name)'),
  ('wallets', 'idx_wallets_address',
   'CREATE UNIQUE INDEX idx_wallets_address ON walltrack.wallets USING btree (address)'),
  ('wallets', 'idx_wallets_exit_strategy_id',
   'CREATE INDEX idx_wallets_exit_strategy_id ON walltrack.wallets USING btree (exit_strategy_id)'),
  ('wallets', 'idx_wallets_helius_sync_pending',
   'CREATE INDEX idx_wallets_helius_sync_pending ON walltrack.wallets USING btree (id) WHERE (helius_sync_status = ''pending''::text)'),
  ('wallets', 'idx_wallets_is_active',
   'CREATE INDEX idx_wallets_is_active ON walltrack.wallets USING btree (is_active)'),
  ('wallets', 'idx_wallets_mode',
   'CREATE INDEX idx_wallets_mode ON walltrack.wallets USING btree (mode)'),
  ('wallets', 'wallets_pkey',
   'CREATE UNIQUE INDEX wallets_pkey ON walltrack.wallets USING btree (id)'),
  ('tokens', 'idx_tokens_address',
   'CREATE UNIQUE INDEX idx_tokens_address ON walltrack.tokens USING btree (address)'),
  ('tokens', 'idx_tokens_last_analyzed_at',
   'CREATE INDEX idx_tokens_last_analyzed_at ON walltrack.tokens USING btree (last_analyzed_at)'),
  ('tokens', 'tokens_pkey',
   'CREATE UNIQUE INDEX tokens_pkey ON walltrack.tokens USING btree (id)'),
  ('signals', 'idx_signals_created_at',
   'CREATE INDEX idx_signals_created_at ON walltrack.signals USING btree (created_at)'),
  ('signals', 'idx_signals_filtered',
   'CREATE INDEX idx_signals_filtered ON walltrack.signals USING btree (filtered)'),
  ('signals', 'idx_signals_position_id',
   'CREATE INDEX idx_signals_position_id ON walltrack.signals USING btree (position_id)'),
  ('signals', 'idx_signals_recent',
   'CREATE INDEX idx_signals_recent ON walltrack.signals USING btree (wallet_id, created_at DESC)'),
  ('signals', 'idx_signals_token_address',
   'CREATE INDEX idx_signals_token_address ON walltrack.signals USING btree (token_address)'),
  ('signals', 'idx_signals_token_id',
   'CREATE INDEX idx_signals_token_id ON walltrack.signals USING btree (token_id)'),
  ('signals', 'idx_signals_unprocessed',
   'CREATE INDEX idx_signals_unprocessed ON walltrack.signals USING btree (webhook_received_at) WHERE (processed_at IS NULL)'),
  ('signals', 'idx_signals_wallet_id',
   'CREATE INDEX idx_signals_wallet_id ON walltrack.signals USING btree (wallet_id)'),
  ('signals', 'signals_pkey',
   'CREATE UNIQUE INDEX signals_pkey ON walltrack.signals USING btree (id)'),
  ('signals', 'uq_signals_transaction_signature_wallet_id',
   'CREATE UNIQUE INDEX uq_signals_transaction_signature_wallet_id ON walltrack.signals USING btree (transaction_signature, wallet_id)'),
  ('orders', 'idx_orders_executor_queue',
   'CREATE INDEX idx_orders_executor_queue ON walltrack.orders USING btree (next_retry_at NULLS FIRST, requested_at) WHERE (status = ANY (ARRAY[''pending''::text, ''submitted''::text]))'),
  ('orders', 'idx_orders_created_at',
   'CREATE INDEX idx_orders_created_at ON walltrack.orders USING btree (created_at)'),
  ('orders', 'idx_orders_pending_retry',
   'CREATE INDEX idx_orders_pending_retry ON walltrack.orders USING btree (next_retry_at NULLS FIRST, requested_at) WHERE ((status = ''pending''::text) AND (retry_count < max_retries))'),
  ('orders', 'idx_orders_position_id',
   'CREATE INDEX idx_orders_position_id ON walltrack.orders USING btree (position_id)'),
  ('orders', 'idx_orders_recent',
   'CREATE INDEX idx_orders_recent ON walltrack.orders USING btree (wallet_id, created_at DESC)'),
  ('orders', 'idx_orders_signal_id',
   'CREATE INDEX idx_orders_signal_id ON walltrack.orders USING btree (signal_id)'),
  ('orders', 'idx_orders_status',
   'CREATE INDEX idx_orders_status ON walltrack.orders USING btree (status)'),
  ('orders', 'idx_orders_token_id',
   'CREATE INDEX idx_orders_token_id ON walltrack.orders USING btree (token_id)'),
  ('orders', 'idx_orders_wallet_id',
   'CREATE INDEX idx_orders_wallet_id ON walltrack.orders USING btree (wallet_id)'),
  ('orders', 'orders_pkey',
   'CREATE UNIQUE INDEX orders_pkey ON walltrack.orders USING btree (id)'),
  ('orders', 'uq_orders_full_exit_in_flight',
   'CREATE UNIQUE INDEX uq_orders_full_exit_in_flight ON walltrack.orders USING btree (position_id) WHERE ((order_type = ANY (ARRAY[''exit_stop_loss''::text, ''exit_trailing_stop''::text, ''exit_mirror''::text, ''exit_manual''::text])) AND (status = ANY (ARRAY[''pending''::text, ''submitted''::text])))'),
  ('orders', 'uq_orders_scaling_level_in_flight',
   'CREATE UNIQUE INDEX uq_orders_scaling_level_in_flight ON walltrack.orders USING btree (position_id, scaling_level) WHERE ((order_type = ''exit_scaling''::text) AND (status = ANY (ARRAY[''pending''::text, ''submitted''::text, ''executed''::text])))'),
  ('orders', 'uq_orders_tx_signature',
   'CREATE UNIQUE INDEX uq_orders_tx_signature ON walltrack.orders USING btree (tx_signature)'),
  ('positions', 'idx_positions_exit_strategy_id',
   'CREATE INDEX idx_positions_exit_strategy_id ON walltrack.positions USING btree (exit_strategy_id)'),
  ('positions', 'idx_positions_open',
   'CREATE INDEX idx_positions_open ON walltrack.positions USING btree (token_id) WHERE (status = ''open''::text)'),
  ('positions', 'idx_positions_recent_closed',
   'CREATE INDEX idx_positions_recent_closed ON walltrack.positions USING btree (closed_at DESC) WHERE (status = ''closed''::text)'),
  ('positions', 'idx_positions_signal_id',
   'CREATE INDEX idx_positions_signal_id ON walltrack.positions USING btree (signal_id)'),
  ('positions', 'idx_positions_status',
   'CREATE INDEX idx_positions_status ON walltrack.positions USING btree (status)'),
  ('positions', 'idx_positions_token_id',
   'CREATE INDEX idx_positions_token_id ON walltrack.positions USING btree (token_id)'),
  ('positions', 'idx_positions_wallet_id',
   'CREATE INDEX idx_positions_wallet_id ON walltrack.positions USING btree (wallet_id)'),
  ('positions', 'positions_pkey',
   'CREATE UNIQUE INDEX positions_pkey ON walltrack.positions USING btree (id)'),
  ('positions', 'uq_positions_open_wallet_token',
   'CREATE UNIQUE INDEX uq_positions_open_wallet_token ON walltrack.positions USING btree (wallet_id, token_id) WHERE (status = ''open''::text)'),
  ('performance', 'performance_pkey',
   'CREATE UNIQUE INDEX performance_pkey ON walltrack.performance USING btree (id)'),
  ('performance', 'uq_performance_wallet_id',
   'CREATE UNIQUE INDEX uq_performance_wallet_id ON walltrack.performance USING btree (wallet_id)'),
  ('circuit_breaker_events', 'circuit_breaker_events_pkey',
   'CREATE UNIQUE INDEX circuit_breaker_events_pkey ON walltrack.circuit_breaker_events USING btree (id)'),
  ('circuit_breaker_events', 'idx_circuit_breaker_events_activation_event_id',
   'CREATE INDEX idx_circuit_breaker_events_activation_event_id ON walltrack.circuit_breaker_events USING btree (activation_event_id)'),
  ('circuit_breaker_events', 'idx_circuit_breaker_events_created_at',
   'CREATE INDEX idx_circuit_breaker_events_created_at ON walltrack.circuit_breaker_events USING btree (created_at DESC)'),
  ('circuit_breaker_events', 'uq_circuit_breaker_events_deactivation',
   'CREATE UNIQUE INDEX uq_circuit_breaker_events_deactivation ON walltrack.circuit_breaker_events USING btree (activation_event_id) WHERE (activation_event_id IS NOT NULL)'),
  ('circuit_breaker_events', 'uq_circuit_breaker_events_open_activation',
   'CREATE UNIQUE INDEX uq_circuit_breaker_events_open_activation ON walltrack.circuit_breaker_events USING btree (mode) WHERE ((event_type = ''activated''::text) AND (deactivated_at IS NULL))'),
  ('rejected_transactions', 'rejected_transactions_pkey',
   'CREATE UNIQUE INDEX rejected_transactions_pkey ON walltrack.rejected_transactions USING btree (id)'),
  ('rejected_transactions', 'idx_rejected_transactions_created_at',
   'CREATE INDEX idx_rejected_transactions_created_at ON walltrack.rejected_transactions USING btree (created_at DESC)'),
  ('rejected_transactions', 'uq_rejected_transactions_signature_reason',
   'CREATE UNIQUE INDEX uq_rejected_transactions_signature_reason ON walltrack.rejected_transactions USING btree (transaction_signature, reason) WHERE (transaction_signature IS NOT NULL)'),
  ('price_refusals', 'price_refusals_pkey',
   'CREATE UNIQUE INDEX price_refusals_pkey ON walltrack.price_refusals USING btree (id)'),
  ('price_refusals', 'idx_price_refusals_created_at',
   'CREATE INDEX idx_price_refusals_created_at ON walltrack.price_refusals USING btree (created_at DESC)'),
  ('price_refusals', 'idx_price_refusals_token_address_created_at',
   'CREATE INDEX idx_price_refusals_token_address_created_at ON walltrack.price_refusals USING btree (token_address, created_at DESC)');

select indexes_are(
  'walltrack', table_name, array_agg(index_name),
  format('walltrack.%s has exactly the designed indexes', table_name)
)
from expected_indexes
group by table_name
order by table_name;

select is(
  pg_catalog.pg_get_indexdef(to_regclass('walltrack.' || index_name)),
  definition,
  format('index %s on walltrack.%s is defined as designed', index_name, table_name)
)
from expected_indexes
order by table_name, index_name;

select * from finish();
rollback;
