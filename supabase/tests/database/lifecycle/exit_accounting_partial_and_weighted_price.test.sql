-- Exit accounting (walltrack.apply_exit_fill): each executed exit, once, decrements current_amount,
-- adds to exit_amount, adds its realized PnL (amount x (fill price - entry price)), moves the
-- amount-weighted exit_price, and the one that sells what remains closes the position (status,
-- closed_at = its fill time, exit_reason of its type). Failed and cancelled exits change nothing.
-- Default strategy, entry 2.00 x 100 (cost 200), priced 2.50:
--   exit_mirror 30 at 3.00 (inserted executed)  current 70, realized 30 x 1.00 = 30, exit 3.00,
--                                              unrealized 70 x 0.50 = 35, current PnL 65
--   exit_manual 70 cancelled, exit_manual 70 failed: no change
--   exit_scaling 50 at 1.50 (pending, submitted, executed)
--                                              current 20, realized 30 + 50 x -0.50 = 5,
--                                              exit (30 x 3 + 50 x 1.5) / 80 = 165 / 80 = 2.0625,
--                                              unrealized 20 x 0.50 = 10, current PnL 15
--   exit_stop_loss 20 at 1.60, filled a minute later (inserted executed)
--                                              closed stop_loss, realized 5 + 20 x -0.40 = -3,
--                                              exit (165 + 32) / 100 = 1.97, current PnL -3
begin;
create extension if not exists pgtap with schema extensions;
select plan(14);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

do $$
begin
  perform tests.lifecycle_open_position('E', 'E', 2.00, 100);
  perform tests.lifecycle_tick('E', 2.50);
end
$$;

-- What the accounting maintains, in one row.
create function pg_temp.books() returns table (
  current_amount numeric, exit_amount numeric, realized_pnl_usd numeric, exit_price numeric,
  unrealized_pnl_usd numeric, current_pnl_usd numeric, status text, exit_reason text, closed_at timestamptz)
language sql stable as $$
  select current_amount, exit_amount, realized_pnl_usd, exit_price, unrealized_pnl_usd, current_pnl_usd, status,
         exit_reason, closed_at
  from walltrack.positions where id = tests.lifecycle_pos('E')
$$;

select results_eq(
  $$select * from pg_temp.books()$$,
  $$values (100::numeric, 0::numeric, 0::numeric, null::numeric, 50::numeric, 50::numeric, 'open'::text, null::text,
            null::timestamptz)$$,
  'before any exit: 100 held, unrealized 100 x (2.50 - 2.00) = 50');

do $$ begin perform tests.lifecycle_exit_order(tests.lifecycle_pos('E'), 'exit_mirror', 30, 'executed', 3.00); end $$;
select results_eq(
  $$select * from pg_temp.books()$$,
  $$values (70::numeric, 30::numeric, 30::numeric, 3::numeric, 35::numeric, 65::numeric, 'open'::text, null::text,
            null::timestamptz)$$,
  'an exit inserted executed (30 at 3.00): 70 left, realized 30, exit price 3, unrealized 35, current PnL 65');

do $$
begin
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('E'), 'exit_manual', 70, 'cancelled');
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('E'), 'exit_manual', 70, 'failed');
end
$$;
select results_eq(
  $$select * from pg_temp.books()$$,
  $$values (70::numeric, 30::numeric, 30::numeric, 3::numeric, 35::numeric, 65::numeric, 'open'::text, null::text,
            null::timestamptz)$$,
  'a cancelled and a failed exit change nothing');

create temp table level_one as select tests.lifecycle_exit_order(tests.lifecycle_pos('E'), 'exit_scaling', 50, lvl => 1::smallint) as id;
update walltrack.orders set status = 'submitted', submitted_at = now() where id = (select id from level_one);
select results_eq(
  $$select current_amount, exit_amount, realized_pnl_usd from pg_temp.books()$$,
  $$values (70::numeric, 30::numeric, 30::numeric)$$,
  'an exit pending or submitted changes nothing yet');

update walltrack.orders
set status = 'executed', executed_at = now(), price_usd = 1.50, value_usd = 75, amount_out = 0.375
where id = (select id from level_one);
select results_eq(
  $$select * from pg_temp.books()$$,
  $$values (20::numeric, 80::numeric, 5::numeric, 2.0625::numeric, 10::numeric, 15::numeric, 'open'::text, null::text,
            null::timestamptz)$$,
  'an exit executed by transition (50 at 1.50): 20 left, realized 30 - 25 = 5, exit price 165 / 80 = 2.0625');

update walltrack.orders set status = 'executed' where id = (select id from level_one);
select results_eq(
  $$select current_amount, exit_amount, realized_pnl_usd, exit_price from pg_temp.books()$$,
  $$values (20::numeric, 80::numeric, 5::numeric, 2.0625::numeric)$$,
  'writing the executed order again does not count its fill twice');

select throws_ok(
  format($$update walltrack.orders set amount_in = 60 where id = %L$$, (select id from level_one)),
  '23000',
  format('order %s is executed: a finished order does not change', (select id from level_one)),
  'nor can its amount be rewritten once executed');

select throws_ok(
  $$select tests.lifecycle_exit_order(tests.lifecycle_pos('E'), 'exit_manual', 25, 'executed', 1.60)$$,
  '23514',
  'new row for relation "positions" violates check constraint "positions_current_amount_check"',
  'an exit of 25 when 20 are held cannot be recorded');

do $$
begin
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('E'), 'exit_stop_loss', 20, 'executed', 1.60,
                             filled_at => now() + interval '1 minute');
end
$$;
select results_eq(
  $$select * from pg_temp.books()$$,
  $$values (0::numeric, 100::numeric, (-3)::numeric, 1.97::numeric, 0::numeric, (-3)::numeric, 'closed'::text,
            'stop_loss'::text, now() + interval '1 minute')$$,
  'the exit of the last 20 (at 1.60) closes the position at its fill time, exit_reason stop_loss, realized -3,'
  || ' exit price 1.97');

select is(
  (select exit_price from walltrack.positions where id = tests.lifecycle_pos('E')),
  (select sum(amount_in * price_usd) / sum(amount_in) from walltrack.orders
   where position_id = tests.lifecycle_pos('E') and order_type <> 'entry' and status = 'executed'),
  'exit_price is the amount-weighted price of the executed exits');
select is(
  (select entry_value_usd + realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('E')),
  (select sum(value_usd) from walltrack.orders
   where position_id = tests.lifecycle_pos('E') and order_type <> 'entry' and status = 'executed'),
  'cost 200 + realized -3 = the proceeds of the executed exits, 90 + 75 + 32 = 197');

-- F: entry 0.50 x 4, sold 2 at 1.00, 1 at 2.00, 1 at 1.00: realized 2 x 0.50 + 1 x 1.50 + 1 x 0.50 = 3,
-- exit price (2 + 2 + 1) / 4 = 1.25.
do $$
begin
  perform tests.lifecycle_open_position('F', 'F', 0.50, 4);
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('F'), 'exit_mirror', 2, 'executed', 1.00);
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('F'), 'exit_mirror', 1, 'executed', 2.00);
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('F'), 'exit_mirror', 1, 'executed', 1.00);
end
$$;
select results_eq(
  $$select status, exit_reason, exit_amount, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('F')$$,
  $$values ('closed'::text, 'mirror'::text, 4::numeric, 3::numeric)$$,
  'F closed mirror: 4 sold, realized 1 + 1.5 + 0.5 = 3');
-- Known bug, reported: walltrack.apply_exit_fill weighs in the previous exit_price, already
-- rounded by its division (4 / 3 = 1.3333333333333333), so the average drifts: 1.249999999999999975.
-- Computed from the executed exits' proceeds, sum(amount x price) / sum(amount), it is exact.
select is((select exit_price from walltrack.positions where id = tests.lifecycle_pos('F')), 1.25,
  'F: exit price = (2 x 1.00 + 1 x 2.00 + 1 x 1.00) / 4 = 1.25 exactly');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
