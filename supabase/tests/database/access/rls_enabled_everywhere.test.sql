-- Row level security is enabled on every walltrack table with no policy for anon, authenticated
-- or PUBLIC, so even a role that were granted the schema and the tables would see no row and
-- write none. (service_role bypasses RLS: see service_role_can_use_the_schema.test.sql.)
begin;
create extension if not exists pgtap with schema extensions;
select plan(33);

select ok(
  coalesce((select c.relrowsecurity from pg_catalog.pg_class c where c.oid = to_regclass('walltrack.' || table_name)),
           false),
  format('RLS is enabled on walltrack.%s', table_name)
)
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'edge_function_calls']) as t(table_name)
order by table_name;

select is(
  array(
    select c.relname::text
    from pg_catalog.pg_class c
    where c.relnamespace = 'walltrack'::regnamespace
      and c.relkind in ('r', 'p')
      and not c.relrowsecurity
    order by 1
  ),
  '{}'::text[],
  'no walltrack table is without RLS'
);

select is(
  array(
    select format('%s.%s', tablename, policyname)
    from pg_catalog.pg_policies
    where schemaname = 'walltrack'
      and roles && array['anon', 'authenticated', 'public']::name[]
    order by 1
  ),
  '{}'::text[],
  'no walltrack policy lets anon, authenticated or PUBLIC in'
);

-- One row in every table (config and the exit strategies have theirs).
insert into walltrack.wallets (id, address, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', id from walltrack.exit_strategies where name = 'Default';
insert into walltrack.tokens (id, address) values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111');
insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload)
values ('c0ffee00-0000-4000-8000-00000000c001', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
        'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}');
insert into walltrack.positions (id, wallet_id, token_id, mode, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', id from walltrack.exit_strategies where name = 'Default';
insert into walltrack.orders
  (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out, amount_in)
values ('c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000c001', 'entry', 'simulation', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1);
insert into walltrack.performance (wallet_id) values ('c0ffee00-0000-4000-8000-00000000a001');
insert into walltrack.circuit_breaker_events (event_type, trigger_reason, deactivated_at)
values ('activated', 'manual', now());
insert into walltrack.edge_function_calls (function_name, error) values ('test-rls', 'not sent');

select isnt_empty(
  format('select * from walltrack.%I', table_name),
  format('walltrack.%s has rows', table_name)
)
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'edge_function_calls']) as t(table_name)
order by table_name;

-- Open the schema and the tables to anon for this transaction only: RLS still shows nothing.
grant usage on schema walltrack to anon;
grant select, insert on all tables in schema walltrack to anon;

set local role anon;

select is_empty(
  format('select * from walltrack.%I', table_name),
  format('anon granted select on walltrack.%s still sees no row', table_name)
)
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'edge_function_calls']) as t(table_name)
order by table_name;

select throws_ok(
  $$insert into walltrack.tokens (address) values ('TestTokenB1111111111111111111111')$$,
  '42501',
  'new row violates row-level security policy for table "tokens"',
  'anon granted insert still cannot write a row'
);

reset role;

select * from finish();
rollback;
