-- Adds the exit rules of a position as named rules, which walltrack.evaluate_exits applies on every
-- price change (its effective strategy: walltrack.position_strategy): the stop loss, the trailing
-- stop (its arming and its firing) and the scale-out levels due.

-- Stop loss: the price fell to entry x (1 - stop_loss_percent / 100) or below.
create function walltrack.stop_loss_hit(pos walltrack.positions, strategy jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(pos.current_price <= pos.entry_price * (1 - (strategy ->> 'stop_loss_percent')::numeric / 100), false);
$$;
comment on function walltrack.stop_loss_hit(walltrack.positions, jsonb) is
  'Stop loss: whether the position''s price is at or below entry x (1 - stop_loss_percent / 100) of its strategy.';
revoke execute on function walltrack.stop_loss_hit(walltrack.positions, jsonb) from public;

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

-- Trailing stop: armed, still enabled (an override may turn it off after arming), and the price
-- fell to peak x (1 - trailing_stop_percent / 100) or below.
create function walltrack.trailing_stop_hit(pos walltrack.positions, strategy jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(pos.trailing_stop_armed and (strategy ->> 'trailing_stop_enabled')::boolean
                  and pos.current_price <= pos.peak_price * (1 - (strategy ->> 'trailing_stop_percent')::numeric / 100),
                  false);
$$;
comment on function walltrack.trailing_stop_hit(walltrack.positions, jsonb) is
  'Trailing stop: whether it is armed and enabled and the price is at or below peak x (1 - trailing_stop_percent / 100).';
revoke execute on function walltrack.trailing_stop_hit(walltrack.positions, jsonb) from public;

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
    amount := pg_catalog.trim_scale(case when sold_percent >= 100 then available
                   else least(case when decimals is null then pos.entry_amount * l.share / 100
                                   else pg_catalog.trunc(pos.entry_amount * l.share / 100, decimals) end,
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
