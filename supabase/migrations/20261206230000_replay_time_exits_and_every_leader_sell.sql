-- The replay (npm run replay, the shadow book, copyability) follows two more live rules:
-- * the time exit: a strategy's max_hold_minutes sells everything that long after the entry, at the
--   price in force then (reason time), as walltrack.max_hold_reached does live;
-- * every SELL of the leader, not only the first: each one is a mirror exit of the position's
--   mirror lot (mirror_share_percent of the entry, less what mirror exits sold), full (the whole
--   lot) or proportional (the leader's exact fraction of it, walltrack.proportional_mirror_amount,
--   from the balances walltrack.leader_sell_balances recorded; the strategy's fallback when they are
--   unknown: full, or none), as walltrack.mirror_exit does live. Before, the first SELL sold
--   everything whatever the mode.
-- replay_trade keeps its arguments and gains mirror_sells (jsonb, [{at, held_before_raw,
-- held_after_raw}] in time order); with it null, mirror_at is one SELL of the leader's whole bag.
-- Amounts are shares of the position (1 = all of it), so the proportional rounding is to 18 places.

drop function walltrack.replay_trade(text, timestamptz, numeric, jsonb, timestamptz, numeric, timestamptz, numeric, uuid);

create function walltrack.replay_trade(token_address text, entry_at timestamptz, entry_price numeric, strategy jsonb,
                                       until timestamptz, slippage_percent numeric, mirror_at timestamptz default null,
                                       amount numeric default 1, token_id uuid default null, mirror_sells jsonb default null)
returns table (exit_at timestamptz, exit_reason text, exit_amount numeric, exit_price numeric)
language plpgsql
stable
set search_path = ''
as $$
declare
  pos walltrack.positions;
  tick record;
  due record;
  full_exit text;
  last_at timestamptz := entry_at;
  mode text := walltrack.mirror_mode(strategy);
  share numeric := coalesce((strategy ->> 'mirror_share_percent')::numeric, 100);
  mirrored numeric := 0;
  sells jsonb := case when mirror_sells is not null then mirror_sells
                      when mirror_at is not null then pg_catalog.jsonb_build_array(
                        pg_catalog.jsonb_build_object('at', mirror_at, 'held_before_raw', 1, 'held_after_raw', 0))
                      else '[]'::jsonb end;
  next_sell integer := 0;
  sell_at timestamptz;
  time_at timestamptz := entry_at + pg_catalog.make_interval(mins => (strategy ->> 'max_hold_minutes')::integer);
  event_at timestamptz;
  lot numeric;
  sold numeric;
  price numeric;
begin
  pos.token_id := replay_trade.token_id;
  pos.entry_price := replay_trade.entry_price;
  pos.entry_amount := amount;
  pos.current_amount := amount;
  pos.current_price := replay_trade.entry_price;
  pos.peak_price := replay_trade.entry_price;
  pos.trailing_stop_armed := false;
  pos.scaling_levels_fired := '{}';
  -- The ticks of the path, then a last pass (no tick) for what falls after the last one.
  for tick in
    select p.at_time, p.price_usd, p.n
    from walltrack.price_path(replay_trade.token_address, entry_at, until) with ordinality as p(at_time, price_usd, n)
    union all select null::timestamptz, null::numeric, 9223372036854775807::bigint
    order by 3
  loop
    -- The SELLs and the maximum hold that come before this tick, in time order (a tick at the
    -- same instant is judged first).
    loop
      sell_at := case when mode <> 'off' and next_sell < pg_catalog.jsonb_array_length(sells)
                      then greatest((sells -> next_sell ->> 'at')::timestamptz, entry_at) end;
      event_at := least(sell_at, time_at);
      exit when event_at is null or event_at >= until or (tick.at_time is not null and event_at >= tick.at_time);
      price := coalesce(walltrack.price_at(replay_trade.token_address, event_at), pos.current_price);
      if time_at <= event_at then
        return query select event_at, 'time'::text, pos.current_amount,
                            walltrack.simulated_fill_price(price, slippage_percent, false);
        return;
      end if;
      lot := greatest(0, least(case when share = 100 then amount else amount * share / 100 end - mirrored, pos.current_amount));
      sold := case
        when mode = 'full' then lot
        when (sells -> next_sell ->> 'held_before_raw') is not null and (sells -> next_sell ->> 'held_after_raw') is not null
          then walltrack.proportional_mirror_amount(lot, 18, (sells -> next_sell ->> 'held_before_raw')::numeric,
                                                    (sells -> next_sell ->> 'held_after_raw')::numeric)
        when coalesce(strategy ->> 'mirror_fallback', 'full') = 'full' then lot
        else 0 end;
      next_sell := next_sell + 1;
      last_at := greatest(last_at, event_at);
      if coalesce(sold, 0) > 0 then
        return query select event_at, 'mirror'::text, sold, walltrack.simulated_fill_price(price, slippage_percent, false);
        mirrored := mirrored + sold;
        pos.current_amount := pos.current_amount - sold;
        if pos.current_amount <= 0 then
          return;
        end if;
      end if;
    end loop;
    exit when tick.at_time is null;
    pos.current_price := tick.price_usd;
    pos.peak_price := greatest(pos.peak_price, tick.price_usd);
    last_at := tick.at_time;
    if walltrack.trailing_stop_arms(pos, strategy) then
      pos.trailing_stop_armed := true;
    end if;
    -- As evaluate_exits: the stop loss, the trailing stop, then the maximum hold, each a full exit
    -- before any level (a tick at the very instant of the maximum hold is judged by it).
    full_exit := case
      when pos.current_price <= walltrack.stop_loss_price(pos, strategy) then 'stop_loss'
      when coalesce((strategy ->> 'trailing_stop_enabled')::boolean, false)
           and pos.current_price <= walltrack.trailing_stop_price(pos, strategy) then 'trailing_stop'
      when time_at <= tick.at_time then 'time'
    end;
    if full_exit is not null then
      return query select tick.at_time, full_exit, pos.current_amount,
                          walltrack.simulated_fill_price(tick.price_usd, slippage_percent, false);
      return;
    end if;
    for due in select * from walltrack.scale_out_levels_due(pos, strategy, pos.current_amount) loop
      return query select tick.at_time, 'scaling'::text, due.amount,
                          walltrack.simulated_fill_price(tick.price_usd, slippage_percent, false);
      pos.current_amount := pos.current_amount - due.amount;
      pos.scaling_levels_fired := pos.scaling_levels_fired || due.level;
    end loop;
    if pos.current_amount <= 0 then
      return;
    end if;
  end loop;
  return query select last_at, 'open'::text, pos.current_amount, pos.current_price;
end;
$$;
comment on function walltrack.replay_trade(text, timestamptz, numeric, jsonb, timestamptz, numeric, timestamptz, numeric, uuid, jsonb) is
  'Replays one trade over the recorded price path through the live exit rules (stop_loss_price, trailing_stop_arms, trailing_stop_price, scale_out_levels_due, the maximum hold, every SELL of the leader as a full or proportional mirror exit of the mirror lot, simulated_fill_price) in evaluate_exits'' order; returns each exit (stop_loss, trailing_stop, scaling, mirror, time) with its amount and fill price, and what is still held at the end as open. mirror_sells: [{at, held_before_raw, held_after_raw}] in time order (null balances: unknown, the strategy''s fallback); without it mirror_at is one SELL of the whole bag.';
revoke execute on function walltrack.replay_trade(text, timestamptz, numeric, jsonb, timestamptz, numeric, timestamptz, numeric, uuid, jsonb) from public;

-- As 20261206170100, with every SELL of the leader after the BUY (plus the same latency), each
-- with the balances recorded for it (walltrack.leader_sell_balances; unknown when not recorded).
create or replace function walltrack.replay_signal(sig walltrack.signals, strategy jsonb, until timestamptz,
                                                   latency_seconds numeric default 0, slippage_percent numeric default 0)
returns table (entry_at timestamptz, entry_price numeric, outcome text, closed_at timestamptz, pnl_ratio numeric, exits integer)
language plpgsql
stable
set search_path = ''
as $$
declare
  leader_at timestamptz := coalesce(sig.leader_block_time, sig.webhook_received_at);
  observed numeric;
  sells jsonb;
begin
  entry_at := leader_at + pg_catalog.make_interval(secs => latency_seconds);
  observed := coalesce(walltrack.price_at(sig.token_address, entry_at, leader_at), sig.price_usd);
  if observed is null or entry_at >= until then
    return;
  end if;
  entry_price := walltrack.simulated_fill_price(observed, slippage_percent, true);
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'at', coalesce(s.leader_block_time, s.webhook_received_at) + pg_catalog.make_interval(secs => latency_seconds),
           'held_before_raw', b.held_before_raw, 'held_after_raw', b.held_after_raw)
           order by coalesce(s.leader_block_time, s.webhook_received_at), s.webhook_received_at, s.id), '[]'::jsonb)
    into sells
  from walltrack.signals s
  left join walltrack.leader_sell_balances b on b.signal_id = s.id and b.unknown_reason is null
  where s.wallet_id = sig.wallet_id and s.token_address = sig.token_address and s.signal_type = 'SELL'
    -- After the BUY as walltrack.mirror_exit orders them: a SELL in the same second (block times
    -- are whole seconds) comes after a BUY received before it.
    and (coalesce(s.leader_block_time, s.webhook_received_at), s.webhook_received_at, s.id)
        > (leader_at, sig.webhook_received_at, sig.id);
  select (pg_catalog.array_agg(r.exit_reason order by r.exit_at desc, r.exit_reason = 'open' desc))[1],
         pg_catalog.max(r.exit_at) filter (where r.exit_reason <> 'open'),
         pg_catalog.sum(r.exit_amount * r.exit_price) / entry_price - 1,
         (count(*) filter (where r.exit_reason <> 'open'))::integer
    into outcome, closed_at, pnl_ratio, exits
  from walltrack.replay_trade(sig.token_address, entry_at, entry_price, strategy, until, slippage_percent,
                              mirror_sells => sells) r;
  if outcome = 'open' then
    closed_at := null;
  end if;
  return next;
end;
$$;
comment on function walltrack.replay_signal(walltrack.signals, jsonb, timestamptz, numeric, numeric) is
  'A BUY signal replayed under an exit strategy: entry latency_seconds after the leader at the recorded price (the leader''s when none newer) moved by the slippage, exits by walltrack.replay_trade, every later SELL of the leader as a mirror exit (with its recorded balances); returns entry, outcome (last exit reason, or open), pnl_ratio (exact, per unit of cost).';

-- Rollback: drop function walltrack.replay_trade(text, timestamptz, numeric, jsonb, timestamptz, numeric, timestamptz, numeric, uuid, jsonb);
-- then create replay_trade and replay_signal again as in 20261206170100.
