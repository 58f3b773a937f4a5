-- walltrack.refresh_performance computes every metric of each wallet's row from its closed
-- positions, in close order (closed_at, then id for closes at the same instant), except copy
-- quality: medians over every filled position, open ones included. Averages and expectancy are
-- exact (not rounded); profit ratio and factor are never capped (the columns take any value), 0
-- with losses and no win, none without a loss. Capital 10,000.
--
-- Wallet A, eight closes (cost = entry USD, pnl = realized USD):
--   #  created  closed  cost  pnl   %     cumulative  peak  drawdown  fill delay  slippage
--   1  40 d     39 d    100   +50   +50   50          50    0         2.0         0.50
--   2  20 d     19 d    200   +70   +35   120         120   0         4.0         1.00
--   3  10 d      9 d    200   -20   -10   100         120   20        3.0         -0.50
--   4   7 d      6 d    100     0     0   100         120   20        5.5         2.00
--   5   3 d      2 d    400   +90   +22.5 190         190   0         1.0         1.50  } same instant:
--   6   3 d      2 d     50   -30   -60   160         190   30        7.0         0.25  } 5 has the smaller id
--   7   2 d      1 d    200   -40   -20   120         190   70        6.0         3.00
--   8  12 h      6 h    100   -10   -10   110         190   80        -           1.25
--   outcomes W W L B W L L L: 8 closed, 3 won, 4 lost, 1 breakeven: win rate 3 / 8 = 37.50 %
--   total PnL 110 on a cost of 1,350: 8.1481 %; expectancy 110 / 8 = 13.75
--   average win 210 / 3 = 70, average loss -100 / 4 = -25: profit ratio 70 / 25 = 2.8000,
--   profit factor 210 / 100 = 2.1000
--   max drawdown 80 USD; in % of capital + the peak then: 80 / 10,190 = 0.7851 %
--   best trade +90 USD and +50.0000 % (different trades), worst -40 USD and -60.0000 %
--   streaks: longest 2 wins, 3 losses; the current run is 3 losses
--   copy quality: median fill delay of 1, 2, 3, 4, 5.5, 6, 7 = 4.000 s; median slippage of
--   -0.5, 0.25, 0.5, 1, 1.25, 1.5, 2, 3 = (1 + 1.25) / 2 = 1.1250 %
--   (had 6 closed before 5, the drawdown would be 50, the streaks 2 and 2: the tie matters)
--   positions opened in 24 h: #8; in 7 d: #5 #6 #7 #8 (#4, exactly 7 d ago, is not within);
--   in 30 d: all but #1 = 7
--   signals received 1 h, 23 h, 25 h, 6 d, 8 d, 29 d, 31 d ago: 2 in 24 h, 4 in 7 d, 6 in 30 d
--
-- Wallet B, losses only: -25 on 100 and -75 on 300 (both -25 %), opened 3 d ago, closed 2 d and
--   1 d ago: win rate 0, total -100 = -25.0000 %, average win 0, average loss -50, profit factor
--   0 / 100 = 0.0000, profit ratio 0 / 50 = 0.0000, expectancy -50; drawdown from the starting
--   peak 0: 100 USD, 100 / 10,000 = 1.0000 %; best -25, worst -75, both -25.0000 %; 2 losses in a
--   row; no copy figure; no signal.
--
-- Wallet C, one breakeven (0 on 100, opened 20 h ago, closed 1 h ago, fill delay 3 s): 1 closed,
--   neither won nor lost: win rate 0, PnL 0, averages 0, no profit ratio nor factor (no loss),
--   expectancy 0, no drawdown, best = worst = 0, no streak at all; median delay 3.000 s, no
--   slippage; opened within 24 h; one signal 10 d ago.
--
-- Wallet D, all opened 5 d ago on a cost of 100 each, four closed and one still open:
--   #  closed  pnl            fill delay  slippage
--   1  4 d     +10.123456789  1.0         0.10
--   2  3 d      -0.0000001    2.0         0.20
--   3  2 d     +20.123456788  3.0         0.30
--   4  1 d      -0.0000001    -           -
--   5  open                   10.0        5.00
--   W L W L: win rate 50.00; total 30.246913377 = 7.5617 % of 400; exact expectancy
--   30.246913377 / 4 = 7.56172834425 and average win 30.246913577 / 2 = 15.1234567885 (rounded to 8
--   places they would be 7.56172834 and 15.12345679), average loss -0.0000001; profit ratio
--   15.1234567885 / 0.0000001 and factor 30.246913577 / 0.0000002 (both 151,234,567.885, beyond
--   what a numeric(12, 4) could hold) are stored as they are; drawdown 0.0000001 USD (0.0000 %); best +20.123456788 (20.1235 %),
--   worst -0.0000001 (0.0000 %); current loss streak 1, longest runs 1 and 1; medians over the
--   four filled positions with figures, the open one included: delay of 1, 2, 3, 10 = 2.500 s,
--   slippage of 0.10, 0.20, 0.30, 5.00 = 0.2500 % (over the closed ones only: 2.000 s, 0.2000 %);
--   5 positions opened in 7 d and 30 d, none in 24 h; no signal.
begin;
create extension if not exists pgtap with schema extensions;
select plan(13);

-- Fixtures: tests.performance_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Capital 10,000: the base of max_drawdown_percent.
update walltrack.config set capital_usd = 10000;

do $$
begin
  perform tests.performance_wallet('A');
  perform tests.performance_wallet('B');
  perform tests.performance_wallet('C');
  perform tests.performance_wallet('D');
  perform tests.performance_position('A', 'A1', 100, '40 days', '39 days', 50, 2.0, 0.50);
  perform tests.performance_position('A', 'A2', 200, '20 days', '19 days', 70, 4.0, 1.00);
  perform tests.performance_position('A', 'A3', 200, '10 days', '9 days', -20, 3.0, -0.50);
  perform tests.performance_position('A', 'A4', 100, '7 days', '6 days', 0, 5.5, 2.00);
  -- The tie: #6 (larger id) recorded before #5.
  perform tests.performance_position('A', 'A6', 50, '3 days', '2 days', -30, 7.0, 0.25, 'c0ffee00-0000-4000-8000-00000000a006');
  perform tests.performance_position('A', 'A5', 400, '3 days', '2 days', 90, 1.0, 1.50, 'c0ffee00-0000-4000-8000-00000000a005');
  perform tests.performance_position('A', 'A7', 200, '2 days', '1 day', -40, 6.0, 3.00);
  perform tests.performance_position('A', 'A8', 100, '12 hours', '6 hours', -10, null, 1.25);
  perform tests.performance_signal('A', 'A1', '1 hour');
  perform tests.performance_signal('A', 'A2', '23 hours');
  perform tests.performance_signal('A', 'A3', '25 hours');
  perform tests.performance_signal('A', 'A4', '6 days');
  perform tests.performance_signal('A', 'A5', '8 days');
  perform tests.performance_signal('A', 'A6', '29 days');
  perform tests.performance_signal('A', 'A7', '31 days');
  perform tests.performance_position('B', 'B1', 100, '3 days', '2 days', -25);
  perform tests.performance_position('B', 'B2', 300, '3 days', '1 day', -75);
  perform tests.performance_position('C', 'C1', 100, '20 hours', '1 hour', 0, 3.0);
  perform tests.performance_signal('C', 'C1', '10 days');
  perform tests.performance_position('D', 'D1', 100, '5 days', '4 days', 10.123456789, 1.0, 0.10);
  perform tests.performance_position('D', 'D2', 100, '5 days', '3 days', -0.0000001, 2.0, 0.20);
  perform tests.performance_position('D', 'D3', 100, '5 days', '2 days', 20.123456788, 3.0, 0.30);
  perform tests.performance_position('D', 'D4', 100, '5 days', '1 day', -0.0000001);
  perform tests.performance_position('D', 'D5', 100, '5 days', fill_delay => 10.0, slippage => 5.00);
end
$$;

create view pg_temp.mine as
  select w.label, pf.* from walltrack.performance pf join walltrack.wallets w on w.id = pf.wallet_id
  where w.address like 'Test%';

select is(walltrack.refresh_performance(), (select count(*)::integer from walltrack.wallets),
  'refresh_performance writes one row per wallet and returns how many');

select results_eq(
  $$select label, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate
    from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 8, 3, 4, 1, 37.50::numeric),
           ('test perf B', 2, 0, 2, 0, 0.00),
           ('test perf C', 1, 0, 0, 1, 0.00),
           ('test perf D', 4, 2, 2, 0, 50.00)$$,
  'outcome counts (a breakeven is neither won nor lost) and win rate');
select results_eq(
  $$select label, total_pnl_usd, total_pnl_percent, expectancy_usd from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 110::numeric, 8.1481::numeric, 13.75::numeric),
           ('test perf B', -100, -25.0000, -50),
           ('test perf C', 0, 0.0000, 0),
           ('test perf D', 30.246913377, 7.5617, 7.56172834425)$$,
  'total PnL, its percent of the total cost, expectancy (exact, not rounded)');
select results_eq(
  $$select label, average_win_usd, average_loss_usd from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 70::numeric, -25::numeric),
           ('test perf B', 0, -50),
           ('test perf C', 0, 0),
           ('test perf D', 15.1234567885, -0.0000001)$$,
  'average win and loss, exact (not rounded)');
select results_eq(
  $$select label, profit_ratio, profit_factor from pg_temp.mine where losing_positions > 0 order by label$$,
  $$values ('test perf A'::text, 2.8000::numeric, 2.1000::numeric),
           ('test perf B', 0.0000, 0.0000),
           ('test perf D', 151234567.8850, 151234567.8850)$$,
  'profit ratio (average win / |average loss|) and factor (gross profit / gross loss): 0 with losses and no win,'
  || ' 151,234,567.885 beside a tiny loss, not capped');
select results_eq(
  $$select label, profit_ratio, profit_factor from pg_temp.mine where losing_positions = 0 order by label$$,
  $$values ('test perf C'::text, null::numeric, null::numeric)$$,
  'no profit ratio nor factor without a loss');
select results_eq(
  $$select label, max_drawdown_usd, max_drawdown_percent from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 80::numeric, 0.7851::numeric),
           ('test perf B', 100, 1.0000),
           ('test perf C', 0, 0.0000),
           ('test perf D', 0.0000001, 0.0000)$$,
  'max drawdown of cumulative realized PnL from its running peak (starting at 0), in USD and % of capital + peak');
select results_eq(
  $$select label, best_trade_pnl_usd, best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent
    from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 90::numeric, 50.0000::numeric, -40::numeric, -60.0000::numeric),
           ('test perf B', -25, -25.0000, -75, -25.0000),
           ('test perf C', 0, 0.0000, 0, 0.0000),
           ('test perf D', 20.123456788, 20.1235, -0.0000001, 0.0000)$$,
  'best and worst closed trade, in USD and in % of its cost');
select results_eq(
  $$select label, current_win_streak, current_loss_streak, max_win_streak, max_loss_streak
    from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 0, 3, 2, 3), ('test perf B', 0, 2, 0, 2), ('test perf C', 0, 0, 0, 0),
           ('test perf D', 0, 1, 1, 1)$$,
  'streaks in close order, the tie broken by id; a breakeven is no streak');
select results_eq(
  $$select label, median_copy_delay_seconds, median_slippage_vs_leader_percent from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 4.000::numeric, 1.1250::numeric), ('test perf B', null, null), ('test perf C', 3.000, null),
           ('test perf D', 2.500, 0.2500)$$,
  'copy quality: medians of the fill delay and the slippage against the leader over every filled position, open'
  || ' ones included (an even count interpolates)');
select results_eq(
  $$select label, signal_count_24h, signal_count_7d, signal_count_30d from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 2, 4, 6), ('test perf B', 0, 0, 0), ('test perf C', 0, 0, 1),
           ('test perf D', 0, 0, 0)$$,
  'signals received in the last 24 h, 7 d and 30 d');
select results_eq(
  $$select label, positions_24h, positions_7d, positions_30d from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, 1, 4, 7), ('test perf B', 0, 2, 2), ('test perf C', 1, 1, 1),
           ('test perf D', 0, 5, 5)$$,
  'positions opened in the last 24 h, 7 d and 30 d (one opened exactly 7 d ago is not within 7 d)');
select results_eq(
  $$select label, last_calculated_at from pg_temp.mine order by label$$,
  $$values ('test perf A'::text, now()), ('test perf B', now()), ('test perf C', now()), ('test perf D', now())$$,
  'each row says when it was calculated');

select * from finish();
rollback;
