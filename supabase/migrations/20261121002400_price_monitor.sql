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

-- prices: [{"mint", "usd", "source"}]; sol_usd: SOL/USD of the same moment (null: keep the last).
-- Returns {positions_repriced, exit_orders_created, tokens_priced}.
create function walltrack.apply_prices(prices jsonb, sol_usd numeric default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  orders_before bigint;
  repriced integer;
begin
  select count(*) into orders_before from walltrack.orders where order_type <> 'entry';
  with observed as (
    select x.mint, x.usd from pg_catalog.jsonb_to_recordset(prices) as x(mint text, usd numeric, source text)
    where x.usd > 0
  ), repriced_positions as (
    update walltrack.positions p
       set current_price = o.usd, price_updated_at = pg_catalog.now()
      from observed o join walltrack.tokens t on t.address = o.mint
     where p.token_id = t.id and p.status = 'open' and p.current_price is distinct from o.usd
    returning p.id
  )
  select count(*) into repriced from repriced_positions;
  -- Config last: an exit fill locks its position then config (the breaker), so the same order here
  -- cannot deadlock with it.
  if sol_usd is not null then
    update walltrack.config set sol_usd_price = sol_usd, sol_usd_price_at = pg_catalog.now();
  end if;
  return pg_catalog.jsonb_build_object(
    'positions_repriced', repriced,
    'exit_orders_created', (select count(*) from walltrack.orders where order_type <> 'entry') - orders_before,
    'tokens_priced', pg_catalog.jsonb_array_length(prices));
end;
$$;
comment on function walltrack.apply_prices(jsonb, numeric) is
  'Writes observed USD prices to every open position of each token in one statement (the triggers recompute PnL and create exit orders) and records SOL/USD; returns {positions_repriced, exit_orders_created, tokens_priced}.';
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
  return walltrack.invoke_edge_function('price-monitor', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.monitor_prices() is
  'pg_cron job: asks the price-monitor function to reprice open positions; does nothing when none is open.';
revoke execute on function walltrack.monitor_prices() from public;
