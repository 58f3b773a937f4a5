-- Adds the exit half of position accounting: an executed exit order reduces the position by the
-- amount sold, adds its realized PnL (proceeds minus the cost basis of that amount), keeps the
-- amount-weighted exit price, and closes the position when nothing remains. Each fill counts
-- once: on insert as executed, or on the transition to executed, never again.
--
-- Realized PnL comes from exact amounts (ADR-009): each exit adds its exact USD value (value_usd:
-- amount x price in simulation, SOL received x SOL/USD live) minus the cost of what it sold,
-- amount x entry_price; the exit that closes the position takes what remains of the cost basis
-- (entry_value_usd minus what earlier exits took), so a closed position's realized PnL is exactly
-- its proceeds minus its cost, whatever rounding the entry price carries.
--
-- Invariants (pgTAP-tested after every scenario):
--   entry_amount = current_amount + sum(amount_in of executed exits)
--   realized_pnl_usd = sum over executed exits of amount_in x (price_usd - entry_price)
--                      (when value_usd = amount_in x price_usd and entry_value_usd = entry_amount x
--                      entry_price, as in simulation; in general, sum(value_usd) - the cost taken)
--   status = 'closed'  =>  current_amount = 0

create function walltrack.exit_reason_of(order_type text)
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
  end;
$$;
comment on function walltrack.exit_reason_of(text) is 'The position exit_reason an exit order type stands for (exit_stop_loss -> stop_loss, ...).';
revoke execute on function walltrack.exit_reason_of(text) from public;

create function walltrack.apply_exit_fill()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.positions p
     set current_amount = pg_catalog.trim_scale(p.current_amount - new.amount_in),
         exit_amount = pg_catalog.trim_scale(p.exit_amount + new.amount_in),
         realized_pnl_usd = pg_catalog.trim_scale(p.realized_pnl_usd + coalesce(new.value_usd, new.amount_in * new.price_usd) - case
           when p.current_amount = new.amount_in then p.entry_value_usd - (p.entry_amount - p.current_amount) * p.entry_price
           else new.amount_in * p.entry_price end),
         -- From the executed exits themselves, not the rounded running average (which would drift).
         exit_price = (select pg_catalog.trim_scale(sum(o.amount_in * o.price_usd) / sum(o.amount_in))
                         from walltrack.orders o
                        where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed'),
         status = case when p.current_amount = new.amount_in then 'closed' else p.status end,
         closed_at = case when p.current_amount = new.amount_in then new.executed_at else p.closed_at end,
         exit_reason = case when p.current_amount = new.amount_in then walltrack.exit_reason_of(new.order_type)
                            else p.exit_reason end
   where p.id = new.position_id;
  return null;
end;
$$;
comment on function walltrack.apply_exit_fill() is
  'Trigger function: an executed exit order reduces its position (current and exit amounts, realized PnL, weighted exit price) and closes it when nothing remains.';
revoke execute on function walltrack.apply_exit_fill() from public;

create trigger orders_apply_exit_fill_on_insert
  after insert on walltrack.orders
  for each row
  when (new.order_type <> 'entry' and new.status = 'executed')
  execute function walltrack.apply_exit_fill();
create trigger orders_apply_exit_fill_on_update
  after update of status on walltrack.orders
  for each row
  when (new.order_type <> 'entry' and new.status = 'executed' and old.status <> 'executed')
  execute function walltrack.apply_exit_fill();

-- The entry fill likewise counts once: the update trigger now fires on the transition only.
drop trigger orders_apply_entry_fill on walltrack.orders;
create trigger orders_apply_entry_fill_on_insert
  after insert on walltrack.orders
  for each row
  when (new.order_type = 'entry' and new.status = 'executed')
  execute function walltrack.apply_entry_fill();
create trigger orders_apply_entry_fill_on_update
  after update of status on walltrack.orders
  for each row
  when (new.order_type = 'entry' and new.status = 'executed' and old.status <> 'executed')
  execute function walltrack.apply_entry_fill();
