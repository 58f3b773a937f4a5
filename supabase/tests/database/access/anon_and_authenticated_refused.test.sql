-- anon and authenticated (the API's public roles) are refused on every walltrack table, for
-- every kind of statement, and on every view, and hold no privilege that a later schema grant
-- could expose: none on the schema, the tables, the views, their columns or the functions.
begin;
create extension if not exists pgtap with schema extensions;
select plan(246);

-- As anon

set local role anon;

select throws_ok(
  format(statement, table_name),
  '42501',
  'permission denied for schema walltrack',
  format('anon: %s walltrack.%s is refused', verb, table_name)
)
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'rejected_transactions', 'price_refusals', 'edge_function_calls',
                  'token_lists', 'job_schedule', 'capture_cursors', 'fetched_transactions', 'leader_sell_balances',
                  'price_series', 'price_history', 'price_candles']) as t(table_name)
cross join (values
  ('select from', 'select * from walltrack.%I'),
  ('insert into', 'insert into walltrack.%I default values'),
  ('update', 'update walltrack.%I set id = id'),
  ('delete from', 'delete from walltrack.%I')
) as s(verb, statement)
order by table_name, verb;

select throws_ok(
  format('select * from walltrack.%I', view_name),
  '42501',
  'permission denied for schema walltrack',
  format('anon: select from walltrack.%s (a view) is refused', view_name)
)
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels']) as v(view_name)
order by view_name;

select throws_ok(
  $$select walltrack.scaling_levels_are_valid('[]')$$,
  '42501',
  'permission denied for schema walltrack',
  'anon: calling a walltrack function is refused'
);

reset role;

-- As authenticated

set local role authenticated;

select throws_ok(
  format(statement, table_name),
  '42501',
  'permission denied for schema walltrack',
  format('authenticated: %s walltrack.%s is refused', verb, table_name)
)
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'rejected_transactions', 'price_refusals', 'edge_function_calls',
                  'token_lists', 'job_schedule', 'capture_cursors', 'fetched_transactions', 'leader_sell_balances',
                  'price_series', 'price_history', 'price_candles']) as t(table_name)
cross join (values
  ('select from', 'select * from walltrack.%I'),
  ('insert into', 'insert into walltrack.%I default values'),
  ('update', 'update walltrack.%I set id = id'),
  ('delete from', 'delete from walltrack.%I')
) as s(verb, statement)
order by table_name, verb;

select throws_ok(
  format('select * from walltrack.%I', view_name),
  '42501',
  'permission denied for schema walltrack',
  format('authenticated: select from walltrack.%s (a view) is refused', view_name)
)
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels']) as v(view_name)
order by view_name;

select throws_ok(
  $$select walltrack.scaling_levels_are_valid('[]')$$,
  '42501',
  'permission denied for schema walltrack',
  'authenticated: calling a walltrack function is refused'
);

reset role;

-- No privilege behind the schema barrier either (PUBLIC grants included)

select schema_privs_are('walltrack', role_name, '{}'::text[], format('%s has no privilege on schema walltrack', role_name))
from unnest(array['anon', 'authenticated']::name[]) as r(role_name)
order by role_name;

select table_privs_are(
  'walltrack', table_name, role_name, '{}'::text[],
  format('%s has no privilege on walltrack.%s', role_name, table_name)
)
from unnest(array['config', 'exit_strategies', 'wallets', 'tokens', 'signals', 'orders', 'positions',
                  'performance', 'circuit_breaker_events', 'rejected_transactions', 'price_refusals', 'edge_function_calls',
                  'token_lists', 'job_schedule', 'capture_cursors', 'fetched_transactions', 'leader_sell_balances',
                  'price_series', 'price_history', 'price_candles']::name[]) as t(table_name)
cross join unnest(array['anon', 'authenticated']::name[]) as r(role_name)
order by role_name, table_name;

select table_privs_are(
  'walltrack', view_name, role_name, '{}'::text[],
  format('%s has no privilege on walltrack.%s (a view)', role_name, view_name)
)
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels']::name[]) as v(view_name)
cross join unnest(array['anon', 'authenticated']::name[]) as r(role_name)
order by role_name, view_name;

select is(
  array(
    select format('%s.%s.%s to %s', table_schema, table_name, column_name, grantee)
    from information_schema.column_privileges
    where table_schema = 'walltrack'
      and grantee in ('anon', 'authenticated', 'PUBLIC')
    order by 1
  ),
  '{}'::text[],
  'no column of walltrack is granted to anon, authenticated or PUBLIC'
);

select is(
  array(
    select format('%s to %s', p.oid::regprocedure, r.role_name)
    from pg_catalog.pg_proc p
    cross join unnest(array['anon', 'authenticated']) as r(role_name)
    where p.pronamespace = 'walltrack'::regnamespace
      and has_function_privilege(r.role_name, p.oid, 'execute')
    order by 1
  ),
  '{}'::text[],
  'no walltrack function is executable by anon or authenticated (PUBLIC included)'
);

select * from finish();
rollback;
