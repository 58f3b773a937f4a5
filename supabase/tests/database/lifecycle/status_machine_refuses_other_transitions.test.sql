-- Orders move only pending -> submitted -> executed | failed | cancelled, pending may also fail or
-- be cancelled (walltrack.enforce_order_status_transition). Every other change of status is
-- refused (14 pairs), a finished order (executed, failed, cancelled) never changes, staying in
-- pending or submitted is fine (a retry, a re-submission), and an order may be inserted in any
-- status (a simulated fill is recorded executed at once).
begin;
create extension if not exists pgtap with schema extensions;
select plan(31);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

do $$ begin perform tests.lifecycle_open_position('Q', 'Q', 1.00, 1000); end $$;

-- One exit order of Q in each status (none of them touches Q's amounts but the executed one, 1 token).
create temp table order_in (status text primary key, id uuid not null);
insert into order_in
select state, tests.lifecycle_exit_order(tests.lifecycle_pos('Q'), 'exit_scaling', 1, state, 1.10, n::smallint)
from unnest(array['pending', 'submitted', 'executed', 'failed', 'cancelled']) with ordinality as s(state, n);

-- What it takes to be in a status, so that only the status machine can object.
create function pg_temp.to_status(state text) returns text
language sql immutable as $$
  select format('status = %L', state) || case state
    when 'submitted' then ', submitted_at = now()'
    when 'executed' then ', executed_at = now(), amount_out = 0.0055, price_usd = 1.10, value_usd = 1.10'
    when 'failed' then ', error_message = ''refused'''
    else '' end
$$;

select throws_ok(
  format('update walltrack.orders set %s where id = %L', pg_temp.to_status(t.to_status), o.id),
  '23000',
  format('order %s: %s -> %s is not a valid status transition (pending -> submitted -> executed | failed | cancelled)',
         o.id, t.from_status, t.to_status),
  format('%s -> %s is refused', t.from_status, t.to_status))
from (values ('pending', 'executed'), ('submitted', 'pending'),
             ('executed', 'pending'), ('executed', 'submitted'), ('executed', 'failed'), ('executed', 'cancelled'),
             ('failed', 'pending'), ('failed', 'submitted'), ('failed', 'executed'), ('failed', 'cancelled'),
             ('cancelled', 'pending'), ('cancelled', 'submitted'), ('cancelled', 'executed'), ('cancelled', 'failed'))
  as t(from_status, to_status)
join order_in o on o.status = t.from_status
order by t.from_status, t.to_status;

select throws_ok(
  format('update walltrack.orders set amount_in = 2 where id = %L', o.id),
  '23000',
  format('order %s is %s: a finished order does not change', o.id, o.status),
  format('a finished order (%s) does not change', o.status))
from order_in o
where o.status in ('executed', 'failed', 'cancelled')
order by o.status;

select lives_ok(
  format('update walltrack.orders set status = status where id in (select id from order_in where status in (%L, %L, %L))',
         'executed', 'failed', 'cancelled'),
  'an update that changes nothing on a finished order is let through');
select lives_ok(
  format('update walltrack.orders set retry_count = 1, next_retry_at = now() + interval ''5 seconds'' where id = %L',
         (select id from order_in where status = 'pending')),
  'a pending order stays pending through a retry');
select lives_ok(
  format('update walltrack.orders set status = ''submitted'', tx_signature = %L where id = %L',
         tests.sig('Resent'), (select id from order_in where status = 'submitted')),
  'a submitted order stays submitted through a re-submission');

-- The six transitions allowed, each on a fresh order of its starting status.
select lives_ok(
  format('update walltrack.orders set %s where id = %L', pg_temp.to_status(t.to_status),
         tests.lifecycle_exit_order(tests.lifecycle_pos('Q'), 'exit_scaling', 1, t.from_status, lvl => (10 + t.n)::smallint)),
  format('%s -> %s is allowed', t.from_status, t.to_status))
from (values ('pending', 'submitted', 1), ('pending', 'failed', 2), ('pending', 'cancelled', 3),
             ('submitted', 'executed', 4), ('submitted', 'failed', 5), ('submitted', 'cancelled', 6))
  as t(from_status, to_status, n)
order by t.n;

select lives_ok(
  format($$select tests.lifecycle_exit_order(%L, 'exit_scaling', 1, %L, 1.10, %s::smallint)$$, tests.lifecycle_pos('Q'), state, 20 + n),
  format('an order may be inserted %s', state))
from unnest(array['executed', 'failed', 'cancelled']) with ordinality as s(state, n)
order by n;

select results_eq(
  $$select status, count(*) from walltrack.orders where position_id = tests.lifecycle_pos('Q') and order_type <> 'entry'
    group by status order by status$$,
  $$values ('cancelled'::text, 4::bigint), ('executed', 3::bigint), ('failed', 4::bigint), ('pending', 1::bigint),
           ('submitted', 2::bigint)$$,
  'fourteen exit orders in all, each where the allowed moves took it');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
