-- walltrack.sync_helius_addresses (pg_cron, every 5 minutes) asks the helius-sync edge function,
-- through net.http_post with the project URL and service-role key from Vault, to push the
-- watchlist, only when a wallet is pending or its last sync failed (error: retried): each webhook
-- edit costs Helius credits. Nothing pending nor in error, or the Vault secrets missing, means no
-- request at all.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- This test's own Vault secrets (tests.cron_test_secrets).
do $$ begin perform tests.cron_test_secrets(); end $$;

-- Nothing pending to start with.
update walltrack.wallets set helius_sync_status = 'synced', helius_sync_error = null where helius_sync_status <> 'synced';
create temp table queue_before as select coalesce(max(id), 0) as last_id from net.http_request_queue;
create temp view requests as select * from net.http_request_queue where id > (select last_id from queue_before);

select is(walltrack.sync_helius_addresses(), null, 'nothing pending: no request');
select is_empty('select * from requests', 'nothing queued');

do $$ begin perform walltrack.add_wallet(tests.addr('WaAdded')); end $$;
create temp table synced as select walltrack.sync_helius_addresses() as request_id;
select isnt((select request_id from synced), null, 'a wallet added is pending: a request id');
select is((select count(*)::integer from requests), 1, 'one request queued');
select is((select id from requests), (select request_id from synced), 'the id returned is the queued request''s');
select is(tests.cron_call((select request_id from synced)), 'POST helius-sync {"source": "cron"}',
  'a POST to the helius-sync function of the Vault project URL, with the Vault key; the body says pg_cron asks');

-- That sync succeeded; then a wallet's sync failed: a wallet in error only is retried.
update walltrack.wallets set helius_sync_status = 'synced' where address = tests.addr('WaAdded');
do $$ begin perform tests.operations_wallet('Failed'); end $$;
update walltrack.wallets set helius_sync_status = 'error', helius_sync_error = 'Helius: 500'
where address = tests.addr('WaFailed');
create temp table retried as select walltrack.sync_helius_addresses() as request_id;
select results_eq(
  $$select id, url from requests where id > (select request_id from synced)$$,
  $$select request_id, 'http://127.0.0.1:9/functions/v1/helius-sync'::text from retried$$,
  'a wallet in error only: its sync is retried, one more request to the helius-sync function, the id returned');

-- Without the Vault secrets, nothing is sent (a warning goes to the job's log).
delete from vault.secrets where name in ('project_url', 'service_role_key');
select is(walltrack.sync_helius_addresses(), null, 'secrets missing: null');
select is((select count(*)::integer from requests), 2, 'and still the two requests queued');

select * from finish();
rollback;
