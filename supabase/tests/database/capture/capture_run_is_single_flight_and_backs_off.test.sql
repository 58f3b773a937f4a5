-- One reconciliation at a time: walltrack.claim_capture_run takes a lease on the config row in one
-- statement (as the Helius sync) and hands the run its plan: how to mark what it records, how long
-- to leave a young transaction to the webhook, its bounds, and the active wallets least recently
-- checked first with their cursors. Only the holder records the outcome
-- (walltrack.finish_capture_run): the cursors (not of a wallet activated again meanwhile), the
-- report, and the failure count with its backoff (1 minute doubling, or a 429's Retry-After when
-- longer), reset by a success. A lease whose runtime died expires and is claimed again.
begin;
create extension if not exists pgtap with schema extensions;
select plan(22);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, signatures tests.sig).
update walltrack.wallets set is_active = false where is_active;
update walltrack.config set capture_lease = null, capture_lease_until = null, capture_failures = 0,
  capture_next_attempt_at = null, capture_last_error = null, delivery_mode = 'webhook', capture_settle_seconds = 120,
  capture_wallets_per_run = 2, capture_pages_per_wallet = 3, capture_fetches_per_run = 500;

select is(walltrack.claim_capture_run(),
  jsonb_build_object('claimed', false, 'reason', 'no_active_wallets', 'failures', 0, 'next_attempt_at', null),
  'no active wallet: nothing claimed');

do $$ begin perform tests.operations_wallet('RunA'); perform tests.operations_wallet('RunB'); perform tests.operations_wallet('RunC'); end $$;
update walltrack.capture_cursors set checked_at = now() - interval '1 hour' where wallet_id = tests.operations_wid('RunA');
update walltrack.capture_cursors set checked_at = now() - interval '2 hours', last_signature = tests.sig('LastB')
 where wallet_id = tests.operations_wid('RunB');
create temp table first_claim as select walltrack.claim_capture_run(interval '90 seconds') as c;
select is((select (c ->> 'claimed')::boolean from first_claim), true, 'an active wallet: the first claim gets the lease');
select is((select capture_lease_until from walltrack.config), now() + interval '90 seconds', 'for the length asked');
select is((select capture_last_run_at from walltrack.config), now(), 'the run''s start is the last run');
select is((select (c -> 'plan') - 'wallets' from first_claim),
  '{"delivery": "recovered", "settle_seconds": 120, "pages_per_wallet": 3, "fetches_per_run": 500}'::jsonb,
  'webhook mode: what it records is recovered, young transactions are left to the webhook for 120 s');
select is((select array_agg(w ->> 'address' order by ord) from first_claim, jsonb_array_elements(c #> '{plan,wallets}') with ordinality x(w, ord)),
  array[tests.addr('WaRunC'), tests.addr('WaRunB')], 'at most capture_wallets_per_run wallets, never checked first, then the oldest check');
select is((select w from first_claim, jsonb_array_elements(c #> '{plan,wallets}') w where w ->> 'address' = tests.addr('WaRunB')),
  jsonb_build_object('wallet_id', tests.operations_wid('RunB'), 'address', tests.addr('WaRunB'),
    'watch_since', (select floor(extract(epoch from watch_since))::bigint from walltrack.capture_cursors where wallet_id = tests.operations_wid('RunB')),
    'last_signature', tests.sig('LastB'), 'walk_top', null, 'walk_before', null),
  'each with its cursor');

select is(walltrack.claim_capture_run() - 'next_attempt_at',
  jsonb_build_object('claimed', false, 'reason', 'running', 'failures', 0), 'a second claim while it holds: running');
select is(walltrack.finish_capture_run(gen_random_uuid(), '{"report": {}}'), false, 'a stranger''s token records nothing');

-- RunC is deactivated and activated again while the run talks to the chain: its cursor starts
-- afresh and the run's stale state for it is not written.
update walltrack.wallets set is_active = false where id = tests.operations_wid('RunC');
update walltrack.wallets set is_active = true where id = tests.operations_wid('RunC');
update walltrack.capture_cursors set watch_since = watch_since + interval '1 second' where wallet_id = tests.operations_wid('RunC');
select is(walltrack.finish_capture_run((select (c ->> 'lease')::uuid from first_claim), jsonb_build_object(
  'report', '{"signals_recorded": 1}'::jsonb,
  'cursors', (select jsonb_agg(jsonb_build_object('wallet_id', w -> 'wallet_id', 'watch_since', w -> 'watch_since',
      'last_signature', tests.sig('Top' || (w ->> 'address')), 'last_block_time', 1796000000, 'walk_top', null, 'walk_before', null,
      'error', null)) from first_claim, jsonb_array_elements(c #> '{plan,wallets}') w))), true,
  'the holder records its outcome');
select results_eq($$select last_signature::text, last_block_time, checked_at from walltrack.capture_cursors where wallet_id = tests.operations_wid('RunB')$$,
  $$values (tests.sig('Top' || tests.addr('WaRunB')), to_timestamp(1796000000), now())$$, 'the cursor moves to the run''s newest signature');
select is((select last_signature from walltrack.capture_cursors where wallet_id = tests.operations_wid('RunC')), null,
  'but not that of a wallet activated again meanwhile');
select results_eq($$select capture_lease, capture_failures, capture_next_attempt_at, capture_last_report from walltrack.config$$,
  $$values (null::uuid, 0, null::timestamptz, '{"signals_recorded": 1}'::jsonb)$$, 'lease released, report kept, no backoff');

-- A failure backs off: 1 minute, doubling.
create temp table failing as select walltrack.claim_capture_run() as c;
select is(walltrack.finish_capture_run((select (c ->> 'lease')::uuid from failing),
  '{"report": {}, "error": "solana-rpc: server_error (HTTP 503)"}'), true, 'a failed run is recorded');
select results_eq($$select capture_failures, capture_next_attempt_at, capture_last_error from walltrack.config$$,
  $$values (1, now() + interval '1 minute', 'solana-rpc: server_error (HTTP 503)')$$, 'one failure: a minute''s wait, the error kept');
select is(walltrack.claim_capture_run() - 'next_attempt_at',
  jsonb_build_object('claimed', false, 'reason', 'backing_off', 'failures', 1), 'no run while the backoff holds');

-- A 429 asking for longer than the backoff is waited for.
update walltrack.config set capture_next_attempt_at = null;
create temp table limited as select walltrack.claim_capture_run() as c;
select lives_ok($$select walltrack.finish_capture_run((select (c ->> 'lease')::uuid from limited),
  '{"report": {}, "error": "helius: rate_limited (HTTP 429)", "retry_after_seconds": 300}')$$, 'a 429');
select is((select capture_next_attempt_at from walltrack.config), now() + interval '5 minutes',
  'waits the 5 minutes asked for, longer than the second failure''s 2');
select is(walltrack.capture_backoff(7, 30), interval '1 hour', 'the backoff is capped at an hour');

-- The holder died: its lease expires and the next run claims it; success resets the count.
update walltrack.config set capture_next_attempt_at = null, capture_lease = gen_random_uuid(), capture_lease_until = now() - interval '1 second';
create temp table after_death as select walltrack.claim_capture_run() as c;
select is((select (c ->> 'claimed')::boolean from after_death), true, 'an expired lease is claimed again');
select lives_ok($$select walltrack.finish_capture_run((select (c ->> 'lease')::uuid from after_death), '{"report": {}}')$$, 'and succeeds');
select results_eq($$select capture_failures, capture_last_error from walltrack.config$$, $$values (0, null::text)$$,
  'a success resets the failures');

select * from finish();
rollback;
