-- A failing Helius sync backs off (issue 9: it was retried on every call and every 5 minutes):
-- walltrack.helius_sync_backoff gives 1 minute after the first failure in a row, doubling, capped
-- at 1 hour. Each failure recorded by walltrack.finish_helius_sync counts, sets the next attempt
-- and the last error; until then a claim is refused as backing_off and the pg_cron job sends no
-- request; a success resets it all. walltrack.status_summary shows it.
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- Fixtures: tests.operations_* and tests.cron_test_secrets from 000_test_helpers.test.sql (addresses
-- tests.addr, 'Test' + a tag).
set local client_min_messages = error;

select results_eq(
  $$select walltrack.helius_sync_backoff(n) from unnest(array[0, 1, 2, 3, 6, 7, 8, 1000]) n$$,
  $$values (interval '0'), (interval '1 minute'), (interval '2 minutes'), (interval '4 minutes'), (interval '32 minutes'),
           (interval '1 hour'), (interval '1 hour'), (interval '1 hour')$$,
  'backoff after n failures in a row: none, 1 minute, doubling, capped at 1 hour (no overflow)');
select volatility_is('walltrack', 'helius_sync_backoff', array['integer']::name[], 'immutable', 'the backoff is a pure rule');

do $$ begin perform tests.cron_test_secrets(); end $$;
update walltrack.wallets set helius_sync_status = 'synced', helius_sync_error = null where helius_sync_status <> 'synced';
update walltrack.config set helius_sync_lease = null, helius_sync_lease_until = null, helius_sync_failures = 0,
  helius_sync_next_attempt_at = null, helius_sync_last_error = null;
do $$ begin perform tests.operations_wallet('Backoff'); end $$;

-- Claims and fails the sync n times in a row, moving past each backoff by hand (time stands still
-- in a transaction).
create function pg_temp.fail_once(message text) returns boolean
language plpgsql as $$
declare
  claim jsonb;
begin
  update walltrack.config set helius_sync_next_attempt_at = least(helius_sync_next_attempt_at, now());
  claim := walltrack.claim_helius_sync();
  return walltrack.finish_helius_sync((claim ->> 'lease')::uuid,
    jsonb_build_object('wallet_ids', claim #> '{plan,pending_wallet_ids}', 'error', message));
end
$$;

select is(pg_temp.fail_once('helius: server_error 500'), true, 'a first failure is recorded');
select results_eq(
  $$select helius_sync_failures, helius_sync_next_attempt_at, helius_sync_last_error, helius_sync_lease from walltrack.config$$,
  $$values (1, now() + interval '1 minute', 'helius: server_error 500'::text, null::uuid)$$,
  'one failure: next attempt in 1 minute, the error kept, the lease released');
select is(tests.operations_sync_status('Backoff'), 'error', 'the wallet in error (retried after the backoff)');

select is(walltrack.claim_helius_sync(),
  jsonb_build_object('claimed', false, 'reason', 'backing_off', 'failures', 1, 'next_attempt_at', now() + interval '1 minute'),
  'a direct call during the backoff: refused, with the failures and the next attempt');
create temp table queue_before as select coalesce(max(id), 0) as last_id from net.http_request_queue;
select is(walltrack.sync_helius_addresses(), null, 'the pg_cron job asks nothing during the backoff');
select is_empty($$select 1 from net.http_request_queue where id > (select last_id from queue_before)$$, 'no request queued');
select results_eq(
  $$select s #> '{helius_sync,failures}', s #> '{helius_sync,next_attempt_at}', s #>> '{helius_sync,last_error}', s #> '{helius_sync,running}'
    from (select walltrack.status_summary() as s) x$$,
  $$values ('1'::jsonb, to_jsonb(now() + interval '1 minute'), 'helius: server_error 500'::text, 'false'::jsonb)$$,
  'status_summary shows the failures, the next attempt, the last error, and that none runs');

select is(pg_temp.fail_once('helius: timeout'), true, 'after the minute, the second attempt fails too');
select results_eq($$select helius_sync_failures, helius_sync_next_attempt_at from walltrack.config$$,
  $$values (2, now() + interval '2 minutes')$$, 'two failures: 2 minutes');
select is(pg_temp.fail_once('helius: timeout'), true, 'and a third');
select results_eq($$select helius_sync_failures, helius_sync_next_attempt_at from walltrack.config$$,
  $$values (3, now() + interval '4 minutes')$$, 'three failures: 4 minutes');

update walltrack.config set helius_sync_next_attempt_at = now();
select isnt(walltrack.sync_helius_addresses(), null, 'the backoff over: the pg_cron job asks again');

create temp table claim as select walltrack.claim_helius_sync() as c;
select is((select s #> '{helius_sync,running}' from (select walltrack.status_summary() as s) x), 'true'::jsonb,
  'status_summary says a sync runs while one holds the lease');
select is(walltrack.finish_helius_sync((select (c ->> 'lease')::uuid from claim),
  jsonb_build_object('wallet_ids', (select c #> '{plan,pending_wallet_ids}' from claim), 'addresses', (select c #> '{plan,addresses}' from claim),
                     'webhook_id', 'wh-backoff', 'webhook_url', 'https://x')), true, 'then it succeeds');
select results_eq(
  $$select helius_sync_failures, helius_sync_next_attempt_at, helius_sync_last_error from walltrack.config$$,
  $$values (0, null::timestamptz, null::text)$$, 'a success resets the failures, the next attempt and the error');

select * from finish();
rollback;
