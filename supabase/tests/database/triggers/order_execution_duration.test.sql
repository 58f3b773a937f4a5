-- orders.execution_duration_ms is computed, never written by hand: executed_at - requested_at in
-- milliseconds (rounded) on every insert and update, and null while the order is not executed.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

insert into walltrack.wallets (id, address, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', id from walltrack.exit_strategies where name = 'Default';
insert into walltrack.tokens (id, address) values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111');

-- Executed on insert (a simulation fill recorded at once), with a wrong hand-written duration.
insert into walltrack.orders
  (id, wallet_id, token_id, order_type, mode, token_in, token_out, amount_in, status,
   requested_at, executed_at, amount_out, price_usd, execution_duration_ms)
values ('c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'exit_manual', 'simulation', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 100, 'executed',
        '2026-01-01 00:00:00+00', '2026-01-01 00:00:01.5+00', 0.5, 0.01, 999999);

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d001'),
  1500,
  'an order executed at insert gets executed_at - requested_at = 1500 ms, not the hand-written value'
);

-- Pending on insert: no duration, whatever is written.
insert into walltrack.orders
  (id, wallet_id, token_id, order_type, mode, token_in, token_out, amount_in,
   requested_at, execution_duration_ms)
values ('c0ffee00-0000-4000-8000-00000000d002', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'exit_manual', 'simulation', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 100,
        '2026-01-01 00:00:00+00', 123);

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  null,
  'a pending order has no execution duration'
);

update walltrack.orders set status = 'submitted', submitted_at = '2026-01-01 00:00:00.2+00'
where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  null,
  'a submitted order has no execution duration yet'
);

update walltrack.orders
set status = 'executed', executed_at = '2026-01-01 00:00:02.25+00', amount_out = 0.5, price_usd = 0.01
where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  2250,
  'executing the order by update computes 2250 ms'
);

-- An executed order never changes again (pending -> submitted -> executed | failed | cancelled,
-- walltrack.enforce_order_status_transition), so what follows is checked on the updates that
-- remain possible: the transition to executed, and changes before it. Orders d003-d007 wait,
-- submitted since 00:00:00.2, for their fill.
insert into walltrack.orders
  (id, wallet_id, token_id, order_type, mode, token_in, token_out, amount_in, status,
   requested_at, submitted_at)
select v.id::uuid, 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'exit_manual', 'simulation',
       'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 100, 'submitted',
       '2026-01-01 00:00:00+00', '2026-01-01 00:00:00.2+00'
from (values ('c0ffee00-0000-4000-8000-00000000d003'), ('c0ffee00-0000-4000-8000-00000000d004'),
             ('c0ffee00-0000-4000-8000-00000000d005'), ('c0ffee00-0000-4000-8000-00000000d006'),
             ('c0ffee00-0000-4000-8000-00000000d007')) as v(id);

update walltrack.orders
set status = 'executed', executed_at = '2026-01-01 00:00:02.25+00', amount_out = 0.5, price_usd = 0.01,
    execution_duration_ms = 1
where id = 'c0ffee00-0000-4000-8000-00000000d003';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d003'),
  2250,
  'a hand-written duration written with the fill is replaced by the computed one'
);

update walltrack.orders
set status = 'executed', executed_at = '2026-01-01 00:01:00+00', amount_out = 0.5, price_usd = 0.01
where id = 'c0ffee00-0000-4000-8000-00000000d004';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d004'),
  60000,
  'a later executed_at gives a longer duration: 60000 ms'
);

update walltrack.orders
set status = 'executed', requested_at = '2026-01-01 00:00:30+00', submitted_at = null,
    executed_at = '2026-01-01 00:01:00+00', amount_out = 0.5, price_usd = 0.01
where id = 'c0ffee00-0000-4000-8000-00000000d005';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d005'),
  30000,
  'a requested_at moved in the same update is the one measured from: 30000 ms'
);

update walltrack.orders
set status = 'executed', requested_at = '2026-01-01 00:00:30+00', submitted_at = null,
    executed_at = '2026-01-01 00:00:31.2345+00', amount_out = 0.5, price_usd = 0.01
where id = 'c0ffee00-0000-4000-8000-00000000d006';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d006'),
  1235,
  'the duration is rounded to the nearest millisecond (1234.5 ms -> 1235)'
);

update walltrack.orders
set status = 'executed', executed_at = requested_at, amount_out = 0.5, price_usd = 0.01
where id = 'c0ffee00-0000-4000-8000-00000000d007';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d007'),
  0,
  'a fill at the request instant lasts 0 ms'
);

-- An order that fails instead of filling has no executed_at, hence no duration, whatever is written.
insert into walltrack.orders
  (id, wallet_id, token_id, order_type, mode, token_in, token_out, amount_in, status,
   requested_at, submitted_at)
values ('c0ffee00-0000-4000-8000-00000000d008', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'exit_manual', 'simulation', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 100, 'submitted',
        '2026-01-01 00:00:00+00', '2026-01-01 00:00:00.2+00');
update walltrack.orders
set status = 'failed', error_message = 'the transaction never landed', execution_duration_ms = 2250
where id = 'c0ffee00-0000-4000-8000-00000000d008';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d008'),
  null,
  'without executed_at (an order failed instead of filled) there is no duration'
);

select * from finish();
rollback;
