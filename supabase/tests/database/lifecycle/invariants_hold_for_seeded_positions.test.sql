-- The three accounting invariants of migration 20261121002100 hold for every position in the
-- database, the seed's included:
--   1. entry_amount = current_amount + sum(amount_in of the executed exits)
--   2. realized_pnl_usd = sum over the executed exits of amount_in x (price_usd - entry_price)
--   3. status = 'closed'  =>  current_amount = 0
-- Stated for the data model as it is. The entry amount is the position's own entry_amount, not
-- an entry order's fill, because a position may hold its entry without an entry order: the seed's
-- open positions p07-p12 do (supabase/seed.sql, header: p11 and p12 were opened by hand, without a
-- signal, so they cannot have an entry order (orders_entry_has_signal); p07-p10 carry their
-- entry on the position and only exit orders). Where an executed entry order exists, the entry
-- is its fill (checked below). A position whose entry has not filled, or never will (status
-- error), holds nothing and has sold nothing: invariant 1 with an entry of 0.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Each position with what its executed orders say.
create temp table books as
select p.*,
       (select count(*) from walltrack.orders o
        where o.position_id = p.id and o.order_type = 'entry' and o.status = 'executed') as entry_fills,
       (select o.amount_out from walltrack.orders o
        where o.position_id = p.id and o.order_type = 'entry' and o.status = 'executed') as entry_fill_amount,
       (select o.price_usd from walltrack.orders o
        where o.position_id = p.id and o.order_type = 'entry' and o.status = 'executed') as entry_fill_price,
       coalesce((select sum(o.amount_in) from walltrack.orders o
                 where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed'), 0) as sold,
       coalesce((select sum(o.amount_in * (o.price_usd - p.entry_price)) from walltrack.orders o
                 where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed'), 0) as exits_pnl
from walltrack.positions p;

select isnt_empty($$select * from books$$, 'the database holds positions to check');

select is_empty(
  $$select id, entry_amount, current_amount, sold from books
    where entry_amount is not null and entry_amount <> current_amount + sold$$,
  'invariant 1: entry_amount = current_amount + the executed exits'' amounts');
select is_empty(
  $$select id, status, current_amount, exit_amount, sold from books
    where entry_amount is null and (current_amount <> 0 or exit_amount <> 0 or sold <> 0)$$,
  'invariant 1 before an entry: no entry, nothing held, nothing sold');
select is_empty(
  $$select id, exit_amount, sold from books where exit_amount <> sold$$,
  'exit_amount is what the executed exits sold');
select is_empty(
  $$select id, realized_pnl_usd, exits_pnl from books where realized_pnl_usd <> exits_pnl$$,
  'invariant 2: realized_pnl_usd = the sum of amount x (fill price - entry price) over the executed exits');
select is_empty(
  $$select id, current_amount from books where status = 'closed' and current_amount <> 0$$,
  'invariant 3: a closed position holds nothing');

select is_empty(
  $$select id, entry_fills from books where entry_fills > 1$$,
  'no position has more than one executed entry');
select is_empty(
  $$select id, entry_amount, entry_fill_amount, entry_price, entry_fill_price from books
    where entry_fills = 1
      and (entry_amount is distinct from entry_fill_amount or entry_price is distinct from entry_fill_price)$$,
  'where an entry order executed, the position''s entry is its fill');
select is(
  array(select id from books where entry_amount is not null and entry_fills = 0 order by id),
  array(select ('40000000-0000-4000-8000-0000000000' || n)::uuid from unnest(array['07', '08', '09', '10', '11', '12']) n),
  'the positions entered without an entry order are the seed''s p07-p12, as its header says');

select * from finish();
rollback;
