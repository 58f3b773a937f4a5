-- One extreme trade never fails walltrack.refresh_performance for every wallet, and copy quality's
-- medians are exact (no floating point, no rounding):
--   X  one trade of 0.000001 USD that made +1,000,000 USD: 10^14 % of its cost (best, worst and
--      total percent), bought 10^9 % above the leader's price; beyond any numeric(12, 4)
--   Y  an ordinary wallet beside it: +10 on 100, its row computed as usual
--   M  two filled positions: delays 1.001 and 1.002 s, slippages 0.1001 and 0.1002 %: the medians
--      are the exact means 1.0015 s and 0.10015 % (floating point and a fixed scale would round them)
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

-- Fixtures: tests.performance_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

update walltrack.config set capital_usd = 10000;

do $$
begin
  perform tests.performance_wallet('X');
  perform tests.performance_wallet('Y');
  perform tests.performance_wallet('M');
  perform tests.performance_position('X', 'X1', 0.000001, '2 days', '1 day', 1000000, 5.0, 1000000000);
  perform tests.performance_position('Y', 'Y1', 100, '2 days', '1 day', 10, 2.0, 0.5);
  perform tests.performance_position('M', 'M1', 100, '2 days', fill_delay => 1.001, slippage => 0.1001);
  perform tests.performance_position('M', 'M2', 100, '2 days', fill_delay => 1.002, slippage => 0.1002);
end
$$;

select lives_ok($$select walltrack.refresh_performance()$$,
  'a trade worth 10^14 % of its cost does not make the refresh fail');
select results_eq(
  $$select total_pnl_percent, best_trade_pnl_percent, worst_trade_pnl_percent, median_slippage_vs_leader_percent
    from walltrack.performance where wallet_id = tests.performance_wid('X')$$,
  $$values (100000000000000::numeric, 100000000000000::numeric, 100000000000000::numeric, 1000000000::numeric)$$,
  'X: the extreme percentages are stored as they are, not capped');
select results_eq(
  $$select total_positions, total_pnl_usd, total_pnl_percent, median_copy_delay_seconds
    from walltrack.performance where wallet_id = tests.performance_wid('Y')$$,
  $$values (1, 10::numeric, 10::numeric, 2::numeric)$$,
  'Y: the ordinary wallet beside it gets its row');
select is((select median_copy_delay_seconds from walltrack.performance where wallet_id = tests.performance_wid('M')),
  1.0015, 'M: the median delay of 1.001 and 1.002 s is exactly 1.0015 s');
select is((select median_slippage_vs_leader_percent from walltrack.performance where wallet_id = tests.performance_wid('M')),
  0.10015, 'M: the median slippage of 0.1001 and 0.1002 % is exactly 0.10015 %');

select * from finish();
rollback;
