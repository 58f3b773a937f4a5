-- Adds the mirror exit as a named rule (walltrack.mirror_exit): a leader's SELL sells what we hold
-- of that token in the positions opened from that same wallet.

-- For each open position of the wallet in the token holding tokens, with mirror_exit_enabled in
-- its effective strategy and no full exit in flight: one exit_mirror order for what the exits in
-- flight (a scale-out level) will not sell, valued at the leader's USD price. While the same
-- wallet's earlier BUY of the token is undecided, the SELL waits for that decision (it never
-- overtakes it); while our live entry has not filled, it waits too (the entry fills, then it is
-- mirrored, or fails, and there is nothing to mirror). With no order created, filter_reason says why: no_open_position, duplicate
-- (a full exit in flight already sells everything) or mirror_exit_disabled.
create function walltrack.mirror_exit(
  sig walltrack.signals, leader_usd numeric, decided_at timestamptz,
  out waits boolean, out exit_orders integer, out position_id uuid, out filter_reason text)
language plpgsql
set search_path = ''
as $$
declare
  p walltrack.positions;
  held boolean := false;
  enabled boolean := false;
  unsold numeric;
begin
  exit_orders := 0;
  -- The same wallet's earlier BUY of this token is not decided yet (its safety check may still be
  -- answering, its batch still running): the SELL waits for that decision, then mirrors the
  -- position it opened, if any. Or our live entry has not filled yet.
  waits := exists (select 1 from walltrack.signals b
                   where b.wallet_id = sig.wallet_id and b.token_address = sig.token_address
                     and b.signal_type = 'BUY' and b.processed_at is null and b.id <> sig.id
                     and (coalesce(b.leader_block_time, b.webhook_received_at), b.webhook_received_at, b.id)
                         < (coalesce(sig.leader_block_time, sig.webhook_received_at), sig.webhook_received_at, sig.id))
        or exists (select 1 from walltrack.positions op join walltrack.tokens tk on tk.id = op.token_id
                   where op.wallet_id = sig.wallet_id and tk.address = sig.token_address
                     and op.status = 'open' and op.entry_amount is null);
  if waits then
    return;
  end if;
  for p in
    select op.* from walltrack.positions op join walltrack.tokens tk on tk.id = op.token_id
    where op.wallet_id = sig.wallet_id and tk.address = sig.token_address and op.status = 'open' and op.current_amount > 0
    order by op.id
  loop
    held := true;
    continue when not coalesce((walltrack.position_strategy(p) ->> 'mirror_exit_enabled')::boolean, false);
    enabled := true;
    continue when walltrack.full_exit_in_flight(p.id);
    unsold := p.current_amount - walltrack.exits_in_flight_amount(p.id);
    continue when unsold <= 0
               or walltrack.create_exit_order(p, 'exit_mirror', unsold, leader_usd, sig.id, requested_at => decided_at) is null;
    exit_orders := exit_orders + 1;
    position_id := coalesce(position_id, p.id);
  end loop;
  if exit_orders = 0 then
    filter_reason := case when not held then 'no_open_position'
                          when enabled then 'duplicate'
                          else 'mirror_exit_disabled' end;
  end if;
end;
$$;
comment on function walltrack.mirror_exit(walltrack.signals, numeric, timestamptz) is
  'The mirror exit of a leader''s SELL: exit_mirror orders for the same wallet''s open positions in the token (mirror enabled, no full exit in flight); returns whether the SELL waits (for the wallet''s undecided earlier BUY of the token, or a live entry), the orders created, the first position, and the filter reason when none was created.';
revoke execute on function walltrack.mirror_exit(walltrack.signals, numeric, timestamptz) from public;
