-- Adds the exit-order facts every exit shares (stop loss, trailing stop, scale-out, mirror,
-- manual): which exits sell everything, what exits in flight will sell, and the one creator of an
-- exit order. The unique indexes of 20261121002000 keep the full-exit list as a literal: an index
-- predicate cannot call a function that could change under it.

create function walltrack.is_full_exit(order_type text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual');
$$;
comment on function walltrack.is_full_exit(text) is
  'Whether an order type sells everything the position holds (stop loss, trailing stop, mirror, manual) rather than a scale-out share.';
revoke execute on function walltrack.is_full_exit(text) from public;

-- These three are PL/pgSQL rather than SQL for speed: a function that sets search_path is never
-- inlined, and as SQL functions their queries were planned again at each call (a tick firing a
-- stop loss on 2,000 positions took about twice as long).
create function walltrack.full_exit_in_flight(position_id uuid)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return exists (select 1 from walltrack.orders o
                 where o.position_id = full_exit_in_flight.position_id and o.status in ('pending', 'submitted')
                   and walltrack.is_full_exit(o.order_type));
end;
$$;
comment on function walltrack.full_exit_in_flight(uuid) is
  'Whether a full exit of the position is pending or submitted: it already sells everything, so no other exit is created.';
revoke execute on function walltrack.full_exit_in_flight(uuid) from public;

create function walltrack.exits_in_flight_amount(position_id uuid)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select coalesce(sum(o.amount_in), 0) from walltrack.orders o
          where o.position_id = exits_in_flight_amount.position_id and o.order_type <> 'entry'
            and o.status in ('pending', 'submitted'));
end;
$$;
comment on function walltrack.exits_in_flight_amount(uuid) is
  'Tokens the position''s pending and submitted exits will sell: a new exit sells only what remains beyond them.';
revoke execute on function walltrack.exits_in_flight_amount(uuid) from public;

-- Pending, with the configured slippage and retries, quoted against SOL. A second exit of the same
-- trigger (a full exit, or a scale-out level) in flight is refused by the unique indexes: then
-- nothing is created and the result is null, so a repeated or concurrent tick changes nothing.
create function walltrack.create_exit_order(
  pos walltrack.positions, order_type text, amount numeric, price_usd numeric, signal_id uuid default null,
  scaling_level smallint default null, scaling_percent numeric default null,
  requested_at timestamptz default pg_catalog.now())
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  created uuid;
begin
  insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                                amount_in, value_usd, slippage_requested_percent, max_retries, requested_at,
                                scaling_level, scaling_percent)
  select pos.wallet_id, pos.token_id, pos.id, create_exit_order.signal_id, create_exit_order.order_type, pos.mode,
         t.address, walltrack.wsol_mint(), pg_catalog.trim_scale(amount),
         pg_catalog.trim_scale(amount) * create_exit_order.price_usd, c.default_slippage_percent, c.order_max_retries,
         create_exit_order.requested_at, create_exit_order.scaling_level, create_exit_order.scaling_percent
  from walltrack.tokens t cross join walltrack.config c
  where t.id = pos.token_id
  on conflict do nothing
  returning id into created;
  return created;
end;
$$;
comment on function walltrack.create_exit_order(walltrack.positions, text, numeric, numeric, uuid, smallint, numeric, timestamptz) is
  'Creates a pending exit order of the position (type, amount, USD value at price_usd) with the configured slippage and retries; null when an exit of the same trigger is already in flight.';
revoke execute on function walltrack.create_exit_order(walltrack.positions, text, numeric, numeric, uuid, smallint, numeric, timestamptz) from public;
