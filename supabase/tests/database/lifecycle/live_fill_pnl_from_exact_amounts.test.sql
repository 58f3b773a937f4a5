-- A live position's cost basis and realized PnL come from the exact amounts that moved (ADR-009),
-- not from a unit price rounded to 18 places: SOL at 150.123456789 USD,
--   entry  1.000000001 SOL for 333,333 tokens: cost 1.000000001 x 150.123456789 = 150.123456939123456789
--   exit   333,333 tokens for 1.234567891 SOL: proceeds 1.234567891 x 150.123456789
--          = 185.337599437625361999
--   realized = proceeds - cost = 35.21414249850190521, exactly (a rounded unit price missed it)
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);
-- Live fills of this file's own orders: lift the seeded database's mock-data mark.
update walltrack.config set holds_mock_data = false, sol_usd_price = 150.123456789;

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

create function pg_temp.fill(order_id uuid, sig text, amount_in numeric, amount_out numeric) returns void language sql as $$
  update walltrack.orders set status = 'submitted', submitted_at = now(), tx_signature = tests.sig(sig) where id = order_id;
  select walltrack.record_order_fill(order_id, jsonb_build_object('amount_in', amount_in::text, 'amount_out', amount_out::text,
                                                                  'tx_signature', tests.sig(sig)));
$$;

do $$
begin
  perform tests.lifecycle_open_pending('Lx', 'Lx', 0.45, 333333, wallet_mode => 'live');
  perform pg_temp.fill((select id from walltrack.orders where position_id = tests.lifecycle_pos('Lx') and order_type = 'entry'),
                       'LxEntry', 1.000000001, 333333);
end
$$;
select is((select entry_value_usd from walltrack.positions where id = tests.lifecycle_pos('Lx')), 150.123456939123456789,
  'the cost basis is the SOL paid x SOL/USD, exactly');

do $$
begin
  perform walltrack.close_position_manually(tests.lifecycle_pos('Lx'));
  perform pg_temp.fill((select id from walltrack.orders where position_id = tests.lifecycle_pos('Lx') and order_type = 'exit_manual'),
                       'LxExit', 333333, 1.234567891);
end
$$;
select is((select value_usd from walltrack.orders where position_id = tests.lifecycle_pos('Lx') and order_type = 'exit_manual'),
  185.337599437625361999, 'the proceeds are the SOL received x SOL/USD, exactly');
select results_eq(
  $$select status, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('Lx')$$,
  $$values ('closed'::text, 35.21414249850190521::numeric)$$,
  'closed with realized PnL = proceeds - cost, to the last digit');
select is((select realized_pnl_usd = (1.234567891 - 1.000000001) * 150.123456789 from walltrack.positions
            where id = tests.lifecycle_pos('Lx')), true, 'which is (SOL received - SOL paid) x SOL/USD');

select * from finish();
rollback;
