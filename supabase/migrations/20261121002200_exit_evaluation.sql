-- Adds exit evaluation on every price change of an open position, from its effective strategy
-- (snapshot at creation, override on top: ADR-002), and the manual exit. Each rule is a function
-- of its own, defined first (stop_loss_price, trailing_stop_arms, trailing_stop_price,
-- scale_out_levels_due); evaluate_exits applies them. A SQL function calling another is planned
-- again at every call (a tick cost twice as much), so the comparisons with the price stay here.
--   stop loss      price <= entry x (1 - stop_loss_percent / 100)           -> exit the remaining amount
--   trailing stop  armed once price >= entry x trailing_activation_multiplier; fires when
--                  price <= peak x (1 - trailing_stop_percent / 100)        -> exit the remaining amount
--   scale-out      each level fires once when price >= entry x multiplier and sells sell_percent of
--                  the ORIGINAL amount; the level that brings the total to 100 % sells what remains;
--                  the unsold "rides" share leaves only by stop loss, trailing stop, mirror or manual
-- A full exit (stop loss, trailing, mirror, manual) in flight blocks new exits; levels are recorded
-- in scaling_levels_fired when their order is created, and unique indexes on orders back both rules,
-- so repeated or concurrent ticks never create a second order for one trigger. Every exit order,
-- here and for mirror exits, is made by walltrack.create_exit_order (20261205130100).

-- Stop loss: the price fell to entry x (1 - stop_loss_percent / 100) or below.
create function walltrack.stop_loss_price(pos walltrack.positions, strategy jsonb)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select pos.entry_price * (1 - (strategy ->> 'stop_loss_percent')::numeric / 100);
$$;
comment on function walltrack.stop_loss_price(walltrack.positions, jsonb) is
  'The price at or below which the stop loss fires: entry x (1 - stop_loss_percent / 100) of the strategy.';
revoke execute on function walltrack.stop_loss_price(walltrack.positions, jsonb) from public;

-- The trailing stop arms once the price reaches entry x trailing_activation_multiplier (the
-- position remembers it in trailing_stop_armed), and only when the strategy enables it.
create function walltrack.trailing_stop_arms(pos walltrack.positions, strategy jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce((strategy ->> 'trailing_stop_enabled')::boolean
                  and pos.current_price >= pos.entry_price * (strategy ->> 'trailing_activation_multiplier')::numeric,
                  false);
$$;
comment on function walltrack.trailing_stop_arms(walltrack.positions, jsonb) is
  'Trailing stop arming: whether the strategy enables it and the price reached entry x trailing_activation_multiplier.';
revoke execute on function walltrack.trailing_stop_arms(walltrack.positions, jsonb) from public;

-- Trailing stop: once armed, it follows the peak at peak x (1 - trailing_stop_percent / 100), and
-- fires at that price or below while still enabled (an override may turn it off after arming).
create function walltrack.trailing_stop_price(pos walltrack.positions, strategy jsonb)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select case when pos.trailing_stop_armed
              then pos.peak_price * (1 - (strategy ->> 'trailing_stop_percent')::numeric / 100) end;
$$;
comment on function walltrack.trailing_stop_price(walltrack.positions, jsonb) is
  'The price at or below which an armed trailing stop fires: peak x (1 - trailing_stop_percent / 100); null until armed.';
revoke execute on function walltrack.trailing_stop_price(walltrack.positions, jsonb) from public;

-- Scale-out: each level not fired yet whose price is reached (entry x multiplier) sells
-- sell_percent of the ORIGINAL amount, cut to whole token units (with the decimals unknown, sold
-- as computed rather than cut at a guessed unit); the level that brings the total to 100 % sells
-- what remains. Levels come in order, a price gap through several fires each, and together they
-- never sell more than `available` (what exits in flight leave); a level with nothing to sell waits.
create function walltrack.scale_out_levels_due(pos walltrack.positions, strategy jsonb, available numeric)
returns table (level smallint, sell_percent numeric, amount numeric)
language plpgsql
stable
set search_path = ''
as $$
declare
  l record;
  sold_percent numeric := 0;
  decimals integer;
begin
  for l in
    select e.ordinality::smallint as number, (e.value ->> 'multiplier')::numeric as multiplier,
           (e.value ->> 'sell_percent')::numeric as share
    from pg_catalog.jsonb_array_elements(coalesce(strategy -> 'scaling_levels', '[]'::jsonb)) with ordinality as e(value, ordinality)
    order by e.ordinality
  loop
    sold_percent := sold_percent + l.share;
    continue when l.number = any(pos.scaling_levels_fired) or pos.current_price < pos.entry_price * l.multiplier;
    decimals := walltrack.token_decimals(pos.token_id);
    -- x 0.01, not / 100: a numeric division rounds at its result scale before trunc sees it, which
    -- on a large position can round the share up by one base unit; the product is exact.
    amount := pg_catalog.trim_scale(case when sold_percent >= 100 then available
                   else least(case when decimals is null then pos.entry_amount * l.share * 0.01
                                   else pg_catalog.trunc(pos.entry_amount * l.share * 0.01, decimals) end,
                              available) end);
    continue when amount <= 0;
    level := l.number;
    sell_percent := l.share;
    available := available - amount;
    return next;
  end loop;
end;
$$;
comment on function walltrack.scale_out_levels_due(walltrack.positions, jsonb, numeric) is
  'Scale-out: the levels of the strategy due at the position''s price and not fired yet, each with the amount it sells (a share of the original amount, the last level what remains), within `available`.';
revoke execute on function walltrack.scale_out_levels_due(walltrack.positions, jsonb, numeric) from public;

create function walltrack.evaluate_exits()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  strategy jsonb;
  full_exit text;
  due record;
  available numeric;
begin
  if new.status <> 'open' or new.entry_price is null or new.current_price is null or new.current_amount <= 0 then
    return new;
  end if;
  strategy := walltrack.position_strategy(new);

  if walltrack.trailing_stop_arms(new, strategy) then
    new.trailing_stop_armed := true;
  end if;
  -- Each stop fires at its price or below; an override may turn the trailing stop off once armed.
  full_exit := case
    when new.current_price <= walltrack.stop_loss_price(new, strategy) then 'exit_stop_loss'
    when coalesce((strategy ->> 'trailing_stop_enabled')::boolean, false)
         and new.current_price <= walltrack.trailing_stop_price(new, strategy) then 'exit_trailing_stop'
  end;
  -- Most ticks call for no exit: the position's orders are read only when one is due.
  if full_exit is null and not exists (select 1 from walltrack.scale_out_levels_due(new, strategy, new.current_amount)) then
    return new;
  end if;

  if walltrack.full_exit_in_flight(new.id) then
    return new;
  end if;
  -- What earlier exits still on their way will sell: new exits sell only the rest.
  available := new.current_amount - walltrack.exits_in_flight_amount(new.id);

  if full_exit is not null then
    if available > 0 then -- otherwise earlier exits already sell everything
      perform walltrack.create_exit_order(new, full_exit, available, new.current_price);
    end if;
    return new;
  end if;

  for due in select * from walltrack.scale_out_levels_due(new, strategy, available) loop
    perform walltrack.create_exit_order(new, 'exit_scaling', due.amount, new.current_price,
                                        scaling_level => due.level, scaling_percent => due.sell_percent);
    new.scaling_levels_fired := array_append(new.scaling_levels_fired, due.level);
  end loop;
  return new;
end;
$$;
comment on function walltrack.evaluate_exits() is
  'Trigger function: on a price change of an open position, arms the trailing stop and creates the exit orders its effective strategy calls for (stop loss, trailing stop, scale-out levels), each exactly once.';
revoke execute on function walltrack.evaluate_exits() from public;

-- BEFORE triggers run in name order: positions_recompute_pnl (peak price) must come first, hence
-- "then" in the name. Also when the entry fills: a price observed before the fill must be judged
-- against the entry; and when walltrack.reevaluate_stale_exits asks (exits_reevaluated_at): a
-- position whose price stopped moving, or whose exit failed for good, is judged again.
create trigger positions_then_evaluate_exits
  before update of current_price, entry_price, exits_reevaluated_at on walltrack.positions
  for each row
  when (new.current_price is distinct from old.current_price or new.entry_price is distinct from old.entry_price
        or new.exits_reevaluated_at is distinct from old.exits_reevaluated_at)
  execute function walltrack.evaluate_exits();

-- Exits are evaluated when the price changes; this evaluates them again, on a timer, for the open
-- positions whose price has not moved for 5 minutes and that have no exit in flight: a token no
-- source prices any more still gets its stop loss retried after an exit failed for good, instead
-- of staying open silently. Called every minute by walltrack.monitor_prices (pg_cron). Returns how
-- many positions were evaluated.
create function walltrack.reevaluate_stale_exits()
returns integer
language sql
set search_path = ''
as $$
  with stale as (
    update walltrack.positions p set exits_reevaluated_at = pg_catalog.clock_timestamp()
    where p.status = 'open' and p.entry_amount is not null and p.current_price is not null
      and greatest(p.price_updated_at, p.exits_reevaluated_at) < pg_catalog.now() - interval '5 minutes'
      and not exists (select 1 from walltrack.orders o
                      where o.position_id = p.id and o.order_type <> 'entry' and o.status in ('pending', 'submitted'))
    returning 1
  )
  select count(*)::integer from stale;
$$;
comment on function walltrack.reevaluate_stale_exits() is
  'Evaluates the exit rules again for open positions whose price has not moved for 5 minutes and that have no exit in flight (a token no longer priced, an exit failed for good); returns how many. Called every minute by walltrack.monitor_prices.';
revoke execute on function walltrack.reevaluate_stale_exits() from public;

-- What status calls stuck: open positions whose price is older than 15 minutes (no source prices
-- the token any more), or whose latest exit failed for good with nothing in flight since.
create function walltrack.stuck_positions()
returns table (position_id uuid, token_address text, price_updated_at timestamptz, problem text)
language sql
stable
set search_path = ''
as $$
  select p.id, t.address, p.price_updated_at,
         case when coalesce(p.price_updated_at, p.created_at) < pg_catalog.now() - interval '15 minutes'
              then 'no price since ' || coalesce(p.price_updated_at, p.created_at)::text
              else 'exit failed: ' || coalesce(last_exit.error_code, '') || ' ' || coalesce(last_exit.error_message, '') end
  from walltrack.positions p
  join walltrack.tokens t on t.id = p.token_id
  left join lateral (select o.status, o.error_code, o.error_message from walltrack.orders o
                     where o.position_id = p.id and o.order_type <> 'entry'
                     order by o.requested_at desc limit 1) last_exit on true
  where p.status = 'open' and p.entry_amount is not null
    and (coalesce(p.price_updated_at, p.created_at) < pg_catalog.now() - interval '15 minutes'
         or last_exit.status = 'failed')
  order by p.price_updated_at nulls first, p.id;
$$;
comment on function walltrack.stuck_positions() is
  'Open positions the operator should look at: no price for 15 minutes (no source prices the token) or the latest exit failed for good; each with its problem. npm run status counts them.';
revoke execute on function walltrack.stuck_positions() from public;

create function walltrack.close_position_manually(position_id uuid)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  p walltrack.positions;
  order_id uuid;
  available numeric;
begin
  select * into p from walltrack.positions where id = position_id for update;
  if not found then
    raise exception 'no position %', position_id using errcode = 'no_data_found';
  end if;
  -- What exits already on their way (a scale-out level) will sell is not sold twice.
  available := p.current_amount - walltrack.exits_in_flight_amount(p.id);
  if p.status <> 'open' or available <= 0 then
    raise exception 'position % holds nothing more to sell (status %, amount %, % already on its way out)',
      position_id, p.status, p.current_amount, p.current_amount - available
      using errcode = 'check_violation';
  end if;
  order_id := walltrack.create_exit_order(p, 'exit_manual', available, p.current_price);
  if order_id is null then
    raise exception 'position % already has an exit in flight; wait for it or cancel it', position_id
      using errcode = 'unique_violation';
  end if;
  return order_id;
end;
$$;
comment on function walltrack.close_position_manually(uuid) is
  'Manual exit: creates one exit_manual order for everything the position holds that no exit in flight already sells; the position closes with exit_reason manual when it fills.';
revoke execute on function walltrack.close_position_manually(uuid) from public;
