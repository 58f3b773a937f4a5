-- The helius-sync function asks walltrack.helius_sync_plan what to do: the wallets pending, or in
-- error (a failed sync is retried) (none: nothing to do), every active address (what the one global
-- webhook must watch), the webhook's id and URL. It records the outcome with
-- walltrack.record_helius_sync: on success ({wallet_ids, addresses pushed, webhook_id, webhook_url})
-- the plan's wallets still pending or in error whose state is what was pushed (active and pushed,
-- or inactive and left out) become synced (now, no error), and config keeps the webhook's id, URL
-- and the time; on failure the plan's wallets still pending or in error become error with the
-- message and config is left as it was. A wallet added after the plan, or activated or deactivated
-- while the sync ran, stays pending for the next run.
begin;
create extension if not exists pgtap with schema extensions;
select plan(24);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Everything already pushed, and a webhook known.
update walltrack.wallets set helius_sync_status = 'synced', helius_sync_error = null, helius_synced_at = now() - interval '1 day'
where helius_sync_status <> 'synced';
update walltrack.config set helius_webhook_id = 'wh-test-1',
  helius_webhook_url = 'https://example.supabase.co/functions/v1/helius-webhook', helius_last_sync_at = now() - interval '1 day';

-- The ids of the wallets tagged, as the plan lists them (ascending).
create function pg_temp.ids(tags text[]) returns jsonb
language sql stable as $$
  select coalesce(jsonb_agg(id order by id), '[]') from walltrack.wallets
  where address in (select tests.addr('Wa' || t) from unnest(tags) t)
$$;

select is(walltrack.helius_sync_plan(),
  jsonb_build_object('pending_wallet_ids', '[]'::jsonb,
                     'addresses', (select jsonb_agg(address::text order by address) from walltrack.wallets where is_active),
                     'webhook_id', 'wh-test-1', 'webhook_url', 'https://example.supabase.co/functions/v1/helius-webhook'),
  'nothing pending: an empty list of pending wallets (nothing to do), and the webhook as config knows it');

do $$
begin
  perform tests.operations_wallet('New');
  perform tests.operations_wallet('Gone');
  perform tests.operations_wallet('Kept');
  update walltrack.wallets set helius_sync_status = 'synced', helius_synced_at = now() - interval '1 day'
  where address in (tests.addr('WaGone'), tests.addr('WaKept'));
  update walltrack.wallets set is_active = false where address = tests.addr('WaGone');
end
$$;
create temp table plan1 as select walltrack.helius_sync_plan() as plan;

select is((select plan -> 'pending_wallet_ids' from plan1), pg_temp.ids(array['New', 'Gone']),
  'the plan lists the wallets pending: New (added) and Gone (deactivated)');
select set_eq(
  $$select jsonb_array_elements_text(plan -> 'addresses') from plan1$$,
  $$select address::text from walltrack.wallets where is_active$$,
  'its addresses are every active wallet''s');
select ok((select plan -> 'addresses' ? tests.addr('WaNew') and plan -> 'addresses' ? tests.addr('WaKept')
                  and not plan -> 'addresses' ? tests.addr('WaGone') from plan1),
  'New and Kept are watched, Gone no longer');
select is((select plan -> 'addresses' from plan1),
  (select jsonb_agg(a order by a) from plan1, jsonb_array_elements_text(plan -> 'addresses') a),
  'in address order');

-- While the function talks to Helius, another wallet is added.
do $$ begin perform tests.operations_wallet('Late'); end $$;

select is(
  walltrack.record_helius_sync(jsonb_build_object(
    'wallet_ids', (select plan -> 'pending_wallet_ids' from plan1), 'addresses', (select plan -> 'addresses' from plan1),
    'webhook_id', 'wh-test-2', 'webhook_url', 'https://example.supabase.co/functions/v1/helius-webhook?v=2')),
  2, 'recording the success returns the wallets it marked');
select results_eq(
  $$select label, helius_sync_status, helius_synced_at, helius_sync_error from walltrack.wallets
    where address in (tests.addr('WaNew'), tests.addr('WaGone')) order by label$$,
  $$values ('test Gone'::text, 'synced'::text, now(), null::text), ('test New', 'synced', now(), null)$$,
  'the plan''s wallets are synced now: New active and pushed, Gone inactive and left out');
select is(tests.operations_sync_status('Late'), 'pending', 'Late, added after the plan, stays pending for the next run');
select results_eq(
  $$select helius_sync_status, helius_synced_at from walltrack.wallets where address = tests.addr('WaKept')$$,
  $$values ('synced'::text, now() - interval '1 day')$$,
  'Kept, not in the plan, is untouched');
select results_eq(
  $$select helius_webhook_id, helius_webhook_url, helius_last_sync_at from walltrack.config$$,
  $$values ('wh-test-2'::text, 'https://example.supabase.co/functions/v1/helius-webhook?v=2'::text, now())$$,
  'config keeps the webhook''s id and URL and the time of the sync');

-- The next run: Late (active) and Back (added inactive) are pending; while Helius is called, Late is
-- deactivated and Back activated, so neither is in the state that was pushed.
do $$ begin perform tests.operations_wallet('Back', false); end $$;
create temp table plan2 as select walltrack.helius_sync_plan() as plan;
select is((select plan -> 'pending_wallet_ids' from plan2), pg_temp.ids(array['Late', 'Back']),
  'the next plan lists Late and Back');
select ok((select plan -> 'addresses' ? tests.addr('WaLate') and not plan -> 'addresses' ? tests.addr('WaBack')
           from plan2),
  'and pushes Late''s address, not Back''s');
do $$
begin
  perform walltrack.set_wallet_active(tests.addr('WaLate'), false);
  perform walltrack.set_wallet_active(tests.addr('WaBack'), true);
end
$$;
select is(
  walltrack.record_helius_sync(jsonb_build_object(
    'wallet_ids', (select plan -> 'pending_wallet_ids' from plan2), 'addresses', (select plan -> 'addresses' from plan2),
    'webhook_id', 'wh-test-2', 'webhook_url', 'https://example.supabase.co/functions/v1/helius-webhook?v=2')),
  0, 'a success whose wallets all changed while it ran marks none');
select results_eq(
  $$select label, helius_sync_status from walltrack.wallets
    where address in (tests.addr('WaLate'), tests.addr('WaBack')) order by label$$,
  $$values ('test Back'::text, 'pending'::text), ('test Late', 'pending')$$,
  'Late, deactivated after its address was pushed, and Back, activated after it was left out, stay pending');

-- The run after pushes their new state.
create temp table plan3 as select walltrack.helius_sync_plan() as plan;
select is(
  walltrack.record_helius_sync(jsonb_build_object(
    'wallet_ids', (select plan -> 'pending_wallet_ids' from plan3), 'addresses', (select plan -> 'addresses' from plan3),
    'webhook_id', 'wh-test-2', 'webhook_url', 'https://example.supabase.co/functions/v1/helius-webhook?v=2')),
  2, 'the next run pushes their new state: both synced');

-- A failure: two new wallets, Helius answers 500.
do $$
begin
  perform tests.operations_wallet('Err1');
  perform tests.operations_wallet('Err2');
end
$$;
update walltrack.config set helius_last_sync_at = now() - interval '1 hour';
create temp table plan4 as select walltrack.helius_sync_plan() as plan;
select is((select plan -> 'pending_wallet_ids' from plan4), pg_temp.ids(array['Err1', 'Err2']),
  'the plan lists Err1 and Err2');
select is(
  walltrack.record_helius_sync(jsonb_build_object(
    'wallet_ids', (select plan -> 'pending_wallet_ids' from plan4), 'error', 'PUT /v0/webhooks/wh-test-2: 500')),
  2, 'recording the failure returns the wallets it marked');
select results_eq(
  $$select label, helius_sync_status, helius_sync_error from walltrack.wallets
    where address in (tests.addr('WaErr1'), tests.addr('WaErr2')) order by label$$,
  $$values ('test Err1'::text, 'error'::text, 'PUT /v0/webhooks/wh-test-2: 500'::text),
           ('test Err2', 'error', 'PUT /v0/webhooks/wh-test-2: 500')$$,
  'they are in error with the message');
select results_eq(
  $$select helius_webhook_id, helius_last_sync_at from walltrack.config$$,
  $$values ('wh-test-2'::text, now() - interval '1 hour')$$,
  'config is left as it was');

-- A failed sync is retried: the wallets in error are in the next plan.
create temp table plan5 as select walltrack.helius_sync_plan() as plan;
select is((select plan -> 'pending_wallet_ids' from plan5), pg_temp.ids(array['Err1', 'Err2']),
  'the next plan lists Err1 and Err2 again (in error: retried)');

-- Only the plan's wallets still pending or in error are marked.
select is(
  walltrack.record_helius_sync(jsonb_build_object(
    'wallet_ids', pg_temp.ids(array['Kept', 'Err2']), 'error', 'PUT /v0/webhooks/wh-test-2: 503')),
  1, 'a failure marks the wallets in error again, not a synced one');
select results_eq(
  $$select label, helius_sync_status, helius_synced_at, helius_sync_error from walltrack.wallets
    where address in (tests.addr('WaKept'), tests.addr('WaErr2')) order by label$$,
  $$values ('test Err2'::text, 'error'::text, null::timestamptz, 'PUT /v0/webhooks/wh-test-2: 503'::text),
           ('test Kept', 'synced', now() - interval '1 day', null)$$,
  'Err2 in error with the new message; Kept stays synced (of a day ago)');
select is(
  walltrack.record_helius_sync(jsonb_build_object(
    'wallet_ids', pg_temp.ids(array['Kept', 'Err1']), 'addresses', (select plan -> 'addresses' from plan5),
    'webhook_id', 'wh-test-2', 'webhook_url', 'https://example.supabase.co/functions/v1/helius-webhook?v=2')),
  1, 'a success marks the wallet in error that it pushed, not a synced one');
select results_eq(
  $$select label, helius_sync_status, helius_synced_at, helius_sync_error from walltrack.wallets
    where address in (tests.addr('WaKept'), tests.addr('WaErr1'), tests.addr('WaErr2')) order by label$$,
  $$values ('test Err1'::text, 'synced'::text, now(), null::text),
           ('test Err2', 'error', null, 'PUT /v0/webhooks/wh-test-2: 503'),
           ('test Kept', 'synced', now() - interval '1 day', null)$$,
  'Err1 synced now, its error cleared; Err2, not named, still in error; Kept stays synced (of a day ago)');

select * from finish();
rollback;
