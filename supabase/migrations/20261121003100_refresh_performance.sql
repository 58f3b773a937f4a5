-- Adds walltrack.refresh_performance (ADR-003): every wallet's performance row recomputed in one
-- set-based statement, no per-wallet loop; pg_cron runs it at 00:00 UTC and it can be called on demand.
--
-- Over each wallet's closed positions, in close order (closed_at, then id, so ties are stable):
--   wins pnl > 0, losses pnl < 0, breakeven = 0 (neither; a breakeven ends any streak)
--   win_rate = wins / total x 100; total_pnl_percent = total pnl / total entry cost x 100
--   average_win >= 0, average_loss <= 0; profit_ratio = average_win / |average_loss|;
--   profit_factor = gross profit / gross loss (both null without losses); expectancy = total / count
--   best/worst trade in USD and in % of its entry cost
--   streaks: runs of consecutive wins / losses; current = the run that ends with the latest close
--   max drawdown: the largest fall of cumulative realized PnL from its running peak (peak starts at
--   0); in % of capital + that peak
--   copy quality: exact medians over every filled position of fill delay and slippage against the
--   leader (the mean of the two middle values when their count is even)
--   rolling windows: signals received and positions opened in the last 24 h / 7 d / 30 d
-- A wallet without any closed position gets a row of zeros (and nulls where a ratio has no meaning).

-- The exact median of a sorted array of numerics without nulls: its middle value, or the mean of
-- its two middle values. Null for an empty array.
create function walltrack.median(sorted numeric[])
returns numeric
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.trim_scale((sorted[(n + 1) / 2] + sorted[n / 2 + 1]) / 2)
  from (select pg_catalog.cardinality(sorted) as n) c
  where n > 0;
$$;
comment on function walltrack.median(numeric[]) is
  'Exact median of a sorted array of numerics without nulls (the mean of the two middle values for an even count); null when empty. Feed it array_agg(x order by x) filter (where x is not null).';
revoke execute on function walltrack.median(numeric[]) from public;

create function walltrack.refresh_performance()
returns integer
language sql
set search_path = ''
as $$
  -- One sort of the closed positions (wallet, close order) serves every per-close metric: the
  -- running sum and peak (drawdown), and run boundaries (a close whose outcome differs from the one
  -- before starts a run: streaks).
  with ordered as (
    select p.wallet_id, p.closed_at, p.id, p.realized_pnl_usd as pnl, p.entry_value_usd as cost,
           p.realized_pnl_usd / nullif(p.entry_value_usd, 0) * 100 as pnl_percent,
           case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end as outcome,
           sum(p.realized_pnl_usd) over w as cumulative,
           case when (case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end)
                     is distinct from lag(case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end) over w
                then 1 else 0 end as run_start,
           row_number() over w as n
    from walltrack.positions p
    where p.status = 'closed'
    window w as (partition by p.wallet_id order by p.closed_at, p.id)
  ), marked as (
    select o.*,
           sum(o.run_start) over w as run_id,
           greatest(0, max(o.cumulative) over w) as peak
    from ordered o
    window w as (partition by o.wallet_id order by o.closed_at, o.id) -- the same order: no second sort
  ), runs as (
    select wallet_id, outcome, count(*) as length, max(n) as last_n
    from marked group by wallet_id, run_id, outcome
  ), streaks as (
    select r.wallet_id,
           coalesce(max(r.length) filter (where r.outcome = 'W'), 0) as max_win_streak,
           coalesce(max(r.length) filter (where r.outcome = 'L'), 0) as max_loss_streak,
           coalesce(max(r.length) filter (where r.outcome = 'W' and r.last_n = t.total), 0) as current_win_streak,
           coalesce(max(r.length) filter (where r.outcome = 'L' and r.last_n = t.total), 0) as current_loss_streak
    from runs r
    join (select wallet_id, max(last_n) as total from runs group by wallet_id) t on t.wallet_id = r.wallet_id
    group by r.wallet_id
  ), totals as (
    select wallet_id,
           count(*) as total,
           count(*) filter (where outcome = 'W') as wins,
           count(*) filter (where outcome = 'L') as losses,
           count(*) filter (where outcome = 'B') as breakeven,
           sum(pnl) as total_pnl,
           sum(cost) as total_cost,
           avg(pnl) filter (where outcome = 'W') as average_win,
           avg(pnl) filter (where outcome = 'L') as average_loss,
           sum(pnl) filter (where outcome = 'W') as gross_profit,
           -sum(pnl) filter (where outcome = 'L') as gross_loss,
           max(pnl) as best_usd, min(pnl) as worst_usd,
           max(pnl_percent) as best_percent, min(pnl_percent) as worst_percent,
           max(peak - cumulative) as max_drawdown_usd,
           least(100, max((peak - cumulative) / nullif((select capital_usd from walltrack.config) + peak, 0) * 100)) as max_drawdown_percent
    from marked group by wallet_id
  ), windows as (
    select w.id as wallet_id,
           coalesce(sig.s24, 0) as s24, coalesce(sig.s7, 0) as s7, coalesce(sig.s30, 0) as s30,
           coalesce(pos.p24, 0) as p24, coalesce(pos.p7, 0) as p7, coalesce(pos.p30, 0) as p30,
           pos.median_delay, pos.median_slippage
    from walltrack.wallets w
    left join (
      select wallet_id,
             count(*) filter (where webhook_received_at > pg_catalog.now() - interval '24 hours') as s24,
             count(*) filter (where webhook_received_at > pg_catalog.now() - interval '7 days') as s7,
             count(*) as s30
      from walltrack.signals where webhook_received_at > pg_catalog.now() - interval '30 days'
      group by wallet_id) sig on sig.wallet_id = w.id
    left join (
      -- One scan of every position: opened in the windows, and copy quality (medians over filled ones).
      select wallet_id,
             count(*) filter (where created_at > pg_catalog.now() - interval '24 hours') as p24,
             count(*) filter (where created_at > pg_catalog.now() - interval '7 days') as p7,
             count(*) filter (where created_at > pg_catalog.now() - interval '30 days') as p30,
             -- Exact medians of numerics (percentile_cont would compute in floating point).
             walltrack.median(pg_catalog.array_agg(fill_delay_seconds order by fill_delay_seconds)
                              filter (where fill_delay_seconds is not null)) as median_delay,
             walltrack.median(pg_catalog.array_agg(slippage_vs_leader_percent order by slippage_vs_leader_percent)
                              filter (where slippage_vs_leader_percent is not null)) as median_slippage
      from walltrack.positions
      group by wallet_id) pos on pos.wallet_id = w.id
  ), computed as (
    select w.wallet_id,
           coalesce(t.total, 0) as total_positions,
           coalesce(t.wins, 0) as winning_positions,
           coalesce(t.losses, 0) as losing_positions,
           coalesce(t.breakeven, 0) as breakeven_positions,
           coalesce(pg_catalog.round(t.wins * 100.0 / nullif(t.total, 0), 2), 0) as win_rate,
           coalesce(t.total_pnl, 0) as total_pnl_usd,
           coalesce(pg_catalog.round(t.total_pnl / nullif(t.total_cost, 0) * 100, 4), 0) as total_pnl_percent,
           coalesce(pg_catalog.trim_scale(t.average_win), 0) as average_win_usd,
           coalesce(pg_catalog.trim_scale(t.average_loss), 0) as average_loss_usd,
           -- The columns are unconstrained numeric: a tiny loss beside big wins, or one trade worth
           -- 1e8 % of its cost, is stored as it is and never overflows the refresh of every wallet.
           case when t.losses > 0 then pg_catalog.round(coalesce(t.average_win, 0) / -t.average_loss, 4) end as profit_ratio,
           case when t.losses > 0 then pg_catalog.round(coalesce(t.gross_profit, 0) / t.gross_loss, 4) end as profit_factor,
           pg_catalog.trim_scale(t.total_pnl / nullif(t.total, 0)) as expectancy_usd,
           coalesce(t.max_drawdown_usd, 0) as max_drawdown_usd,
           coalesce(pg_catalog.round(t.max_drawdown_percent, 4), 0) as max_drawdown_percent,
           w.s24, w.s7, w.s30, w.p24, w.p7, w.p30,
           t.best_usd, pg_catalog.round(t.best_percent, 4) as best_percent,
           t.worst_usd, pg_catalog.round(t.worst_percent, 4) as worst_percent,
           coalesce(k.current_win_streak, 0) as current_win_streak,
           coalesce(k.current_loss_streak, 0) as current_loss_streak,
           coalesce(k.max_win_streak, 0) as max_win_streak,
           coalesce(k.max_loss_streak, 0) as max_loss_streak,
           w.median_delay, w.median_slippage
    from windows w
    left join totals t on t.wallet_id = w.wallet_id
    left join streaks k on k.wallet_id = w.wallet_id
  ), written as (
    insert into walltrack.performance as perf (
      wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate,
      total_pnl_usd, total_pnl_percent, average_win_usd, average_loss_usd, profit_ratio, profit_factor,
      expectancy_usd, max_drawdown_usd, max_drawdown_percent, signal_count_24h, signal_count_7d,
      signal_count_30d, positions_24h, positions_7d, positions_30d, best_trade_pnl_usd,
      best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent, current_win_streak,
      current_loss_streak, max_win_streak, max_loss_streak, median_copy_delay_seconds,
      median_slippage_vs_leader_percent, last_calculated_at)
    select wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate,
           total_pnl_usd, total_pnl_percent, average_win_usd, average_loss_usd, profit_ratio, profit_factor,
           expectancy_usd, max_drawdown_usd, max_drawdown_percent, s24, s7, s30, p24, p7, p30, best_usd,
           best_percent, worst_usd, worst_percent, current_win_streak, current_loss_streak, max_win_streak,
           max_loss_streak, median_delay, median_slippage, pg_catalog.now()
    from computed
    on conflict on constraint uq_performance_wallet_id do update set
      total_positions = excluded.total_positions, winning_positions = excluded.winning_positions,
      losing_positions = excluded.losing_positions, breakeven_positions = excluded.breakeven_positions,
      win_rate = excluded.win_rate, total_pnl_usd = excluded.total_pnl_usd,
      total_pnl_percent = excluded.total_pnl_percent, average_win_usd = excluded.average_win_usd,
      average_loss_usd = excluded.average_loss_usd, profit_ratio = excluded.profit_ratio,
      profit_factor = excluded.profit_factor, expectancy_usd = excluded.expectancy_usd,
      max_drawdown_usd = excluded.max_drawdown_usd, max_drawdown_percent = excluded.max_drawdown_percent,
      signal_count_24h = excluded.signal_count_24h, signal_count_7d = excluded.signal_count_7d,
      signal_count_30d = excluded.signal_count_30d, positions_24h = excluded.positions_24h,
      positions_7d = excluded.positions_7d, positions_30d = excluded.positions_30d,
      best_trade_pnl_usd = excluded.best_trade_pnl_usd, best_trade_pnl_percent = excluded.best_trade_pnl_percent,
      worst_trade_pnl_usd = excluded.worst_trade_pnl_usd, worst_trade_pnl_percent = excluded.worst_trade_pnl_percent,
      current_win_streak = excluded.current_win_streak, current_loss_streak = excluded.current_loss_streak,
      max_win_streak = excluded.max_win_streak, max_loss_streak = excluded.max_loss_streak,
      median_copy_delay_seconds = excluded.median_copy_delay_seconds,
      median_slippage_vs_leader_percent = excluded.median_slippage_vs_leader_percent,
      last_calculated_at = excluded.last_calculated_at
    returning 1
  )
  select count(*)::integer from written;
$$;
comment on function walltrack.refresh_performance() is
  'Recomputes every wallet''s performance row in one set-based statement (win rate, PnL, averages, ratios, profit factor, expectancy, drawdown, rolling windows, best/worst, streaks, copy quality); returns the rows written. pg_cron runs it at 00:00 UTC.';
revoke execute on function walltrack.refresh_performance() from public;
