-- Adds the operator's commands as SQL functions (the npm CLI calls them; psql users can too):
-- each validates its input, says what was wrong, and changes nothing when refused.

create function walltrack.add_wallet(
  wallet_address text, wallet_label text default null, wallet_mode text default 'simulation',
  strategy_name text default null, source text default 'manual', notes text default null)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  strategy_id uuid;
  wallet_id uuid;
begin
  select id into strategy_id from walltrack.exit_strategies
   where case when strategy_name is null then is_default else name = strategy_name end and is_active;
  if strategy_id is null then
    raise exception 'no active exit strategy named %', coalesce(strategy_name, '(default)')
      using errcode = 'no_data_found', hint = 'see walltrack.exit_strategies';
  end if;
  if exists (select 1 from walltrack.wallets where address = wallet_address) then
    raise exception 'wallet % is already on the watchlist', wallet_address using errcode = 'unique_violation';
  end if;
  insert into walltrack.wallets (address, label, mode, exit_strategy_id, discovery_source, discovery_notes)
  values (wallet_address, wallet_label, wallet_mode, strategy_id, source, notes)
  returning id into wallet_id;
  return wallet_id;
end;
$$;
comment on function walltrack.add_wallet(text, text, text, text, text, text) is
  'Adds a wallet to the watchlist (mode, exit strategy by name or the default, discovery source and notes); it is pending until the Helius sync pushes it.';
revoke execute on function walltrack.add_wallet(text, text, text, text, text, text) from public;

create function walltrack.find_wallet(wallet_address text)
returns walltrack.wallets
language plpgsql
stable
set search_path = ''
as $$
declare
  w walltrack.wallets;
begin
  select * into w from walltrack.wallets where address = wallet_address;
  if w.id is null then
    raise exception 'wallet % is not on the watchlist', wallet_address using errcode = 'no_data_found';
  end if;
  return w;
end;
$$;
comment on function walltrack.find_wallet(text) is 'The watchlist row of an address, or a clear error when it is not watched.';
revoke execute on function walltrack.find_wallet(text) from public;

create function walltrack.set_wallet_active(wallet_address text, active boolean)
returns void
language sql
set search_path = ''
as $$
  update walltrack.wallets set is_active = active where id = (walltrack.find_wallet(wallet_address)).id;
$$;
comment on function walltrack.set_wallet_active(text, boolean) is
  'Activates or deactivates a watched wallet (its open positions keep their exits; the Helius sync removes or adds it).';
revoke execute on function walltrack.set_wallet_active(text, boolean) from public;

create function walltrack.set_wallet_mode(wallet_address text, wallet_mode text)
returns void
language sql
set search_path = ''
as $$
  update walltrack.wallets set mode = wallet_mode where id = (walltrack.find_wallet(wallet_address)).id;
$$;
comment on function walltrack.set_wallet_mode(text, text) is
  'Sets a wallet''s mode (simulation or live) for its next positions; live also needs config.live_trading_enabled (ADR-008).';
revoke execute on function walltrack.set_wallet_mode(text, text) from public;

create function walltrack.set_wallet_strategy(wallet_address text, strategy_name text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  strategy_id uuid;
begin
  select id into strategy_id from walltrack.exit_strategies where name = strategy_name and is_active;
  if strategy_id is null then
    raise exception 'no active exit strategy named %', strategy_name using errcode = 'no_data_found';
  end if;
  update walltrack.wallets set exit_strategy_id = strategy_id where id = (walltrack.find_wallet(wallet_address)).id;
end;
$$;
comment on function walltrack.set_wallet_strategy(text, text) is
  'Sets the exit strategy a wallet''s next positions snapshot (open positions keep theirs: override them instead).';
revoke execute on function walltrack.set_wallet_strategy(text, text) from public;

-- An override may only set known strategy fields with sensible values; scaling levels must be well formed.
create function walltrack.override_position_strategy(position_id uuid, override jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  unknown text[];
  p walltrack.positions;
  effective jsonb;
begin
  if override is null or pg_catalog.jsonb_typeof(override) <> 'object' then
    raise exception 'the override must be a JSON object' using errcode = 'invalid_parameter_value';
  end if;
  unknown := array(select k from pg_catalog.jsonb_object_keys(override) k
                   where k not in ('stop_loss_percent', 'trailing_stop_enabled', 'trailing_stop_percent',
                                   'trailing_activation_multiplier', 'scaling_levels', 'mirror_exit_enabled'));
  if cardinality(unknown) > 0 then
    raise exception 'unknown strategy field(s): %', array_to_string(unknown, ', ')
      using errcode = 'invalid_parameter_value',
            hint = 'stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, trailing_activation_multiplier, scaling_levels, mirror_exit_enabled';
  end if;
  if exists (select 1 from pg_catalog.jsonb_each(override) e
             where e.key in ('stop_loss_percent', 'trailing_stop_percent', 'trailing_activation_multiplier')
               and pg_catalog.jsonb_typeof(e.value) <> 'number') then
    raise exception 'invalid override %: percents and the activation multiplier must be JSON numbers', override
      using errcode = 'invalid_parameter_value';
  end if;
  if (override ? 'stop_loss_percent' and not coalesce((override ->> 'stop_loss_percent')::numeric between 0.01 and 99.99, false))
     or (override ? 'trailing_stop_percent' and not coalesce((override ->> 'trailing_stop_percent')::numeric between 0.01 and 99.99, false))
     or (override ? 'trailing_activation_multiplier' and not coalesce((override ->> 'trailing_activation_multiplier')::numeric >= 1, false))
     or (override ? 'scaling_levels' and not walltrack.scaling_levels_are_valid(override -> 'scaling_levels'))
     or (override ? 'trailing_stop_enabled' and pg_catalog.jsonb_typeof(override -> 'trailing_stop_enabled') <> 'boolean')
     or (override ? 'mirror_exit_enabled' and pg_catalog.jsonb_typeof(override -> 'mirror_exit_enabled') <> 'boolean') then
    raise exception 'invalid override %: percents in (0, 100), activation multiplier >= 1, booleans as true/false, scaling levels well formed (at most 10, each {"multiplier": > 1, increasing, "sell_percent": (0, 100]} and no other key, sell percents summing to at most 100)', pg_catalog.left(override::text, 200)
      using errcode = 'invalid_parameter_value';
  end if;
  select * into p from walltrack.positions where id = position_id for update;
  if p.id is null then
    raise exception 'no position %', position_id using errcode = 'no_data_found';
  end if;
  if p.status <> 'open' then
    raise exception 'position % is %: only open positions take an override', position_id, p.status using errcode = 'check_violation';
  end if;
  update walltrack.positions set exit_strategy_override = coalesce(exit_strategy_override, '{}'::jsonb) || override
   where id = position_id
  returning walltrack.position_strategy(positions.*) into effective;
  return effective;
end;
$$;
comment on function walltrack.override_position_strategy(uuid, jsonb) is
  'Merges a validated override into an open position''s exit strategy (ADR-002) and returns the effective strategy; the next price tick applies it.';
revoke execute on function walltrack.override_position_strategy(uuid, jsonb) from public;

