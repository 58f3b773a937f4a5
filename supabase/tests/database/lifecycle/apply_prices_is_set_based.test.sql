-- walltrack.apply_prices writes every observed price to every open position of its token with one
-- set-based UPDATE (PnL and exits follow in the positions' triggers), records SOL/USD, and returns
-- {positions_repriced, exit_orders_created, tokens_priced}. A token absent from the prices, or
-- priced at an unknown mint, keeps its last price; a non-positive price is no price. Default
-- positions entered at 1.00 x 1,000: A1, A2, A3 in token A, B1 in token B, Q1 in token Q.
--   A at 1.10, B at 0.80, an unknown mint at 3: A1-A3 and B1 repriced (4), B1's stop loss fires
--   (0.80 <= 0.80), Q1 keeps 1.00; three prices given.
begin;
create extension if not exists pgtap with schema extensions;
select plan(15);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

do $$
begin
  perform tests.lifecycle_open_position('A1', 'A', 1.00, 1000);
  perform tests.lifecycle_open_position('A2', 'A', 1.00, 1000);
  perform tests.lifecycle_open_position('A3', 'A', 1.00, 1000);
  perform tests.lifecycle_open_position('B1', 'B', 1.00, 1000);
  perform tests.lifecycle_open_position('Q1', 'Q', 1.00, 1000);
  update walltrack.positions set price_updated_at = now() - interval '1 minute'
  where id in (tests.lifecycle_pos('A1'), tests.lifecycle_pos('A2'), tests.lifecycle_pos('A3'), tests.lifecycle_pos('B1'), tests.lifecycle_pos('Q1'));
end
$$;

-- Counts the UPDATE statements run on walltrack.positions from here on.
create temp table position_updates (n integer not null);
create function pg_temp.count_position_update() returns trigger
language plpgsql as $$ begin insert into position_updates values (1); return null; end $$;
create trigger zz_count_position_updates after update on walltrack.positions
  for each statement execute function pg_temp.count_position_update();

select ok(
  (select walltrack.open_position_tokens() @> array[tests.addr('TkA'), tests.addr('TkB'), tests.addr('TkQ')]),
  'open_position_tokens lists the mints of the open positions, the ones to price');

select is(
  walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', tests.addr('TkA'), 'usd', 1.10, 'source', 'jupiter'),
    jsonb_build_object('mint', tests.addr('TkB'), 'usd', 0.80, 'source', 'dexscreener'),
    jsonb_build_object('mint', tests.addr('TkUnknown'), 'usd', 3, 'source', 'jupiter')), 150),
  '{"positions_repriced": 4, "exit_orders_created": 1, "tokens_priced": 3, "prices_refused": 0}'::jsonb,
  'four positions repriced, one stop loss created, three prices given');
select is((select count(*)::integer from position_updates), 1, 'with one UPDATE statement on positions');
select results_eq(
  $$select w.label, p.current_price, p.price_updated_at, p.unrealized_pnl_usd
    from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
    where w.address like 'Test%' order by w.label$$,
  $$values ('test A1'::text, 1.10::numeric, now(), 100::numeric), ('test A2', 1.10::numeric, now(), 100::numeric),
           ('test A3', 1.10::numeric, now(), 100::numeric), ('test B1', 0.80::numeric, now(), (-200)::numeric),
           ('test Q1', 1.00::numeric, now() - interval '1 minute', 0::numeric)$$,
  'every position of A at 1.10 (unrealized 100 each), B1 at 0.80 (-200), Q1 keeps its 1.00 and its time');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('B1'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  'B1''s stop loss is the exit order created');
select results_eq(
  $$select sol_usd_price, sol_usd_price_at from walltrack.config$$,
  $$values (150::numeric, now())$$,
  'SOL/USD recorded with its time');

delete from position_updates;
select is(
  walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', tests.addr('TkA'), 'usd', 1.10),
    jsonb_build_object('mint', tests.addr('TkQ'), 'usd', 0),
    jsonb_build_object('mint', tests.addr('TkB'), 'usd', null))),
  '{"positions_repriced": 0, "exit_orders_created": 0, "tokens_priced": 3, "prices_refused": 2}'::jsonb,
  'the same price again, a zero and a null: nothing repriced, the zero and the null refused (and recorded)');
select is((select current_price from walltrack.positions where id = tests.lifecycle_pos('Q1')), 1.00::numeric,
  'a zero price is no price: Q1 keeps 1.00');
select is((select sol_usd_price from walltrack.config), 150::numeric, 'no SOL/USD given: the last one is kept');
select is((select count(*)::integer from position_updates), 1, 'still one UPDATE statement (of no row)');

select is(walltrack.apply_prices('[]'::jsonb),
  '{"positions_repriced": 0, "exit_orders_created": 0, "tokens_priced": 0, "prices_refused": 0}'::jsonb,
  'no prices at all: nothing to do');

-- B1 sold: a closed position is no longer priced.
do $$ begin perform tests.lifecycle_fill(tests.lifecycle_pos('B1'), 0.80); end $$;
select is(
  walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', tests.addr('TkB'), 'usd', 0.70),
    jsonb_build_object('mint', tests.addr('TkA'), 'usd', 1.20))),
  '{"positions_repriced": 3, "exit_orders_created": 0, "tokens_priced": 2, "prices_refused": 0}'::jsonb,
  'B1 closed: only the three positions of A are repriced');
select is((select current_price from walltrack.positions where id = tests.lifecycle_pos('B1')), 0.80::numeric,
  'the closed B1 keeps the price it closed at');
select ok(
  not (walltrack.open_position_tokens() @> array[tests.addr('TkB')]),
  'and token B is no longer among the mints to price');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
