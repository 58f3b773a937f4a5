-- Adds the decision of the signal pipeline: walltrack.process_signals decides a batch of recorded
-- signals in one call. A BUY is filtered (with its reason) or sized and opened; a SELL becomes a
-- mirror exit of the same wallet's open positions in that token. Also the helpers it uses:
-- the effective exit strategy (ADR-002), what processing needs fetched first, the exposure in use.

-- The strategy a position follows: the template's exit fields with the position's override on top.
create function walltrack.effective_exit_strategy(strategy_id uuid, override jsonb default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select (pg_catalog.to_jsonb(es) - array['created_at', 'updated_at', 'is_default', 'is_active', 'description'])
         || coalesce(override, '{}'::jsonb)
  from walltrack.exit_strategies es
  where es.id = strategy_id;
$$;
comment on function walltrack.effective_exit_strategy(uuid, jsonb) is
  'The effective exit strategy (ADR-002): the template''s fields merged with a position''s override, as snapshotted on the position.';
revoke execute on function walltrack.effective_exit_strategy(uuid, jsonb) from public;

-- The strategy a position follows now: its snapshot (or the template when none) with the override.
create function walltrack.position_strategy(pos walltrack.positions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(pos.exit_strategy_snapshot, walltrack.effective_exit_strategy(pos.exit_strategy_id))
         || coalesce(pos.exit_strategy_override, '{}'::jsonb);
$$;
comment on function walltrack.position_strategy(walltrack.positions) is
  'The effective exit strategy of a position: its snapshot (ADR-002) with its current override merged on top.';
revoke execute on function walltrack.position_strategy(walltrack.positions) from public;

-- What to fetch before deciding: tokens of unprocessed BUYs without a fresh analysis, and whether
-- SOL/USD is needed (any unprocessed signal without a USD price, or any BUY, since entries are
-- paid in SOL).
create function walltrack.signal_processing_needs(signal_ids uuid[] default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with pending as (
    select s.* from walltrack.signals s
    where s.processed_at is null and (signal_ids is null or s.id = any(signal_ids))
  )
  select pg_catalog.jsonb_build_object(
    'signals', (select count(*) from pending),
    'stale_tokens', coalesce((
      select pg_catalog.jsonb_agg(distinct p.token_address)
      from pending p
      cross join walltrack.config c
      left join walltrack.tokens t on t.address = p.token_address
      where p.signal_type = 'BUY'
        -- A minute of margin: an analysis that would expire while the batch is processed is refreshed.
        and (t.last_analyzed_at is null
             or t.last_analyzed_at < pg_catalog.now() + interval '1 minute'
                                     - pg_catalog.make_interval(mins => c.token_cache_ttl_minutes))
    ), '[]'::jsonb),
    'needs_sol_usd', exists (select 1 from pending where price_usd is null or signal_type = 'BUY'));
$$;
comment on function walltrack.signal_processing_needs(uuid[]) is
  'What processing needs fetched before walltrack.process_signals: {signals, stale_tokens: [mints without a fresh analysis], needs_sol_usd}.';
revoke execute on function walltrack.signal_processing_needs(uuid[]) from public;

-- Open positions and their USD exposure (entry cost once filled, the intended size while pending).
create function walltrack.open_exposure(out open_positions integer, out exposure_usd numeric)
language sql
stable
set search_path = ''
as $$
  select count(*)::integer, coalesce(sum(coalesce(p.entry_value_usd, o.value_usd, 0)), 0)
  from walltrack.positions p
  left join walltrack.orders o on o.position_id = p.id and o.order_type = 'entry'
  where p.status = 'open';
$$;
comment on function walltrack.open_exposure() is 'Open positions and the USD they commit (filled cost, or intended size of a pending entry).';
revoke execute on function walltrack.open_exposure() from public;

-- Decides a batch. sol_usd is the SOL/USD price of the moment (null when no source answered: SOL
-- signals then wait for the sweeper, and BUYs too, since an entry is sized in USD and paid in SOL).
-- BUY filters, in order, each with its filter_reason:
--   wallet inactive -> wallet_inactive; leader's transaction older than max_signal_age_seconds ->
--   stale_signal; no fresh safety analysis -> safety_check_unavailable; score below threshold ->
--   safety_check_failed; breaker active -> circuit_breaker (counted on the open activation);
--   an open position of this wallet in this token -> duplicate; the token's last position closed
--   less than reentry_cooldown_minutes ago -> cooldown; max open positions reached or the size
--   would exceed max total exposure -> exposure_limit; size below the minimum -> position_too_small.
-- Otherwise: size (fixed_percent: capital x risk %; follow_leader: leader's USD size x fraction),
-- capped by max_position_size_usd; snapshot the wallet's exit strategy; create the position and its
-- entry order. Simulation fills at once at the leader's USD price moved against us by
-- simulation_slippage_percent; live leaves the order pending for the executor.
-- SELL: for each open position of this wallet in this token holding tokens, with mirror exit on and
-- no full exit in flight, one pending exit_mirror order for what exits in flight will not sell; while
-- our live entry has not filled, the SELL waits. A signal whose decision fails is recorded
-- processing_error (rolled back, logged) so one bad input never stalls the batch.
create function walltrack.process_signals(
  signal_ids uuid[] default null,
  sol_usd numeric default null,
  sol_usd_source text default null,
  batch_limit integer default 500)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  wsol constant text := 'So11111111111111111111111111111111111111112';
  cfg walltrack.config;
  s walltrack.signals;
  w walltrack.wallets;
  t walltrack.tokens;
  decided_at timestamptz;
  reason text;
  leader_usd numeric;
  size_usd numeric;
  fill_price numeric;
  decimals integer;
  exposure record;
  opened uuid;
  exits integer;
  summary jsonb := pg_catalog.jsonb_build_object('processed', 0, 'opened', 0, 'exit_orders', 0, 'deferred', 0,
                                                 'filtered', '{}'::jsonb);
begin
  select * into strict cfg from walltrack.config;
  for s in
    select * from walltrack.signals sig
    where sig.processed_at is null and (signal_ids is null or sig.id = any(signal_ids))
    order by coalesce(sig.leader_block_time, sig.webhook_received_at), sig.webhook_received_at, sig.id
    limit batch_limit
    for update skip locked
  loop
    -- No USD price yet and no SOL/USD to make one: wait for the next run.
    if ((s.price_usd is null or s.signal_type = 'BUY') and sol_usd is null) or coalesce(s.price_usd, s.price) is null then
      summary := pg_catalog.jsonb_set(summary, '{deferred}', pg_catalog.to_jsonb((summary ->> 'deferred')::integer + 1));
      continue;
    end if;
    decided_at := pg_catalog.clock_timestamp();
    leader_usd := pg_catalog.trim_scale(coalesce(s.price_usd, s.price * sol_usd));
    select * into w from walltrack.wallets where id = s.wallet_id;
    -- The leader's balance changes tell the mint's decimals: keep them where no source reported them.
    update walltrack.tokens tk set decimals = s.token_decimals
     where tk.address = s.token_address and tk.decimals is null and s.token_decimals is not null;
    select * into t from walltrack.tokens where address = s.token_address;
    reason := null;
    opened := null;
    exits := 0;

    begin
      if s.signal_type = 'BUY' then
        size_usd := pg_catalog.round(least(
          case cfg.position_sizing_mode
            when 'fixed_percent' then cfg.capital_usd * cfg.risk_per_trade_percent * 0.01
            else s.amount_in * case when s.token_in = wsol then sol_usd else 1 end * cfg.leader_size_fraction
          end,
          cfg.max_position_size_usd), 2);
        select * into exposure from walltrack.open_exposure();
        reason := case
          when not w.is_active then 'wallet_inactive'
          when s.leader_block_time < decided_at - pg_catalog.make_interval(secs => cfg.max_signal_age_seconds) then 'stale_signal'
          when t.id is null or t.last_analyzed_at is null
            or t.last_analyzed_at < decided_at - pg_catalog.make_interval(mins => cfg.token_cache_ttl_minutes)
            then 'safety_check_unavailable'
          when t.safety_score < cfg.safety_score_threshold then 'safety_check_failed'
          when cfg.circuit_breaker_active then 'circuit_breaker'
          when exists (select 1 from walltrack.positions p
                       where p.wallet_id = s.wallet_id and p.token_id = t.id and p.status = 'open') then 'duplicate'
          when exists (select 1 from walltrack.positions p
                       where p.token_id = t.id and p.status = 'closed'
                         and p.closed_at > decided_at - pg_catalog.make_interval(mins => cfg.reentry_cooldown_minutes))
            then 'cooldown'
          when exposure.open_positions >= cfg.max_open_positions
            or exposure.exposure_usd + size_usd > cfg.max_total_exposure_usd then 'exposure_limit'
          when size_usd < cfg.min_position_size_usd
            or pg_catalog.round(size_usd / leader_usd, coalesce(s.token_decimals, t.decimals, 9)) <= 0
            or pg_catalog.round(size_usd / sol_usd, 9) <= 0 then 'position_too_small'
        end;

        if reason is null then
          decimals := coalesce(s.token_decimals, t.decimals, 9);
          -- Multiplying by 0.01 instead of dividing by 100 keeps the fill price exact.
          fill_price := pg_catalog.trim_scale(leader_usd * (100 + cfg.simulation_slippage_percent) * 0.01);
          begin
            insert into walltrack.positions (
              wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot,
              leader_price_usd, decision_delay_seconds, status)
            values (
              w.id, t.id, s.id, w.mode, w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id),
              leader_usd,
              case when s.leader_block_time is not null
                   then greatest(0, extract(epoch from (decided_at - s.leader_block_time))) end,
              'open')
            returning id into opened;
          exception when unique_violation then
            -- Another decision opened this wallet's position in this token a moment ago.
            reason := 'duplicate';
          end;
        end if;

        if opened is not null then
          insert into walltrack.orders (
            wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
            amount_in, amount_out_expected, value_usd, slippage_requested_percent, max_retries, requested_at,
            status, submitted_at, executed_at, amount_out, price_usd, slippage_actual_percent)
          select w.id, t.id, opened, s.id, 'entry', w.mode, wsol, s.token_address,
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
        end if;
      else
        -- Our live entry in this token has not filled yet: the SELL waits (unprocessed) until the
        -- entry fills (then it is mirrored) or fails (then there is no position to mirror).
        if exists (select 1 from walltrack.positions p join walltrack.tokens tk on tk.id = p.token_id
                   where p.wallet_id = s.wallet_id and tk.address = s.token_address
                     and p.status = 'open' and p.entry_amount is null) then
          summary := pg_catalog.jsonb_set(summary, '{deferred}', pg_catalog.to_jsonb((summary ->> 'deferred')::integer + 1));
          continue;
        end if;
        -- Mirror what exits already on their way (a scale-out level) will not sell; a full exit in
        -- flight already sells everything.
        with candidates as (
          select p.*, p.current_amount - coalesce((
                   select sum(o.amount_in) from walltrack.orders o
                   where o.position_id = p.id and o.order_type <> 'entry' and o.status in ('pending', 'submitted')), 0) as unsold,
                 exists (select 1 from walltrack.orders o
                         where o.position_id = p.id and o.status in ('pending', 'submitted')
                           and o.order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual')) as full_exit_in_flight,
                 (walltrack.position_strategy(p) ->> 'mirror_exit_enabled')::boolean as mirror
          from walltrack.positions p
          join walltrack.tokens tk on tk.id = p.token_id
          where p.wallet_id = s.wallet_id and tk.address = s.token_address and p.status = 'open' and p.current_amount > 0
        ), mirrored as (
          insert into walltrack.orders (
            wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out, amount_in,
            value_usd, slippage_requested_percent, max_retries, requested_at)
          select c.wallet_id, c.token_id, c.id, s.id, 'exit_mirror', c.mode, s.token_address, wsol,
                 pg_catalog.trim_scale(c.unsold), c.unsold * leader_usd, cfg.default_slippage_percent,
                 cfg.order_max_retries, decided_at
          from candidates c
          where c.unsold > 0 and not c.full_exit_in_flight
            and c.mirror
          returning position_id
        )
        select count(*), min(position_id::text)::uuid into exits, opened from mirrored;

        if exits = 0 then
          reason := case
            when not exists (select 1 from walltrack.positions p join walltrack.tokens tk on tk.id = p.token_id
                             where p.wallet_id = s.wallet_id and tk.address = s.token_address
                               and p.status = 'open' and p.current_amount > 0) then 'no_open_position'
            when exists (select 1 from walltrack.positions p join walltrack.tokens tk on tk.id = p.token_id
                         where p.wallet_id = s.wallet_id and tk.address = s.token_address
                           and p.status = 'open' and p.current_amount > 0
                           and (walltrack.position_strategy(p) ->> 'mirror_exit_enabled')::boolean)
              then 'duplicate' -- an exit in flight already sells everything
            else 'mirror_exit_disabled'
          end;
        end if;
      end if;

      update walltrack.signals
         set token_id = t.id,
             filtered = reason is not null,
             filter_reason = reason,
             position_created = (s.signal_type = 'BUY' and opened is not null),
             position_id = opened,
             price_usd = leader_usd,
             sol_usd_price = case when s.price_usd is null then sol_usd end,
             price_source = coalesce(s.price_source, sol_usd_source),
             processed_at = decided_at,
             processing_duration_ms = greatest(0, pg_catalog.round(extract(epoch from (decided_at - s.webhook_received_at)) * 1000))::integer
       where id = s.id;
    exception when others then
      -- A transient failure (serialization, deadlock, lock timeout) aborts the batch: the signal
      -- stays unprocessed and the next run decides it.
      if sqlstate like '40%' or sqlstate = '55P03' then
        raise;
      end if;
      -- One signal that cannot be decided must not stall the batch (and the sweeper) forever: its
      -- partial work is rolled back and it is recorded as not acted on, with the error logged.
      raise warning 'walltrack: signal % could not be decided: %', s.id, sqlerrm;
      reason := 'processing_error';
      opened := null;
      exits := 0;
      update walltrack.signals
         set token_id = t.id, filtered = true, filter_reason = reason, price_usd = leader_usd,
             sol_usd_price = case when s.price_usd is null then sol_usd end,
             price_source = coalesce(s.price_source, sol_usd_source),
             processed_at = decided_at,
             processing_duration_ms = greatest(0, pg_catalog.round(extract(epoch from (decided_at - s.webhook_received_at)) * 1000))::integer
       where id = s.id;
    end;

    summary := summary
      || pg_catalog.jsonb_build_object(
           'processed', (summary ->> 'processed')::integer + 1,
           'opened', (summary ->> 'opened')::integer + (s.signal_type = 'BUY' and opened is not null)::integer,
           'exit_orders', (summary ->> 'exit_orders')::integer + exits);
    if reason is not null then
      summary := pg_catalog.jsonb_set(summary, array['filtered', reason],
        pg_catalog.to_jsonb(coalesce((summary -> 'filtered' ->> reason)::integer, 0) + 1));
    end if;
  end loop;
  -- Last, so the config row stays unlocked while the batch is decided (the price monitor and the
  -- circuit breaker lock it), and config before the activation, in the order the breaker takes
  -- them: two orders of locks would deadlock at an unlock.
  if sol_usd is not null then
    update walltrack.config set sol_usd_price = sol_usd, sol_usd_price_at = pg_catalog.now();
  end if;
  if summary -> 'filtered' ? 'circuit_breaker' then
    update walltrack.circuit_breaker_events
       set new_positions_blocked = new_positions_blocked + (summary -> 'filtered' ->> 'circuit_breaker')::integer
     where event_type = 'activated' and deactivated_at is null;
  end if;
  return summary;
end;
$$;
comment on function walltrack.process_signals(uuid[], numeric, text, integer) is
  'Decides a batch of unprocessed signals in one call: BUYs filtered with a reason or sized and opened (simulation fills at once, live waits for the executor), SELLs mirrored as exit orders; returns {processed, opened, exit_orders, deferred, filtered: {reason: count}}.';
revoke execute on function walltrack.process_signals(uuid[], numeric, text, integer) from public;
