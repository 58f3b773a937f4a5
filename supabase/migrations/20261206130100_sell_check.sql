-- Adds the sell check before entry (issue 14): a token that can be bought but not sold (no route
-- back to SOL, a round trip that loses most of the stake, a Token-2022 transfer hook or a
-- prohibitive transfer fee) passed when RugCheck and DexScreener looked fine. Before a BUY of a
-- token without a fresh check, signal-processor asks Jupiter to buy the SOL we would spend and to
-- sell what that buys back to SOL, and reads the mint account (Solana RPC, jsonParsed) for its
-- transfer fee and hook; walltrack.store_sell_checks keeps what was measured with the token's
-- analysis, and the BUY filter refuses with the reason (walltrack.sell_check_reason). A failure of
-- Jupiter or the RPC stores nothing: the BUY is filtered sell_check_unavailable, never traded
-- blind. The measured round trip is also the token's simulated slippage.
-- Also adds the operator's setter for the risk settings of issue 14 (npm run risk:set).

alter table walltrack.config
  add column sell_check_enabled boolean not null default true,
  add column sell_check_ttl_minutes integer not null default 10
    constraint config_sell_check_ttl_minutes_check check (sell_check_ttl_minutes between 1 and 1440),
  add column sell_check_max_round_trip_loss_percent numeric(5, 2) not null default 10
    constraint config_sell_check_max_round_trip_loss_percent_check
      check (sell_check_max_round_trip_loss_percent > 0 and sell_check_max_round_trip_loss_percent <= 100),
  add column sell_check_max_price_impact_percent numeric(5, 2) not null default 5
    constraint config_sell_check_max_price_impact_percent_check
      check (sell_check_max_price_impact_percent > 0 and sell_check_max_price_impact_percent <= 100),
  add column sell_check_max_transfer_fee_bps integer not null default 100
    constraint config_sell_check_max_transfer_fee_bps_check check (sell_check_max_transfer_fee_bps between 0 and 10000);
comment on column walltrack.config.sell_check_enabled is
  'Sell check before entry (Jupiter round trip and the mint''s Token-2022 extensions); off: BUYs are not checked (default on).';
comment on column walltrack.config.sell_check_ttl_minutes is
  'How long a token''s sell check counts (default 10 minutes), for entries up to the USD size it was measured for.';
comment on column walltrack.config.sell_check_max_round_trip_loss_percent is
  'A BUY is filtered sell_round_trip_loss when buying and selling back its size at once would lose more than this percent of the SOL spent (default 10).';
comment on column walltrack.config.sell_check_max_price_impact_percent is
  'A BUY is filtered sell_price_impact when Jupiter''s price impact of selling back what it buys exceeds this percent (default 5).';
comment on column walltrack.config.sell_check_max_transfer_fee_bps is
  'A BUY is filtered sell_transfer_fee when the mint''s Token-2022 transfer fee exceeds this many basis points (default 100, 1 %).';

alter table walltrack.tokens
  add column sell_checked_at timestamptz,
  add column sell_check_outcome text constraint tokens_sell_check_outcome_check check (sell_check_outcome in ('route', 'no_route')),
  add column sell_check_size_usd numeric(20, 2) constraint tokens_sell_check_size_usd_check check (sell_check_size_usd > 0),
  add column sell_check_sol_in_lamports numeric constraint tokens_sell_check_sol_in_lamports_check
    check (sell_check_sol_in_lamports > 0 and sell_check_sol_in_lamports = pg_catalog.trunc(sell_check_sol_in_lamports)),
  add column sell_check_token_raw numeric constraint tokens_sell_check_token_raw_check
    check (sell_check_token_raw >= 0 and sell_check_token_raw = pg_catalog.trunc(sell_check_token_raw)),
  add column sell_check_sol_out_lamports numeric constraint tokens_sell_check_sol_out_lamports_check
    check (sell_check_sol_out_lamports >= 0 and sell_check_sol_out_lamports = pg_catalog.trunc(sell_check_sol_out_lamports)),
  add column sell_round_trip_loss_percent numeric,
  add column sell_price_impact_percent numeric,
  add column is_token_2022 boolean,
  add column mint_transfer_fee_bps integer constraint tokens_mint_transfer_fee_bps_check check (mint_transfer_fee_bps between 0 and 10000),
  add column mint_transfer_hook_program walltrack.solana_address,
  add constraint tokens_sell_check_is_complete check (
    (sell_checked_at is null and sell_check_outcome is null and sell_check_size_usd is null)
    or (sell_checked_at is not null and sell_check_outcome is not null and sell_check_size_usd is not null
        and sell_check_sol_in_lamports is not null and is_token_2022 is not null and mint_transfer_fee_bps is not null)),
  add constraint tokens_sell_check_route_is_measured check (
    sell_check_outcome is distinct from 'route'
    or (sell_check_sol_out_lamports is not null and sell_round_trip_loss_percent is not null));
comment on column walltrack.tokens.sell_checked_at is 'When the sell check was measured; it counts for config.sell_check_ttl_minutes.';
comment on column walltrack.tokens.sell_check_outcome is 'route: Jupiter quoted both legs; no_route: Jupiter found no route for one of them (a BUY is filtered sell_no_route).';
comment on column walltrack.tokens.sell_check_size_usd is 'The entry size (USD) the check was measured for; it counts for entries up to this size.';
comment on column walltrack.tokens.sell_check_sol_in_lamports is 'The SOL (lamports) the buy leg spent: that size at the SOL/USD price of the moment.';
comment on column walltrack.tokens.sell_check_token_raw is 'What the buy leg would get (raw token units), the amount the sell leg sold back.';
comment on column walltrack.tokens.sell_check_sol_out_lamports is 'The SOL (lamports) the sell leg would get back.';
comment on column walltrack.tokens.sell_round_trip_loss_percent is 'Measured round-trip cost: (SOL in - SOL out) / SOL in x 100, exact (negative: a gain); half of it is the token''s simulated slippage per fill.';
comment on column walltrack.tokens.sell_price_impact_percent is 'Jupiter''s price impact of the sell leg, in percent.';
comment on column walltrack.tokens.is_token_2022 is 'True when the mint account is owned by the Token-2022 program (from the mint account, Solana RPC).';
comment on column walltrack.tokens.mint_transfer_fee_bps is 'The transfer fee the mint charges now (Token-2022 transferFeeConfig, newer fee), basis points; 0 without one.';
comment on column walltrack.tokens.mint_transfer_hook_program is 'The program a Token-2022 transfer hook calls on every transfer, which can refuse a sale; null without an active hook.';

alter table walltrack.signals drop constraint signals_filter_reason_check;
alter table walltrack.signals add constraint signals_filter_reason_check check (filter_reason in (
  'conversion', 'token_denied', 'token_not_allowed',
  'wallet_inactive', 'stale_signal', 'safety_check_failed', 'safety_check_unavailable',
  'sell_check_unavailable', 'sell_transfer_hook', 'sell_transfer_fee', 'sell_no_route', 'sell_round_trip_loss',
  'sell_price_impact', 'circuit_breaker', 'duplicate', 'cooldown', 'exposure_limit',
  'leader_paused', 'leader_max_positions', 'leader_exposure_limit', 'position_too_small', 'no_open_position',
  'mirror_exit_disabled', 'mirror_fraction_unknown', 'mirror_nothing_to_sell', 'processing_error'));
comment on column walltrack.signals.filter_reason is 'Why the signal was not acted on: conversion (a swap between SOL/USDC/USDT and a quote-like asset of the deny list), token_denied, token_not_allowed, wallet_inactive, stale_signal, safety_check_failed, safety_check_unavailable, sell_check_unavailable, sell_transfer_hook, sell_transfer_fee, sell_no_route, sell_round_trip_loss, sell_price_impact, circuit_breaker, duplicate, cooldown, exposure_limit, leader_paused, leader_max_positions, leader_exposure_limit, position_too_small, no_open_position, mirror_exit_disabled, mirror_fraction_unknown (proportional mirror, the leader''s fraction unknown, fallback none: walltrack.leader_sell_balances says why), mirror_nothing_to_sell (the mirror share is sold or selling, or the leader''s fraction of it is below one base unit), processing_error (the decision failed; the error is in the server log).';

-- The sell check as a named rule, called by walltrack.buy_filter_reason right after the safety
-- score. In order, first match wins:
--   sell_check_unavailable  no check measured within sell_check_ttl_minutes for an entry of at least
--                           this size (Jupiter or the RPC failed: never trade blind)
--   sell_transfer_hook      the mint has an active Token-2022 transfer hook (its program can refuse a sale)
--   sell_transfer_fee       the mint's transfer fee is above sell_check_max_transfer_fee_bps
--   sell_no_route           Jupiter found no route to buy or to sell back
--   sell_round_trip_loss    buying and selling back at once loses more than sell_check_max_round_trip_loss_percent
--   sell_price_impact       the sell leg's price impact is above sell_check_max_price_impact_percent
-- Null: sellable (or the check is off).
create function walltrack.sell_check_reason(t walltrack.tokens, cfg walltrack.config, size_usd numeric, decided_at timestamptz)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return case
    when not cfg.sell_check_enabled then null
    when t.sell_checked_at is null
      or t.sell_checked_at < decided_at - pg_catalog.make_interval(mins => cfg.sell_check_ttl_minutes)
      or t.sell_check_size_usd < size_usd then 'sell_check_unavailable'
    when t.mint_transfer_hook_program is not null then 'sell_transfer_hook'
    when t.mint_transfer_fee_bps > cfg.sell_check_max_transfer_fee_bps then 'sell_transfer_fee'
    when t.sell_check_outcome = 'no_route' then 'sell_no_route'
    when t.sell_round_trip_loss_percent > cfg.sell_check_max_round_trip_loss_percent then 'sell_round_trip_loss'
    when t.sell_price_impact_percent > cfg.sell_check_max_price_impact_percent then 'sell_price_impact'
  end;
end;
$$;
comment on function walltrack.sell_check_reason(walltrack.tokens, walltrack.config, numeric, timestamptz) is
  'The sell check before entry: sell_check_unavailable, sell_transfer_hook, sell_transfer_fee, sell_no_route, sell_round_trip_loss, sell_price_impact, or null when the token can be sold back (or the check is off).';
revoke execute on function walltrack.sell_check_reason(walltrack.tokens, walltrack.config, numeric, timestamptz) from public;

-- What to check before a batch is decided: per mint, the largest entry (USD, and its SOL in
-- lamports at sol_usd) that a pending BUY would open and that no fresh check covers. Only BUYs the
-- earlier filters would let through are asked about (on no list, wallet active, not stale, a fresh
-- analysis that passes), so a token already refused costs Jupiter nothing; the check needs no
-- decimals (raw amounts throughout), which a leader's balance changes may only tell later. A check
-- that would expire within a minute is measured again, as analyses are.
create function walltrack.sell_checks_needed(signal_ids uuid[], sol_usd numeric)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with cfg as (select * from walltrack.config), pending as (
    select s.token_address, walltrack.position_size_usd(s, c, sol_usd) as size_usd
    from walltrack.signals s
    cross join cfg c
    join walltrack.wallets w on w.id = s.wallet_id
    join walltrack.tokens t on t.address = s.token_address
    where s.processed_at is null and (signal_ids is null or s.id = any(signal_ids))
      and s.signal_type = 'BUY' and c.sell_check_enabled and sol_usd > 0
      and w.is_active and walltrack.token_list_reason(s) is null
      and (s.leader_block_time is null
           or s.leader_block_time >= pg_catalog.now() - pg_catalog.make_interval(secs => c.max_signal_age_seconds))
      and walltrack.safety_analysis_is_fresh(t.last_analyzed_at) and t.safety_score >= c.safety_score_threshold
      and walltrack.sell_check_reason(t, c, walltrack.position_size_usd(s, c, sol_usd), pg_catalog.now() + interval '1 minute')
          is not distinct from 'sell_check_unavailable'
  )
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'mint', p.token_address, 'size_usd', p.size_usd,
           'sol_in_lamports', (pg_catalog.round(p.size_usd / sol_usd, 9) * 1000000000)::bigint::text)
           order by p.token_address), '[]'::jsonb)
  from (select token_address, max(size_usd) as size_usd from pending group by token_address) p
  where p.size_usd > 0;
$$;
comment on function walltrack.sell_checks_needed(uuid[], numeric) is
  'The sell checks to measure before deciding these signals (null: every unprocessed one): [{mint, size_usd, sol_in_lamports}], the largest uncovered entry per mint of the BUYs the earlier filters pass.';
revoke execute on function walltrack.sell_checks_needed(uuid[], numeric) from public;

-- Stores what signal-processor measured: per mint, both quotes' amounts (or no_route) and the mint
-- account's extensions. The round-trip loss is computed here, exactly, from the raw amounts.
create function walltrack.store_sell_checks(checks jsonb)
returns integer
language sql
set search_path = ''
as $$
  with measured as (
    select distinct on (c.mint) c.*
    from pg_catalog.jsonb_to_recordset(checks) as c(
      mint text, size_usd numeric, outcome text, sol_in_lamports numeric, token_raw numeric,
      sol_out_lamports numeric, price_impact_fraction numeric, token_2022 boolean, transfer_fee_bps integer,
      transfer_hook_program text)
    order by c.mint
  ), stored as (
    update walltrack.tokens t set
      sell_checked_at = pg_catalog.now(),
      sell_check_outcome = m.outcome,
      sell_check_size_usd = m.size_usd,
      sell_check_sol_in_lamports = m.sol_in_lamports,
      sell_check_token_raw = m.token_raw,
      sell_check_sol_out_lamports = m.sol_out_lamports,
      sell_round_trip_loss_percent = case when m.sol_out_lamports is not null
        then pg_catalog.trim_scale((m.sol_in_lamports - m.sol_out_lamports) * 100 / m.sol_in_lamports) end,
      sell_price_impact_percent = pg_catalog.trim_scale(m.price_impact_fraction * 100),
      is_token_2022 = m.token_2022,
      mint_transfer_fee_bps = m.transfer_fee_bps,
      mint_transfer_hook_program = m.transfer_hook_program
    from measured m
    where t.address = m.mint
    returning 1
  )
  select count(*)::integer from stored;
$$;
comment on function walltrack.store_sell_checks(jsonb) is
  'Writes the measured sell checks onto their tokens ([{mint, size_usd, outcome, sol_in_lamports, token_raw, sol_out_lamports, price_impact_fraction (Jupiter''s priceImpactPct, a fraction), token_2022, transfer_fee_bps, transfer_hook_program}]); the round-trip loss is computed exactly from the amounts. Returns how many tokens were updated.';
revoke execute on function walltrack.store_sell_checks(jsonb) from public;

-- The measured round trip is two fills (a buy, then a sell): each pays half of it. Simulation never
-- fills better than the configured model, and a token never checked keeps the configured model.
create function walltrack.token_simulation_slippage_percent(t walltrack.tokens, cfg walltrack.config)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select greatest(cfg.simulation_slippage_percent, coalesce(t.sell_round_trip_loss_percent * 0.5, 0));
$$;
comment on function walltrack.token_simulation_slippage_percent(walltrack.tokens, walltrack.config) is
  'A token''s simulated slippage per fill: half its measured round-trip cost, never below config.simulation_slippage_percent.';
revoke execute on function walltrack.token_simulation_slippage_percent(walltrack.tokens, walltrack.config) from public;

-- The BUY filter again (20261205130300), with two rules added where they belong: the sell check
-- right after the safety score (both are facts about the token), the per-leader limits right after
-- the global exposure limit (walltrack.leader_risk_reason). In order, first match wins:
--   wallet_inactive, stale_signal, safety_check_unavailable, safety_check_failed,
--   sell_check_unavailable, sell_transfer_hook, sell_transfer_fee, sell_no_route,
--   sell_round_trip_loss, sell_price_impact   (walltrack.sell_check_reason)
--   circuit_breaker, duplicate, cooldown, exposure_limit,
--   leader_paused, leader_max_positions, leader_exposure_limit   (walltrack.leader_risk_reason)
--   position_too_small
create or replace function walltrack.buy_filter_reason(
  sig walltrack.signals, w walltrack.wallets, t walltrack.tokens, cfg walltrack.config, size_usd numeric,
  leader_usd numeric, sol_usd numeric, decided_at timestamptz)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  reason text;
begin
  reason := case
    when not w.is_active then 'wallet_inactive'
    when sig.leader_block_time < decided_at - pg_catalog.make_interval(secs => cfg.max_signal_age_seconds) then 'stale_signal'
    when t.id is null or not walltrack.safety_analysis_is_fresh(t.last_analyzed_at, decided_at)
      or walltrack.token_decimals(t.id) is null then 'safety_check_unavailable'
    when t.safety_score < cfg.safety_score_threshold then 'safety_check_failed'
  end;
  reason := coalesce(reason, walltrack.sell_check_reason(t, cfg, size_usd, decided_at));
  if reason is not null then
    return reason;
  end if;
  -- The exposure is read only for a BUY that passed every filter before it.
  reason := case
    when walltrack.circuit_breaker_blocks(w.mode) then 'circuit_breaker'
    when exists (select 1 from walltrack.positions p
                 where p.wallet_id = sig.wallet_id and p.token_id = t.id and p.status = 'open') then 'duplicate'
    when exists (select 1 from walltrack.positions p
                 where p.token_id = t.id and p.status = 'closed'
                   and p.closed_at > decided_at - pg_catalog.make_interval(mins => cfg.reentry_cooldown_minutes))
      then 'cooldown'
    when (select e.open_positions >= cfg.max_open_positions or e.exposure_usd + size_usd > cfg.max_total_exposure_usd
          from walltrack.open_exposure() e) then 'exposure_limit'
  end;
  reason := coalesce(reason, walltrack.leader_risk_reason(w, cfg, size_usd, decided_at));
  if reason is not null then
    return reason;
  end if;
  return case
    when size_usd < cfg.min_position_size_usd
      or pg_catalog.round(size_usd / leader_usd, walltrack.token_decimals(t.id)) <= 0
      or pg_catalog.round(size_usd / sol_usd, 9) <= 0 then 'position_too_small'
  end;
end;
$$;
comment on function walltrack.buy_filter_reason(walltrack.signals, walltrack.wallets, walltrack.tokens, walltrack.config, numeric, numeric, numeric, timestamptz) is
  'The BUY filter: the first reason not to follow a BUY (wallet_inactive, stale_signal, safety_check_unavailable, safety_check_failed, the sell check''s reasons, circuit_breaker, duplicate, cooldown, exposure_limit, the per-leader reasons, position_too_small), or null to follow it.';

-- Opening a position (20261205130400), its simulated entry now paying the token's measured
-- slippage (walltrack.token_simulation_slippage_percent) instead of the configured one alone.
create or replace function walltrack.open_position(
  sig walltrack.signals, w walltrack.wallets, t walltrack.tokens, cfg walltrack.config, size_usd numeric,
  leader_usd numeric, sol_usd numeric, decided_at timestamptz)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  decimals integer := walltrack.token_decimals(t.id);
  fill_price numeric;
  opened uuid;
begin
  fill_price := walltrack.simulated_fill_price(leader_usd, walltrack.token_simulation_slippage_percent(t, cfg), true);
  begin
    insert into walltrack.positions (
      wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot,
      leader_price_usd, decision_delay_seconds, status)
    values (
      w.id, t.id, sig.id, w.mode, w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id),
      leader_usd,
      case when sig.leader_block_time is not null
           then greatest(0, extract(epoch from (decided_at - sig.leader_block_time))) end,
      'open')
    returning id into opened;
  exception when unique_violation then
    return null;
  end;
  insert into walltrack.orders (
    wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
    amount_in, amount_out_expected, value_usd, slippage_requested_percent, max_retries, requested_at,
    status, submitted_at, executed_at, amount_out, price_usd, slippage_actual_percent)
  select w.id, t.id, opened, sig.id, 'entry', w.mode, walltrack.wsol_mint(), sig.token_address,
         pg_catalog.round(size_usd / sol_usd, 9),
         pg_catalog.round(size_usd / leader_usd, decimals),
         coalesce(fill.amount * fill.price, size_usd), cfg.default_slippage_percent, cfg.order_max_retries, decided_at,
         fill.status, fill.at, fill.at, fill.amount, fill.price,
         case when fill.amount is not null
           then pg_catalog.round((1 - leader_usd / fill_price) * 100, 4) end
  from (select case when w.mode = 'simulation' then 'executed' else 'pending' end as status,
               case when w.mode = 'simulation' then decided_at end as at,
               case when w.mode = 'simulation' then pg_catalog.round(size_usd / fill_price, decimals) end as amount,
               case when w.mode = 'simulation' then fill_price end as price) as fill;
  return opened;
end;
$$;
comment on function walltrack.open_position(walltrack.signals, walltrack.wallets, walltrack.tokens, walltrack.config, numeric, numeric, numeric, timestamptz) is
  'Opens the position a followed BUY calls for: the position (exit strategy snapshotted) and its entry order of size_usd, filled at once in simulation at the token''s simulated slippage, pending in live; null when the wallet already opened one in this token.';

-- Filling simulation orders (20261121002300), each fill now paying the token's slippage (half its
-- measured round trip, never less than simulation_slippage_percent) instead of the configured one
-- alone: a token that costs 20 % to get in and out of no longer looks like it costs 2 %. Four lines
-- changed: the slippage read once per order, used for the price and recorded on the order.
create or replace function walltrack.fill_simulated_orders(order_ids uuid[])
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  o walltrack.orders;
  p walltrack.positions;
  t walltrack.tokens;
  slippage numeric;
  decimals integer;
  price numeric;
  sold numeric;
  proceeds numeric;
  filled integer := 0;
  cancelled integer := 0;
  deferred integer := 0;
  failed integer := 0;
begin
  select * into strict cfg from walltrack.config;
  for o in
    select * from walltrack.orders
    where id = any(order_ids) and mode = 'simulation' and status in ('pending', 'submitted')
    order by requested_at
    for update
  loop
    begin
      select * into p from walltrack.positions where id = o.position_id for update;
      decimals := walltrack.token_decimals(o.token_id);
      select * into t from walltrack.tokens where id = o.token_id;
      slippage := walltrack.token_simulation_slippage_percent(t, cfg);
      if cfg.sol_usd_price is null or coalesce(p.current_price, p.leader_price_usd) is null then
        perform walltrack.defer_order(o.id, 'no_price', 'no observed price to simulate the fill at yet', 60);
        deferred := deferred + 1;
        continue;
      end if;
      if o.order_type = 'entry' and decimals is null then
        perform walltrack.defer_order(o.id, 'unknown_decimals', 'the mint''s decimals are unknown: the tokens bought cannot be counted', 60);
        deferred := deferred + 1;
        continue;
      end if;
      if o.order_type = 'entry' then
        price := walltrack.simulated_fill_price(coalesce(p.current_price, p.leader_price_usd), slippage, true);
        if o.status = 'pending' then
          update walltrack.orders set status = 'submitted', submitted_at = pg_catalog.now() where id = o.id;
        end if;
        update walltrack.orders
           set status = 'executed', executed_at = pg_catalog.clock_timestamp(), claimed_until = null, price_usd = price,
               amount_out = pg_catalog.round(o.amount_in * cfg.sol_usd_price / price, decimals),
               value_usd = pg_catalog.round(o.amount_in * cfg.sol_usd_price / price, decimals) * price,
               slippage_actual_percent = slippage
         where id = o.id;
        filled := filled + 1;
        continue;
      end if;
      sold := least(o.amount_in, p.current_amount);
      if p.status <> 'open' or sold <= 0 then
        update walltrack.orders set status = 'cancelled', claimed_until = null,
               error_code = 'nothing_to_sell', error_message = 'the position holds nothing more to sell'
         where id = o.id;
        cancelled := cancelled + 1;
        continue;
      end if;
      price := walltrack.simulated_fill_price(p.current_price, slippage, false);
      proceeds := pg_catalog.round(sold * price / cfg.sol_usd_price, 9);
      if o.status = 'pending' then
        update walltrack.orders set status = 'submitted', submitted_at = pg_catalog.now() where id = o.id;
      end if;
      update walltrack.orders
         set status = 'executed', executed_at = pg_catalog.clock_timestamp(), claimed_until = null,
             amount_in = sold, price_usd = price, value_usd = sold * price, amount_out = proceeds,
             slippage_actual_percent = slippage,
             error_code = case when proceeds = 0 then 'zero_proceeds' end,
             error_message = case when proceeds = 0
               then pg_catalog.format('worthless: %s tokens at %s USD bring less than half a lamport; sold for 0 SOL', sold, price) end
       where id = o.id;
      filled := filled + 1;
    exception when others then
      -- A transient failure (serialization, deadlock, lock timeout) aborts the batch: retried whole.
      if sqlstate like '40%' or sqlstate = '55P03' then
        raise;
      end if;
      -- The order's own changes are rolled back; its failed attempt is counted (after max_retries it
      -- fails for good) and the next order is filled.
      perform walltrack.record_order_failure(o.id, 'simulation_fill_error', pg_catalog.left(sqlerrm, 500));
      failed := failed + 1;
    end;
  end loop;
  return pg_catalog.jsonb_build_object('filled', filled, 'cancelled', cancelled, 'deferred', deferred, 'failed', failed);
end;
$$;
comment on function walltrack.fill_simulated_orders(uuid[]) is
  'Fills simulation orders at the latest observed price moved by the token''s slippage (walltrack.token_simulation_slippage_percent) (exits capped at what remains; nothing left cancels; proceeds that round to 0 SOL fill with zero proceeds, error_code zero_proceeds), each order alone: an error fails that order''s attempt, not the batch. Returns {filled, cancelled, deferred, failed}.';

-- The operator's setter for the risk settings of issue 14 (npm run risk:set): only these keys, each
-- cast to its column's type; the CHECK constraints refuse a bad value and nothing changes.
create function walltrack.set_risk_settings(settings jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  allowed constant text[] := array[
    'leader_max_open_positions', 'leader_max_exposure_usd', 'leader_pause_after_losses', 'leader_loss_limit_usd',
    'leader_loss_window_hours', 'leader_pause_minutes', 'sell_check_enabled', 'sell_check_ttl_minutes',
    'sell_check_max_round_trip_loss_percent', 'sell_check_max_price_impact_percent', 'sell_check_max_transfer_fee_bps'];
  setting record;
  column_type text;
  result jsonb;
begin
  if settings is null or pg_catalog.jsonb_typeof(settings) <> 'object' or settings = '{}'::jsonb then
    raise exception 'nothing to set: give an object of settings, e.g. {"leader_pause_after_losses": 3}' using errcode = 'P0001';
  end if;
  for setting in select * from pg_catalog.jsonb_each_text(settings) loop
    if setting.key <> all (allowed) then
      raise exception 'unknown risk setting %: one of %', setting.key, pg_catalog.array_to_string(allowed, ', ')
        using errcode = 'P0001';
    end if;
    select pg_catalog.format_type(a.atttypid, a.atttypmod) into strict column_type
    from pg_catalog.pg_attribute a
    where a.attrelid = 'walltrack.config'::pg_catalog.regclass and a.attname = setting.key;
    execute pg_catalog.format('update walltrack.config set %I = %L::%s', setting.key, setting.value, column_type);
  end loop;
  select pg_catalog.jsonb_object_agg(k, v) into result
  from pg_catalog.jsonb_each(pg_catalog.to_jsonb((select c from walltrack.config c))) as e(k, v)
  where k = any (allowed);
  return result;
end;
$$;
comment on function walltrack.set_risk_settings(jsonb) is
  'Sets risk settings of walltrack.config from {name: value} (the leader_* limits and pause, the sell_check_* limits; a JSON null clears a nullable limit); returns every such setting after the change.';
revoke execute on function walltrack.set_risk_settings(jsonb) from public;

-- For walltrack.status_summary (added by the lead at merge): what the sell check measured and refused.
create function walltrack.sell_check_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'enabled', (select c.sell_check_enabled from walltrack.config c),
    'tokens_checked_24h', (select count(*) from walltrack.tokens t where t.sell_checked_at > pg_catalog.now() - interval '24 hours'),
    'refused_24h', coalesce((
      select pg_catalog.jsonb_object_agg(s.filter_reason, s.n)
      from (select sig.filter_reason, count(*) as n from walltrack.signals sig
            where sig.filter_reason in ('sell_check_unavailable', 'sell_transfer_hook', 'sell_transfer_fee',
                                        'sell_no_route', 'sell_round_trip_loss', 'sell_price_impact')
              and sig.processed_at > pg_catalog.now() - interval '24 hours'
            group by sig.filter_reason) s), '{}'::jsonb));
$$;
comment on function walltrack.sell_check_status() is
  'The sell check for the status: {enabled, tokens_checked_24h, refused_24h: {reason: BUYs}}.';
revoke execute on function walltrack.sell_check_status() from public;
