-- The executor's lease is one fact, walltrack.order_lease(): claim_orders leases for it by default,
-- record_order_submission extends by it (both tested in their own files), the order-executor
-- function reads it with its claims (order-claims.ts), and no executor function writes a length out.
begin;
create extension if not exists pgtap with schema extensions;
select plan(3);

select is(walltrack.order_lease(), interval '5 minutes', 'an executor holds an order for 5 minutes');
select matches(pg_get_function_arguments('walltrack.claim_orders(integer, interval)'::regprocedure),
  'lease interval DEFAULT walltrack\.order_lease\(\)', 'claim_orders leases for walltrack.order_lease() unless asked otherwise');
select is_empty($$
  select p.proname from pg_proc p
  where p.pronamespace = 'walltrack'::regnamespace and p.proname <> 'order_lease'
    and (p.proname in ('claim_orders', 'record_order_submission', 'release_order_claims', 'record_order_failure', 'defer_order'))
    and (p.prosrc ~* '5 minutes|00:05:00' or pg_get_function_arguments(p.oid) ~* '5 minutes|00:05:00')$$,
  'no executor function writes the lease length out');

select * from finish();
rollback;
