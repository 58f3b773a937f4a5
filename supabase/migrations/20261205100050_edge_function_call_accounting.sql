-- Every call from the database to an edge function is accounted for. pg_net answers
-- net.http_post with a request id at once and sends later; what came back (a 401, a 500, a
-- timeout) sits in net._http_response, which nothing read, so a cron job whose every call failed
-- looked healthy (its SQL succeeded). And pg_net forgets a response after pg_net.ttl (6 hours by
-- default), so the outcome of each call is copied here while it is still there. status_summary
-- (20261205100100) carries the view per function; health names a function whose call failed.

create table walltrack.edge_function_calls (
  id uuid primary key default gen_random_uuid(),
  function_name text not null,
  -- pg_net's request id; null when the call was never sent (no Vault secrets).
  request_id bigint constraint uq_edge_function_calls_request_id unique,
  -- Copied from net._http_response when the response was seen; null while not seen yet.
  answered_at timestamptz,
  status_code integer,
  timed_out boolean,
  error text,
  -- When the call was made (the clock, not the transaction's start: two calls of one transaction
  -- keep their order).
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint edge_function_calls_unsent_has_error check (request_id is not null or error is not null)
);
create index idx_edge_function_calls_function_created_at on walltrack.edge_function_calls (function_name, created_at desc);
create index idx_edge_function_calls_unanswered on walltrack.edge_function_calls (request_id)
  where answered_at is null and request_id is not null;
create index idx_edge_function_calls_created_at on walltrack.edge_function_calls (created_at);
create trigger edge_function_calls_set_updated_at before update on walltrack.edge_function_calls
  for each row execute function walltrack.set_updated_at();

comment on table walltrack.edge_function_calls is
  'Every call walltrack.invoke_edge_function made (or could not make) and what pg_net got back, kept 7 days: pg_net itself forgets responses after pg_net.ttl.';
comment on column walltrack.edge_function_calls.id is 'Identity of the call.';
comment on column walltrack.edge_function_calls.function_name is 'The edge function called (its path under /functions/v1/).';
comment on column walltrack.edge_function_calls.request_id is 'pg_net''s request id (net._http_response.id); null when the call was not sent.';
comment on column walltrack.edge_function_calls.answered_at is 'When pg_net recorded the outcome; null while it is not known here yet.';
comment on column walltrack.edge_function_calls.status_code is 'HTTP status of the response; null on a timeout, a connection error or no answer.';
comment on column walltrack.edge_function_calls.timed_out is 'pg_net gave up waiting (the call''s timeout, 30 s).';
comment on column walltrack.edge_function_calls.error is 'Why it failed: pg_net''s error, the start of a non-2xx body, or why it was not sent.';
comment on column walltrack.edge_function_calls.created_at is 'When the call was made (queued with pg_net, or found impossible).';
comment on column walltrack.edge_function_calls.updated_at is 'Last change of the row (the outcome copied).';

-- service_role writes it too: a service_role that inserts orders kicks the executor, and that call
-- is recorded as any other.
alter table walltrack.edge_function_calls enable row level security;
revoke all on walltrack.edge_function_calls from anon, authenticated, service_role;
grant select, insert, update, delete on walltrack.edge_function_calls to service_role;

-- What became of a call, in the operator's words: succeeded (2xx), failed (any other status),
-- timed_out, error (no HTTP answer: refused, DNS...), not_sent (no Vault secrets), pending (no
-- answer yet, within two minutes: pg_net's timeout is 30 s) or unanswered (none after that: pg_net
-- is not sending, or forgot the response before it was copied).
create function walltrack.edge_function_call_outcome(
  sent boolean, answered boolean, status_code integer, timed_out boolean, called_at timestamptz, at timestamptz)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when not sent then 'not_sent'
    when answered and status_code between 200 and 299 then 'succeeded'
    when answered and status_code is not null then 'failed'
    when answered and timed_out then 'timed_out'
    when answered then 'error'
    when called_at > at - interval '2 minutes' then 'pending'
    else 'unanswered'
  end;
$$;
comment on function walltrack.edge_function_call_outcome(boolean, boolean, integer, boolean, timestamptz, timestamptz) is
  'What became of a call to an edge function: succeeded, failed (non-2xx), timed_out, error, not_sent, pending (under two minutes) or unanswered.';
revoke execute on function walltrack.edge_function_call_outcome(boolean, boolean, integer, boolean, timestamptz, timestamptz) from public;

-- The problem of a function called from the database, in words, or null: its last call whose fate
-- is known did not succeed.
create function walltrack.edge_function_call_problem(last_outcome text, last_status_code integer, last_error text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case last_outcome
    when 'failed' then pg_catalog.format('its last call failed: HTTP %s %s', last_status_code, coalesce(last_error, ''))
    when 'timed_out' then pg_catalog.format('its last call timed out: %s', coalesce(last_error, 'no answer in time'))
    when 'error' then pg_catalog.format('its last call failed: %s', coalesce(last_error, 'no message'))
    when 'not_sent' then pg_catalog.format('its last call was not sent: %s', last_error)
    when 'unanswered' then 'its last call got no answer (is pg_net sending?)'
  end;
$$;
comment on function walltrack.edge_function_call_problem(text, integer, text) is
  'The problem of an edge function called from the database (its last settled call failed, timed out, errored, was not sent or got no answer), null when it succeeded.';
revoke execute on function walltrack.edge_function_call_problem(text, integer, text) from public;

-- Copies what pg_net recorded for calls not answered here yet, and forgets calls older than 7 days.
-- Rows another transaction is copying are skipped, never waited for: this runs inside every
-- call (a trigger's among them) and must not make callers queue behind each other.
create function walltrack.record_edge_function_outcomes()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  recorded integer;
begin
  with due as (
    select c.id from walltrack.edge_function_calls c
     where c.answered_at is null and c.request_id is not null
     for update skip locked
  )
  update walltrack.edge_function_calls c
     set answered_at = r.created, status_code = r.status_code, timed_out = coalesce(r.timed_out, false),
         error = case when r.status_code between 200 and 299 then null
                      else coalesce(r.error_msg, pg_catalog.left(r.content, 200)) end
    from due, net._http_response r
   where c.id = due.id and r.id = c.request_id;
  get diagnostics recorded = row_count;
  delete from walltrack.edge_function_calls
   where id in (select id from walltrack.edge_function_calls where created_at < pg_catalog.now() - interval '7 days'
                for update skip locked);
  return recorded;
end;
$$;
comment on function walltrack.record_edge_function_outcomes() is
  'Copies the responses pg_net recorded for calls not answered here yet (before pg_net.ttl forgets them) and forgets calls older than 7 days; returns how many it copied.';
revoke execute on function walltrack.record_edge_function_outcomes() from public;

create or replace function walltrack.invoke_edge_function(function_name text, body jsonb default '{}'::jsonb)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  project_url text;
  service_key text;
  request_id bigint;
begin
  perform walltrack.record_edge_function_outcomes();
  select decrypted_secret into project_url from vault.decrypted_secrets where name = 'project_url';
  select decrypted_secret into service_key from vault.decrypted_secrets where name = 'service_role_key';
  if project_url is null or service_key is null then
    raise warning 'walltrack: Vault secrets project_url and service_role_key are not set; % not called', function_name;
    insert into walltrack.edge_function_calls (function_name, error, created_at)
    values (function_name, 'the Vault secrets project_url and service_role_key are not set', pg_catalog.clock_timestamp());
    return null;
  end if;
  request_id := net.http_post(
    url := pg_catalog.rtrim(project_url, '/') || '/functions/v1/' || function_name,
    body := body,
    headers := pg_catalog.jsonb_build_object('Content-Type', 'application/json',
                                             'Authorization', 'Bearer ' || service_key),
    timeout_milliseconds := 30000);
  insert into walltrack.edge_function_calls (function_name, request_id, created_at)
  values (function_name, request_id, pg_catalog.clock_timestamp());
  return request_id;
end;
$$;
comment on function walltrack.invoke_edge_function(text, jsonb) is
  'POSTs to an edge function through net.http_post with the project URL and service-role key from Vault, and records the call in edge_function_calls; null (a warning, and the call recorded as not sent) when they are not set.';

-- Per function called from the database: its last call and what became of it, calls and failures
-- in the last hour and 24 hours, failures since its last success, and its problem. A response
-- pg_net recorded but not copied yet is read from net._http_response, so the view is current.
create view walltrack.edge_function_call_health with (security_invoker = true) as
with calls as (
  select c.function_name, c.created_at as called_at, known.status_code, known.error,
         walltrack.edge_function_call_outcome(c.request_id is not null, known.answered_at is not null,
           known.status_code, known.timed_out, c.created_at, pg_catalog.now()) as outcome
  from walltrack.edge_function_calls c
  left join net._http_response r on c.answered_at is null and r.id = c.request_id
  cross join lateral (
    select case when c.answered_at is not null then c.answered_at else r.created end as answered_at,
           case when c.answered_at is not null then c.status_code else r.status_code end as status_code,
           case when c.answered_at is not null then c.timed_out else r.timed_out end as timed_out,
           case when c.answered_at is not null or c.request_id is null then c.error
                when r.status_code between 200 and 299 then null
                else coalesce(r.error_msg, pg_catalog.left(r.content, 200)) end as error
  ) known
), judged as (
  select k.*, k.outcome not in ('succeeded', 'pending') as failed,
         max(k.called_at) filter (where k.outcome = 'succeeded') over (partition by k.function_name) as last_success_at
  from calls k
), counted as (
  select function_name,
         count(*) filter (where called_at > pg_catalog.now() - interval '1 hour') as calls_1h,
         count(*) filter (where called_at > pg_catalog.now() - interval '1 hour' and failed) as failures_1h,
         count(*) filter (where called_at > pg_catalog.now() - interval '24 hours') as calls_24h,
         count(*) filter (where called_at > pg_catalog.now() - interval '24 hours' and failed) as failures_24h,
         count(*) filter (where failed and called_at > coalesce(last_success_at, '-infinity')) as failures_since_success
  from judged
  group by function_name
), latest as (
  select distinct on (function_name) function_name, called_at, outcome
  from calls order by function_name, called_at desc
), settled as (
  select distinct on (function_name) function_name, outcome, status_code, error
  from calls where outcome <> 'pending' order by function_name, called_at desc
)
select c.function_name, l.called_at as last_call_at, l.outcome as last_outcome,
       s.status_code as last_status_code, s.error as last_error,
       c.calls_1h, c.failures_1h, c.calls_24h, c.failures_24h, c.failures_since_success,
       walltrack.edge_function_call_problem(s.outcome, s.status_code, s.error) as problem
from counted c
join latest l using (function_name)
left join settled s using (function_name);
comment on view walltrack.edge_function_call_health is
  'Every edge function called from the database (7 days kept): last call and its outcome, last known status and error, calls and failures in 1 h and 24 h, failures since the last success, and the problem when its last settled call did not succeed.';
revoke all on walltrack.edge_function_call_health from public, anon, authenticated;
grant select on walltrack.edge_function_call_health to service_role;
revoke insert, update, delete, truncate on walltrack.edge_function_call_health from service_role;
