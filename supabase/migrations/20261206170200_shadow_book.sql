-- Adds the shadow book (issue 15): the tokens of BUY signals that were filtered (any reason) or not
-- taken keep being priced for config.shadow_book_hours after the signal, so every signal has a
-- price path, and two views say what each skipped signal would have made or lost under its
-- wallet's exit strategy (walltrack.replay_signal: the live exit rules over the recorded path),
-- and so what each filter saved or cost, per filter reason and per leader.

-- A skipped BUY: decided, and no position came of it (filtered, or not taken).
create function walltrack.shadow_book_tokens()
returns text[]
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(distinct s.token_address::text order by s.token_address::text), '{}')
  from walltrack.signals s cross join walltrack.config cfg
  where s.signal_type = 'BUY' and s.processed_at is not null and not s.position_created
    and s.created_at > pg_catalog.now() - pg_catalog.make_interval(hours => cfg.shadow_book_hours)
    and coalesce(s.leader_block_time, s.webhook_received_at) > pg_catalog.now() - pg_catalog.make_interval(hours => cfg.shadow_book_hours);
$$;
comment on function walltrack.shadow_book_tokens() is
  'Mints of the BUY signals filtered or not taken within config.shadow_book_hours: the price monitor prices them along with the open positions, so a skipped signal has a price path too.';
revoke execute on function walltrack.shadow_book_tokens() from public;

-- The monitor's token set: the open positions' and the shadow book's.
create function walltrack.monitored_tokens()
returns text[]
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(distinct m order by m), '{}')
  from pg_catalog.unnest(walltrack.open_position_tokens() || walltrack.shadow_book_tokens()) as m;
$$;
comment on function walltrack.monitored_tokens() is
  'What the price monitor prices: the mints of every open position (walltrack.open_position_tokens) and of the shadow book (walltrack.shadow_book_tokens).';
revoke execute on function walltrack.monitored_tokens() from public;

-- monitor_prices as in 20261121002400, plus: it also runs when only the shadow book has tokens.
create or replace function walltrack.monitor_prices()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.positions where status = 'open')
     and pg_catalog.cardinality(walltrack.shadow_book_tokens()) = 0 then
    return null;
  end if;
  -- Positions whose price stopped moving are judged again even when no new price comes.
  perform walltrack.reevaluate_stale_exits();
  return walltrack.invoke_edge_function('price-monitor', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.monitor_prices() is
  'pg_cron job: evaluates the exits of positions whose price stopped moving (walltrack.reevaluate_stale_exits) and asks the price-monitor function to reprice open positions; does nothing when none is open and the shadow book prices no token.';
revoke execute on function walltrack.monitor_prices() from public;

create index idx_signals_skipped_buys on walltrack.signals (created_at)
  where signal_type = 'BUY' and not position_created;

create view walltrack.shadow_book with (security_invoker = true) as
select s.id as signal_id,
       w.address as wallet_address,
       w.label as wallet_label,
       s.token_address,
       coalesce(s.filter_reason, 'not_taken') as filter_reason,
       coalesce(s.leader_block_time, s.webhook_received_at) as signal_at,
       es.name as exit_strategy,
       s.price_usd as leader_price_usd,
       r.entry_price as would_have_entry_usd,
       r.outcome as would_have_outcome,
       r.closed_at as would_have_closed_at,
       pg_catalog.round(r.pnl_ratio * 100, 4) as would_have_pnl_percent,
       pg_catalog.round(walltrack.position_size_usd(s, cfg, coalesce(s.sol_usd_price, cfg.sol_usd_price)) * r.pnl_ratio, 2)
         as would_have_pnl_usd,
       window_end.at_time as priced_until
from walltrack.signals s
cross join walltrack.config cfg
join walltrack.wallets w on w.id = s.wallet_id
join walltrack.exit_strategies es on es.id = w.exit_strategy_id
cross join lateral (select least(coalesce(s.leader_block_time, s.webhook_received_at)
                                 + pg_catalog.make_interval(hours => cfg.shadow_book_hours), pg_catalog.now()) as at_time) window_end
left join lateral walltrack.replay_signal(s, walltrack.effective_exit_strategy(w.exit_strategy_id), window_end.at_time,
                                          0, cfg.simulation_slippage_percent) r on true
where s.signal_type = 'BUY' and s.processed_at is not null and not s.position_created;
comment on view walltrack.shadow_book is
  'Every BUY signal filtered or not taken, with what it would have made or lost under its wallet''s exit strategy over the recorded prices of config.shadow_book_hours after it (walltrack.replay_signal: the live exit rules, the simulation slippage, no latency); would_have_* null when no price was known; would_have_outcome open when still held at the end of the window.';

create view walltrack.shadow_book_by_filter with (security_invoker = true) as
select b.filter_reason,
       b.wallet_address,
       b.wallet_label,
       count(*) as skipped_buys,
       count(b.would_have_pnl_usd) as priced,
       count(*) filter (where b.would_have_pnl_usd > 0) as would_have_won,
       count(*) filter (where b.would_have_pnl_usd < 0) as would_have_lost,
       coalesce(pg_catalog.sum(b.would_have_pnl_usd), 0) as would_have_pnl_usd,
       -coalesce(pg_catalog.sum(b.would_have_pnl_usd), 0) as filter_saved_usd
from walltrack.shadow_book b
group by b.filter_reason, b.wallet_address, b.wallet_label;
comment on view walltrack.shadow_book_by_filter is
  'What each filter saved or cost, per filter reason and per leader: the skipped BUYs, how many would have won or lost, their would-have PnL (USD, at the size the sizing rule gives) and filter_saved_usd (its opposite: positive when the filter kept us out of losses).';

-- For the lead's status_summary: the shadow book at a glance.
create function walltrack.shadow_book_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'tokens_priced', pg_catalog.cardinality(walltrack.shadow_book_tokens()),
    'window_hours', (select c.shadow_book_hours from walltrack.config c),
    'skipped_buys_24h', (select count(*) from walltrack.signals s
                         where s.signal_type = 'BUY' and s.processed_at is not null and not s.position_created
                           and s.created_at > pg_catalog.now() - interval '24 hours'));
$$;
comment on function walltrack.shadow_book_status() is
  'The shadow book at a glance (jsonb): tokens it prices now, its window in hours, BUYs skipped in 24 h. For status_summary.';
revoke execute on function walltrack.shadow_book_status() from public;

revoke all on walltrack.shadow_book, walltrack.shadow_book_by_filter from public, anon, authenticated;
grant select on walltrack.shadow_book, walltrack.shadow_book_by_filter to service_role;
revoke insert, update, delete, truncate on walltrack.shadow_book, walltrack.shadow_book_by_filter from service_role;
