-- service_role, the role the application and edge functions use, can use walltrack: it has the
-- schema, exactly the designed table privileges (no DELETE on the singleton config nor on the
-- append-only circuit_breaker_events, no TRUNCATE anywhere), reads the operator's views, bypasses
-- RLS, and can run the whole life of a trade.
begin;
create extension if not exists pgtap with schema extensions;
select plan(60);

select schema_privs_are('walltrack', 'service_role', array['USAGE'], 'service_role can use schema walltrack');

select table_privs_are(
  'walltrack', table_name, 'service_role', privileges,
  format('service_role has %s on walltrack.%s', array_to_string(privileges, ', '), table_name)
)
from (values
  ('config', array['SELECT', 'INSERT', 'UPDATE']),
  ('exit_strategies', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('wallets', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('tokens', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('signals', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('orders', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('positions', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('performance', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('circuit_breaker_events', array['SELECT', 'INSERT', 'UPDATE']),
  ('rejected_transactions', array['SELECT', 'INSERT', 'DELETE']),
  ('price_refusals', array['SELECT', 'INSERT', 'DELETE']),
  ('edge_function_calls', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('token_lists', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('job_schedule', array['SELECT']),
  ('capture_cursors', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('fetched_transactions', array['SELECT', 'INSERT', 'DELETE']),
  ('leader_sell_balances', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('price_series', array['SELECT', 'INSERT', 'UPDATE', 'DELETE']),
  ('price_history', array['SELECT', 'INSERT', 'DELETE']),
  ('price_candles', array['SELECT', 'INSERT', 'UPDATE', 'DELETE'])
) as t(table_name, privileges)
order by table_name;

select ok(
  has_table_privilege('service_role', format('walltrack.%I', view_name), 'select'),
  format('service_role has SELECT on walltrack.%s (a view)', view_name)
)
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels']::name[]) as v(view_name)
order by view_name;

select ok(
  (select rolbypassrls from pg_catalog.pg_roles where rolname = 'service_role'),
  'service_role bypasses RLS (walltrack has no policies)'
);

select ok(
  has_function_privilege('service_role', 'walltrack.scaling_levels_are_valid(jsonb)', 'execute'),
  'service_role can execute the function behind the scale-out CHECK'
);

set local role service_role;

select isnt_empty($$select * from walltrack.config$$, 'service_role reads the config row');
select isnt_empty($$select * from walltrack.exit_strategies$$, 'service_role reads the exit strategies');

-- The views are security_invoker: service_role reads them with its own rights on what is under them.
select lives_ok(
  format('select * from walltrack.%I', view_name),
  format('service_role reads walltrack.%s', view_name)
)
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels']) as v(view_name)
order by view_name;

select lives_ok(
  $$insert into walltrack.exit_strategies (id, name, stop_loss_percent, trailing_stop_percent, scaling_levels)
    values ('c0ffee00-0000-4000-8000-000000000e51', 'pgTAP service strategy', 25, 12, '[{"multiplier": 2, "sell_percent": 40}]')$$,
  'service_role adds an exit strategy (its scale-out CHECK runs)'
);

select lives_ok(
  $$insert into walltrack.wallets (id, address, exit_strategy_id)
    values ('c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', 'c0ffee00-0000-4000-8000-000000000e51')$$,
  'service_role adds a wallet'
);

select lives_ok(
  $$insert into walltrack.tokens (id, address, last_analyzed_at, safety_score, analysis_source)
    values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111', now(), 0.72, 'rugcheck')$$,
  'service_role caches a token'
);

select lives_ok(
  $$insert into walltrack.signals
      (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values ('c0ffee00-0000-4000-8000-00000000c001', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
            'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}')$$,
  'service_role records a signal'
);

select lives_ok(
  $$insert into walltrack.positions (id, wallet_id, token_id, signal_id, mode, exit_strategy_id)
    values ('c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000c001', 'simulation', 'c0ffee00-0000-4000-8000-000000000e51')$$,
  'service_role opens a position'
);

select lives_ok(
  $$update walltrack.signals
    set token_id = 'c0ffee00-0000-4000-8000-00000000b001', position_created = true, position_id = 'c0ffee00-0000-4000-8000-00000000e001', processed_at = now()
    where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'service_role records the signal outcome'
);

select lives_ok(
  $$insert into walltrack.orders
      (id, wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out, amount_in)
    values ('c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000c001', 'entry', 'simulation', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1)$$,
  'service_role queues the entry order'
);

-- Through the status machine: pending -> submitted -> executed.
select lives_ok(
  $$update walltrack.orders set status = 'submitted', submitted_at = now()
    where id = 'c0ffee00-0000-4000-8000-00000000d001';
    update walltrack.orders
    set status = 'executed', executed_at = now(), amount_out = 1000, price_usd = 0.001
    where id = 'c0ffee00-0000-4000-8000-00000000d001'$$,
  'service_role fills the order'
);

select lives_ok(
  $$update walltrack.positions
    set entry_price = 0.001, entry_amount = 1000, entry_value_usd = 1, entry_timestamp = now(),
        current_amount = 1000, current_price = 0.0012
    where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  'service_role records the entry and a price'
);

select lives_ok(
  $$insert into walltrack.performance (wallet_id) values ('c0ffee00-0000-4000-8000-00000000a001')$$,
  'service_role writes a performance row'
);

select lives_ok(
  $$update walltrack.circuit_breaker_events set deactivated_at = now()
    where event_type = 'activated' and deactivated_at is null$$,
  'service_role stamps an open activation deactivated'
);

select lives_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason) values ('activated', 'manual')$$,
  'service_role logs a circuit-breaker activation'
);

select lives_ok(
  $$update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = now()$$,
  'service_role updates the config row'
);

select results_eq(
  $$select unrealized_pnl_usd from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  $$values (0.2::numeric)$$,
  'service_role reads back what the triggers computed'
);

select lives_ok(
  $$delete from walltrack.wallets where id = 'c0ffee00-0000-4000-8000-00000000a001'$$,
  'service_role deletes a wallet, cascading to its rows'
);

reset role;

select * from finish();
rollback;
