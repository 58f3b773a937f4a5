-- An executed entry order sets its position's entry (walltrack.apply_entry_fill): price, amount
-- (current amount too), cost basis, time, live signature, the first price, and copy quality
-- against the leader; a pending or submitted entry sets nothing, and a fill counts once.
--   A  simulation, leader at 0.50 (block 10 s ago), entry inserted executed at 0.505 for
--      990.099010 tokens: cost 990.099010 x 0.505 = 500.00000005, slippage vs the leader
--      (0.505 - 0.50) / 0.50 = 1.0000 %, fill delay 10 s, first price 0.505
--   L  live, leader at 0.50 for 400, priced 0.52 by the monitor while its entry waits; the entry
--      goes pending -> submitted -> executed at 0.50 for 400, 5 s after now: cost 200, fill delay
--      15 s, signature kept, the monitor's price kept: unrealized 400 x (0.52 - 0.50) = 8
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);
-- Live submissions of this file's own orders: lift the seeded database's mock-data mark.
update walltrack.config set holds_mock_data = false;

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

-- A: the position opened without entry, the way walltrack.process_signals opens it.
do $$
begin
  perform tests.lifecycle_wallet('A');
  perform tests.lifecycle_token('A');
  perform tests.lifecycle_signal('A', 'A', 0.50, 1000);
  insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, leader_price_usd)
  select w.id, t.id, s.id, 'simulation', w.exit_strategy_id, 0.50
  from walltrack.wallets w, walltrack.tokens t, walltrack.signals s
  where w.address = tests.addr('WaA') and t.address = tests.addr('TkA')
    and s.transaction_signature = tests.sig('BuyAA');
end
$$;

select results_eq(
  $$select entry_price, entry_amount, entry_value_usd, entry_timestamp, current_amount, current_price, status
    from walltrack.positions where id = tests.lifecycle_pos('A')$$,
  $$values (null::numeric, null::numeric, null::numeric, null::timestamptz, 0::numeric, null::numeric, 'open'::text)$$,
  'before its entry fills, the position holds nothing');

insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                              amount_in, status, submitted_at, executed_at, amount_out, price_usd, value_usd)
select p.wallet_id, p.token_id, p.id, p.signal_id, 'entry', 'simulation', 'So11111111111111111111111111111111111111112',
       tests.addr('TkA'), 2.5, 'executed', now(), now(), 990.099010, 0.505, 500.00000005
from walltrack.positions p where p.id = tests.lifecycle_pos('A');

select results_eq(
  $$select entry_price, entry_amount, current_amount, entry_value_usd, entry_timestamp, entry_tx_signature::text,
           current_price, price_updated_at, peak_price, unrealized_pnl_usd
    from walltrack.positions where id = tests.lifecycle_pos('A')$$,
  $$values (0.505::numeric, 990.099010::numeric, 990.099010::numeric, 500.00000005::numeric, now(), null::text,
            0.505::numeric, now(), 0.505::numeric, 0::numeric)$$,
  'an entry inserted executed: entry 0.505 x 990.099010 = 500.00000005 now, first price 0.505, no PnL yet');
select results_eq(
  $$select fill_delay_seconds, slippage_vs_leader_percent from walltrack.positions where id = tests.lifecycle_pos('A')$$,
  $$values (10.000::numeric, 1.0000::numeric)$$,
  'copy quality: filled 10 s after the leader''s block, 1.0000 % above the leader''s 0.50');

-- A fill counts once: after an exit, writing the executed entry again does not reset the amounts.
do $$ begin perform tests.lifecycle_exit_order(tests.lifecycle_pos('A'), 'exit_mirror', 500, 'executed', 0.55); end $$;
update walltrack.orders set status = 'executed' where position_id = tests.lifecycle_pos('A') and order_type = 'entry';
select results_eq(
  $$select entry_amount, current_amount, exit_amount from walltrack.positions where id = tests.lifecycle_pos('A')$$,
  $$values (990.099010::numeric, 490.099010::numeric, 500::numeric)$$,
  'the entry fill counts once: 990.099010 bought, 500 sold, 490.099010 left');

-- L: live, its entry waits for the executor.
do $$
begin
  perform tests.lifecycle_open_pending('L', 'L', 0.50, 400, wallet_mode => 'live');
  perform tests.lifecycle_tick('L', 0.52);
end
$$;
select results_eq(
  $$select entry_amount, current_amount, current_price, unrealized_pnl_usd, peak_price from walltrack.positions
    where id = tests.lifecycle_pos('L')$$,
  $$values (null::numeric, 0::numeric, 0.52::numeric, 0::numeric, null::numeric)$$,
  'priced while its entry is pending: the price is kept, no PnL, no peak');

update walltrack.orders set status = 'submitted', submitted_at = now(), tx_signature = tests.sig('EntryL')
where position_id = tests.lifecycle_pos('L') and order_type = 'entry';
select is((select entry_amount from walltrack.positions where id = tests.lifecycle_pos('L')), null,
  'a submitted entry sets nothing yet');

update walltrack.orders
set status = 'executed', executed_at = now() + interval '5 seconds', amount_out = 400, price_usd = 0.50, value_usd = 200
where position_id = tests.lifecycle_pos('L') and order_type = 'entry';
select results_eq(
  $$select entry_price, entry_amount, current_amount, entry_value_usd, entry_timestamp, entry_tx_signature::text
    from walltrack.positions where id = tests.lifecycle_pos('L')$$,
  $$values (0.50::numeric, 400::numeric, 400::numeric, 200::numeric, now() + interval '5 seconds', tests.sig('EntryL'))$$,
  'executed by transition: entry 0.50 x 400 = 200 at the fill time, with the live transaction''s signature');
select results_eq(
  $$select current_price, price_updated_at, unrealized_pnl_usd, peak_price from walltrack.positions
    where id = tests.lifecycle_pos('L')$$,
  $$values (0.52::numeric, now(), 8::numeric, 0.52::numeric)$$,
  'the monitor''s price stays the current price: unrealized 400 x (0.52 - 0.50) = 8');
select results_eq(
  $$select fill_delay_seconds, slippage_vs_leader_percent from walltrack.positions where id = tests.lifecycle_pos('L')$$,
  $$values (15.000::numeric, 0.0000::numeric)$$,
  'copy quality: filled 15 s after the leader''s block, at the leader''s price');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
