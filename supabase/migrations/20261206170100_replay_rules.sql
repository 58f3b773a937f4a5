-- Adds the replay of one trade over the recorded price path (issue 15, ADR-016): the shadow book
-- and `npm run replay` ask "what would this exit strategy have done from this entry", and the
-- answer comes from the SAME rule functions the live exits call (stop_loss_price,
-- trailing_stop_arms, trailing_stop_price, scale_out_levels_due, simulated_fill_price), applied in
-- the order walltrack.evaluate_exits applies them, to a position row that exists only in memory.
--
-- The path: raw prices of walltrack.price_history (simulated fills left out: the slippage model
-- made them) and, where only candles remain, each one-minute candle walked open, low, high, close.
-- Within a candle where both a stop and a target could fire, the low comes first: the replay
-- assumes the worse. Between two rows the price did not change (no row is kept when it does not).

-- The price in force at a moment: the latest raw price at or before it, else the close of the
-- latest candle that started before it; null when nothing is known since `not_before`.
create function walltrack.price_at(token_address text, at_time timestamptz, not_before timestamptz default '-infinity')
returns numeric
language sql
stable
set search_path = ''
as $$
  select p.price from walltrack.price_series s
  cross join lateral (
    (select h.observed_at as at_time, h.price_usd as price from walltrack.price_history h
     where h.series_id = s.id and h.source <> 'simulated_fill'
       and h.observed_at <= price_at.at_time and h.observed_at >= not_before
     order by h.observed_at desc limit 1)
    union all
    (select c.minute, c.close_usd from walltrack.price_candles c
     where c.series_id = s.id and c.minute <= price_at.at_time and c.minute >= not_before
     order by c.minute desc limit 1)
  ) p
  where s.token_address = price_at.token_address
  order by p.at_time desc limit 1;
$$;
comment on function walltrack.price_at(text, timestamptz, timestamptz) is
  'The recorded price of a token in force at a moment (latest raw price at or before it, else the latest candle''s close), observed no earlier than not_before; null when none.';
revoke execute on function walltrack.price_at(text, timestamptz, timestamptz) from public;

-- The recorded prices of a token after `from_time` up to `to_time`, in order; a candle gives four
-- points, low before high (the worse for a holder).
create function walltrack.price_path(token_address text, from_time timestamptz, to_time timestamptz)
returns table (at_time timestamptz, price_usd numeric)
language sql
stable
set search_path = ''
as $$
  select p.at_time, p.price_usd from walltrack.price_series s
  cross join lateral (
    select h.observed_at as at_time, 0 as step, h.price_usd from walltrack.price_history h
    where h.series_id = s.id and h.source <> 'simulated_fill' and h.observed_at > from_time and h.observed_at <= to_time
    union all
    select c.minute, x.step, case x.step when 1 then c.open_usd when 2 then c.low_usd when 3 then c.high_usd else c.close_usd end
    from walltrack.price_candles c cross join (values (1), (2), (3), (4)) as x(step)
    where c.series_id = s.id and c.minute > from_time and c.minute <= to_time
  ) p
  where s.token_address = price_path.token_address
  order by p.at_time, p.step;
$$;
comment on function walltrack.price_path(text, timestamptz, timestamptz) is
  'The recorded price path of a token in (from_time, to_time]: raw prices (simulated fills left out) and each one-minute candle as open, low, high, close (the stop is judged before the target: the worse).';
revoke execute on function walltrack.price_path(text, timestamptz, timestamptz) from public;

-- One trade replayed: bought `amount` at `entry_price` (a fill price) at `entry_at`, then each
-- recorded price until `until` goes through the live rules, in evaluate_exits' order: the
-- trailing stop arms, the stop loss then the trailing stop sell everything, else the scale-out
-- levels due sell their shares. A mirror exit (when the strategy has it) sells what remains at the
-- price in force at `mirror_at`. Every sale fills at simulated_fill_price (the slippage model of
-- simulated orders). What is still held at the end is returned as exit_reason 'open', valued at
-- the last price (no slippage, like a position's unrealized PnL).
create function walltrack.replay_trade(token_address text, entry_at timestamptz, entry_price numeric, strategy jsonb,
                                       until timestamptz, slippage_percent numeric, mirror_at timestamptz default null,
                                       amount numeric default 1, token_id uuid default null)
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
  stop_at timestamptz := case when coalesce((strategy ->> 'mirror_exit_enabled')::boolean, false) and mirror_at < until
                              then greatest(mirror_at, entry_at) else until end;
begin
  pos.token_id := replay_trade.token_id;
  pos.entry_price := replay_trade.entry_price;
  pos.entry_amount := amount;
  pos.current_amount := amount;
  pos.current_price := replay_trade.entry_price;
  pos.peak_price := replay_trade.entry_price;
  pos.trailing_stop_armed := false;
  pos.scaling_levels_fired := '{}';
  for tick in select p.at_time, p.price_usd from walltrack.price_path(replay_trade.token_address, entry_at, stop_at) p loop
    pos.current_price := tick.price_usd;
    pos.peak_price := greatest(pos.peak_price, tick.price_usd);
    last_at := tick.at_time;
    if walltrack.trailing_stop_arms(pos, strategy) then
      pos.trailing_stop_armed := true;
    end if;
    full_exit := case
      when pos.current_price <= walltrack.stop_loss_price(pos, strategy) then 'stop_loss'
      when coalesce((strategy ->> 'trailing_stop_enabled')::boolean, false)
           and pos.current_price <= walltrack.trailing_stop_price(pos, strategy) then 'trailing_stop'
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
  if stop_at < until then
    return query select stop_at, 'mirror'::text, pos.current_amount,
                        walltrack.simulated_fill_price(coalesce(walltrack.price_at(replay_trade.token_address, stop_at), pos.current_price),
                                                       slippage_percent, false);
  else
    return query select last_at, 'open'::text, pos.current_amount, pos.current_price;
  end if;
end;
$$;
comment on function walltrack.replay_trade(text, timestamptz, numeric, jsonb, timestamptz, numeric, timestamptz, numeric, uuid) is
  'Replays one trade over the recorded price path through the live exit rules (stop_loss_price, trailing_stop_arms, trailing_stop_price, scale_out_levels_due, simulated_fill_price) in evaluate_exits'' order; returns each exit (stop_loss, trailing_stop, scaling, mirror) with its amount and fill price, and what is still held at the end as open.';
revoke execute on function walltrack.replay_trade(text, timestamptz, numeric, jsonb, timestamptz, numeric, timestamptz, numeric, uuid) from public;

-- A BUY signal replayed under a strategy: we would have bought `latency_seconds` after the
-- leader, at the price in force then (the leader's own price when nothing newer was recorded),
-- moved by the slippage model; the leader's next SELL of the token (plus the same latency) is the
-- mirror exit. The result per unit of money: pnl_ratio = (what the exits and the rest are worth) /
-- cost - 1, exact; `outcome` is the last exit's reason (open: still held at `until`).
create function walltrack.replay_signal(sig walltrack.signals, strategy jsonb, until timestamptz,
                                        latency_seconds numeric default 0, slippage_percent numeric default 0)
returns table (entry_at timestamptz, entry_price numeric, outcome text, closed_at timestamptz, pnl_ratio numeric, exits integer)
language plpgsql
stable
set search_path = ''
as $$
declare
  leader_at timestamptz := coalesce(sig.leader_block_time, sig.webhook_received_at);
  observed numeric;
  sell_at timestamptz;
begin
  entry_at := leader_at + pg_catalog.make_interval(secs => latency_seconds);
  observed := coalesce(walltrack.price_at(sig.token_address, entry_at, leader_at), sig.price_usd);
  if observed is null or entry_at >= until then
    return;
  end if;
  entry_price := walltrack.simulated_fill_price(observed, slippage_percent, true);
  select coalesce(s.leader_block_time, s.webhook_received_at) + pg_catalog.make_interval(secs => latency_seconds) into sell_at
  from walltrack.signals s
  where s.wallet_id = sig.wallet_id and s.token_address = sig.token_address and s.signal_type = 'SELL'
    and coalesce(s.leader_block_time, s.webhook_received_at) > leader_at
  order by coalesce(s.leader_block_time, s.webhook_received_at) limit 1;
  select (pg_catalog.array_agg(r.exit_reason order by r.exit_at desc, r.exit_reason = 'open' desc))[1],
         pg_catalog.max(r.exit_at) filter (where r.exit_reason <> 'open'),
         pg_catalog.sum(r.exit_amount * r.exit_price) / entry_price - 1,
         (count(*) filter (where r.exit_reason <> 'open'))::integer
    into outcome, closed_at, pnl_ratio, exits
  from walltrack.replay_trade(sig.token_address, entry_at, entry_price, strategy, until, slippage_percent, sell_at) r;
  if outcome = 'open' then
    closed_at := null;
  end if;
  return next;
end;
$$;
comment on function walltrack.replay_signal(walltrack.signals, jsonb, timestamptz, numeric, numeric) is
  'A BUY signal replayed under an exit strategy: entry latency_seconds after the leader at the recorded price (the leader''s when none newer) moved by the slippage, exits by walltrack.replay_trade, the leader''s next SELL as mirror exit; returns entry, outcome (last exit reason, or open), pnl_ratio (exact, per unit of cost).';
revoke execute on function walltrack.replay_signal(walltrack.signals, jsonb, timestamptz, numeric, numeric) from public;
