-- Every call from the database to an edge function is accounted for: invoke_edge_function records
-- each call (or that it could not be made), walltrack.edge_function_call_outcome and
-- edge_function_call_problem name what became of it, walltrack.edge_function_call_health counts
-- failures per function over 1 h and 24 h, and status_summary carries it. The copy of pg_net's
-- responses and health's use of it are measured against a running stack
-- (tests/integration/edge_function_calls_accounted.test.ts).
begin;
create extension if not exists pgtap with schema extensions;
select plan(20);

set local client_min_messages = error;

select is(walltrack.edge_function_call_outcome(true, true, 200, false, now(), now()), 'succeeded', '2xx: succeeded');
select is(walltrack.edge_function_call_outcome(true, true, 204, false, now(), now()), 'succeeded', '204 too');
select is(walltrack.edge_function_call_outcome(true, true, 401, false, now(), now()), 'failed', 'a 401: failed');
select is(walltrack.edge_function_call_outcome(true, true, 500, false, now(), now()), 'failed', 'a 500: failed');
select is(walltrack.edge_function_call_outcome(true, true, null, true, now(), now()), 'timed_out', 'no status, timed out');
select is(walltrack.edge_function_call_outcome(true, true, null, false, now(), now()), 'error',
  'no status, not timed out: an error (connection refused, DNS)');
select is(walltrack.edge_function_call_outcome(false, false, null, null, now(), now()), 'not_sent', 'never sent');
select is(walltrack.edge_function_call_outcome(true, false, null, null, now() - interval '119 seconds', now()), 'pending',
  'no answer yet within two minutes: pending');
select is(walltrack.edge_function_call_outcome(true, false, null, null, now() - interval '3 minutes', now()), 'unanswered',
  'no answer after two minutes: unanswered');

select is(walltrack.edge_function_call_problem('succeeded', 200, null), null, 'a success is no problem');
select is(walltrack.edge_function_call_problem('failed', 401, '{"error":"invalid JWT"}'),
  'its last call failed: HTTP 401 {"error":"invalid JWT"}', 'a failure names the status and the answer');
select is(walltrack.edge_function_call_problem('not_sent', null, 'the Vault secrets project_url and service_role_key are not set'),
  'its last call was not sent: the Vault secrets project_url and service_role_key are not set', 'a call not sent says why');

-- Without the Vault secrets (a `supabase start` that never set them), the call is recorded as not sent.
delete from vault.secrets where name in ('project_url', 'service_role_key');
select is(walltrack.invoke_edge_function('test-accounting'), null, 'no secrets: no request');
select results_eq(
  $$select last_outcome, problem from walltrack.edge_function_call_health where function_name = 'test-accounting'$$,
  $$values ('not_sent'::text, 'its last call was not sent: the Vault secrets project_url and service_role_key are not set'::text)$$,
  'and the view says so');

-- With them, the call is queued and recorded with pg_net's request id, pending until answered.
select vault.create_secret('http://127.0.0.1:9', 'project_url');
select vault.create_secret('test-key', 'service_role_key');
create temp table sent as select walltrack.invoke_edge_function('test-accounting') as request_id;
select is((select request_id from walltrack.edge_function_calls where function_name = 'test-accounting' order by created_at desc limit 1),
  (select request_id from sent), 'the call is recorded with its pg_net request id');
select results_eq(
  $$select last_outcome, problem from walltrack.edge_function_call_health where function_name = 'test-accounting'$$,
  $$values ('pending'::text, 'its last call was not sent: the Vault secrets project_url and service_role_key are not set'::text)$$,
  'a call not answered yet is pending, and the problem is still the last settled call''s');

-- A history as invoke_edge_function leaves it once the responses are copied: a success 3 h ago, a
-- 500 and a timeout in the last hour, then a success 20 minutes ago; a failure 30 h ago is outside 24 h.
delete from walltrack.edge_function_calls where function_name = 'test-accounting';
insert into walltrack.edge_function_calls (function_name, request_id, created_at, answered_at, status_code, timed_out, error)
select 'test-history', -v.n, now() - v.ago::interval, now() - v.ago::interval, v.status, v.timed_out, v.error
from (values (1, '30 hours', 503, false, 'unavailable'), (2, '3 hours', 200, false, null),
             (3, '50 minutes', 500, false, 'boom'), (4, '40 minutes', null, true, 'timed out after 30000 ms'),
             (5, '20 minutes', 200, false, null)) as v(n, ago, status, timed_out, error);
select results_eq(
  $$select last_outcome, calls_1h, failures_1h, calls_24h, failures_24h, failures_since_success, problem
    from walltrack.edge_function_call_health where function_name = 'test-history'$$,
  $$values ('succeeded'::text, 3::bigint, 2::bigint, 4::bigint, 2::bigint, 0::bigint, null::text)$$,
  'calls and failures in 1 h and 24 h; back to success: no problem');
insert into walltrack.edge_function_calls (function_name, request_id, created_at, answered_at, status_code, timed_out, error)
values ('test-history', -6, now() - interval '5 minutes', now() - interval '5 minutes', 401, false, '{"error":"invalid JWT"}');
select results_eq(
  $$select last_outcome, last_status_code, failures_1h, failures_since_success, problem
    from walltrack.edge_function_call_health where function_name = 'test-history'$$,
  $$values ('failed'::text, 401, 3::bigint, 1::bigint, 'its last call failed: HTTP 401 {"error":"invalid JWT"}'::text)$$,
  'a 401 on the last call: failed, counted, and named as the problem');
select is(
  (select e from jsonb_array_elements(walltrack.status_summary() -> 'edge_function_calls') e where e ->> 'function' = 'test-history'),
  jsonb_build_object('function', 'test-history', 'last_call_at', now() - interval '5 minutes', 'last_outcome', 'failed',
                     'failures_1h', 3, 'failures_24h', 3,
                     'problem', 'its last call failed: HTTP 401 {"error":"invalid JWT"}'),
  'status_summary carries each function''s last call, failures and problem');

-- Calls are kept 7 days.
insert into walltrack.edge_function_calls (function_name, request_id, created_at, answered_at, status_code)
values ('test-history', -7, now() - interval '8 days', now() - interval '8 days', 200);
select walltrack.record_edge_function_outcomes();
select is((select count(*)::integer from walltrack.edge_function_calls where request_id = -7), 0,
  'a call older than 7 days is forgotten');

select * from finish();
rollback;
