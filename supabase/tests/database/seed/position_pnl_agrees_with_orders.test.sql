-- A position's numbers are what its orders imply. Its entry is its executed entry order's fill;
-- what it sold, at what average price, when and why it closed, and its realized PnL come from its
-- executed exits (realized = proceeds - amount sold x entry price); what remains is entry minus
-- exits, valued by the trigger at the current price (unrealized), and current PnL is the sum.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

create temp table exits as
select o.position_id,
       sum(o.amount_in) as sold,
       sum(o.amount_in * o.price_usd) as proceeds,
       max(o.executed_at) as last_fill_at,
       (array_agg(o.order_type order by o.executed_at desc))[1] as last_type,
       (array_agg(o.price_usd order by o.executed_at desc))[1] as last_price
from walltrack.orders o
where o.order_type <> 'entry' and o.status = 'executed'
group by o.position_id;

select is_empty(
  $$ select p.id, p.realized_pnl_usd, coalesce(x.proceeds - x.sold * p.entry_price, 0) as implied
     from walltrack.positions p left join exits x on x.position_id = p.id
     where p.realized_pnl_usd <> coalesce(x.proceeds - x.sold * p.entry_price, 0) $$,
  'realized_pnl_usd = executed exits'' proceeds - amount sold x entry price (0 without exits)');

select is_empty(
  $$ select p.id from walltrack.positions p left join exits x on x.position_id = p.id
     where p.exit_amount <> coalesce(x.sold, 0)
        or p.current_amount <> p.entry_amount - coalesce(x.sold, 0) $$,
  'exit_amount = amount sold by executed exits; current_amount = entry_amount - exit_amount');

select is_empty(
  $$ select p.id from walltrack.positions p left join exits x on x.position_id = p.id
     where p.exit_price is distinct from x.proceeds / x.sold $$,
  'exit_price = the amount-weighted price of the executed exits (null without exits)');

select is_empty(
  $$ select p.id from walltrack.positions p left join exits x on x.position_id = p.id
     where p.status = 'closed'
       and (x.position_id is null or p.current_amount <> 0 or p.closed_at <> x.last_fill_at
            or p.exit_reason <> replace(x.last_type, 'exit_', '')
            or p.current_price <> x.last_price or p.price_updated_at <> x.last_fill_at) $$,
  'a closed position sold everything and closed at its last fill, with that fill''s reason and price');

select is_empty(
  $$ select p.id from walltrack.positions p
     where p.status = 'open' and (p.closed_at is not null or p.exit_reason is not null) $$,
  'open positions have no close');

select is_empty(
  $$ select p.id from walltrack.positions p
     join walltrack.orders o on o.position_id = p.id and o.order_type = 'entry' and o.status = 'executed'
     where p.entry_price <> o.price_usd or p.entry_amount <> o.amount_out
        or p.entry_timestamp <> o.executed_at or p.entry_tx_signature is distinct from o.tx_signature $$,
  'a position''s entry is its entry order''s fill: price, amount, time, transaction');

select is_empty(
  $$ select id from walltrack.positions
     where entry_value_usd <> entry_amount * entry_price
        or (mode = 'live' and entry_tx_signature is null)
        or (mode = 'simulation' and entry_tx_signature is not null) $$,
  'entry_value_usd = entry_amount x entry_price; live entries carry a transaction, simulated none');

select is_empty(
  $$ select id from walltrack.positions
     where unrealized_pnl_usd <> current_amount * (current_price - entry_price)
        or current_pnl_usd <> realized_pnl_usd + unrealized_pnl_usd $$,
  'unrealized = current_amount x (current_price - entry_price); current = realized + unrealized');

select is_empty(
  $$ select id from walltrack.positions
     where peak_price < entry_price or peak_price < current_price or peak_price < coalesce(exit_price, 0) $$,
  'peak_price is at least every price the position saw (entry, current, exits)');

select is(
  (select sum(realized_pnl_usd) from walltrack.positions where status = 'closed'),
  (select sum(o.amount_in * o.price_usd) - sum(o.amount_in * p.entry_price)
   from walltrack.orders o join walltrack.positions p on p.id = o.position_id
   where o.order_type <> 'entry' and o.status = 'executed'),
  'the realized PnL of all closed positions adds up to what all executed exits made');

select * from finish();
rollback;
