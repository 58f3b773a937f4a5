-- An executor's claim is a lease, and its value is the executor's token. An executor whose lease
-- ran out and was taken by another no longer owns the order: its failure, its deferral and its
-- submission change nothing (the other executor may have sent a swap since). The owner's do. A
-- submission extends the lease over the confirmation and returns the new one, the owner's token
-- from then on.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

-- K: an exit of 1,000 claimed by executor A (lease a), whose lease ran out; executor B claimed it
-- again (lease b).
do $$ begin perform tests.lifecycle_open_position('Stale', 'Stale', 1.00, 1000); end $$;
create temp table k as
  select tests.lifecycle_exit_order(tests.lifecycle_pos('Stale'), 'exit_manual', 1000) as id,
         now() - interval '1 minute' as a, now() + interval '4 minutes' as b;
update walltrack.orders set claimed_until = (select b from k) where id = (select id from k);

create function pg_temp.k_state() returns table (
  status text, retry_count integer, next_retry_at timestamptz, error_code text, claimed_until timestamptz,
  tx_signature text)
language sql stable as $$
  select status, retry_count, next_retry_at, error_code, claimed_until, tx_signature::text
  from walltrack.orders where id = (select id from k)
$$;
create temp table untouched as select * from pg_temp.k_state();

select is(walltrack.record_order_failure((select id from k), 'no_route', 'no route', lease => (select a from k)),
  'lease_lost', 'A''s failed attempt: lease_lost');
select is(walltrack.record_order_failure((select id from k), 'unknown_decimals', 'refused', final => true,
                                         lease => (select a from k)),
  'lease_lost', 'A''s final refusal: lease_lost');
select is(walltrack.defer_order((select id from k), 'awaiting_confirmation', 'may still land', 10, (select a from k)),
  false, 'A''s deferral: not deferred');
select is(walltrack.record_order_submission((select id from k), jsonb_build_object(
            'lease', (select a from k), 'replaces_signature', null,
            'tx_signature', tests.sig('StaleA'), 'last_valid_block_height', 300000150)),
  null::timestamptz, 'A''s submission: not recorded');
select results_eq('select * from pg_temp.k_state()', 'select * from untouched',
  'the order is exactly as B holds it: pending, no attempt counted, no error, B''s lease, no signature');

select is(walltrack.record_order_submission((select id from k), jsonb_build_object(
            'lease', (select b from k), 'replaces_signature', null,
            'tx_signature', tests.sig('StaleB'), 'last_valid_block_height', 300000150)),
  now() + walltrack.order_lease(), 'B''s submission is recorded and returns its lease, extended by the executor''s lease');
select results_eq(
  $$select status, claimed_until, tx_signature from pg_temp.k_state()$$,
  $$values ('submitted'::text, now() + walltrack.order_lease(), tests.sig('StaleB'))$$,
  'submitted with B''s signature under the extended lease');
select is(walltrack.defer_order((select id from k), 'awaiting_confirmation', 'may still land', 10, (select b from k)),
  false, 'B''s old lease no longer holds either: the extended one is its token now');
select is(walltrack.defer_order((select id from k), 'awaiting_confirmation', 'may still land', 10,
                                now() + walltrack.order_lease()),
  true, 'under the extended lease, B defers it');
select results_eq(
  $$select status, retry_count, next_retry_at, error_code, claimed_until from pg_temp.k_state()$$,
  $$values ('submitted'::text, 0, now() + interval '10 seconds', 'awaiting_confirmation'::text, null::timestamptz)$$,
  'B''s deferral: released, due in 10 s, no attempt counted');

select * from finish();
rollback;
