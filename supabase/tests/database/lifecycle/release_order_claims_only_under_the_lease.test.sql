-- An executor whose time budget ran out hands back the claims it did not act on: released at once
-- (due again now, no attempt counted), and only where the lease is still its own. An order another
-- executor holds, or one already settled, is left exactly as it is.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (test addresses 'TestLife' + a tag).
set local client_min_messages = error;

do $$ begin perform tests.lifecycle_open_position('Rel', 'Rel', 1.00, 1000); end $$;
-- M: claimed by this executor (lease m); O: claimed by another (lease o, this one holds stale_o);
-- E: cancelled already (settled).
create temp table r as
  select tests.lifecycle_exit_order(tests.lifecycle_pos('Rel'), 'exit_scaling', 10, lvl => 1::smallint) as m,
         tests.lifecycle_exit_order(tests.lifecycle_pos('Rel'), 'exit_scaling', 10, lvl => 2::smallint) as o,
         tests.lifecycle_exit_order(tests.lifecycle_pos('Rel'), 'exit_scaling', 10, lvl => 3::smallint) as e,
         now() + interval '4 minutes 0.000123 seconds' as lease_m,
         now() + interval '4 minutes' as lease_o, now() + interval '3 minutes' as stale_o;
update walltrack.orders set claimed_until = (select lease_m from r), retry_count = 1 where id = (select m from r);
update walltrack.orders set claimed_until = (select lease_o from r) where id = (select o from r);
update walltrack.orders set status = 'cancelled', claimed_until = (select lease_m from r) where id = (select e from r);

select is(walltrack.release_order_claims((select jsonb_build_array(
            jsonb_build_object('id', m, 'lease', lease_m::text),
            jsonb_build_object('id', o, 'lease', stale_o::text),
            jsonb_build_object('id', e, 'lease', lease_m::text)) from r)),
  1, 'one claim released: the one whose lease (with its microseconds) is still the caller''s');
select results_eq($$select status, claimed_until, retry_count from walltrack.orders where id = (select m from r)$$,
  $$values ('pending'::text, null::timestamptz, 1)$$,
  'the caller''s claim: released, still pending, its retry count untouched');
select ok((select coalesce(next_retry_at, '-infinity') <= now() from walltrack.orders where id = (select m from r)),
  'and due at once: the next run takes it without waiting out the lease');
select is((select claimed_until from walltrack.orders where id = (select o from r)), (select lease_o from r),
  'a claim another executor holds keeps that executor''s lease');
select is((select claimed_until from walltrack.orders where id = (select e from r)), (select lease_m from r),
  'a settled order is not touched');

select * from finish();
rollback;
