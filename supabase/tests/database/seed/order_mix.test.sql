-- The 18 orders have the story's mix: 12 executed (6 entries, 6 exits of several kinds), 4 pending
-- with 0-2 retries spent, 2 failed with retry_count = max_retries = 3. Pending and failed orders
-- are exits: pending ones on open positions for all they hold, failed ones re-sent and filled
-- later. Closed positions carry their full order history (one entry, their exits); live fills
-- carry their transaction, simulated ones none.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

select results_eq(
  $$ select status, count(*)::integer from walltrack.orders group by status order by status $$,
  $$ values ('executed', 12), ('failed', 2), ('pending', 4) $$,
  'orders: 12 executed, 4 pending, 2 failed');

select results_eq(
  $$ select order_type, count(*)::integer from walltrack.orders where status = 'executed'
     group by order_type order by order_type $$,
  $$ values ('entry', 6), ('exit_manual', 2), ('exit_stop_loss', 2), ('exit_trailing_stop', 2) $$,
  'executed: 6 entries and 6 exits (manual, stop loss, trailing stop)');

select is(
  (select array_agg(distinct retry_count order by retry_count) from walltrack.orders where status = 'pending'),
  array[0, 1, 2],
  'pending orders show every retry state from 0 to 2');

select is_empty(
  $$ select id from walltrack.orders
     where status = 'pending' and (retry_count not between 0 and 2 or retry_count >= max_retries) $$,
  'every pending order still has attempts left');

select is_empty(
  $$ select id from walltrack.orders
     where status = 'failed'
       and (retry_count <> 3 or max_retries <> 3 or error_code is null or error_message is null) $$,
  'failed orders spent retry_count = max_retries = 3 and say why');

select is_empty(
  $$ select o.id from walltrack.orders o cross join walltrack.config c
     where o.max_retries <> c.order_max_retries $$,
  'every order got config.order_max_retries');

select is_empty(
  $$ select o.id, o.order_type, p.status
     from walltrack.orders o join walltrack.positions p on p.id = o.position_id
     where o.status = 'pending'
       and (o.order_type = 'entry' or p.status <> 'open' or o.amount_in <> p.current_amount) $$,
  'pending orders are exits of open positions, for everything they still hold');

select is_empty(
  $$ select f.id from walltrack.orders f
     where f.status = 'failed'
       and (f.order_type = 'entry'
            or not exists (select 1 from walltrack.orders r
                           where r.position_id = f.position_id and r.order_type = f.order_type
                             and r.status = 'executed' and r.requested_at > f.requested_at)) $$,
  'failed orders are exits that were re-sent and filled afterwards');

select is_empty(
  $$ select p.id, p.status,
            count(*) filter (where o.order_type = 'entry' and o.status = 'executed') as entries,
            count(*) filter (where o.order_type <> 'entry' and o.status = 'executed') as exits
     from walltrack.positions p
     left join walltrack.orders o on o.position_id = p.id
     group by p.id, p.status
     having (p.status = 'closed' and (count(*) filter (where o.order_type = 'entry' and o.status = 'executed') <> 1
                                      or count(*) filter (where o.order_type <> 'entry' and o.status = 'executed') < 1))
         or (p.status = 'open' and count(*) filter (where o.status = 'executed') <> 0) $$,
  'closed positions have one executed entry and their executed exits; open ones no fill yet');

select is_empty(
  $$ select id from walltrack.orders
     where status = 'executed' and mode = 'live'
       and (tx_signature is null or length(tx_signature) <> 88 or block_number is null
            or priority_fee_lamports is null or jupiter_quote_id is null or jupiter_route is null) $$,
  'live fills carry their transaction: signature, block, priority fee, Jupiter quote and route');

select is_empty(
  $$ select id from walltrack.orders
     where mode = 'simulation'
       and (tx_signature is not null or block_number is not null or jupiter_quote_id is not null
            or jupiter_route is not null or priority_fee_lamports is not null) $$,
  'simulated orders touch no chain and no Jupiter');

select * from finish();
rollback;
