-- The operator's views are closed to anon and authenticated (the API's public roles): the schema
-- refuses them first; and were a view granted to them by mistake, security_invoker makes it run
-- with their rights, so the tables and functions under it still refuse them.
begin;
create extension if not exists pgtap with schema extensions;
select plan(56);

set local role anon;
select throws_ok(format('select * from walltrack.%I', view_name), '42501', 'permission denied for schema walltrack',
  format('anon: walltrack.%s is refused', view_name))
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels', 'leader_risk',
                  'shadow_book', 'shadow_book_by_filter', 'copied_trades']) as v(view_name)
order by view_name;
reset role;

set local role authenticated;
select throws_ok(format('select * from walltrack.%I', view_name), '42501', 'permission denied for schema walltrack',
  format('authenticated: walltrack.%s is refused', view_name))
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels', 'leader_risk',
                  'shadow_book', 'shadow_book_by_filter', 'copied_trades']) as v(view_name)
order by view_name;
reset role;

-- The mistake, for this transaction only: the schema and the views granted to both roles.
grant usage on schema walltrack to anon, authenticated;
grant select on walltrack.open_positions_overview, walltrack.wallet_leaderboard, walltrack.signal_funnel,
  walltrack.results_by_exit_reason, walltrack.copy_quality, walltrack.cron_job_health, walltrack.edge_function_call_health,
  walltrack.equity_curve, walltrack.circuit_breaker_state, walltrack.open_position_scale_out_levels,
  walltrack.leader_risk,
  walltrack.shadow_book, walltrack.shadow_book_by_filter, walltrack.copied_trades
  to anon, authenticated;

create temp table expected (view_name text, message text);
insert into expected values
  ('open_positions_overview', 'permission denied for table positions'),
  ('wallet_leaderboard', 'permission denied for table performance'),
  ('signal_funnel', 'permission denied for table positions'),
  ('results_by_exit_reason', 'permission denied for table positions'),
  ('copy_quality', 'permission denied for table wallets'),
  ('cron_job_health', 'permission denied for function cron_schedule_interval'),
  ('edge_function_call_health', 'permission denied for table edge_function_calls'),
  ('equity_curve', 'permission denied for table positions'),
  ('circuit_breaker_state', 'permission denied for table config'),
  ('open_position_scale_out_levels', 'permission denied for table positions'),
  ('leader_risk', 'permission denied for table wallets'),
  ('shadow_book', 'permission denied for table signals'),
  ('shadow_book_by_filter', 'permission denied for table signals'),
  ('copied_trades', 'permission denied for table positions');
grant select on expected to anon, authenticated;

set local role anon;
select throws_ok(format('select * from walltrack.%I', view_name), '42501', message,
  format('anon granted walltrack.%s: the table under it still refuses', view_name))
from expected order by view_name;
reset role;

set local role authenticated;
select throws_ok(format('select * from walltrack.%I', view_name), '42501', message,
  format('authenticated granted walltrack.%s: the table under it still refuses', view_name))
from expected order by view_name;
reset role;

select * from finish();
rollback;
