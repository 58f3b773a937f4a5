-- Adds "every observed swap is a price" (issue 13, ADR-015): when a watched wallet's swap is
-- recorded, its swap-leg USD price reaches the open positions in that token at once, through the
-- same walltrack.apply_prices as the monitor (the same checks: a single odd trade cannot trigger an
-- exit, a jump waits for a second observation), with its source kept on the position. The leader's
-- own sell, which often starts a crash, is then a price seconds before the next monitor poll.
-- apply_prices is redefined only to record each price's source (positions.price_source).

alter table walltrack.positions
  add column price_source text constraint positions_price_source_length check (char_length(price_source) between 1 and 32);
comment on column walltrack.positions.price_source is
  'Where current_price came from: jupiter or dexscreener (the price monitor), leader_swap (a watched wallet''s swap of the token, walltrack.apply_swap_prices).';

alter table walltrack.config
  add column swap_price_max_age_seconds integer not null default 60
    constraint config_swap_price_max_age_seconds_check check (swap_price_max_age_seconds between 1 and 3600);
comment on column walltrack.config.swap_price_max_age_seconds is
  'A watched wallet''s swap is a price for the open positions in its token while its block time is at most this many seconds old: a late delivery or a recovered transaction is history, not a price (default 60).';

-- Unchanged from 20261121002400_price_monitor.sql but for positions.price_source, written with the
-- price (see there for the checks).
create or replace function walltrack.apply_prices(prices jsonb, sol_usd numeric default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  orders_before bigint;
  repriced integer;
  refused integer;
  sol_refusal text := walltrack.price_refusal_reason(sol_usd::text);
begin
  select * into strict cfg from walltrack.config;
  select count(*) into orders_before from walltrack.orders where order_type <> 'entry';
  with observed as (
    select x.mint, coalesce(x.source, 'unknown') as source, coalesce(x.observed, x.usd) as observed,
           walltrack.sane_usd_price(x.usd) as usd,
           coalesce(x.refused, walltrack.price_refusal_reason(x.usd)) as reason,
           t.id as token_id,
           last.current_price as last_price
    from pg_catalog.jsonb_to_recordset(prices) as x(mint text, usd text, source text, observed text, refused text)
    left join walltrack.tokens t on t.address = x.mint
    -- The token's last accepted price: its most recently repriced open position's.
    left join lateral (
      select p.current_price from walltrack.positions p
      where p.token_id = t.id and p.status = 'open' and p.current_price is not null
      order by p.price_updated_at desc nulls last limit 1) last on true
  ), judged as (
    select o.*,
           case
             when o.reason is not null then o.reason
             when walltrack.price_jump(o.last_price, o.usd, cfg.price_jump_multiple)
                  -- Confirmed by the token's latest refusal when it was a jump to the same side
                  -- from the same accepted price, within the window.
                  and not exists (
                    select 1 from (select r.* from walltrack.price_refusals r where r.token_address = o.mint
                                   order by r.created_at desc, r.id desc limit 1) r
                    where r.reason = 'unconfirmed_jump' and r.last_price_usd = o.last_price
                      and r.created_at > pg_catalog.clock_timestamp() - pg_catalog.make_interval(mins => cfg.price_jump_window_minutes)
                      and (r.observed_usd > o.last_price) = (o.usd > o.last_price))
               then 'unconfirmed_jump'
           end as refusal
    from observed o
  ), recorded as (
    -- clock_timestamp: observations within one transaction keep their order.
    insert into walltrack.price_refusals (token_address, source, observed, observed_usd, last_price_usd, reason, created_at)
    select pg_catalog.left(j.mint, 64), pg_catalog.left(j.source, 32), pg_catalog.left(j.observed, 100),
           j.usd, case when j.refusal = 'unconfirmed_jump' then j.last_price end, j.refusal, pg_catalog.clock_timestamp()
    from judged j where j.refusal is not null and j.mint is not null
    returning 1
  ), repriced_positions as (
    update walltrack.positions p
       set current_price = j.usd, price_updated_at = pg_catalog.now(), price_source = pg_catalog.left(j.source, 32)
      from judged j
     where j.refusal is null and p.token_id = j.token_id and p.status = 'open' and p.current_price is distinct from j.usd
    returning p.id
  )
  select (select count(*) from repriced_positions), (select count(*) from recorded) into repriced, refused;
  -- Config last: an exit fill locks its position then config (the breaker), so the same order here
  -- cannot deadlock with it. A SOL/USD that is not a sane price keeps the last one.
  if sol_usd is not null and sol_refusal is null then
    update walltrack.config set sol_usd_price = sol_usd, sol_usd_price_at = pg_catalog.now();
  elsif sol_usd is not null then
    insert into walltrack.price_refusals (token_address, source, observed, reason)
    values (walltrack.wsol_mint(), 'sol_usd', pg_catalog.left(sol_usd::text, 100), sol_refusal);
    refused := refused + 1;
  end if;
  return pg_catalog.jsonb_build_object(
    'positions_repriced', repriced,
    'exit_orders_created', (select count(*) from walltrack.orders where order_type <> 'entry') - orders_before,
    'tokens_priced', (select count(*) from pg_catalog.jsonb_array_elements(prices) e where e ->> 'refused' is null),
    'prices_refused', refused);
end;
$$;
comment on function walltrack.apply_prices(jsonb, numeric) is
  'Writes observed USD prices to every open position of each token in one statement, with their source (the triggers recompute PnL and create exit orders) and records SOL/USD; a price that is not finite, positive and sane, or a jump beyond config.price_jump_multiple not yet confirmed by a second observation, is refused and recorded in price_refusals instead. Returns {positions_repriced, exit_orders_created, tokens_priced, prices_refused}.';
revoke execute on function walltrack.apply_prices(jsonb, numeric) from public;

-- The USD price of one token that a recorded swap shows: the swap leg (fees excluded) x the USD
-- value of its quote (walltrack.quote_usd: sol_usd for SOL, 1 for USDC/USDT, a quote-like asset's
-- price once written on the signal); null while that is not known. Exact: a numeric product.
create function walltrack.swap_price_usd(sig walltrack.signals, sol_usd numeric)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.trim_scale(coalesce(sig.price_usd, sig.price * walltrack.quote_usd(sig, sol_usd)));
$$;
comment on function walltrack.swap_price_usd(walltrack.signals, numeric) is
  'Swap price of a recorded swap in USD: its swap-leg price x the USD value of its quote (walltrack.quote_usd: SOL/USD, 1 for USDC/USDT, a quote-like asset''s price once known); null while that is not known.';
revoke execute on function walltrack.swap_price_usd(walltrack.signals, numeric) from public;

-- Whether a swap is recent enough to be a price (config.swap_price_max_age_seconds): its block
-- time, else its receipt, within the age at `at`.
create function walltrack.swap_price_is_current(sig walltrack.signals, max_age_seconds integer, at timestamptz)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(sig.leader_block_time, sig.webhook_received_at) >= at - pg_catalog.make_interval(secs => max_age_seconds);
$$;
comment on function walltrack.swap_price_is_current(walltrack.signals, integer, timestamptz) is
  'Whether a recorded swap is a current price: its block time (else its receipt) at most max_age_seconds before `at`.';
revoke execute on function walltrack.swap_price_is_current(walltrack.signals, integer, timestamptz) from public;

-- Statement trigger on the signals recorded by one statement (record_signals: a webhook delivery,
-- a reconciliation): each current swap of a token with an open position is one price observation,
-- BUY or SELL, whichever watched wallet made it and whatever its decision will be (a conversion
-- included): a price is a fact of the market, not of our copy. One observation per (token,
-- transaction): two watched wallets in one transaction are one trade, and one trade must not
-- confirm its own jump. Several trades of a token in one delivery are applied one after the other
-- in block order (one apply_prices call per rank), so the second can confirm the first's jump as a
-- second monitor tick would. A failure to apply one never fails the recording. SOL legs use the
-- last known SOL/USD (config.sol_usd_price, refreshed by every monitor poll and every processing
-- batch): a position cannot open without one.
create function walltrack.apply_swap_prices()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  round_prices jsonb;
begin
  select * into strict cfg from walltrack.config;
  for round_prices in
    with observed as (
      select distinct on (r.token_address, r.transaction_signature)
             r.token_address as mint, walltrack.swap_price_usd(r, cfg.sol_usd_price) as usd,
             r.leader_block_time, r.slot, r.transaction_signature
      from recorded r
      where walltrack.swap_price_is_current(r, cfg.swap_price_max_age_seconds, pg_catalog.now())
        and exists (select 1 from walltrack.tokens t join walltrack.positions p on p.token_id = t.id and p.status = 'open'
                    where t.address = r.token_address)
      order by r.token_address, r.transaction_signature
    ), ranked as (
      select o.*, pg_catalog.row_number() over (partition by o.mint order by o.leader_block_time, o.slot, o.transaction_signature) as n
      from observed o
      where o.usd is not null
    )
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('mint', k.mint, 'usd', k.usd::text, 'source', 'leader_swap')
                                order by k.mint)
    from ranked k group by k.n order by k.n
  loop
    -- The signals are what this statement is for: a price that cannot be applied (a deadlock with
    -- a concurrent monitor poll, say) is rolled back alone and logged; the next poll prices anyway.
    begin
      perform walltrack.apply_prices(round_prices);
    exception when others then
      raise warning 'walltrack: a recorded swap''s price could not be applied: %', sqlerrm;
    end;
  end loop;
  return null;
end;
$$;
comment on function walltrack.apply_swap_prices() is
  'Trigger function (statement, after insert on signals): applies each newly recorded current swap''s USD price to the open positions in its token through walltrack.apply_prices (source leader_swap), one observation per token and transaction, in block order.';
revoke execute on function walltrack.apply_swap_prices() from public;

create trigger signals_apply_swap_prices
  after insert on walltrack.signals
  referencing new table as recorded
  for each statement execute function walltrack.apply_swap_prices();
