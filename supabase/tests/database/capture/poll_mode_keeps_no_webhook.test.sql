-- The delivery mode (walltrack.set_delivery_mode, npm run delivery:set). In poll mode the stack
-- needs no public URL: the Helius sync is never asked (walltrack.sync_helius_addresses) and never
-- claims (claim_helius_sync answers poll_mode), and the reconciliation records what it finds as
-- polled, waiting for no webhook. Back in webhook mode the active wallets are pending again, so
-- the sync pushes the watchlist to a webhook that may not exist. Bad settings change nothing.
begin;
create extension if not exists pgtap with schema extensions;
select plan(13);

-- Fixtures: tests.operations_* and tests.cron_test_secrets from 000_test_helpers.test.sql.
set local client_min_messages = error;
do $$ begin perform tests.cron_test_secrets(); end $$;
update walltrack.config set delivery_mode = 'webhook', poll_interval_seconds = 60, reconcile_interval_minutes = 10,
  capture_lease = null, capture_lease_until = null, capture_next_attempt_at = null,
  helius_sync_lease = null, helius_sync_lease_until = null, helius_sync_next_attempt_at = null;
do $$ begin perform tests.operations_wallet('Polled'); end $$;
update walltrack.wallets set helius_sync_status = 'synced' where is_active and id <> tests.operations_wid('Polled');

select is(walltrack.set_delivery_mode('poll', 120),
  '{"delivery_mode": "poll", "poll_interval_seconds": 120, "reconcile_interval_minutes": 10}'::jsonb,
  'poll mode, every 120 s');
select is(walltrack.sync_helius_addresses(), null, 'a wallet pending, but the pg_cron job asks no sync in poll mode');
select is(walltrack.claim_helius_sync() ->> 'reason', 'poll_mode', 'and a direct call to the sync claims nothing: poll_mode');
select is((select helius_sync_lease from walltrack.config), null, 'no lease taken');
select is((walltrack.claim_capture_run() -> 'plan') - 'wallets' - 'pages_per_wallet' - 'fetches_per_run',
  '{"delivery": "polled", "settle_seconds": 0}'::jsonb, 'the reconciliation records polled signals and waits for no webhook');
select is(walltrack.capture_interval(), interval '120 seconds', 'every poll_interval_seconds');

update walltrack.wallets set helius_sync_status = 'synced' where id = tests.operations_wid('Polled');
select is(walltrack.set_delivery_mode('webhook', reconcile_interval_minutes := 15) ->> 'reconcile_interval_minutes', '15',
  'back to webhook mode, reconciling every 15 minutes');
select is(walltrack.capture_interval(), interval '15 minutes', 'every reconcile_interval_minutes');
select is(tests.operations_sync_status('Polled'), 'pending', 'the active wallets are pending again for the Helius sync');
select isnt(walltrack.sync_helius_addresses(), null, 'which the pg_cron job asks for again');

select throws_ok($$select walltrack.set_delivery_mode('push')$$, '22023', null, 'an unknown mode is refused');
select throws_ok($$select walltrack.set_delivery_mode('poll', 30)$$, '23514', null, 'a poll interval under a minute is refused (pg_cron''s minute)');
select is((select delivery_mode || ' ' || poll_interval_seconds from walltrack.config), 'webhook 120', 'and nothing changed');

select * from finish();
rollback;
