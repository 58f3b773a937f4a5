-- A trade paid in a quote-like asset (issue 17): a memecoin bought with mSOL, PYUSD or WETH is
-- still a BUY, valued through that asset's USD price; a swap between two quote-like assets
-- (mSOL -> JitoSOL, PYUSD -> USDe) is a conversion, visible in the funnel like SOL -> mSOL.
--
-- The webhook classifies without knowing the lists (one round trip per delivery): when a wallet
-- swapped one token for another, it offers both readings (a BUY of what came in, paid in what
-- went out, and a SELL of what went out, paid in what came in), and record_signals keeps the one
-- the lists make true (walltrack.token_pair_reading_kept). A pair of two ordinary tokens stays
-- unrecorded: which side would we copy?
--
-- The quote's USD price is a fact of the signal, written once: 1 for USDC and USDT (from the
-- webhook), SOL/USD at the decision for SOL, and for a quote-like asset fetched by the signal
-- processor (walltrack.price_quote_assets) before the decision; until it is known, such a signal
-- waits (never valued as if the asset were SOL or a dollar).

alter table walltrack.signals add column quote_usd_price numeric
  constraint signals_quote_usd_price_check check (quote_usd_price > 0);
comment on column walltrack.signals.quote_usd_price is
  'The USD price of one unit of the quote the leader paid or received when it is not SOL: 1 for USDC/USDT (set by the webhook), the asset''s price for a quote-like asset (set by the signal processor before the decision, source in price_source); null for SOL, whose USD price is in sol_usd_price.';

-- Only the webhook (USDC/USDT at 1) and the signal processor (a quote-like asset) write it, once.
create or replace function walltrack.protect_signal_facts()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  outcome constant text[] := array['token_id', 'filtered', 'filter_reason', 'position_created', 'position_id',
                                   'processed_at', 'processing_duration_ms', 'price_usd', 'sol_usd_price',
                                   'quote_usd_price', 'price_source', 'updated_at'];
begin
  if (pg_catalog.to_jsonb(new) - outcome) is distinct from (pg_catalog.to_jsonb(old) - outcome) then
    raise exception 'signal % is immutable: only its processing outcome may be written', old.id
      using errcode = 'integrity_constraint_violation',
            hint = 'signals are an append-only audit trail; record a new signal instead';
  end if;
  if old.processed_at is not null
     and (pg_catalog.to_jsonb(new) - 'updated_at') is distinct from (pg_catalog.to_jsonb(old) - 'updated_at') then
    raise exception 'signal % was already processed at %: its outcome is written once', old.id, old.processed_at
      using errcode = 'integrity_constraint_violation';
  end if;
  if old.price_usd is not null and new.price_usd is distinct from old.price_usd then
    raise exception 'signal %: price_usd was already set', old.id using errcode = 'integrity_constraint_violation';
  end if;
  if old.quote_usd_price is not null and new.quote_usd_price is distinct from old.quote_usd_price then
    raise exception 'signal %: quote_usd_price was already set', old.id using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;

-- Signals recorded before this migration and not yet decided: a USD-priced quote that is not SOL
-- was USDC or USDT (the only other quotes the webhook knew), worth 1.
update walltrack.signals
   set quote_usd_price = 1
 where processed_at is null and price_usd is not null
   and walltrack.wsol_mint() not in (token_in, token_out);

-- Quote-like: on the deny list with a quote-like kind (stablecoin, liquid_staking, wrapped_major).
-- SOL, USDC and USDT are quotes already and never listed.
create function walltrack.is_quote_like(mint text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from walltrack.token_lists l
                 where l.mint = is_quote_like.mint and l.list = 'deny' and l.kind <> 'operator');
$$;
comment on function walltrack.is_quote_like(text) is
  'Whether a mint is a quote-like asset (on the deny list as a stablecoin, liquid-staking token or wrapped major): a swap into or out of it is a conversion, and a token bought with it is priced through its USD price.';
revoke execute on function walltrack.is_quote_like(text) from public;

-- Which reading of a token-for-token swap is recorded (the webhook offers both, token_pair true):
--   the quote is quote-like and the token is not   -> kept (a BUY paid in mSOL, a SELL for PYUSD)
--   both are quote-like                            -> the BUY reading only: one conversion
--   the quote is not quote-like                    -> not kept (two ordinary tokens: ambiguous)
create function walltrack.token_pair_reading_kept(signal_type text, token_mint text, quote_mint text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select walltrack.is_quote_like(quote_mint)
         and (signal_type = 'BUY' or not walltrack.is_quote_like(token_mint));
$$;
comment on function walltrack.token_pair_reading_kept(text, text, text) is
  'For a swap of one token for another, whether this reading (BUY of token_mint paid in quote_mint, or SELL of token_mint for quote_mint) is the one recorded: the quote must be quote-like; between two quote-like assets only the BUY reading (a conversion).';
revoke execute on function walltrack.token_pair_reading_kept(text, text, text) from public;

-- The asset the leader paid (BUY) or received (SELL).
create function walltrack.signal_quote_mint(sig walltrack.signals)
returns text
language sql
immutable
set search_path = ''
as $$
  select case sig.signal_type when 'BUY' then sig.token_in else sig.token_out end;
$$;
comment on function walltrack.signal_quote_mint(walltrack.signals) is
  'The quote of a signal: what the leader paid with (BUY, token_in) or was paid in (SELL, token_out).';
revoke execute on function walltrack.signal_quote_mint(walltrack.signals) from public;

-- The USD value of one unit of the signal's quote: SOL through the batch's SOL/USD, any other
-- quote through the price written on the signal (1 for USDC/USDT). Null when not known yet.
create function walltrack.quote_usd(sig walltrack.signals, sol_usd numeric)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select case when walltrack.signal_quote_mint(sig) = walltrack.wsol_mint() then sol_usd
              else sig.quote_usd_price end;
$$;
comment on function walltrack.quote_usd(walltrack.signals, numeric) is
  'Quote value: the USD price of one unit of what the leader paid or received (SOL/USD for SOL, else the signal''s quote_usd_price); null when not known yet.';
revoke execute on function walltrack.quote_usd(walltrack.signals, numeric) from public;

-- What the signal processor must price before deciding: the quote-like assets of undecided signals
-- that are not conversions (a conversion needs no price to be recognised).
create or replace function walltrack.signal_processing_needs(signal_ids uuid[] default null)
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
    'needs_sol_usd', exists (select 1 from pending where price_usd is null or signal_type = 'BUY'),
    'quote_mints', coalesce((
      select pg_catalog.jsonb_agg(distinct walltrack.signal_quote_mint(p))
      from walltrack.signals p
      where p.processed_at is null and (signal_ids is null or p.id = any(signal_ids))
        and p.price_usd is null and p.quote_usd_price is null
        and walltrack.signal_quote_mint(p) <> walltrack.wsol_mint()
        and walltrack.token_list_reason(p) is null
    ), '[]'::jsonb));
$$;

-- prices: {"<mint>": {"usd": "<decimal>", "source": "jupiter" | "dexscreener"}}. Writes each
-- asset's USD price on the undecided signals quoted in it that have none; a price that is not a
-- positive finite number is ignored (the signal keeps waiting). Returns how many were priced.
create function walltrack.price_quote_assets(prices jsonb)
returns integer
language sql
set search_path = ''
as $$
  with priced as (
    update walltrack.signals s
       set quote_usd_price = pg_catalog.trim_scale((p.value ->> 'usd')::numeric),
           price_source = p.value ->> 'source'
      from pg_catalog.jsonb_each(coalesce(prices, '{}'::jsonb)) p
     where walltrack.signal_quote_mint(s) = p.key
       and s.processed_at is null and s.quote_usd_price is null and s.price_usd is null
       and p.key <> walltrack.wsol_mint()
       and walltrack.sane_usd_price(p.value ->> 'usd') is not null
    returning 1
  )
  select count(*)::integer from priced;
$$;
comment on function walltrack.price_quote_assets(jsonb) is
  'Writes the USD price of quote-like assets ({mint: {usd, source}}) on the undecided signals paid in them, once; ignores prices that are not positive finite numbers. Returns the number of signals priced.';
revoke execute on function walltrack.price_quote_assets(jsonb) from public;

-- batch signals gain "quote_usd_price" (1 for USDC/USDT) and "token_pair" (true for the two
-- readings of a token-for-token swap, of which walltrack.token_pair_reading_kept keeps one or none).
create or replace function walltrack.record_signals(batch jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  result jsonb;
begin
  with candidate as (
    select distinct on (s.transaction_signature, w.id)
           w.id as wallet_id, s.*
    from pg_catalog.jsonb_to_recordset(batch -> 'signals') as s(
      wallet text, signal_type text, token_mint text, token_decimals smallint, token_in text, token_out text,
      amount_in numeric, amount_out numeric, price numeric, price_all_in numeric, price_usd numeric,
      quote_usd_price numeric, token_pair boolean, transaction_signature text, slot bigint, block_time bigint)
    join walltrack.wallets w on w.address = s.wallet
    where s.price is not null -- a signal nobody can price cannot be copied or mirrored
      and (not coalesce(s.token_pair, false)
           or walltrack.token_pair_reading_kept(s.signal_type, s.token_mint,
                                                case s.signal_type when 'BUY' then s.token_in else s.token_out end))
    order by s.transaction_signature, w.id
  ), payload as (
    select distinct on (t.signature) t.signature, t.raw
    from pg_catalog.jsonb_to_recordset(batch -> 'transactions') as t(signature text, raw jsonb)
    order by t.signature
  ), inserted as (
    insert into walltrack.signals (
      wallet_id, token_address, transaction_signature, signal_type, token_in, token_out, amount_in,
      amount_out, price, price_all_in, price_usd, quote_usd_price, price_source, slot, leader_block_time,
      token_decimals, webhook_received_at, raw_payload)
    select c.wallet_id, c.token_mint, c.transaction_signature, c.signal_type, c.token_in, c.token_out,
           c.amount_in, c.amount_out, c.price, c.price_all_in, c.price_usd, c.quote_usd_price,
           case when c.price_usd is not null then 'stable' end,
           c.slot, pg_catalog.to_timestamp(c.block_time), c.token_decimals,
           coalesce((batch ->> 'received_at')::timestamptz, pg_catalog.now()),
           coalesce(p.raw, '{}'::jsonb)
    from candidate c
    left join payload p on p.signature = c.transaction_signature
    on conflict on constraint uq_signals_transaction_signature_wallet_id do nothing
    returning id
  )
  select pg_catalog.jsonb_build_object(
           'recorded', coalesce(pg_catalog.jsonb_agg(i.id), '[]'::jsonb),
           'watched', (select count(*) from candidate),
           'duplicates', (select count(*) from candidate) - count(i.id))
    into result
    from inserted i;

  update walltrack.config set webhook_last_signal_at = pg_catalog.now();
  return result;
end;
$$;

-- follow_leader sizes from the leader's quote amount through its USD value (SOL/USD, 1 for a
-- USD stablecoin, the asset's price for a quote-like asset). Unknown value, unknown size (null):
-- least() skips a null, and would have sized an unpriced leader at the cap.
create or replace function walltrack.position_size_usd(sig walltrack.signals, cfg walltrack.config, sol_usd numeric)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
begin
  if cfg.position_sizing_mode <> 'fixed_percent' and walltrack.quote_usd(sig, sol_usd) is null then
    return null;
  end if;
  return pg_catalog.round(least(
           case cfg.position_sizing_mode
             when 'fixed_percent' then cfg.capital_usd * cfg.risk_per_trade_percent * 0.01
             else sig.amount_in * walltrack.quote_usd(sig, sol_usd) * cfg.leader_size_fraction
           end,
           cfg.max_position_size_usd), 2);
end;
$$;

-- Decides a batch, oldest leader transaction first, each signal once. sol_usd is the SOL/USD price
-- of the moment (null when no source answered: SOL signals then wait for the sweeper, and BUYs too,
-- since an entry is sized in USD and paid in SOL). A signal paid in a quote-like asset waits for
-- that asset's price (walltrack.price_quote_assets) and is valued through walltrack.quote_usd;
-- conversions and listed mints need no price and are decided at once. The recipe, each step a named rule:
--   first walltrack.token_list_reason (conversions, the operator's deny and allow lists)
--   BUY   walltrack.position_size_usd -> walltrack.buy_filter_reason -> walltrack.open_position
--   SELL  walltrack.mirror_exit
--   both  walltrack.record_signal_outcome
-- A signal whose decision fails is recorded processing_error (rolled back, logged) so one bad input
-- never stalls the batch. The config row is read once, unlocked: one batch, one configuration.
create or replace function walltrack.process_signals(
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
    -- The lists first: a conversion or a listed mint is decided without any price.
    reason := walltrack.token_list_reason(s);
    -- Else wait for the next run while the quote has no USD value yet (SOL/USD, or the price of the
    -- quote-like asset it was paid in), or while there is no SOL/USD to pay an entry with.
    -- (A BUY needs the quote's value even when priced: follow_leader sizes from it.)
    if reason is null and ((s.signal_type = 'BUY' and sol_usd is null)
                           or ((s.price_usd is null or s.signal_type = 'BUY') and walltrack.quote_usd(s, sol_usd) is null)
                           or coalesce(s.price_usd, s.price) is null) then
      deferred := deferred + 1;
      continue;
    end if;
    decided_at := pg_catalog.clock_timestamp();
    leader_usd := pg_catalog.trim_scale(coalesce(s.price_usd, s.price * walltrack.quote_usd(s, sol_usd)));
    select * into w from walltrack.wallets where id = s.wallet_id;
    -- The leader's balance changes tell the mint's decimals: keep them where no source reported them.
    update walltrack.tokens tk set decimals = s.token_decimals
     where tk.address = s.token_address and tk.decimals is null and s.token_decimals is not null;
    select * into t from walltrack.tokens where address = s.token_address;
    opened := null; exits := 0;

    begin
      if reason is not null then
        null; -- a conversion or a listed mint: never a position, never a mirror exit
      elsif s.signal_type = 'BUY' then
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

