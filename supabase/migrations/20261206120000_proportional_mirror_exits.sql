-- Adds proportional, lot-attributed mirror exits (issue 14): a leader's SELL sells the same
-- fraction of the position opened from that leader as the leader sold of what they held just
-- before, known exactly from the confirmed transaction's token balances (Solana RPC
-- getTransaction, read by the signal processor before the decision). Helius's enhanced payload
-- cannot give that fraction: its accountData[].tokenBalanceChanges carry the change of each token
-- account, never its balance before (fixtures/API.md), so the pre-balance comes from the RPC.
--
-- Each strategy (and a position's override) gets a mirror mode (off, full, proportional), a mirror
-- share (the part of the position that follows the leader's sells; the template's other exits sell
-- the rest first) and a fallback (full or none) for a SELL whose fraction cannot be known.

-- 1. The strategy's mirror settings. mirror_exit_enabled stays the on/off switch it was (an
-- override {"mirror_exit_enabled": false} still turns the mirror off); mirror_mode says how.
alter table walltrack.exit_strategies
  add column mirror_mode text not null default 'full'
    constraint exit_strategies_mirror_mode_check check (mirror_mode in ('off', 'full', 'proportional')),
  add column mirror_share_percent numeric(5, 2) not null default 100
    constraint exit_strategies_mirror_share_percent_check check (mirror_share_percent > 0 and mirror_share_percent <= 100),
  add column mirror_fallback text not null default 'full'
    constraint exit_strategies_mirror_fallback_check check (mirror_fallback in ('full', 'none'));
comment on column walltrack.exit_strategies.mirror_mode is
  'How the position follows its leader''s sells: off (never), full (any sell of the leader sells the whole mirror share), proportional (the same fraction the leader sold of what they held just before). Off too when mirror_exit_enabled is false.';
comment on column walltrack.exit_strategies.mirror_share_percent is
  'Percent of the entry amount that follows the leader''s sells (100: all of it); the rest only follows the template''s other exits, which sell it first.';
comment on column walltrack.exit_strategies.mirror_fallback is
  'Proportional mode, when the leader''s fraction cannot be known (no confirmed transaction, no balance before): full sells the whole mirror share, none sells nothing (the SELL is filtered mirror_fraction_unknown).';

-- The templates that follow their leader do so proportionally, as the copiers operators compare
-- WallTrack with do; the Aggressive template keeps ignoring the leader.
update walltrack.exit_strategies set mirror_mode = case when mirror_exit_enabled then 'proportional' else 'off' end
 where name in ('Default', 'Conservative', 'Aggressive');
update walltrack.exit_strategies set mirror_mode = 'off'
 where not mirror_exit_enabled and name not in ('Default', 'Conservative', 'Aggressive');

-- 2. (Carries exit_time and its reason from 20261206100100_time_exits.sql, which this file follows.)
-- A mirror exit that sells part of what the position holds is its own order type: it is not a
-- full exit, so it never blocks a stop loss (uq_orders_full_exit_in_flight), and several may be in
-- flight when a leader sells twice in a row. One that sells all that remains is an exit_mirror.
alter table walltrack.orders drop constraint orders_order_type_check;
alter table walltrack.orders add constraint orders_order_type_check check (order_type in (
  'entry', 'exit_stop_loss', 'exit_trailing_stop', 'exit_scaling', 'exit_mirror', 'exit_mirror_partial', 'exit_manual',
  'exit_time'));
comment on column walltrack.orders.order_type is
  'entry, exit_stop_loss, exit_trailing_stop, exit_scaling, exit_mirror (the leader sold: sells all that remains), exit_mirror_partial (the leader sold part of their bag: sells that fraction of the mirror share), exit_manual or exit_time.';

create or replace function walltrack.exit_reason_of(order_type text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case order_type
    when 'exit_stop_loss' then 'stop_loss'
    when 'exit_trailing_stop' then 'trailing_stop'
    when 'exit_scaling' then 'scaling'
    when 'exit_mirror' then 'mirror'
    when 'exit_mirror_partial' then 'mirror'
    when 'exit_manual' then 'manual'
    when 'exit_time' then 'time'
  end;
$$;
comment on function walltrack.exit_reason_of(text) is 'The position exit_reason an exit order type stands for (exit_stop_loss -> stop_loss, exit_mirror and exit_mirror_partial -> mirror, exit_time -> time, ...).';

-- 3. What the leader held before their SELL and after it, per signal, or why it is not known.
create table walltrack.leader_sell_balances (
  signal_id uuid primary key constraint fk_leader_sell_balances_signals references walltrack.signals (id) on delete cascade,
  held_before_raw numeric check (held_before_raw >= 0 and held_before_raw = trunc(held_before_raw)),
  held_after_raw numeric check (held_after_raw >= 0 and held_after_raw = trunc(held_after_raw)),
  token_decimals smallint check (token_decimals between 0 and 18),
  source text constraint leader_sell_balances_source_check check (source in ('rpc_get_transaction')),
  unknown_reason text constraint leader_sell_balances_unknown_reason_check check (unknown_reason in (
    'rpc_unavailable', 'transaction_not_found', 'transaction_failed', 'no_balance_before', 'not_a_sale', 'not_fetched')),
  detail text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint leader_sell_balances_known_or_why check (
    (unknown_reason is null) = (held_before_raw is not null and held_after_raw is not null and source is not null)),
  constraint leader_sell_balances_a_sale check (
    unknown_reason is not null or (held_after_raw < held_before_raw and token_decimals is not null))
);
create trigger leader_sell_balances_set_updated_at before update on walltrack.leader_sell_balances
  for each row execute function walltrack.set_updated_at();
alter table walltrack.leader_sell_balances enable row level security;
revoke all on walltrack.leader_sell_balances from anon, authenticated;
grant select, insert, update, delete on walltrack.leader_sell_balances to service_role;
comment on table walltrack.leader_sell_balances is
  'Event log: for a leader''s SELL signal, the leader''s balance of the token just before and just after the transaction (raw base units, from the confirmed transaction), the basis of a proportional mirror exit; or why it is not known.';
comment on column walltrack.leader_sell_balances.signal_id is 'The SELL signal.';
comment on column walltrack.leader_sell_balances.held_before_raw is 'Leader''s balance of the token before the transaction, in base units (sum of meta.preTokenBalances of the leader''s accounts for the mint).';
comment on column walltrack.leader_sell_balances.held_after_raw is 'Leader''s balance after it, in base units (meta.postTokenBalances).';
comment on column walltrack.leader_sell_balances.token_decimals is 'Decimals of the mint in those balances.';
comment on column walltrack.leader_sell_balances.source is 'Where the balances came from: rpc_get_transaction (Solana RPC getTransaction, confirmed).';
comment on column walltrack.leader_sell_balances.unknown_reason is 'Why the fraction is not known: rpc_unavailable (the call failed), transaction_not_found, transaction_failed (failed on chain), no_balance_before (the leader held none of the mint in the transaction''s accounts), not_a_sale (the balance did not go down), not_fetched (decided without a lookup).';
comment on column walltrack.leader_sell_balances.detail is 'The error or the observation behind unknown_reason, for the operator.';
comment on column walltrack.leader_sell_balances.created_at is 'When the balances (or the reason) were recorded.';
comment on column walltrack.leader_sell_balances.updated_at is 'When the row was last updated (trigger).';

-- 4. The rules, each named (ADR-016).

-- The mirror mode of an effective strategy: off when mirror_exit_enabled is false, else its
-- mirror_mode (full for a snapshot taken before modes existed).
create function walltrack.mirror_mode(strategy jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when not coalesce((strategy ->> 'mirror_exit_enabled')::boolean, false) then 'off'
              else coalesce(strategy ->> 'mirror_mode', 'full') end;
$$;
comment on function walltrack.mirror_mode(jsonb) is
  'The mirror mode of an effective exit strategy: off (mirror_exit_enabled false or mode off), full or proportional.';
revoke execute on function walltrack.mirror_mode(jsonb) from public;

-- The leader's fraction applied to our mirror lot, exactly: floor(lot x sold / held) in base
-- units, one division of integers (pg_catalog.div), so the result is never above the exact
-- fraction and never sells more than the lot. A leader who sold out sells all of the lot.
create function walltrack.proportional_mirror_amount(lot numeric, decimals integer, held_before_raw numeric, held_after_raw numeric)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select case when held_after_raw = 0 then lot -- sold out: all of the lot, to its last digit
              else pg_catalog.trim_scale(
                     pg_catalog.div(pg_catalog.trunc(lot * 10::numeric ^ decimals) * (held_before_raw - held_after_raw), held_before_raw)
                     / 10::numeric ^ decimals) end
  where held_before_raw > 0 and held_after_raw < held_before_raw and held_after_raw >= 0 and lot >= 0;
$$;
comment on function walltrack.proportional_mirror_amount(numeric, integer, numeric, numeric) is
  'Tokens a proportional mirror exit sells: the mirror lot times what the leader sold over what they held just before, rounded down to the mint''s base unit (all of the lot when they sold out); null when the balances do not make a sale.';
revoke execute on function walltrack.proportional_mirror_amount(numeric, integer, numeric, numeric) from public;

-- The part of the position that still follows the leader: the mirror share of the entry amount,
-- less what mirror exits sold or are selling, and never more than what no exit in flight is
-- already selling. The template's other exits sell the rest first: the lot only shrinks under
-- them once the rest is gone.
create function walltrack.mirror_lot_amount(pos walltrack.positions, strategy jsonb, decimals integer)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  share numeric := coalesce((strategy ->> 'mirror_share_percent')::numeric, 100);
  mirrored numeric;
begin
  select coalesce(sum(o.amount_in), 0) into mirrored from walltrack.orders o
   where o.position_id = pos.id and o.order_type in ('exit_mirror', 'exit_mirror_partial')
     and o.status in ('pending', 'submitted', 'executed');
  -- All of it (share 100) is the entry amount as it is: a simulated fill may hold digits past the
  -- mint's decimals, and the leader selling out must then leave nothing behind.
  return pg_catalog.trim_scale(greatest(0, least(
    case when share = 100 then pos.entry_amount else pg_catalog.trunc(pos.entry_amount * share / 100, decimals) end - mirrored,
    pos.current_amount - walltrack.exits_in_flight_amount(pos.id))));
end;
$$;
comment on function walltrack.mirror_lot_amount(walltrack.positions, jsonb, integer) is
  'Tokens of the position that still follow its leader''s sells: mirror_share_percent of the entry amount (truncated to the mint''s decimals below 100 %) less the mirror exits executed or in flight, at most what no exit in flight sells.';
revoke execute on function walltrack.mirror_lot_amount(walltrack.positions, jsonb, integer) from public;

-- A new filter reason: the fraction could not be known and the strategy's fallback is none; and one
-- for a SELL that finds the mirror share already sold (or a fraction of it below one base unit).
alter table walltrack.signals drop constraint signals_filter_reason_check;
alter table walltrack.signals add constraint signals_filter_reason_check check (filter_reason in (
  'conversion', 'token_denied', 'token_not_allowed',
  'wallet_inactive', 'stale_signal', 'safety_check_failed', 'safety_check_unavailable', 'circuit_breaker',
  'duplicate', 'cooldown', 'exposure_limit', 'position_too_small', 'no_open_position',
  'mirror_exit_disabled', 'mirror_fraction_unknown', 'mirror_nothing_to_sell', 'processing_error'));
comment on column walltrack.signals.filter_reason is 'Why the signal was not acted on: conversion (a swap between SOL/USDC/USDT and a quote-like asset of the deny list), token_denied, token_not_allowed, wallet_inactive, stale_signal, safety_check_failed, safety_check_unavailable, circuit_breaker, duplicate, cooldown, exposure_limit, position_too_small, no_open_position, mirror_exit_disabled, mirror_fraction_unknown (proportional mirror, the leader''s fraction unknown, fallback none: walltrack.leader_sell_balances says why), mirror_nothing_to_sell (the mirror share is sold or selling, or the leader''s fraction of it is below one base unit), processing_error (the decision failed; the error is in the server log).';

-- The mirror exit of a leader's SELL, per open position of that wallet in the token (the lots
-- attributed to that leader): full sells the whole mirror lot; proportional sells the leader's
-- fraction of it, or on an unknown fraction the strategy's fallback (full: the whole lot; none:
-- nothing, mirror_fraction_unknown). An amount that is all the position holds beyond its exits in
-- flight is an exit_mirror (a full exit, as before); less is an exit_mirror_partial. The waits
-- and filter reasons of 20261205130500 are kept: no_open_position, duplicate (a full exit in
-- flight already sells everything), mirror_exit_disabled, and the two new ones.
create or replace function walltrack.mirror_exit(
  sig walltrack.signals, leader_usd numeric, decided_at timestamptz,
  out waits boolean, out exit_orders integer, out position_id uuid, out filter_reason text)
language plpgsql
set search_path = ''
as $$
declare
  p walltrack.positions;
  strategy jsonb;
  mode text;
  balances walltrack.leader_sell_balances;
  decimals integer;
  lot numeric;
  amount numeric;
  held boolean := false;
  enabled boolean := false;
  in_flight boolean := false;
  unknown boolean := false;
begin
  exit_orders := 0;
  -- The same wallet's earlier BUY of this token is not decided yet (its safety check may still be
  -- answering, its batch still running): the SELL waits for that decision, then mirrors the
  -- position it opened, if any. Or our live entry has not filled yet.
  waits := exists (select 1 from walltrack.signals b
                   where b.wallet_id = sig.wallet_id and b.token_address = sig.token_address
                     and b.signal_type = 'BUY' and b.processed_at is null and b.id <> sig.id
                     and (coalesce(b.leader_block_time, b.webhook_received_at), b.webhook_received_at, b.id)
                         < (coalesce(sig.leader_block_time, sig.webhook_received_at), sig.webhook_received_at, sig.id))
        or exists (select 1 from walltrack.positions op join walltrack.tokens tk on tk.id = op.token_id
                   where op.wallet_id = sig.wallet_id and tk.address = sig.token_address
                     and op.status = 'open' and op.entry_amount is null);
  if waits then
    return;
  end if;
  select * into balances from walltrack.leader_sell_balances b where b.signal_id = sig.id;
  for p in
    select op.* from walltrack.positions op join walltrack.tokens tk on tk.id = op.token_id
    where op.wallet_id = sig.wallet_id and tk.address = sig.token_address and op.status = 'open' and op.current_amount > 0
    order by op.id
  loop
    held := true;
    strategy := walltrack.position_strategy(p);
    mode := walltrack.mirror_mode(strategy);
    continue when mode = 'off';
    enabled := true;
    if walltrack.full_exit_in_flight(p.id) then
      in_flight := true;
      continue;
    end if;
    decimals := coalesce(walltrack.token_decimals(p.token_id), balances.token_decimals, sig.token_decimals);
    lot := walltrack.mirror_lot_amount(p, strategy, coalesce(decimals, 0));
    amount := lot;
    if mode = 'proportional' then
      if balances.signal_id is null then
        -- Decided without a lookup (the RPC was not asked): say so on the signal.
        insert into walltrack.leader_sell_balances (signal_id, unknown_reason, detail)
        values (sig.id, 'not_fetched', 'no confirmed balances were looked up before the decision')
        on conflict (signal_id) do nothing;
        select * into balances from walltrack.leader_sell_balances b where b.signal_id = sig.id;
      end if;
      if balances.unknown_reason is null and decimals is not null then
        amount := walltrack.proportional_mirror_amount(lot, decimals, balances.held_before_raw, balances.held_after_raw);
      elsif coalesce(strategy ->> 'mirror_fallback', 'full') = 'none' then
        unknown := true;
        continue;
      end if;
    end if;
    continue when coalesce(amount, 0) <= 0
               or walltrack.create_exit_order(
                    p, case when amount = p.current_amount - walltrack.exits_in_flight_amount(p.id) then 'exit_mirror'
                            else 'exit_mirror_partial' end,
                    amount, leader_usd, sig.id, requested_at => decided_at) is null;
    exit_orders := exit_orders + 1;
    position_id := coalesce(position_id, p.id);
  end loop;
  if exit_orders = 0 then
    filter_reason := case when not held then 'no_open_position'
                          when not enabled then 'mirror_exit_disabled'
                          when unknown then 'mirror_fraction_unknown'
                          when in_flight then 'duplicate'
                          else 'mirror_nothing_to_sell' end;
  end if;
end;
$$;
comment on function walltrack.mirror_exit(walltrack.signals, numeric, timestamptz) is
  'The mirror exit of a leader''s SELL: for each of the same wallet''s open positions in the token (mirror on, no full exit in flight), an exit order for its mirror lot (full) or the leader''s exact fraction of it (proportional; the strategy''s fallback when unknown), exit_mirror when that is all it holds, else exit_mirror_partial; returns whether the SELL waits (the wallet''s undecided earlier BUY of the token, or a live entry), the orders created, the first position, and the filter reason when none was created.';

-- 5. What the signal processor looks up before deciding, and how it records what it found.

-- Unprocessed SELLs that a proportional mirror will need the fraction of, nothing recorded yet: the
-- wallet holds an open position in the token whose effective mode is proportional, or its BUY of
-- the token is still undecided and its template is proportional.
create function walltrack.leader_sells_to_measure(signal_ids uuid[] default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'signal_id', s.id, 'signature', s.transaction_signature, 'wallet', w.address, 'mint', s.token_address)
           order by s.webhook_received_at), '[]'::jsonb)
  from walltrack.signals s
  join walltrack.wallets w on w.id = s.wallet_id
  where s.processed_at is null and s.signal_type = 'SELL' and (signal_ids is null or s.id = any(signal_ids))
    and not exists (select 1 from walltrack.leader_sell_balances b where b.signal_id = s.id)
    and (exists (select 1 from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
                 where p.wallet_id = s.wallet_id and t.address = s.token_address and p.status = 'open'
                   and walltrack.mirror_mode(walltrack.position_strategy(p)) = 'proportional')
         -- The BUY it follows is decided in the same batch: the position it may open will follow
         -- the wallet's template.
         or (exists (select 1 from walltrack.signals b
                     where b.wallet_id = s.wallet_id and b.token_address = s.token_address
                       and b.signal_type = 'BUY' and b.processed_at is null)
             and walltrack.mirror_mode(walltrack.effective_exit_strategy(w.exit_strategy_id)) = 'proportional'));
$$;
comment on function walltrack.leader_sells_to_measure(uuid[]) is
  'Unprocessed SELL signals whose proportional mirror exit needs the leader''s balances: [{signal_id, signature, wallet, mint}], for the signal processor to look up (Solana RPC getTransaction) before deciding.';
revoke execute on function walltrack.leader_sells_to_measure(uuid[]) from public;

-- rows: [{signal_id, held_before_raw, held_after_raw, token_decimals, source} or
--        {signal_id, unknown_reason, detail}]. Recorded once per signal; a row the constraints
-- refuse (a "sale" whose balance went up) is kept as not_a_sale rather than lost.
create function walltrack.record_leader_sell_balances(rows jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  r jsonb;
  recorded integer := 0;
  n integer;
begin
  for r in select value from pg_catalog.jsonb_array_elements(coalesce(rows, '[]'::jsonb)) loop
    if r ->> 'unknown_reason' is null
       and not coalesce((r ->> 'held_after_raw')::numeric < (r ->> 'held_before_raw')::numeric, false) then
      r := pg_catalog.jsonb_build_object('signal_id', r -> 'signal_id', 'unknown_reason',
             case when coalesce((r ->> 'held_before_raw')::numeric, 0) = 0 then 'no_balance_before' else 'not_a_sale' end,
             'detail', format('balance before %s, after %s', r ->> 'held_before_raw', r ->> 'held_after_raw'));
    end if;
    insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source,
                                                unknown_reason, detail)
    values ((r ->> 'signal_id')::uuid,
            case when r ->> 'unknown_reason' is null then (r ->> 'held_before_raw')::numeric end,
            case when r ->> 'unknown_reason' is null then (r ->> 'held_after_raw')::numeric end,
            (r ->> 'token_decimals')::smallint,
            case when r ->> 'unknown_reason' is null then coalesce(r ->> 'source', 'rpc_get_transaction') end,
            r ->> 'unknown_reason', pg_catalog.left(r ->> 'detail', 500))
    on conflict (signal_id) do nothing;
    get diagnostics n = row_count;
    recorded := recorded + n;
  end loop;
  return recorded;
end;
$$;
comment on function walltrack.record_leader_sell_balances(jsonb) is
  'Records what the leader held before and after each SELL (raw units, from the confirmed transaction) or why it is not known; once per signal; returns how many were recorded.';
revoke execute on function walltrack.record_leader_sell_balances(jsonb) from public;

-- 6. The operator's settings.

-- A template's mirror settings; null keeps a value. The CHECK constraints refuse a bad one.
create function walltrack.set_strategy_mirror(strategy_name text, mode text default null, share_percent numeric default null,
                                              fallback text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  es walltrack.exit_strategies;
begin
  update walltrack.exit_strategies s
     set mirror_mode = coalesce(mode, s.mirror_mode),
         -- The switch follows the mode, so a template never says on and off at once.
         mirror_exit_enabled = coalesce(mode, s.mirror_mode) <> 'off',
         mirror_share_percent = coalesce(share_percent, s.mirror_share_percent),
         mirror_fallback = coalesce(fallback, s.mirror_fallback)
   where s.name = strategy_name
  returning s.* into es;
  if es.id is null then
    raise exception 'no exit strategy named %', strategy_name using errcode = 'no_data_found',
      hint = 'select name from walltrack.exit_strategies';
  end if;
  return pg_catalog.jsonb_build_object('name', es.name, 'mirror_mode', es.mirror_mode,
    'mirror_share_percent', es.mirror_share_percent, 'mirror_fallback', es.mirror_fallback);
end;
$$;
comment on function walltrack.set_strategy_mirror(text, text, numeric, text) is
  'Sets an exit-strategy template''s mirror mode (off, full, proportional), mirror share (percent in (0, 100]) and fallback (full, none) for the positions it will open; null keeps a value.';
revoke execute on function walltrack.set_strategy_mirror(text, text, numeric, text) from public;

-- The position override now also takes the three mirror settings, validated as the template's.
create or replace function walltrack.override_position_strategy(position_id uuid, override jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  unknown text[];
  p walltrack.positions;
  effective jsonb;
begin
  if override is null or pg_catalog.jsonb_typeof(override) <> 'object' then
    raise exception 'the override must be a JSON object' using errcode = 'invalid_parameter_value';
  end if;
  unknown := array(select k from pg_catalog.jsonb_object_keys(override) k
                   where k not in ('stop_loss_percent', 'trailing_stop_enabled', 'trailing_stop_percent',
                                   'trailing_activation_multiplier', 'scaling_levels', 'mirror_exit_enabled',
                                   'mirror_mode', 'mirror_share_percent', 'mirror_fallback'));
  if cardinality(unknown) > 0 then
    raise exception 'unknown strategy field(s): %', array_to_string(unknown, ', ')
      using errcode = 'invalid_parameter_value',
            hint = 'stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, trailing_activation_multiplier, scaling_levels, mirror_exit_enabled, mirror_mode, mirror_share_percent, mirror_fallback';
  end if;
  if exists (select 1 from pg_catalog.jsonb_each(override) e
             where e.key in ('stop_loss_percent', 'trailing_stop_percent', 'trailing_activation_multiplier', 'mirror_share_percent')
               and pg_catalog.jsonb_typeof(e.value) <> 'number') then
    raise exception 'invalid override %: percents and the activation multiplier must be JSON numbers', override
      using errcode = 'invalid_parameter_value';
  end if;
  if (override ? 'stop_loss_percent' and not coalesce((override ->> 'stop_loss_percent')::numeric between 0.01 and 99.99, false))
     or (override ? 'trailing_stop_percent' and not coalesce((override ->> 'trailing_stop_percent')::numeric between 0.01 and 99.99, false))
     or (override ? 'trailing_activation_multiplier' and not coalesce((override ->> 'trailing_activation_multiplier')::numeric >= 1, false))
     or (override ? 'scaling_levels' and not walltrack.scaling_levels_are_valid(override -> 'scaling_levels'))
     or (override ? 'trailing_stop_enabled' and pg_catalog.jsonb_typeof(override -> 'trailing_stop_enabled') <> 'boolean')
     or (override ? 'mirror_exit_enabled' and pg_catalog.jsonb_typeof(override -> 'mirror_exit_enabled') <> 'boolean') then
    raise exception 'invalid override %: percents in (0, 100), activation multiplier >= 1, booleans as true/false, scaling levels well formed (at most 10, each {"multiplier": > 1, increasing, "sell_percent": (0, 100]} and no other key, sell percents summing to at most 100)', pg_catalog.left(override::text, 200)
      using errcode = 'invalid_parameter_value';
  end if;
  -- The mirror settings, as the template's CHECK constraints take them.
  if (override ? 'mirror_mode' and coalesce(override ->> 'mirror_mode' not in ('off', 'full', 'proportional'), true))
     or (override ? 'mirror_share_percent' and not coalesce((override ->> 'mirror_share_percent')::numeric > 0
                                                            and (override ->> 'mirror_share_percent')::numeric <= 100
                                                            and (override ->> 'mirror_share_percent')::numeric
                                                                = round((override ->> 'mirror_share_percent')::numeric, 2), false))
     or (override ? 'mirror_fallback' and coalesce(override ->> 'mirror_fallback' not in ('full', 'none'), true)) then
    raise exception 'invalid override %: mirror_mode off, full or proportional; mirror_share_percent in (0, 100] with at most 2 decimals; mirror_fallback full or none', pg_catalog.left(override::text, 200)
      using errcode = 'invalid_parameter_value';
  end if;
  select * into p from walltrack.positions where id = position_id for update;
  if p.id is null then
    raise exception 'no position %', position_id using errcode = 'no_data_found';
  end if;
  if p.status <> 'open' then
    raise exception 'position % is %: only open positions take an override', position_id, p.status using errcode = 'check_violation';
  end if;
  update walltrack.positions set exit_strategy_override = coalesce(exit_strategy_override, '{}'::jsonb) || override
   where id = position_id
  returning walltrack.position_strategy(positions.*) into effective;
  return effective;
end;
$$;
comment on function walltrack.override_position_strategy(uuid, jsonb) is
  'Merges a validated override into an open position''s exit strategy (ADR-002), mirror settings included, and returns the effective strategy; the next price tick (or leader''s sell) applies it.';

-- 7. Status: how the leaders' sells were mirrored over the last 24 hours.
create function walltrack.mirror_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'sells_24h', (select count(*) from walltrack.signals s
                  where s.signal_type = 'SELL' and s.webhook_received_at > pg_catalog.now() - interval '24 hours'),
    'fractions_known_24h', (select count(*) from walltrack.leader_sell_balances b
                            where b.unknown_reason is null and b.created_at > pg_catalog.now() - interval '24 hours'),
    'fractions_unknown_24h', coalesce((select pg_catalog.jsonb_object_agg(r, n) from (
                               select b.unknown_reason as r, count(*) as n from walltrack.leader_sell_balances b
                               where b.unknown_reason is not null and b.created_at > pg_catalog.now() - interval '24 hours'
                               group by 1) x), '{}'::jsonb),
    'mirror_exits_24h', coalesce((select pg_catalog.jsonb_object_agg(t, n) from (
                          select o.order_type as t, count(*) as n from walltrack.orders o
                          where o.order_type in ('exit_mirror', 'exit_mirror_partial')
                            and o.requested_at > pg_catalog.now() - interval '24 hours'
                          group by 1) x), '{}'::jsonb),
    'filtered_24h', coalesce((select pg_catalog.jsonb_object_agg(r, n) from (
                      select s.filter_reason as r, count(*) as n from walltrack.signals s
                      where s.signal_type = 'SELL' and s.filtered
                        and s.webhook_received_at > pg_catalog.now() - interval '24 hours'
                      group by 1) x), '{}'::jsonb));
$$;
comment on function walltrack.mirror_status() is
  'Mirror exits at a glance (last 24 h): leaders'' SELLs, fractions known and unknown (by reason), mirror orders by type, SELLs filtered by reason.';
revoke execute on function walltrack.mirror_status() from public;

-- Rollback:
-- drop function walltrack.mirror_status(); drop function walltrack.set_strategy_mirror(text, text, numeric, text);
-- drop function walltrack.record_leader_sell_balances(jsonb); drop function walltrack.leader_sells_to_measure(uuid[]);
-- drop function walltrack.mirror_lot_amount(walltrack.positions, jsonb, integer);
-- drop function walltrack.proportional_mirror_amount(numeric, integer, numeric, numeric); drop function walltrack.mirror_mode(jsonb);
-- drop table walltrack.leader_sell_balances; then re-create mirror_exit, exit_reason_of, override_position_strategy and
-- the two CHECK constraints from 20261205130500, 20261121002100, 20261121003400 and 20261205150000.
