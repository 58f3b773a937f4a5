-- Adds the decision of the signal pipeline: walltrack.process_signals decides a batch of recorded
-- signals in one call, as a recipe of named rules (20261205130200..130600): a BUY is sized, filtered
-- (with its reason) or opened; a SELL becomes a mirror exit of the same wallet's open positions in
-- that token; each outcome is recorded once. Also the helpers it uses:
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
      left join walltrack.tokens t on t.address = p.token_address
      where p.signal_type = 'BUY'
        -- A minute ahead: an analysis that would expire while the batch is processed is refreshed.
        and not walltrack.safety_analysis_is_fresh(t.last_analyzed_at, pg_catalog.now() + interval '1 minute')
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

-- Decides a batch, oldest leader transaction first, each signal once. sol_usd is the SOL/USD price
-- of the moment (null when no source answered: SOL signals then wait for the sweeper, and BUYs too,
-- since an entry is sized in USD and paid in SOL). The recipe, each step a named rule:
--   BUY   walltrack.position_size_usd -> walltrack.buy_filter_reason -> walltrack.open_position
--   SELL  walltrack.mirror_exit
--   both  walltrack.record_signal_outcome
-- A signal whose decision fails is recorded processing_error (rolled back, logged) so one bad input
-- never stalls the batch. The config row is read once, unlocked: one batch, one configuration.
create function walltrack.process_signals(
  signal_ids uuid[] default null, sol_usd numeric default null, sol_usd_source text default null,
  batch_limit integer default 500)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  s walltrack.signals;
  w walltrack.wallets;
  t walltrack.tokens;
  decided_at timestamptz;
  reason text;
  leader_usd numeric;
  size_usd numeric;
  mirror record;
  opened uuid;
  exits integer;
  deferred integer := 0;
  blocked jsonb := '{}'::jsonb; -- entries filtered circuit_breaker, by mode
  summary jsonb := pg_catalog.jsonb_build_object('processed', 0, 'opened', 0, 'exit_orders', 0,
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
      deferred := deferred + 1;
      continue;
    end if;
    decided_at := pg_catalog.clock_timestamp();
    leader_usd := pg_catalog.trim_scale(coalesce(s.price_usd, s.price * sol_usd));
    select * into w from walltrack.wallets where id = s.wallet_id;
    -- The leader's balance changes tell the mint's decimals: keep them where no source reported them.
    update walltrack.tokens tk set decimals = s.token_decimals
     where tk.address = s.token_address and tk.decimals is null and s.token_decimals is not null;
    select * into t from walltrack.tokens where address = s.token_address;
    reason := null; opened := null; exits := 0;

    begin
      if s.signal_type = 'BUY' then
        size_usd := walltrack.position_size_usd(s, cfg, sol_usd);
        reason := walltrack.buy_filter_reason(s, w, t, cfg, size_usd, leader_usd, sol_usd, decided_at);
        if reason is null then
          opened := walltrack.open_position(s, w, t, cfg, size_usd, leader_usd, sol_usd, decided_at);
          reason := case when opened is null then 'duplicate' end;
        end if;
      else
        mirror := walltrack.mirror_exit(s, leader_usd, decided_at);
        if mirror.waits then
          deferred := deferred + 1;
          continue;
        end if;
        exits := mirror.exit_orders;
        opened := mirror.position_id;
        reason := mirror.filter_reason;
      end if;
      perform walltrack.record_signal_outcome(s, t.id, reason, opened, leader_usd, sol_usd, sol_usd_source, decided_at);
    exception when others then
      -- A transient failure (serialization, deadlock, lock timeout) aborts the batch: decided next run.
      if sqlstate like '40%' or sqlstate = '55P03' then
        raise;
      end if;
      -- One signal that cannot be decided must not stall the batch (and the sweeper) forever: its
      -- partial work is rolled back and it is recorded as not acted on, with the error logged.
      raise warning 'walltrack: signal % could not be decided: %', s.id, sqlerrm;
      reason := 'processing_error'; opened := null; exits := 0;
      perform walltrack.record_signal_outcome(s, t.id, reason, null, leader_usd, sol_usd, sol_usd_source, decided_at);
    end;

    summary := summary
      || pg_catalog.jsonb_build_object(
           'processed', (summary ->> 'processed')::integer + 1,
           'opened', (summary ->> 'opened')::integer + (s.signal_type = 'BUY' and opened is not null)::integer,
           'exit_orders', (summary ->> 'exit_orders')::integer + exits);
    if reason = 'circuit_breaker' then
      blocked := blocked || pg_catalog.jsonb_build_object(w.mode, coalesce((blocked ->> w.mode)::integer, 0) + 1);
    end if;
    if reason is not null then
      summary := pg_catalog.jsonb_set(summary, array['filtered', reason],
        pg_catalog.to_jsonb(coalesce((summary -> 'filtered' ->> reason)::integer, 0) + 1));
    end if;
  end loop;
  -- Last, so the config row stays unlocked while the batch is decided (the price monitor and the breaker
  -- lock it), and config before the activation as the breaker takes them: else a deadlock at an unlock.
  if sol_usd is not null then
    update walltrack.config set sol_usd_price = sol_usd, sol_usd_price_at = pg_catalog.now();
  end if;
  if blocked <> '{}'::jsonb then
    update walltrack.circuit_breaker_events
       set new_positions_blocked = new_positions_blocked + (blocked ->> mode)::integer
     where event_type = 'activated' and deactivated_at is null and blocked ? mode;
  end if;
  return summary || pg_catalog.jsonb_build_object('deferred', deferred);
end;
$$;
comment on function walltrack.process_signals(uuid[], numeric, text, integer) is
  'Decides a batch of unprocessed signals in one call: BUYs filtered with a reason or sized and opened (simulation fills at once, live waits for the executor), SELLs mirrored as exit orders; returns {processed, opened, exit_orders, deferred, filtered: {reason: count}}.';
revoke execute on function walltrack.process_signals(uuid[], numeric, text, integer) from public;
