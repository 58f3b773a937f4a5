-- walltrack.reconcile_capture (pg_cron, every minute) asks the capture-reconciler edge function,
-- through net.http_post with the Vault project URL and key, only when walltrack.capture_interval()
-- has passed since the last run (poll_interval_seconds in poll mode, reconcile_interval_minutes in
-- webhook mode, with 5 s for the minute's jitter), no run holds the lease, no backoff holds and a
-- wallet is active. Otherwise: no request.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.operations_* and tests.cron_* from 000_test_helpers.test.sql.
set local client_min_messages = error;
do $$ begin perform tests.cron_test_secrets(); end $$;
create temp table queue_before as select coalesce(max(id), 0) as last_id from net.http_request_queue;
create temp view requests as select * from net.http_request_queue where id > (select last_id from queue_before);
update walltrack.wallets set is_active = false where is_active;
update walltrack.config set delivery_mode = 'webhook', reconcile_interval_minutes = 10, poll_interval_seconds = 60,
  capture_last_run_at = now() - interval '1 hour', capture_lease = null, capture_lease_until = null, capture_next_attempt_at = null;

select is(walltrack.reconcile_capture(), null, 'no active wallet: no request');
do $$ begin perform tests.operations_wallet('Due'); end $$;
create temp table due as select walltrack.reconcile_capture() as request_id;
select is(tests.cron_call((select request_id from due)), 'POST capture-reconciler {"source": "cron"}',
  'a wallet active and the interval passed: a POST to the capture-reconciler function, with the Vault key');

update walltrack.config set capture_last_run_at = now() - interval '9 minutes 50 seconds';
select is(walltrack.reconcile_capture(), null, 'webhook mode: not within reconcile_interval_minutes of the last run');
update walltrack.config set capture_last_run_at = now() - interval '9 minutes 56 seconds';
select isnt(walltrack.reconcile_capture(), null, 'due 5 s early (pg_cron''s minute jitters)');

update walltrack.config set delivery_mode = 'poll', capture_last_run_at = now() - interval '56 seconds';
select isnt(walltrack.reconcile_capture(), null, 'poll mode every 60 s: the next minute''s run');
update walltrack.config set poll_interval_seconds = 180;
select is(walltrack.reconcile_capture(), null, 'poll mode every 180 s: not yet');

update walltrack.config set capture_last_run_at = now() - interval '1 hour', capture_lease = gen_random_uuid(),
  capture_lease_until = now() + interval '1 minute';
select is(walltrack.reconcile_capture(), null, 'a run holds the lease: no request');
update walltrack.config set capture_lease = null, capture_lease_until = null, capture_next_attempt_at = now() + interval '1 minute';
select is(walltrack.reconcile_capture(), null, 'a backoff holds: no request');
select is((select count(*)::integer from requests), 3, 'three requests queued in all, one per due call');

select * from finish();
rollback;
