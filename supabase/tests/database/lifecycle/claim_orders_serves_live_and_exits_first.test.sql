-- walltrack.claim_orders serves live orders first, then exits, then simulated entries, the oldest
-- first within each, so a backlog never starves a live order or an exit. Thirty simulated entries
-- requested an hour ago wait; then a simulated stop loss (10 minutes ago) and a live entry (just
-- now) arrive. A batch of 5 takes the live entry, the stop loss, and the three oldest entries.
begin;
create extension if not exists pgtap with schema extensions;
select plan(3);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Orders already in the database are leased away for the hour: only this test's orders are due.
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
update walltrack.config set sol_usd_price = 200;

do $$
begin
  for k in 1..30 loop
    perform tests.lifecycle_open_pending('Back' || k, 'Back' || k, 0.50, 1000);
    update walltrack.orders set requested_at = now() - interval '1 hour' + k * interval '1 second'
     where position_id = tests.lifecycle_pos('Back' || k);
  end loop;
  perform tests.lifecycle_open_position('Stop', 'Stop', 1.00, 1000);
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('Stop'), 'exit_stop_loss', 1000);
  update walltrack.orders set requested_at = now() - interval '10 minutes'
   where position_id = tests.lifecycle_pos('Stop') and order_type = 'exit_stop_loss';
  perform tests.lifecycle_open_pending('Live', 'Live', 0.50, 1000, wallet_mode => 'live');
end
$$;

create temp table claimed as
  select c.ordinality, (c.value ->> 'id')::uuid as id, c.value ->> 'mode' as mode, c.value ->> 'order_type' as order_type
  from jsonb_array_elements(walltrack.claim_orders(5)) with ordinality c;

select set_eq($$select id from claimed$$,
  $$select id from walltrack.orders
    where position_id in (tests.lifecycle_pos('Live'), tests.lifecycle_pos('Back1'), tests.lifecycle_pos('Back2'), tests.lifecycle_pos('Back3'))
       or (position_id = tests.lifecycle_pos('Stop') and order_type = 'exit_stop_loss')$$,
  'a batch of 5: the live entry, the stop loss and the three oldest simulated entries, not thirty old entries');
select is((select count(*)::integer from claimed where mode = 'live' or order_type <> 'entry'), 2,
  'the live order and the exit are in the batch, however old the backlog');
select is(walltrack.claim_priority('live', 'entry') < walltrack.claim_priority('simulation', 'exit_stop_loss')
          and walltrack.claim_priority('simulation', 'exit_stop_loss') < walltrack.claim_priority('simulation', 'entry'),
  true, 'live before exits, exits before simulated entries');

select * from finish();
rollback;
