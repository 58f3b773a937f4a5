-- walltrack.close_position_manually creates one exit_manual order for what the position holds
-- that no exit already in flight will sell (current amount - the pending or submitted exits); the
-- position closes with exit_reason manual when it fills. It refuses (check_violation) a position
-- with nothing more to sell: closed, its entry not filled yet, or everything already on its way
-- out (a second manual exit while the first is in flight); and an unknown id. Default strategy:
--   M  entry 1.00 x 1,000, priced 1.20: manual exit of 1,000 (worth 1,200), filled at 1.20: +200
--   N  entry 1.00 x 1,000, level 1 sold 500 at 2.00 (+500), priced 1.80 (above its trailing stop
--      2.00 x 0.85 = 1.70): manual exit of the 500 left, filled at 1.80: +400; realized 900
--   Q  entry 1.00 x 1,000, at 2.00 level 1 (500) is in flight: the manual exit sells the other 500
--      (worth 1,000); then everything is on its way out and a further one is refused
begin;
create extension if not exists pgtap with schema extensions;
select plan(19);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$
begin
  perform tests.lifecycle_open_position('M', 'M', 1.00, 1000);
  perform tests.lifecycle_open_position('N', 'N', 1.00, 1000);
  perform tests.lifecycle_open_pending('P', 'P', 1.00, 1000);
  perform tests.lifecycle_open_position('Q', 'Q', 1.00, 1000);
  perform tests.lifecycle_tick('M', 1.20);
end
$$;

create temp table manual as select walltrack.close_position_manually(tests.lifecycle_pos('M')) as order_id;

select isnt((select order_id from manual), null, 'close_position_manually returns the id of its order');
select results_eq(
  $$select o.position_id, o.order_type, o.mode, o.token_in::text, o.token_out::text, o.amount_in, o.value_usd, o.status,
           o.slippage_requested_percent, o.max_retries
    from walltrack.orders o where o.id = (select order_id from manual)$$,
  format($$values (%L::uuid, 'exit_manual'::text, 'simulation'::text, %L::text,
                   'So11111111111111111111111111111111111111112'::text, 1000::numeric, 1200.00::numeric,
                   'pending'::text, 3.00::numeric, 3)$$,
         tests.lifecycle_pos('M'), tests.addr('TkM')),
  'one pending exit_manual of all 1,000 tokens, worth 1,000 x 1.20, with the config''s slippage and retries');

select throws_ok(
  format('select walltrack.close_position_manually(%L)', tests.lifecycle_pos('M')),
  '23514',
  format('position %s holds nothing more to sell (status open, amount 1000, 1000 already on its way out)', tests.lifecycle_pos('M')),
  'a second manual exit while the first is in flight is refused: the first already sells everything');
select is((select count(*)::integer from walltrack.orders where position_id = tests.lifecycle_pos('M') and order_type = 'exit_manual'),
  1, 'and no second order exists');
select is(tests.lifecycle_tick('M', 0.70) ->> 'exit_orders_created', '0',
  'the manual exit in flight also holds back the stop loss (0.70 <= 0.80)');

select is(tests.lifecycle_fill(tests.lifecycle_pos('M'), 1.20), 1, 'the manual exit fills at 1.20');
select results_eq(
  $$select status, exit_reason, closed_at is not null, current_amount, realized_pnl_usd from walltrack.positions
    where id = tests.lifecycle_pos('M')$$,
  $$values ('closed'::text, 'manual'::text, true, 0::numeric, 200.00::numeric)$$,
  'M closed manual: realized 1,000 x (1.20 - 1.00) = 200.00');
select throws_ok(
  format('select walltrack.close_position_manually(%L)', tests.lifecycle_pos('M')),
  '23514',
  format('position %s holds nothing more to sell (status closed, amount 0, 0 already on its way out)', tests.lifecycle_pos('M')),
  'a closed position holds nothing to sell');

select throws_ok(
  format('select walltrack.close_position_manually(%L)', tests.lifecycle_pos('P')),
  '23514',
  format('position %s holds nothing more to sell (status open, amount 0, 0 already on its way out)', tests.lifecycle_pos('P')),
  'a position whose entry has not filled holds nothing to sell');
select throws_ok(
  $$select walltrack.close_position_manually('c0ffee00-0000-4000-8000-00000000dead')$$,
  'P0002',
  'no position c0ffee00-0000-4000-8000-00000000dead',
  'an unknown position is refused');

select is(tests.lifecycle_tick('N', 2.00) ->> 'exit_orders_created', '1', 'N at 2.00: level 1');
select is(tests.lifecycle_fill(tests.lifecycle_pos('N'), 2.00) + tests.lifecycle_walk('N', array[1.80]), 1,
  'level 1 fills at 2.00; 1.80 triggers nothing');
do $$ begin perform walltrack.close_position_manually(tests.lifecycle_pos('N')); end $$;
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('N'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'executed'::text),
           ('exit_manual', null::smallint, 500::numeric, 'pending')$$,
  'N''s manual exit sells the 500 it still holds');
select is(tests.lifecycle_fill(tests.lifecycle_pos('N'), 1.80), 1, 'the manual exit fills at 1.80');
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('N')$$,
  $$values ('closed'::text, 'manual'::text, 900.00::numeric)$$,
  'N closed manual: realized 500 + 500 x 0.80 = 900.00');

select is(tests.lifecycle_tick('Q', 2.00) ->> 'exit_orders_created', '1', 'Q at 2.00: level 1 (500) on its way out');
do $$ begin perform walltrack.close_position_manually(tests.lifecycle_pos('Q')); end $$;
select results_eq(
  $$select o.order_type, o.scaling_level, o.amount_in, o.value_usd, o.status from walltrack.orders o
    where o.position_id = tests.lifecycle_pos('Q') and o.order_type <> 'entry' order by o.scaling_level nulls last$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 1000.00::numeric, 'pending'::text),
           ('exit_manual', null, 500, 1000.00, 'pending')$$,
  'Q''s manual exit sells only the 500 the level in flight will not (worth 500 x 2.00), not all 1,000');
select throws_ok(
  format('select walltrack.close_position_manually(%L)', tests.lifecycle_pos('Q')),
  '23514',
  format('position %s holds nothing more to sell (status open, amount 1000, 1000 already on its way out)', tests.lifecycle_pos('Q')),
  'with the level and the manual exit in flight, nothing more is left to sell');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
