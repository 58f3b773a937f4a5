-- A wallet without any closed position gets a row of zeros from walltrack.refresh_performance
-- (and nulls where a ratio or an extreme has no meaning), whatever its row said before:
--   Z  no position, no signal; its row was stale (3 closed, +50 USD, ...): now all zeros
--   O  a position open (filled) 2 h ago, one whose entry never filled (error) 1 h ago, two signals
--      in the last hour: no closed position either, only its rolling windows count, and its copy
--      quality, taken over every filled position (the open one: 3 s, 1 %)
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.performance_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Capital 10,000: the base of max_drawdown_percent.
update walltrack.config set capital_usd = 10000;

do $$
begin
  perform tests.performance_wallet('Z');
  perform tests.performance_wallet('O');
  perform tests.performance_position('O', 'Open', 500, '2 hours', fill_delay => 3.0, slippage => 1.0);
  perform tests.performance_signal('O', 'S1', '30 minutes');
  perform tests.performance_signal('O', 'S2', '50 minutes');
end
$$;
insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, status, created_at)
select w.id, t.id, 'simulation', w.exit_strategy_id, 'error', now() - interval '1 hour'
from walltrack.wallets w, walltrack.tokens t
where w.address = tests.addr('WaO') and t.address = tests.addr('TkOpen');
insert into walltrack.performance (
  wallet_id, total_positions, winning_positions, losing_positions, win_rate, total_pnl_usd, total_pnl_percent,
  average_win_usd, average_loss_usd, profit_ratio, profit_factor, expectancy_usd, max_drawdown_usd,
  max_drawdown_percent, signal_count_24h, signal_count_7d, signal_count_30d, positions_24h, positions_7d,
  positions_30d, best_trade_pnl_usd, best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent,
  current_win_streak, max_win_streak, max_loss_streak, median_copy_delay_seconds,
  median_slippage_vs_leader_percent, last_calculated_at)
values (tests.performance_wid('Z'), 3, 2, 1, 66.67, 50, 10, 40, -30, 1.3333, 2.6667, 16.67, 30, 0.3, 1, 2, 3, 1, 2, 3,
        40, 40, -30, -30, 1, 1, 1, 2.5, 0.5, now() - interval '1 day');

select is(walltrack.refresh_performance(), (select count(*)::integer from walltrack.wallets), 'the refresh runs');

select results_eq(
  $$select total_positions, winning_positions, losing_positions, breakeven_positions, win_rate, total_pnl_usd,
           total_pnl_percent, average_win_usd, average_loss_usd, expectancy_usd, max_drawdown_usd, max_drawdown_percent
    from walltrack.performance where wallet_id = tests.performance_wid('Z')$$,
  $$values (0, 0, 0, 0, 0.00::numeric, 0::numeric, 0.0000::numeric, 0::numeric, 0::numeric, null::numeric,
            0::numeric, 0.0000::numeric)$$,
  'Z: no closed position, zero counts and PnL, no expectancy, no drawdown (the stale values are gone)');
select results_eq(
  $$select w.label, pf.profit_ratio, pf.profit_factor from walltrack.performance pf
    join walltrack.wallets w on w.id = pf.wallet_id
    where pf.wallet_id in (tests.performance_wid('O'), tests.performance_wid('Z')) order by w.label$$,
  $$values ('test perf O'::text, null::numeric, null::numeric), ('test perf Z', null, null)$$,
  'Z and O: no profit ratio nor factor without a closed position (the stale ratios are gone)');
select results_eq(
  $$select signal_count_24h, signal_count_7d, signal_count_30d, positions_24h, positions_7d, positions_30d,
           best_trade_pnl_usd, best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent,
           current_win_streak, current_loss_streak, max_win_streak, max_loss_streak,
           median_copy_delay_seconds, median_slippage_vs_leader_percent, last_calculated_at
    from walltrack.performance where wallet_id = tests.performance_wid('Z')$$,
  $$values (0, 0, 0, 0, 0, 0, null::numeric, null::numeric, null::numeric, null::numeric, 0, 0, 0, 0,
            null::numeric, null::numeric, now())$$,
  'Z: no signal, no position, no best or worst trade, no streak, no copy figure; calculated now');
select results_eq(
  $$select total_positions, winning_positions, losing_positions, breakeven_positions, win_rate, total_pnl_usd,
           total_pnl_percent, average_win_usd, average_loss_usd, expectancy_usd,
           max_drawdown_usd, max_drawdown_percent, best_trade_pnl_usd, worst_trade_pnl_usd,
           current_win_streak, current_loss_streak, max_win_streak, max_loss_streak
    from walltrack.performance where wallet_id = tests.performance_wid('O')$$,
  $$values (0, 0, 0, 0, 0.00::numeric, 0::numeric, 0.0000::numeric, 0::numeric, 0::numeric, null::numeric,
            0::numeric, 0.0000::numeric, null::numeric, null::numeric, 0, 0, 0, 0)$$,
  'O: open and failed positions are not closed ones: zeros as for Z');
select results_eq(
  $$select signal_count_24h, signal_count_7d, signal_count_30d, positions_24h, positions_7d, positions_30d
    from walltrack.performance where wallet_id = tests.performance_wid('O')$$,
  $$values (2, 2, 2, 2, 2, 2)$$,
  'O: its rolling windows count its two signals and both positions opened');
select results_eq(
  $$select median_copy_delay_seconds, median_slippage_vs_leader_percent
    from walltrack.performance where wallet_id = tests.performance_wid('O')$$,
  $$values (3.000::numeric, 1.0000::numeric)$$,
  'O: copy quality is over every filled position, the open one included (the unfilled one has no figure)');
select is((select count(*)::integer from walltrack.performance where wallet_id in (tests.performance_wid('Z'), tests.performance_wid('O'))),
  2, 'one row each');

select * from finish();
rollback;
