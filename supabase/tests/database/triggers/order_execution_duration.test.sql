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

update walltrack.orders set execution_duration_ms = 1 where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  2250,
  'a hand-written duration on an executed order is replaced by the computed one'
);

update walltrack.orders set executed_at = '2026-01-01 00:01:00+00' where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  60000,
  'moving executed_at recomputes the duration'
);

update walltrack.orders set requested_at = '2026-01-01 00:00:30+00', submitted_at = null where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  30000,
  'moving requested_at recomputes the duration'
);

update walltrack.orders set executed_at = '2026-01-01 00:00:31.2345+00' where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  1235,
  'the duration is rounded to the nearest millisecond (1234.5 ms -> 1235)'
);

update walltrack.orders set executed_at = requested_at where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  0,
  'a fill at the request instant lasts 0 ms'
);

update walltrack.orders
set status = 'pending', executed_at = null, amount_out = null, price_usd = null
where id = 'c0ffee00-0000-4000-8000-00000000d002';

select is(
  (select execution_duration_ms from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  null,
  'clearing executed_at clears the duration'
);

select * from finish();
rollback;
