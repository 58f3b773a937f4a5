-- Adds leader copyability (issue 15): "is this trader good" is not "can you copy it". For every
-- trade we copied, the leader's own return (their BUY price, and the price of their next SELL of
-- the token, or the token's latest recorded price while they hold) next to ours on the same trade
-- (realized + unrealized over what we paid), with the delay and the slippage we had
-- (walltrack.copied_trades). Per leader (walltrack.refresh_copyability, its own daily job, into
-- columns of walltrack.performance that refresh_performance does not write): the leader's mean
-- return, the retained edge (our mean return on their trades: what is left of their edge after
-- delay, slippage and our exits), and the copyability score, the retained edge shrunk toward 0 by
-- five trades' worth of doubt so that two lucky trades do not outrank thirty good ones. A leader
-- whose retained edge is negative over at least config.do_not_copy_min_trades trades is flagged
-- do_not_copy. The leaderboard ranks by the score.

alter table walltrack.config
  add column do_not_copy_min_trades integer not null default 10
    constraint config_do_not_copy_min_trades_check check (do_not_copy_min_trades between 1 and 1000);
comment on column walltrack.config.do_not_copy_min_trades is
  'How many copied trades it takes before a leader with a negative retained edge is flagged do_not_copy (walltrack.performance, default 10).';

alter table walltrack.performance
  add column copied_trades integer not null default 0 constraint performance_copied_trades_check check (copied_trades >= 0),
  add column leader_return_percent numeric,
  add column retained_edge_percent numeric,
  add column copyability_score numeric,
  add column do_not_copy boolean not null default false,
  add column copyability_calculated_at timestamptz;
comment on column walltrack.performance.copied_trades is 'Trades of this leader we copied and entered (walltrack.refresh_copyability).';
comment on column walltrack.performance.leader_return_percent is 'The leader''s own mean return on the trades we copied: their SELL price (or the latest price while they hold) over their BUY price.';
comment on column walltrack.performance.retained_edge_percent is 'Our mean return on the same trades (realized + unrealized over cost): the leader''s edge that survives our delay, slippage and exits. Negative: copying this leader loses money.';
comment on column walltrack.performance.copyability_score is 'Retained edge shrunk toward 0 by 5 trades of doubt: sum of our returns (percent) / (copied trades + 5). The leaderboard ranks by it.';
comment on column walltrack.performance.do_not_copy is 'True when the retained edge is negative over at least config.do_not_copy_min_trades copied trades.';
comment on column walltrack.performance.copyability_calculated_at is 'When walltrack.refresh_copyability last computed these columns.';

-- Every trade we copied and entered, the leader's return next to ours.
create view walltrack.copied_trades with (security_invoker = true) as
select p.id as position_id,
       w.id as wallet_id,
       w.address as wallet_address,
       w.label as wallet_label,
       t.address as token_address,
       s.price_usd as leader_buy_usd,
       coalesce(sell.price_usd, walltrack.price_at(t.address, 'infinity')) as leader_exit_usd,
       sell.price_usd is not null as leader_sold,
       pg_catalog.round((coalesce(sell.price_usd, walltrack.price_at(t.address, 'infinity')) / s.price_usd - 1) * 100, 4)
         as leader_return_percent,
       p.entry_price,
       p.status,
       pg_catalog.round(p.current_pnl_usd / p.entry_value_usd * 100, 4) as our_return_percent,
       p.fill_delay_seconds,
       p.slippage_vs_leader_percent
from walltrack.positions p
join walltrack.signals s on s.id = p.signal_id and s.signal_type = 'BUY' and s.price_usd is not null
join walltrack.wallets w on w.id = p.wallet_id
join walltrack.tokens t on t.id = p.token_id
left join lateral (
  select x.price_usd from walltrack.signals x
  where x.wallet_id = s.wallet_id and x.token_address = s.token_address and x.signal_type = 'SELL' and x.price_usd is not null
    and coalesce(x.leader_block_time, x.webhook_received_at) > coalesce(s.leader_block_time, s.webhook_received_at)
  order by coalesce(x.leader_block_time, x.webhook_received_at) limit 1) sell on true
where p.entry_value_usd is not null;
comment on view walltrack.copied_trades is
  'Every trade we copied and entered: the leader''s BUY price and exit (their next SELL of the token, or the latest recorded price while they hold: leader_sold false), their return, ours on the same trade (realized + unrealized over cost), our fill delay and slippage versus the leader.';

-- Writes the copyability columns of every performance row (a wallet without copied trades gets
-- 0 trades and nulls); returns how many rows it wrote. Daily job walltrack-refresh-copyability,
-- after refresh_performance, and on demand.
create function walltrack.refresh_copyability()
returns integer
language sql
set search_path = ''
as $$
  with per_leader as (
    select c.wallet_id, count(*)::integer as trades,
           pg_catalog.avg(c.leader_return_percent) as leader_return,
           pg_catalog.avg(c.our_return_percent) as retained,
           pg_catalog.sum(c.our_return_percent) / (count(*) + 5) as score
    from walltrack.copied_trades c group by c.wallet_id
  ), written as (
    update walltrack.performance pf
       set copied_trades = coalesce(l.trades, 0),
           leader_return_percent = pg_catalog.round(l.leader_return, 4),
           retained_edge_percent = pg_catalog.round(l.retained, 4),
           copyability_score = pg_catalog.round(l.score, 4),
           do_not_copy = coalesce(l.trades >= cfg.do_not_copy_min_trades and l.retained < 0, false),
           copyability_calculated_at = pg_catalog.now()
      from walltrack.config cfg, walltrack.performance p2
      left join per_leader l on l.wallet_id = p2.wallet_id
     where p2.id = pf.id
    returning 1
  )
  select count(*)::integer from written;
$$;
comment on function walltrack.refresh_copyability() is
  'Leader copyability into walltrack.performance (copied_trades, leader_return_percent, retained_edge_percent, copyability_score, do_not_copy) from walltrack.copied_trades; returns the rows written. Daily after refresh_performance, and on demand.';
revoke execute on function walltrack.refresh_copyability() from public;

-- For the lead's status_summary.
create function walltrack.copyability_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'leaders_scored', count(*) filter (where pf.copied_trades > 0),
    'do_not_copy', coalesce(pg_catalog.jsonb_agg(w.address order by w.address) filter (where pf.do_not_copy), '[]'::jsonb),
    'calculated_at', pg_catalog.max(pf.copyability_calculated_at))
  from walltrack.performance pf join walltrack.wallets w on w.id = pf.wallet_id;
$$;
comment on function walltrack.copyability_status() is
  'Leader copyability at a glance (jsonb): leaders with copied trades, those flagged do_not_copy, when it was last computed. For status_summary.';
revoke execute on function walltrack.copyability_status() from public;

-- The leaderboard as in 20261121003300, ranked by copyability (then realized PnL), with the
-- copyability columns appended.
create or replace view walltrack.wallet_leaderboard with (security_invoker = true) as
select w.label as wallet, w.address, w.mode, w.is_active, pf.total_positions, pf.win_rate, pf.total_pnl_usd,
       pf.total_pnl_percent, pf.profit_factor, pf.expectancy_usd, pf.max_drawdown_usd, pf.best_trade_pnl_usd,
       pf.worst_trade_pnl_usd, pf.current_win_streak, pf.current_loss_streak, pf.signal_count_7d,
       pf.median_copy_delay_seconds, pf.last_calculated_at,
       rank() over (order by pf.copyability_score desc nulls last, pf.total_pnl_usd desc) as rank,
       pf.copied_trades, pf.leader_return_percent, pf.retained_edge_percent, pf.copyability_score,
       pf.median_slippage_vs_leader_percent, pf.do_not_copy
from walltrack.performance pf join walltrack.wallets w on w.id = pf.wallet_id;
comment on view walltrack.wallet_leaderboard is
  'Wallets ranked by copyability (what we keep of their edge, walltrack.refresh_copyability), then realized PnL, from the daily performance rows; do_not_copy flags a negative retained edge over config.do_not_copy_min_trades trades.';

revoke all on walltrack.copied_trades from public, anon, authenticated;
grant select on walltrack.copied_trades to service_role;
revoke insert, update, delete, truncate on walltrack.copied_trades from service_role;
