-- One Helius sync at a time (issue 9: concurrent runs created extra webhooks). The helius-sync
-- function claims a lease on the config row with walltrack.claim_helius_sync, in one statement:
-- nothing to claim when nothing is pending; the first claim gets a token, the plan and a lease of
-- the length asked; any other claim while it holds is refused as running, and the pg_cron job sends
-- no request. Only the holder records the outcome (walltrack.finish_helius_sync), which releases
-- the lease; a lease that expired (its runtime died) is claimed again, and the old holder's token
-- then records nothing. The lease's length is bounded (0 to 1 hour).
begin;
create extension if not exists pgtap with schema extensions;
select plan(19);

-- Fixtures: tests.operations_* and tests.cron_test_secrets from 000_test_helpers.test.sql (addresses
-- tests.addr, 'Test' + a tag).
set local client_min_messages = error;

do $$ begin perform tests.cron_test_secrets(); end $$;
create temp table queue_before as select coalesce(max(id), 0) as last_id from net.http_request_queue;

update walltrack.wallets set helius_sync_status = 'synced', helius_sync_error = null where helius_sync_status <> 'synced';
update walltrack.config set helius_sync_lease = null, helius_sync_lease_until = null, helius_sync_failures = 0,
  helius_sync_next_attempt_at = null, helius_sync_last_error = null, helius_webhook_id = null;

select is(walltrack.claim_helius_sync(),
  jsonb_build_object('claimed', false, 'reason', 'nothing_pending', 'failures', 0, 'next_attempt_at', null),
  'nothing pending: nothing claimed');
select is((select helius_sync_lease from walltrack.config), null, 'and no lease taken');

do $$ begin perform tests.operations_wallet('Lease'); end $$;
create temp table first_claim as select walltrack.claim_helius_sync(interval '90 seconds') as c;
select is((select (c ->> 'claimed')::boolean from first_claim), true, 'a wallet pending: the first claim gets the lease');
select is((select helius_sync_lease from walltrack.config), (select (c ->> 'lease')::uuid from first_claim),
  'config holds the token returned');
select is((select helius_sync_lease_until from walltrack.config), now() + interval '90 seconds', 'for the length asked');
select is((select c -> 'plan' from first_claim), walltrack.helius_sync_plan(), 'with the plan of the sync to run');
select ok((select c #> '{plan,pending_wallet_ids}' from first_claim) ? tests.operations_wid('Lease')::text,
  'which lists the pending wallet');

select is(walltrack.claim_helius_sync() - 'next_attempt_at',
  jsonb_build_object('claimed', false, 'reason', 'running', 'failures', 0), 'a second claim while it holds: refused, running');
select is((select helius_sync_lease from walltrack.config), (select (c ->> 'lease')::uuid from first_claim),
  'and the first holder keeps its lease');
select is(walltrack.sync_helius_addresses(), null, 'the pg_cron job asks nothing while a sync runs');
select is_empty($$select 1 from net.http_request_queue where id > (select last_id from queue_before)$$, 'no request queued');

select is(walltrack.finish_helius_sync(gen_random_uuid(), jsonb_build_object('wallet_ids', jsonb_build_array(tests.operations_wid('Lease')),
  'addresses', '[]'::jsonb, 'webhook_id', 'wh-stranger', 'webhook_url', 'https://x')), false,
  'a token that does not hold the lease records nothing (false)');
select results_eq($$select tests.operations_sync_status('Lease'), (select helius_webhook_id from walltrack.config)$$,
  $$values ('pending'::text, null::text)$$, 'the wallet still pending, no webhook recorded');

-- The holder's runtime died: its lease expires, and the next sync claims it again.
update walltrack.config set helius_sync_lease_until = now() - interval '1 second';
create temp table second_claim as select walltrack.claim_helius_sync() as c;
select is((select (c ->> 'claimed')::boolean from second_claim), true, 'an expired lease is claimed again');
select is(walltrack.finish_helius_sync((select (c ->> 'lease')::uuid from first_claim),
  jsonb_build_object('wallet_ids', jsonb_build_array(tests.operations_wid('Lease')), 'error', 'late')), false,
  'the dead holder''s token then records nothing');

select is(walltrack.finish_helius_sync((select (c ->> 'lease')::uuid from second_claim),
  jsonb_build_object('wallet_ids', (select c #> '{plan,pending_wallet_ids}' from second_claim),
                     'addresses', (select c #> '{plan,addresses}' from second_claim),
                     'webhook_id', 'wh-lease', 'webhook_url', 'https://example.supabase.co/functions/v1/helius-webhook')), true,
  'the holder records its outcome (true)');
select results_eq(
  $$select tests.operations_sync_status('Lease'), c.helius_webhook_id, c.helius_sync_lease, c.helius_sync_lease_until
    from walltrack.config c$$,
  $$values ('synced'::text, 'wh-lease'::text, null::uuid, null::timestamptz)$$,
  'the wallet synced, the webhook recorded, the lease released');

select throws_ok($$select walltrack.claim_helius_sync(interval '0')$$, '22023', null, 'a lease of no length is refused');
select throws_ok($$select walltrack.claim_helius_sync(interval '2 hours')$$, '22023', null, 'a lease over an hour is refused');

select * from finish();
rollback;
