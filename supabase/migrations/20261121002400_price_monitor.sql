-- Adds the price monitor's SQL: the tokens of all open positions in one query, every observed
-- price written with one set-based statement (PnL and exit evaluation run in the positions'
-- triggers), and the cron entry point that asks the price-monitor function to run.

create function walltrack.open_position_tokens()
returns text[]
language sql
stable
set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(distinct t.address order by t.address), '{}')
  from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
  where p.status = 'open';
$$;
comment on function walltrack.open_position_tokens() is 'Mints of every open position: what the price monitor prices.';
revoke execute on function walltrack.open_position_tokens() from public;

-- prices: [{"mint", "usd", "source"}], and entries the caller already refused:
-- [{"mint", "usd": null, "source", "observed", "refused": reason}]; sol_usd: SOL/USD of the same
-- moment (null: keep the last). Nothing moves money unchecked (migration 20261205095000_price_checks):
--   a price that is not a finite, positive, sane decimal is refused (walltrack.price_refusal_reason);
--   a jump beyond config.price_jump_multiple of the token's last accepted price is refused
--   (unconfirmed_jump) unless the token's latest refusal, within price_jump_window_minutes, was a
--   jump to the same side from the same accepted price: a second observation in a row confirms it.
-- Every refusal is recorded in walltrack.price_refusals; refused prices reach no position, so they
-- trigger no exit. Returns {positions_repriced, exit_orders_created, tokens_priced, prices_refused}.
create function walltrack.apply_prices(prices jsonb, sol_usd numeric default null)
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
       set current_price = j.usd, price_updated_at = pg_catalog.now()
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
  'Writes observed USD prices to every open position of each token in one statement (the triggers recompute PnL and create exit orders) and records SOL/USD; a price that is not finite, positive and sane, or a jump beyond config.price_jump_multiple not yet confirmed by a second observation, is refused and recorded in price_refusals instead. Returns {positions_repriced, exit_orders_created, tokens_priced, prices_refused}.';
revoke execute on function walltrack.apply_prices(jsonb, numeric) from public;

create function walltrack.monitor_prices()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.positions where status = 'open') then
    return null;
  end if;
  -- Positions whose price stopped moving are judged again even when no new price comes.
  perform walltrack.reevaluate_stale_exits();
  return walltrack.invoke_edge_function('price-monitor', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.monitor_prices() is
  'pg_cron job: evaluates the exits of positions whose price stopped moving (walltrack.reevaluate_stale_exits) and asks the price-monitor function to reprice open positions; does nothing when none is open.';
revoke execute on function walltrack.monitor_prices() from public;
