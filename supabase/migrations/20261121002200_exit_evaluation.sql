-- Adds exit evaluation on every price change of an open position, from its effective strategy
-- (snapshot at creation, override on top: ADR-002), and the manual exit:
--   stop loss      price <= entry x (1 - stop_loss_percent / 100)           -> exit the remaining amount
--   trailing stop  armed once price >= entry x trailing_activation_multiplier; fires when
--                  price <= peak x (1 - trailing_stop_percent / 100)        -> exit the remaining amount
--   scale-out      each level fires once when price >= entry x multiplier and sells sell_percent of
--                  the ORIGINAL amount; the level that brings the total to 100 % sells what remains;
--                  the unsold "rides" share leaves only by stop loss, trailing stop, mirror or manual
-- A full exit (stop loss, trailing, mirror, manual) in flight blocks new exits; levels are recorded
-- in scaling_levels_fired when their order is created, and unique indexes on orders back both rules,
-- so repeated or concurrent ticks never create a second order for one trigger.

create function walltrack.trigger_exits()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  wsol constant text := 'So11111111111111111111111111111111111111112';
  strategy jsonb;
  token text;
  decimals integer;
  slippage numeric;
  retries integer;
  full_exit text;
  level record;
  sold_percent numeric := 0;
  amount numeric;
  in_flight numeric;
  available numeric;
begin
  if new.status <> 'open' or new.entry_price is null or new.current_price is null or new.current_amount <= 0 then
    return new;
  end if;
  strategy := walltrack.position_strategy(new);

  if coalesce((strategy ->> 'trailing_stop_enabled')::boolean, false)
     and new.current_price >= new.entry_price * (strategy ->> 'trailing_activation_multiplier')::numeric then
    new.trailing_stop_armed := true;
  end if;

  if exists (select 1 from walltrack.orders o
             where o.position_id = new.id and o.status in ('pending', 'submitted')
               and o.order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual')) then
    return new;
  end if;

  select t.address, coalesce(t.decimals, 9) into token, decimals from walltrack.tokens t where t.id = new.token_id;
  -- What earlier exits still on their way will sell: new exits sell only the rest.
  select coalesce(sum(o.amount_in), 0) into in_flight from walltrack.orders o
   where o.position_id = new.id and o.order_type <> 'entry' and o.status in ('pending', 'submitted');
  available := new.current_amount - in_flight;
  select c.default_slippage_percent, c.order_max_retries into slippage, retries from walltrack.config c;

  full_exit := case
    when new.current_price <= new.entry_price * (1 - (strategy ->> 'stop_loss_percent')::numeric / 100)
      then 'exit_stop_loss'
    when new.trailing_stop_armed and coalesce((strategy ->> 'trailing_stop_enabled')::boolean, false)
      and new.current_price <= new.peak_price * (1 - (strategy ->> 'trailing_stop_percent')::numeric / 100)
      then 'exit_trailing_stop'
  end;

  if full_exit is not null then
    if available <= 0 then
      return new; -- earlier exits already sell everything
    end if;
    insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out,
                                  amount_in, value_usd, slippage_requested_percent, max_retries)
    values (new.wallet_id, new.token_id, new.id, full_exit, new.mode, token, wsol,
            pg_catalog.trim_scale(available), available * new.current_price, slippage, retries)
    on conflict (position_id)
      where order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual')
        and status in ('pending', 'submitted')
      do nothing;
    return new;
  end if;

  for level in
    select l.ordinality::smallint as number, (l.value ->> 'multiplier')::numeric as multiplier,
           (l.value ->> 'sell_percent')::numeric as sell_percent
    from pg_catalog.jsonb_array_elements(coalesce(strategy -> 'scaling_levels', '[]'::jsonb)) with ordinality as l(value, ordinality)
    order by l.ordinality
  loop
    sold_percent := sold_percent + level.sell_percent;
    continue when level.number = any(new.scaling_levels_fired)
               or new.current_price < new.entry_price * level.multiplier;
    amount := pg_catalog.trim_scale(case when sold_percent >= 100 then available
                   else least(pg_catalog.trunc(new.entry_amount * level.sell_percent / 100, decimals), available) end);
    continue when amount <= 0;
    insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out,
                                  amount_in, value_usd, slippage_requested_percent, max_retries,
                                  scaling_level, scaling_percent)
    values (new.wallet_id, new.token_id, new.id, 'exit_scaling', new.mode, token, wsol,
            amount, amount * new.current_price, slippage, retries, level.number, level.sell_percent)
    on conflict (position_id, scaling_level)
      where order_type = 'exit_scaling' and status in ('pending', 'submitted', 'executed')
      do nothing;
    new.scaling_levels_fired := array_append(new.scaling_levels_fired, level.number);
    available := available - amount;
  end loop;
  return new;
end;
$$;
comment on function walltrack.trigger_exits() is
  'Trigger function: on a price change of an open position, arms the trailing stop and creates the exit orders its effective strategy calls for (stop loss, trailing stop, scale-out levels), each exactly once.';
revoke execute on function walltrack.trigger_exits() from public;

-- BEFORE triggers run in name order: positions_recompute_pnl (peak price) comes first.
-- Also when the entry fills: a price observed before the fill must be judged against the entry.
create trigger positions_trigger_exits
  before update of current_price, entry_price on walltrack.positions
  for each row
  when (new.current_price is distinct from old.current_price or new.entry_price is distinct from old.entry_price)
  execute function walltrack.trigger_exits();

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
  select p.current_amount - coalesce(sum(o.amount_in), 0) into available from walltrack.orders o
   where o.position_id = p.id and o.order_type <> 'entry' and o.status in ('pending', 'submitted');
  if p.status <> 'open' or available <= 0 then
    raise exception 'position % holds nothing more to sell (status %, amount %, % already on its way out)',
      position_id, p.status, p.current_amount, p.current_amount - available
      using errcode = 'check_violation';
  end if;
  insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out,
                                amount_in, value_usd, slippage_requested_percent, max_retries)
  select p.wallet_id, p.token_id, p.id, 'exit_manual', p.mode, t.address, 'So11111111111111111111111111111111111111112',
         pg_catalog.trim_scale(available), available * p.current_price, c.default_slippage_percent, c.order_max_retries
  from walltrack.tokens t cross join walltrack.config c
  where t.id = p.token_id
  returning id into order_id;
  return order_id;
exception when unique_violation then
  raise exception 'position % already has an exit in flight; wait for it or cancel it', position_id
    using errcode = 'unique_violation';
end;
$$;
comment on function walltrack.close_position_manually(uuid) is
  'Manual exit: creates one exit_manual order for everything the position holds that no exit in flight already sells; the position closes with exit_reason manual when it fills.';
revoke execute on function walltrack.close_position_manually(uuid) from public;
