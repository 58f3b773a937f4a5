-- Adds the entry half of position accounting: when an entry order is executed (at creation in
-- simulation, or later by the executor in live mode), its fill becomes the position's entry:
-- price, amount, cost basis, time, signature, and the copy-quality figures against the leader.

create function walltrack.apply_entry_fill()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.positions p
     set entry_price = new.price_usd,
         entry_amount = new.amount_out,
         current_amount = new.amount_out,
         -- The order's exact value (for a live fill the SOL paid x SOL/USD), not amount x a rounded price.
         entry_value_usd = coalesce(new.value_usd, new.amount_out * new.price_usd),
         entry_timestamp = new.executed_at,
         entry_tx_signature = new.tx_signature,
         current_price = coalesce(p.current_price, new.price_usd),
         price_updated_at = coalesce(p.price_updated_at, new.executed_at),
         fill_delay_seconds = (
           select case when s.leader_block_time is not null
                       then greatest(0, extract(epoch from (new.executed_at - s.leader_block_time))) end
             from walltrack.signals s where s.id = p.signal_id),
         slippage_vs_leader_percent = case when p.leader_price_usd is not null
           then pg_catalog.round((new.price_usd - p.leader_price_usd) / p.leader_price_usd * 100, 4) end
   where p.id = new.position_id;
  return null;
end;
$$;
comment on function walltrack.apply_entry_fill() is
  'Trigger function: an executed entry order sets its position''s entry (price, amount, cost basis, time, signature) and copy quality (fill delay, slippage vs the leader).';
revoke execute on function walltrack.apply_entry_fill() from public;

create trigger orders_apply_entry_fill
  after insert or update of status on walltrack.orders
  for each row
  when (new.order_type = 'entry' and new.status = 'executed')
  execute function walltrack.apply_entry_fill();
