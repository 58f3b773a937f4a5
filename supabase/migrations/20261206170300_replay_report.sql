-- Adds the replay report behind `npm run replay` (issue 15): the BUY signals that opened a position
-- since a moment, replayed through each exit template over the recorded prices
-- (walltrack.replay_signal: the live exit rules), at the position's real size, with an entry
-- latency and a slippage of the operator's choosing; per template and per leader: trades, win rate,
-- PnL, profit factor, max drawdown, and the difference from what the positions really made.

-- One row per (template, leader) and one per template over every leader (wallet_address null).
--   pnl_usd           sum over trades of entry_value_usd x pnl_ratio (what is still held counts at its last price)
--   profit_factor     gross profit / gross loss (null without a losing trade)
--   max_drawdown_usd  deepest fall of the running PnL from its peak, trades taken in the order they end
--   actual_pnl_usd    what the same positions made (realized + unrealized); difference_usd = pnl_usd - actual_pnl_usd
create function walltrack.replay_report(strategy_name text default null, since interval default '7 days',
                                        wallet text default null, latency_seconds numeric default 0,
                                        slippage_percent numeric default null)
returns table (exit_strategy text, wallet_address text, wallet_label text, trades bigint, wins bigint,
               win_rate_percent numeric, pnl_usd numeric, profit_factor numeric, max_drawdown_usd numeric,
               actual_pnl_usd numeric, difference_usd numeric)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
begin
  if replay_report.strategy_name is not null and not exists (select 1 from walltrack.exit_strategies es where es.name = strategy_name) then
    raise exception 'no exit strategy named %', replay_report.strategy_name
      using errcode = 'no_data_found', hint = 'see select name from walltrack.exit_strategies';
  end if;
  if replay_report.latency_seconds < 0 or replay_report.slippage_percent < 0 or replay_report.slippage_percent >= 100 then
    raise exception 'latency must be >= 0 seconds and slippage in [0, 100) percent (got %, %)',
      replay_report.latency_seconds, replay_report.slippage_percent
      using errcode = 'invalid_parameter_value';
  end if;
  return query
  with trades as (
    select es.name as template, w.address::text as wallet, w.label, p.entry_value_usd as size_usd,
           p.current_pnl_usd as actual_usd,
           p.entry_value_usd * r.pnl_ratio as replay_usd,
           coalesce(r.closed_at, pg_catalog.now()) as ended_at, s.id as signal_id
    from walltrack.signals s
    join walltrack.positions p on p.signal_id = s.id and p.entry_value_usd is not null
    join walltrack.wallets w on w.id = s.wallet_id
    cross join walltrack.config cfg
    join walltrack.exit_strategies es on (replay_report.strategy_name is null and es.is_active) or es.name = replay_report.strategy_name
    cross join lateral walltrack.replay_signal(s, walltrack.effective_exit_strategy(es.id), pg_catalog.now(),
                                               replay_report.latency_seconds,
                                               coalesce(replay_report.slippage_percent, cfg.simulation_slippage_percent)) r
    where s.signal_type = 'BUY'
      and coalesce(s.leader_block_time, s.webhook_received_at) >= pg_catalog.now() - replay_report.since
      and (replay_report.wallet is null or w.address = replay_report.wallet)
  ), scoped as (
    -- Each trade in its template's series and in its (template, leader) series.
    select t.*, x.per_leader from trades t cross join (values (true), (false)) as x(per_leader)
  ), running as (
    select sc.*, sum(sc.replay_usd) over w as cumulative
    from scoped sc
    window w as (partition by sc.template, sc.per_leader, case when sc.per_leader then sc.wallet end
                 order by sc.ended_at, sc.signal_id rows unbounded preceding)
  ), drawdowns as (
    select ru.*, greatest(0, max(ru.cumulative) over w) - ru.cumulative as drawdown
    from running ru
    window w as (partition by ru.template, ru.per_leader, case when ru.per_leader then ru.wallet end
                 order by ru.ended_at, ru.signal_id rows unbounded preceding)
  )
  select d.template, case when d.per_leader then d.wallet end, case when d.per_leader then min(d.label) end,
         count(*), count(*) filter (where d.replay_usd > 0),
         pg_catalog.round(100.0 * count(*) filter (where d.replay_usd > 0) / count(*), 2),
         pg_catalog.round(sum(d.replay_usd), 2),
         pg_catalog.round(sum(d.replay_usd) filter (where d.replay_usd > 0)
                          / nullif(-sum(d.replay_usd) filter (where d.replay_usd < 0), 0), 4),
         pg_catalog.round(max(d.drawdown), 2),
         pg_catalog.round(sum(d.actual_usd), 2),
         pg_catalog.round(sum(d.replay_usd) - sum(d.actual_usd), 2)
  from drawdowns d
  group by d.template, d.per_leader, case when d.per_leader then d.wallet end
  order by d.template, d.per_leader, case when d.per_leader then d.wallet end;
end;
$$;
comment on function walltrack.replay_report(text, interval, text, numeric, numeric) is
  'npm run replay: the BUY signals that opened a position since `since` (of one wallet, or all), replayed through one exit template or every active one (walltrack.replay_signal, the live exit rules) at the position''s size, entry latency and slippage (default: config.simulation_slippage_percent); per template and leader (and per template over all leaders, wallet_address null): trades, wins, win rate, PnL, profit factor, max drawdown, what really happened and the difference.';
revoke execute on function walltrack.replay_report(text, interval, text, numeric, numeric) from public;
