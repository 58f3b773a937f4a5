-- Adds time exits (issue 14) and the exit timer (issue 13). A strategy may limit how long a
-- position is held (exit_strategies.max_hold_minutes, snapshotted on the position, overridable per
-- position); past it the position exits whole with its own reason (order exit_time, exit_reason
-- time). Exits were evaluated only when a price changed: walltrack.evaluate_exits_on_timer, a pg_cron
-- job of its own every minute, judges again the open positions past their maximum hold (so a time
-- rule fires on a token whose price never moves, and a failed time exit is created again) and the
-- positions whose price stopped moving (walltrack.reevaluate_stale_exits: a failed stop loss is
-- created again). The rule is walltrack.max_hold_reached; evaluate_exits is redefined to call it.

alter table walltrack.exit_strategies
  add column max_hold_minutes integer
    constraint exit_strategies_max_hold_minutes_check check (max_hold_minutes between 1 and 525600);
comment on column walltrack.exit_strategies.max_hold_minutes is
  'Maximum hold: the position exits whole (exit_reason time) this many minutes after its entry filled; null holds without limit (at most a year).';

-- The override is written by SQL or the CLI (walltrack.override_position_max_hold); the same bounds,
-- and null to hold without limit whatever the template says.
alter table walltrack.positions
  add constraint positions_override_max_hold_valid check (
    exit_strategy_override is null or not exit_strategy_override ? 'max_hold_minutes'
    or pg_catalog.jsonb_typeof(exit_strategy_override -> 'max_hold_minutes') = 'null'
    or (pg_catalog.jsonb_typeof(exit_strategy_override -> 'max_hold_minutes') = 'number'
        and (exit_strategy_override ->> 'max_hold_minutes')::numeric between 1 and 525600
        and (exit_strategy_override ->> 'max_hold_minutes')::numeric % 1 = 0));

alter table walltrack.orders drop constraint orders_order_type_check;
alter table walltrack.orders add constraint orders_order_type_check check (order_type in (
  'entry', 'exit_stop_loss', 'exit_trailing_stop', 'exit_scaling', 'exit_mirror', 'exit_manual', 'exit_time'));
comment on column walltrack.orders.order_type is 'entry, exit_stop_loss, exit_trailing_stop, exit_scaling, exit_mirror, exit_manual or exit_time.';

alter table walltrack.positions drop constraint positions_exit_reason_check;
alter table walltrack.positions add constraint positions_exit_reason_check check (exit_reason in (
  'stop_loss', 'trailing_stop', 'scaling', 'mirror', 'manual', 'time'));
comment on column walltrack.positions.exit_reason is 'Why the position closed (stop_loss, trailing_stop, scaling, mirror, manual, time): the reason of its last exit.';

-- A time exit sells everything: one full exit in flight per position, as the others.
drop index walltrack.uq_orders_full_exit_in_flight;
create unique index uq_orders_full_exit_in_flight on walltrack.orders (position_id)
  where order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual', 'exit_time')
    and status in ('pending', 'submitted');

create or replace function walltrack.is_full_exit(order_type text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual', 'exit_time');
$$;
comment on function walltrack.is_full_exit(text) is
  'Whether an order type sells everything the position holds (stop loss, trailing stop, mirror, manual, time) rather than a scale-out share.';

create or replace function walltrack.exit_reason_of(order_type text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case order_type
    when 'exit_stop_loss' then 'stop_loss'
    when 'exit_trailing_stop' then 'trailing_stop'
    when 'exit_scaling' then 'scaling'
    when 'exit_mirror' then 'mirror'
    when 'exit_manual' then 'manual'
    when 'exit_time' then 'time'
  end;
$$;
comment on function walltrack.exit_reason_of(text) is 'The position exit_reason an exit order type stands for (exit_stop_loss -> stop_loss, exit_time -> time, ...).';

-- Time exit: the position has been held max_hold_minutes of its strategy since its entry filled.
create function walltrack.max_hold_reached(pos walltrack.positions, strategy jsonb, at timestamptz)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(pos.entry_timestamp + pg_catalog.make_interval(mins => (strategy ->> 'max_hold_minutes')::integer) <= at, false);
$$;
comment on function walltrack.max_hold_reached(walltrack.positions, jsonb, timestamptz) is
  'Time exit: whether the position, at `at`, has been held the max_hold_minutes of its strategy since its entry filled (false without a maximum hold).';
revoke execute on function walltrack.max_hold_reached(walltrack.positions, jsonb, timestamptz) from public;

-- As in 20261121002200_exit_evaluation.sql, with the time exit after the two stops (a stop that
-- holds names the loss; past the maximum hold, any price exits).
create or replace function walltrack.evaluate_exits()
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
    when walltrack.max_hold_reached(new, strategy, pg_catalog.now()) then 'exit_time'
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
  'Trigger function: on a price change of an open position (or when the exit timer asks), arms the trailing stop and creates the exit orders its effective strategy calls for (stop loss, trailing stop, maximum hold, scale-out levels), each exactly once.';

-- The exit timer (pg_cron job walltrack-exit-timer, every minute): exits are judged again without a
-- new price for the open positions past their maximum hold with no full exit in flight, and for
-- those whose price stopped moving (walltrack.reevaluate_stale_exits). Returns how many of each.
create function walltrack.evaluate_exits_on_timer()
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  held integer;
begin
  with due as (
    update walltrack.positions p set exits_reevaluated_at = pg_catalog.clock_timestamp()
    where p.status = 'open' and p.entry_amount is not null and p.current_price is not null
      and walltrack.max_hold_reached(p, walltrack.position_strategy(p), pg_catalog.now())
      and not walltrack.full_exit_in_flight(p.id)
    returning 1
  )
  select count(*)::integer into held from due;
  return pg_catalog.jsonb_build_object('max_hold', held, 'stale', walltrack.reevaluate_stale_exits());
end;
$$;
comment on function walltrack.evaluate_exits_on_timer() is
  'pg_cron job (every minute): evaluates the exits of open positions past their maximum hold and of those whose price stopped moving (reevaluate_stale_exits), without waiting for a price; returns {max_hold, stale}.';
revoke execute on function walltrack.evaluate_exits_on_timer() from public;

-- The operator's per-position maximum hold (npm run position:max-hold): minutes, or null to hold
-- without limit whatever the template says; merged into the override like any strategy field.
create function walltrack.override_position_max_hold(position_id uuid, minutes integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  p walltrack.positions;
begin
  if minutes is not null and minutes not between 1 and 525600 then
    raise exception 'invalid maximum hold %: minutes between 1 and 525600 (a year), or none to hold without limit', minutes
      using errcode = 'invalid_parameter_value';
  end if;
  select * into p from walltrack.positions where id = position_id for update;
  if p.id is null then
    raise exception 'no position %', position_id using errcode = 'no_data_found';
  end if;
  if p.status <> 'open' then
    raise exception 'position % is %: only an open position''s strategy can be overridden', position_id, p.status
      using errcode = 'check_violation';
  end if;
  update walltrack.positions
     set exit_strategy_override = coalesce(exit_strategy_override, '{}'::jsonb)
                                  || pg_catalog.jsonb_build_object('max_hold_minutes', minutes)
   where id = position_id;
  -- Judged now, not at the next tick: a hold already past its new maximum exits at once.
  update walltrack.positions set exits_reevaluated_at = pg_catalog.clock_timestamp() where id = position_id;
  return (select walltrack.position_strategy(x) from walltrack.positions x where x.id = position_id);
end;
$$;
comment on function walltrack.override_position_max_hold(uuid, integer) is
  'Sets an open position''s maximum hold in minutes (null: no limit) in its override, judges its exits at once and returns its effective strategy.';
revoke execute on function walltrack.override_position_max_hold(uuid, integer) from public;

insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-exit-timer', '* * * * *', 'select walltrack.evaluate_exits_on_timer()',
   'exits judged without a new price: time exits past their maximum hold, failed exits created again');
select walltrack.schedule_jobs();
