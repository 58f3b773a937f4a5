-- Leader copyability (walltrack.copied_trades, walltrack.refresh_copyability): the leader's own
-- return on each trade we copied next to ours, per leader the retained edge and the score, the
-- do_not_copy flag, and the leaderboard's rank. Leader 'WaCp' (Default), SOL at 200 USD, simulated
-- fills at 1 % slippage: both BUYs at 1.00 USD, both our entries filled at 1.01.
--   C1  the leader sells at 1.50 (+50 %); our position is priced 1.00: (1.00 - 1.01) / 1.01 = -0.9901 %
--   C2  the leader holds; the latest price is 0.85 (-15 %); ours (0.85 - 1.01) / 1.01 = -15.8416 %
-- leader mean +17.5 %, retained edge (-0.9901 - 15.8416) / 2 = -8.4159 %,
-- score -16.8317 / (2 + 5) = -2.4045; negative over 2 trades: do_not_copy when the minimum is 2.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

update walltrack.config set sol_usd_price = 200, simulation_slippage_percent = 1, do_not_copy_min_trades = 2;
do $$
begin
  perform tests.lifecycle_open_pending('Cp', 'C1', 1.00, 1000);
  perform tests.lifecycle_open_pending('Cp', 'C2', 1.00, 1000);
  perform walltrack.fill_simulated_orders(array(select o.id from walltrack.orders o join walltrack.wallets w on w.id = o.wallet_id
                                                where w.address = tests.addr('WaCp') and o.status = 'pending'));
  -- The leader's SELL is a price too (walltrack.apply_swap_prices): 1.50, then the monitor's 1.00.
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, price_usd, leader_block_time, raw_payload)
  select w.id, tests.addr('TkC1'), tests.sig('SellCpC1'), 'SELL', tests.addr('TkC1'), 'So11111111111111111111111111111111111111112',
         1000, 7.5, 1.50, now(), '{}'
  from walltrack.wallets w where w.address = tests.addr('WaCp');
  perform tests.lifecycle_tick('C1', 1.00);
  perform tests.lifecycle_tick('C2', 0.85);
  perform walltrack.refresh_performance();
end $$;

select results_eq(
  $$select token_address::text, leader_buy_usd, leader_exit_usd, leader_sold, leader_return_percent, entry_price, our_return_percent
    from walltrack.copied_trades where wallet_address = tests.addr('WaCp') order by token_address$$,
  $$values (tests.addr('TkC1'), 1.00::numeric, 1.50::numeric, true, 50.0000::numeric, 1.01::numeric, -0.9901::numeric),
           (tests.addr('TkC2'), 1.00::numeric, 0.85::numeric, false, -15.0000::numeric, 1.01::numeric, -15.8416::numeric)$$,
  'each copied trade: the leader''s return (their SELL, or the latest price while they hold) next to ours');

select cmp_ok(walltrack.refresh_copyability(), '>=', 1, 'refresh_copyability writes the performance rows');
select results_eq(
  $$select copied_trades, leader_return_percent, retained_edge_percent, copyability_score, do_not_copy
    from walltrack.performance where wallet_id = tests.lifecycle_wallet('Cp')$$,
  $$values (2, 17.5000::numeric, -8.4159::numeric, -2.4045::numeric, true)$$,
  'the leader made +17.5 %, we kept -8.4159 %: score -2.4045, do not copy');
select ok((walltrack.copyability_status() -> 'do_not_copy') ? tests.addr('WaCp'), 'copyability_status names the leader not to copy');

update walltrack.config set do_not_copy_min_trades = 3;
do $$ begin perform walltrack.refresh_copyability(); end $$;
select is((select do_not_copy from walltrack.performance where wallet_id = tests.lifecycle_wallet('Cp')), false,
  'with fewer trades than do_not_copy_min_trades, no flag');

-- The leaderboard ranks by the score: a leader without copied trades (no score) ranks after.
select is((select rank from walltrack.wallet_leaderboard where address = tests.addr('WaCp')),
          (select count(*) + 1 from walltrack.performance where copyability_score > -2.4045),
  'the leaderboard ranks by copyability score');
select is((select count(*)::integer from walltrack.performance where copyability_score is null and copied_trades <> 0), 0,
  'a leader without copied trades has 0 trades and no score');

select * from finish();
rollback;
