-- walltrack.apply_prices applies only sane prices, and a jump only once confirmed; every refusal is
-- recorded in walltrack.price_refusals. Default strategy (stop loss 20 %, first level at 2x), entry
-- 1.00 x 1,000 in token P; config.price_jump_multiple 10, window 15 minutes:
--   "Infinity", "NaN", -1, 0, 1e300       refused (not_a_number, not_positive, absurd): P keeps 1.00
--   a batch of Q 1.10 and P "Infinity"     Q repriced, P refused: one bad entry spoils nothing
--   15 (x15)                               unconfirmed_jump: not applied, no scale-out
--   1.05, then 12 (x11.4)                  1.05 applied; 12 refused: the observation before it was
--                                          no jump, so nothing confirms it
--   12.5                                   the second jump up in a row: confirmed, applied, levels 1-2
--   0.5 (/25), then 0.6                    0.5 refused; 0.6, a second jump down: the stop loss
--   SOL/USD NaN                            refused, the last SOL/USD kept
--   a position's price set to Infinity     refused by the table itself (the last line)
begin;
create extension if not exists pgtap with schema extensions;
select plan(18);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

update walltrack.config set price_jump_multiple = 10, price_jump_window_minutes = 15, sol_usd_price = 200;
do $$
begin
  perform tests.lifecycle_open_position('P', 'P', 1.00, 1000);
  perform tests.lifecycle_open_position('Q', 'Q', 1.00, 1000);
end
$$;

create function pg_temp.tick(token_tag text, observed jsonb) returns jsonb language sql as $$
  select walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', tests.addr('Tk' || token_tag), 'usd', observed, 'source', 'test')))
$$;
create function pg_temp.price(wallet_tag text) returns numeric language sql stable as $$
  select current_price from walltrack.positions where id = tests.lifecycle_pos(wallet_tag)
$$;
create function pg_temp.refusals() returns table (observed text, reason text) language sql stable as $$
  select observed, reason from walltrack.price_refusals where token_address = tests.addr('TkP') order by created_at, id
$$;

do $$
begin
  perform pg_temp.tick('P', '"Infinity"');
  perform pg_temp.tick('P', '"NaN"');
  perform pg_temp.tick('P', '-1');
  perform pg_temp.tick('P', '0');
  perform pg_temp.tick('P', '"1e300"');
end
$$;
select is(pg_temp.price('P'), 1.00, 'Infinity, NaN, -1, 0 and 1e300 are never applied: P keeps 1.00');
select results_eq($$select * from pg_temp.refusals()$$,
  $$values ('Infinity'::text, 'not_a_number'::text), ('NaN', 'not_a_number'), ('-1', 'not_positive'), ('0', 'not_positive'),
           ('1e300', 'absurd')$$,
  'each refusal is recorded with what was observed and why');
select is_empty($$select 1 from walltrack.orders where position_id = tests.lifecycle_pos('P') and order_type <> 'entry'$$,
  'no exit order');

select is(
  walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', tests.addr('TkQ'), 'usd', 1.10, 'source', 'test'),
    jsonb_build_object('mint', tests.addr('TkP'), 'usd', 'Infinity', 'source', 'test'))) ->> 'positions_repriced',
  '1', 'a batch with one bad entry: the good one is applied');
select is(pg_temp.price('Q'), 1.10, 'Q is repriced at 1.10');

select is(pg_temp.tick('P', '15') ->> 'prices_refused', '1', '15, fifteen times the last price: refused');
select is(pg_temp.price('P'), 1.00, 'and not applied, so no scale-out level can fire from it');
select is((select reason from walltrack.price_refusals where token_address = tests.addr('TkP')
           order by created_at desc, id desc limit 1), 'unconfirmed_jump', 'recorded as an unconfirmed jump');

do $$ begin perform pg_temp.tick('P', '1.05'); end $$;
select is(pg_temp.price('P'), 1.05, '1.05 is applied');
do $$ begin perform pg_temp.tick('P', '12'); end $$;
select is(pg_temp.price('P'), 1.05, '12: a jump again, refused (the observation before it was no jump)');
select is(pg_temp.tick('P', '12.5') ->> 'exit_orders_created', '2',
  '12.5: a second jump up in a row confirms it: applied, and the levels at 2x and 3x fire');
select is(pg_temp.price('P'), 12.5, 'P is at 12.5');

do $$ begin perform pg_temp.tick('P', '0.5'); end $$;
select is(pg_temp.price('P'), 12.5, '0.5, a fall to a twenty-fifth: refused');
do $$ begin perform pg_temp.tick('P', '0.6'); end $$;
select is(pg_temp.price('P'), 0.6, '0.6, a second jump down in a row: applied');
select ok(exists (select 1 from walltrack.orders where position_id = tests.lifecycle_pos('P') and order_type = 'exit_stop_loss'),
  'and the stop loss fires');

select is(walltrack.apply_prices('[]'::jsonb, 'NaN') ->> 'prices_refused', '1', 'SOL/USD NaN is refused');
select is((select sol_usd_price from walltrack.config), 200::numeric, 'and the last SOL/USD is kept');

select throws_ok(
  $$update walltrack.positions set current_price = 'Infinity' where id = tests.lifecycle_pos('Q')$$,
  '23514', null, 'the table itself refuses an infinite price');

select * from finish();
rollback;
