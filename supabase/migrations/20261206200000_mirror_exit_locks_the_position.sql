-- The mirror exit decides on the position as it is: its rows are locked (for update) before the
-- amount is read. Unlocked, a fill of another exit (the scale-out the same SELL's price fired,
-- filled by the executor in its own transaction) could commit between reading the position and
-- pricing the lot: the lot then came from the old holdings and the order was named
-- exit_mirror_partial although it sold everything left (seen in tests/integration/mirror_exit.test.ts
-- under load). A fill takes the same lock (walltrack.fill_simulated_orders, the live fill), so the
-- two now run one after the other (tests/integration/mirror_exit_and_a_fill_at_once.test.ts). The
-- exits in flight are read once, for the lot and its name.

create or replace function walltrack.mirror_exit(
  sig walltrack.signals, leader_usd numeric, decided_at timestamptz,
  out waits boolean, out exit_orders integer, out position_id uuid, out filter_reason text)
language plpgsql
set search_path = ''
as $$
declare
  p walltrack.positions;
  strategy jsonb;
  mode text;
  balances walltrack.leader_sell_balances;
  decimals integer;
  lot numeric;
  amount numeric;
  selling numeric;
  held boolean := false;
  enabled boolean := false;
  in_flight boolean := false;
  unknown boolean := false;
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
  select * into balances from walltrack.leader_sell_balances b where b.signal_id = sig.id;
  for p in
    select op.* from walltrack.positions op join walltrack.tokens tk on tk.id = op.token_id
    where op.wallet_id = sig.wallet_id and tk.address = sig.token_address and op.status = 'open' and op.current_amount > 0
    order by op.id
    for update of op
  loop
    held := true;
    strategy := walltrack.position_strategy(p);
    mode := walltrack.mirror_mode(strategy);
    continue when mode = 'off';
    enabled := true;
    if walltrack.full_exit_in_flight(p.id) then
      in_flight := true;
      continue;
    end if;
    decimals := coalesce(walltrack.token_decimals(p.token_id), balances.token_decimals, sig.token_decimals);
    selling := walltrack.exits_in_flight_amount(p.id);
    lot := walltrack.mirror_lot_amount(p, strategy, coalesce(decimals, 0));
    amount := lot;
    if mode = 'proportional' then
      if balances.signal_id is null then
        -- Decided without a lookup (the RPC was not asked): say so on the signal.
        insert into walltrack.leader_sell_balances (signal_id, unknown_reason, detail)
        values (sig.id, 'not_fetched', 'no confirmed balances were looked up before the decision')
        on conflict (signal_id) do nothing;
        select * into balances from walltrack.leader_sell_balances b where b.signal_id = sig.id;
      end if;
      if balances.unknown_reason is null and decimals is not null then
        amount := walltrack.proportional_mirror_amount(lot, decimals, balances.held_before_raw, balances.held_after_raw);
      elsif coalesce(strategy ->> 'mirror_fallback', 'full') = 'none' then
        unknown := true;
        continue;
      end if;
    end if;
    continue when coalesce(amount, 0) <= 0
               or walltrack.create_exit_order(
                    p, case when amount = p.current_amount - selling then 'exit_mirror' else 'exit_mirror_partial' end,
                    amount, leader_usd, sig.id, requested_at => decided_at) is null;
    exit_orders := exit_orders + 1;
    position_id := coalesce(position_id, p.id);
  end loop;
  if exit_orders = 0 then
    filter_reason := case when not held then 'no_open_position'
                          when not enabled then 'mirror_exit_disabled'
                          when unknown then 'mirror_fraction_unknown'
                          when in_flight then 'duplicate'
                          else 'mirror_nothing_to_sell' end;
  end if;
end;
$$;
