-- Consistency of the replay with the live exits: a position traded live by the pipeline (simulated
-- fills, 1 % slippage, its prices recorded by apply_prices) and closed, replayed from its entry over
-- the recorded path with the same strategy and slippage, gives the same exits, amounts and fill
-- prices it really had, and so its realized PnL to the cent. Default strategy, leader at 1.00 USD:
--   entry filled at 1.01 (1.00 + 1 %)   1.60 arms the trailing stop (>= 1.515)
--   2.10 level 1 (>= 2.02) sells 50 %   3.10 level 2 (>= 3.03) sells 25 %
--   2.60 trailing stop (<= 3.10 x 0.85 = 2.635) sells the rest; each filled at the price less 1 %.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

update walltrack.config set sol_usd_price = 200, simulation_slippage_percent = 1;

create function pg_temp.fill_all() returns void language sql as $$
  select walltrack.fill_simulated_orders(array(select id from walltrack.orders
                                               where position_id = tests.lifecycle_pos('V') and status = 'pending'))
$$;
do $$
declare
  price numeric;
begin
  perform tests.lifecycle_open_pending('V', 'V', 1.00, 1000);
  perform pg_temp.fill_all();
  foreach price in array array[1.60, 2.10, 3.10, 2.60] loop
    perform tests.lifecycle_tick('V', price);
    perform pg_temp.fill_all();
  end loop;
end $$;

select results_eq(
  $$select status, exit_reason, entry_price from walltrack.positions where id = tests.lifecycle_pos('V')$$,
  $$values ('closed'::text, 'trailing_stop'::text, 1.01::numeric)$$,
  'the live position entered at 1.01 and closed by its trailing stop');

create temp table live_exits as
select replace(o.order_type, 'exit_', '') as reason, o.amount_in as amount, o.price_usd as price
from walltrack.orders o where o.position_id = tests.lifecycle_pos('V') and o.order_type <> 'entry' and o.status = 'executed';
create temp table replayed as
select r.exit_reason as reason, r.exit_amount as amount, r.exit_price as price
from walltrack.positions p,
     walltrack.replay_trade(tests.addr('TkV'), p.entry_timestamp, p.entry_price, walltrack.position_strategy(p),
                            clock_timestamp() + interval '1 hour', 1, null, p.entry_amount, p.token_id) r
where p.id = tests.lifecycle_pos('V');

select is((select count(*)::integer from live_exits), 3, 'the live position had three exits');
select set_eq('select * from replayed', 'select * from live_exits',
  'the replay gives the same exits, amounts and fill prices');
select is(
  (select sum(amount * price) from replayed) - (select entry_amount * entry_price from walltrack.positions where id = tests.lifecycle_pos('V')),
  (select realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('V')),
  'and the same realized PnL');

select * from finish();
rollback;
