-- walltrack.fill_simulated_orders fills simulation orders in SQL, through the status machine:
-- an exit sells min(its amount, what the position holds) at the position's price moved against
-- us, current x (100 - simulation_slippage_percent) x 0.01, for SOL at config.sol_usd_price; an
-- entry buys at its latest (or the leader's) price x (100 + slippage) x 0.01 for its SOL. An exit
-- with nothing left to sell is cancelled; without a price it is deferred (a retry in 60 s); live
-- orders are not its business. Slippage 1 %, SOL at 200 USD:
--   S1  exit of 100 held at 2.50 (entry 2.00)  -> 2.50 x 0.99 = 2.475, 247.5 USD = 1.2375 SOL, +47.5
--   S2  entry of 2.5 SOL, leader at 0.50       -> 0.50 x 1.01 = 0.505, 500 / 0.505 = 990.099010 tokens
--   S3  at 1.20 (entry 1.00): level 1 of 600, manual of 1,000, level 2 of 250, in that order
--       -> 600 at 1.188, the manual capped at the 400 left (closes manual), level 2 cancelled;
--          realized 1,000 x 0.188 = 188
--   S4  entry whose position has no price at all -> deferred;  S5 at 1.30 with 0 % slippage -> 1.30
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

update walltrack.config set simulation_slippage_percent = 1, sol_usd_price = 200;

do $$
begin
  perform tests.lifecycle_open_position('S1', 'S1', 2.00, 100);
  perform tests.lifecycle_tick('S1', 2.50);
  perform walltrack.close_position_manually(tests.lifecycle_pos('S1'));
  perform tests.lifecycle_open_pending('S2', 'S2', 0.50, 1000);
  perform tests.lifecycle_open_position('S3', 'S3', 1.00, 1000);
  perform tests.lifecycle_tick('S3', 1.20);
  perform tests.lifecycle_open_pending('S4', 'S4', 0.50, 1000);
  update walltrack.positions set leader_price_usd = null where id = tests.lifecycle_pos('S4');
  perform tests.lifecycle_open_pending('V', 'V', 0.50, 1000, wallet_mode => 'live');
end
$$;
create temp table s3 (tag text primary key, id uuid not null);
insert into s3 values
  ('level1', tests.lifecycle_exit_order(tests.lifecycle_pos('S3'), 'exit_scaling', 600, lvl => 1::smallint)),
  ('manual', tests.lifecycle_exit_order(tests.lifecycle_pos('S3'), 'exit_manual', 1000)),
  ('level2', tests.lifecycle_exit_order(tests.lifecycle_pos('S3'), 'exit_scaling', 250, lvl => 2::smallint));
update walltrack.orders o set requested_at = now() - v.ago::interval
from (values ('level1', '30 seconds'), ('manual', '20 seconds'), ('level2', '10 seconds')) as v(tag, ago)
join s3 on s3.tag = v.tag
where o.id = s3.id;

-- S1: an exit.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders
                                        where position_id = tests.lifecycle_pos('S1') and order_type = 'exit_manual')),
  '{"filled": 1, "cancelled": 0, "deferred": 0, "failed": 0}'::jsonb,
  'S1: one order filled');
select results_eq(
  $$select status, submitted_at, executed_at >= now(), claimed_until, amount_in, price_usd, value_usd, amount_out,
           slippage_actual_percent
    from walltrack.orders where position_id = tests.lifecycle_pos('S1') and order_type = 'exit_manual'$$,
  $$values ('executed'::text, now(), true, null::timestamptz, 100::numeric, 2.475::numeric, 247.5::numeric,
            1.2375::numeric, 1.00::numeric)$$,
  'S1: submitted then executed, 100 at 2.50 x 0.99 = 2.475, 247.5 USD, 247.5 / 200 = 1.2375 SOL');
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('S1')$$,
  $$values ('closed'::text, 'manual'::text, 47.5::numeric)$$,
  'S1 closed manual: realized 100 x (2.475 - 2.00) = 47.5');

-- S2: an entry.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = tests.lifecycle_pos('S2'))),
  '{"filled": 1, "cancelled": 0, "deferred": 0, "failed": 0}'::jsonb,
  'S2: the entry filled');
select results_eq(
  $$select status, price_usd, amount_out, value_usd from walltrack.orders where position_id = tests.lifecycle_pos('S2')$$,
  $$values ('executed'::text, 0.505::numeric, 990.099010::numeric, 500.00000005::numeric)$$,
  'S2: 2.5 SOL x 200 = 500 USD at 0.50 x 1.01 = 0.505: 990.099010 tokens (6 decimals), 500.00000005 USD');
select results_eq(
  $$select entry_price, entry_amount, current_amount from walltrack.positions where id = tests.lifecycle_pos('S2')$$,
  $$values (0.505::numeric, 990.099010::numeric, 990.099010::numeric)$$,
  'S2: the fill is the position''s entry');

-- S3: capped, then nothing left.
select is(
  walltrack.fill_simulated_orders(array(select id from s3)),
  '{"filled": 2, "cancelled": 1, "deferred": 0, "failed": 0}'::jsonb,
  'S3: two filled, one cancelled');
select results_eq(
  $$select s3.tag, o.status, o.amount_in, o.price_usd, o.error_code from s3 join walltrack.orders o on o.id = s3.id
    order by o.requested_at$$,
  $$values ('level1'::text, 'executed'::text, 600::numeric, 1.188::numeric, null::text),
           ('manual', 'executed', 400::numeric, 1.188::numeric, null),
           ('level2', 'cancelled', 250::numeric, null::numeric, 'nothing_to_sell')$$,
  'S3: level 1 sells 600 at 1.188, the manual exit the 400 left, level 2 finds nothing to sell');
select results_eq(
  $$select status, exit_reason, current_amount, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('S3')$$,
  $$values ('closed'::text, 'manual'::text, 0::numeric, 188.000::numeric)$$,
  'S3 closed manual: realized 1,000 x (1.188 - 1.00) = 188');

-- S4: no price to fill at.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = tests.lifecycle_pos('S4'))),
  '{"filled": 0, "cancelled": 0, "deferred": 1, "failed": 0}'::jsonb,
  'S4: no observed price, deferred');
select results_eq(
  $$select status, retry_count, next_retry_at, error_code from walltrack.orders where position_id = tests.lifecycle_pos('S4')$$,
  $$values ('pending'::text, 0, now() + interval '60 seconds', 'no_price'::text)$$,
  'S4: still pending, no retry spent (a wait, not a failure), tried again in 60 s');

-- Without SOL/USD nothing can be filled either.
update walltrack.config set sol_usd_price = null;
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = tests.lifecycle_pos('S4'))),
  '{"filled": 0, "cancelled": 0, "deferred": 1, "failed": 0}'::jsonb,
  'no SOL/USD price: deferred');
update walltrack.config set sol_usd_price = 200;

-- A live order is the executor's, not the simulator's.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = tests.lifecycle_pos('V'))),
  '{"filled": 0, "cancelled": 0, "deferred": 0, "failed": 0}'::jsonb,
  'a live order is left alone');
select results_eq(
  $$select status, retry_count from walltrack.orders where position_id = tests.lifecycle_pos('V')$$,
  $$values ('pending'::text, 0)$$,
  'the live order is untouched');

-- S5: with no slippage, the fill is the observed price.
update walltrack.config set simulation_slippage_percent = 0;
do $$
begin
  perform tests.lifecycle_open_position('S5', 'S5', 1.00, 1000);
  perform tests.lifecycle_tick('S5', 1.30);
  perform walltrack.close_position_manually(tests.lifecycle_pos('S5'));
end
$$;
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders
                                        where position_id = tests.lifecycle_pos('S5') and order_type <> 'entry')),
  '{"filled": 1, "cancelled": 0, "deferred": 0, "failed": 0}'::jsonb,
  'S5: filled');
select results_eq(
  $$select o.price_usd, o.amount_out, p.realized_pnl_usd
    from walltrack.orders o join walltrack.positions p on p.id = o.position_id
    where o.position_id = tests.lifecycle_pos('S5') and o.order_type <> 'entry'$$,
  $$values (1.30::numeric, 6.5::numeric, 300::numeric)$$,
  'S5: 0 % slippage fills at 1.30: 1,000 x 1.30 / 200 = 6.5 SOL, realized 300');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
