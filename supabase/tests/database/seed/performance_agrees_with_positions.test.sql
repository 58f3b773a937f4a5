-- Each wallet's performance row (written by walltrack.refresh_performance at the end of the seed)
-- is what the refresh computes from that wallet's closed positions at last_calculated_at
-- (ADR-003): outcome counts and win rate, PnL totals, exact averages (not rounded), profit ratio
-- and factor (0 with losses and no win, capped at 99999999.9999, none without a loss), exact
-- expectancy, drawdown of cumulative realized PnL, best and worst trade, streaks in close order;
-- exact median copy quality over every filled position, open ones included; and, for the rolling
-- windows, the signals received and positions opened in the 24 h / 7 d / 30 d before it. Every
-- value is recomputed here.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

create temp table closed as
select p.wallet_id, p.closed_at, p.realized_pnl_usd as pnl, p.entry_value_usd as cost,
       sign(p.realized_pnl_usd)::integer as outcome, p.fill_delay_seconds, p.slippage_vs_leader_percent,
       sum(p.realized_pnl_usd) over (partition by p.wallet_id order by p.closed_at) as cumulative
from walltrack.positions p
where p.status = 'closed';

create temp table expected as
select w.id as wallet_id,
       k.total::integer as total_positions,
       k.wins::integer as winning_positions,
       k.losses::integer as losing_positions,
       k.breakeven::integer as breakeven_positions,
       case when k.total > 0 then round(k.wins::numeric / k.total * 100, 2) else 0 end as win_rate,
       k.total_pnl as total_pnl_usd,
       case when k.cost > 0 then round(k.total_pnl / k.cost * 100, 4) else 0 end as total_pnl_percent,
       coalesce(k.average_win, 0) as average_win_usd,
       coalesce(k.average_loss, 0) as average_loss_usd,
       case when k.losses > 0 then least(round(coalesce(k.average_win, 0) / -k.average_loss, 4), 99999999.9999) end
         as profit_ratio,
       case when k.losses > 0 then least(round(k.gross_profit / -k.gross_loss, 4), 99999999.9999) end as profit_factor,
       case when k.total > 0 then k.total_pnl / k.total end as expectancy_usd,
       d.max_drawdown_usd, d.max_drawdown_percent,
       k.best_trade_pnl_usd, k.best_trade_pnl_percent, k.worst_trade_pnl_usd, k.worst_trade_pnl_percent,
       st.current_win_streak, st.current_loss_streak, st.max_win_streak, st.max_loss_streak,
       cq.median_copy_delay_seconds, cq.median_slippage_vs_leader_percent,
       win.signal_count_24h, win.signal_count_7d, win.signal_count_30d,
       win.positions_24h, win.positions_7d, win.positions_30d
from walltrack.wallets w
join walltrack.performance pf on pf.wallet_id = w.id
cross join walltrack.config cfg
cross join lateral (
  select count(*) as total,
         count(*) filter (where c.pnl > 0) as wins,
         count(*) filter (where c.pnl < 0) as losses,
         count(*) filter (where c.pnl = 0) as breakeven,
         coalesce(sum(c.pnl), 0) as total_pnl,
         sum(c.cost) as cost,
         avg(c.pnl) filter (where c.pnl > 0) as average_win,
         avg(c.pnl) filter (where c.pnl < 0) as average_loss,
         coalesce(sum(c.pnl) filter (where c.pnl > 0), 0) as gross_profit,
         sum(c.pnl) filter (where c.pnl < 0) as gross_loss,
         max(c.pnl) as best_trade_pnl_usd,
         round(max(c.pnl / c.cost * 100), 4) as best_trade_pnl_percent,
         min(c.pnl) as worst_trade_pnl_usd,
         round(min(c.pnl / c.cost * 100), 4) as worst_trade_pnl_percent
  from closed c
  where c.wallet_id = w.id
) k
cross join lateral (
  -- Copy quality: over every filled position of the wallet, open ones included. Exact medians: the
  -- mean of the middle value(s) in rank order, no floating point.
  select (select avg(d) from (select p.fill_delay_seconds as d, row_number() over (order by p.fill_delay_seconds) as r,
                                     count(*) over () as n
                                from walltrack.positions p
                               where p.wallet_id = w.id and p.entry_amount is not null and p.fill_delay_seconds is not null) x
           where r in ((n + 1) / 2, n / 2 + 1)) as median_copy_delay_seconds,
         (select avg(v) from (select p.slippage_vs_leader_percent as v, row_number() over (order by p.slippage_vs_leader_percent) as r,
                                     count(*) over () as n
                                from walltrack.positions p
                               where p.wallet_id = w.id and p.entry_amount is not null and p.slippage_vs_leader_percent is not null) x
           where r in ((n + 1) / 2, n / 2 + 1)) as median_slippage_vs_leader_percent
) cq
cross join lateral (
  select coalesce(max(r.peak - r.cumulative), 0) as max_drawdown_usd,
         coalesce(round(max((r.peak - r.cumulative) / (cfg.capital_usd + r.peak) * 100), 4), 0)
           as max_drawdown_percent
  from (select c.cumulative, greatest(0, max(c.cumulative) over (order by c.closed_at)) as peak
        from closed c where c.wallet_id = w.id) r
) d
cross join lateral (
  select coalesce(max(runs.length) filter (where runs.outcome = 1 and runs.is_last), 0)::integer as current_win_streak,
         coalesce(max(runs.length) filter (where runs.outcome = -1 and runs.is_last), 0)::integer as current_loss_streak,
         coalesce(max(runs.length) filter (where runs.outcome = 1), 0)::integer as max_win_streak,
         coalesce(max(runs.length) filter (where runs.outcome = -1), 0)::integer as max_loss_streak
  from (select i.outcome, count(*) as length,
               max(i.closed_at) = (select max(c.closed_at) from closed c where c.wallet_id = w.id) as is_last
        from (select c.outcome, c.closed_at,
                     row_number() over (order by c.closed_at)
                     - row_number() over (partition by c.outcome order by c.closed_at) as island
              from closed c where c.wallet_id = w.id) i
        group by i.outcome, i.island) runs
) st
cross join lateral (
  select count(*) filter (where s.created_at > pf.last_calculated_at - interval '24 hours')::integer as signal_count_24h,
         count(*) filter (where s.created_at > pf.last_calculated_at - interval '7 days')::integer as signal_count_7d,
         count(*) filter (where s.created_at > pf.last_calculated_at - interval '30 days')::integer as signal_count_30d,
         (select count(*) filter (where p.created_at > pf.last_calculated_at - interval '24 hours')
            from walltrack.positions p where p.wallet_id = w.id and p.created_at <= pf.last_calculated_at)::integer
           as positions_24h,
         (select count(*) filter (where p.created_at > pf.last_calculated_at - interval '7 days')
            from walltrack.positions p where p.wallet_id = w.id and p.created_at <= pf.last_calculated_at)::integer
           as positions_7d,
         (select count(*) filter (where p.created_at > pf.last_calculated_at - interval '30 days')
            from walltrack.positions p where p.wallet_id = w.id and p.created_at <= pf.last_calculated_at)::integer
           as positions_30d
  from walltrack.signals s
  where s.wallet_id = w.id and s.created_at <= pf.last_calculated_at
) win;

select results_eq(
  $$ select wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate
     from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate
     from expected order by wallet_id $$,
  'outcome counts and win rate are those of each wallet''s closed positions');

select results_eq(
  $$ select wallet_id, total_pnl_usd, total_pnl_percent, expectancy_usd from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, total_pnl_usd, total_pnl_percent, expectancy_usd from expected order by wallet_id $$,
  'total PnL, its percent of the cost and the expectancy add up the closed positions');

select results_eq(
  $$ select wallet_id, average_win_usd, average_loss_usd from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, average_win_usd, average_loss_usd from expected order by wallet_id $$,
  'average win and loss, exact');

select results_eq(
  $$ select wallet_id, profit_ratio, profit_factor from walltrack.performance where losing_positions > 0
     order by wallet_id $$,
  $$ select wallet_id, profit_ratio::numeric(12, 4), profit_factor::numeric(12, 4) from expected
     where losing_positions > 0 order by wallet_id $$,
  'profit ratio and profit factor of the wallets with a loss (0 with no win)');

select results_eq(
  $$ select wallet_id, profit_ratio, profit_factor from walltrack.performance where losing_positions = 0
     order by wallet_id $$,
  $$ select wallet_id, profit_ratio::numeric(12, 4), profit_factor::numeric(12, 4) from expected
     where losing_positions = 0 order by wallet_id $$,
  'no profit ratio nor factor for the wallets without a loss');

select results_eq(
  $$ select wallet_id, max_drawdown_usd, max_drawdown_percent from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, max_drawdown_usd, max_drawdown_percent::numeric(7, 4) from expected order by wallet_id $$,
  'max drawdown of cumulative realized PnL, in USD and against capital plus the running peak');

select results_eq(
  $$ select wallet_id, best_trade_pnl_usd, best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent
     from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, best_trade_pnl_usd, best_trade_pnl_percent::numeric(12, 4), worst_trade_pnl_usd,
            worst_trade_pnl_percent::numeric(12, 4)
     from expected order by wallet_id $$,
  'best and worst closed trade, in USD and percent');

select results_eq(
  $$ select wallet_id, current_win_streak, current_loss_streak, max_win_streak, max_loss_streak
     from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, current_win_streak, current_loss_streak, max_win_streak, max_loss_streak
     from expected order by wallet_id $$,
  'win and loss streaks in close order');

select results_eq(
  $$ select wallet_id, median_copy_delay_seconds, median_slippage_vs_leader_percent
     from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, median_copy_delay_seconds, median_slippage_vs_leader_percent
     from expected order by wallet_id $$,
  'median copy delay and slippage vs the leader of every filled position, open ones included');

select results_eq(
  $$ select wallet_id, signal_count_24h, signal_count_7d, signal_count_30d from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, signal_count_24h, signal_count_7d, signal_count_30d from expected order by wallet_id $$,
  'signals received in the last 24 h, 7 d and 30 d');

select results_eq(
  $$ select wallet_id, positions_24h, positions_7d, positions_30d from walltrack.performance order by wallet_id $$,
  $$ select wallet_id, positions_24h, positions_7d, positions_30d from expected order by wallet_id $$,
  'positions opened in the last 24 h, 7 d and 30 d');

select is(
  (select sum(total_positions)::integer from walltrack.performance),
  (select count(*)::integer from walltrack.positions where status = 'closed'),
  'the performance rows together count every closed position once');

select * from finish();
rollback;
