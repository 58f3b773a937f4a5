-- Exits are evaluated when the price changes; a position whose price stopped moving is evaluated
-- again on a timer (walltrack.reevaluate_stale_exits, every minute through walltrack.monitor_prices),
-- and shown to the operator (walltrack.stuck_positions, npm run status). Default strategy (stop
-- loss 20 %), entry 1.00 x 1,000:
--   F  priced 0.70: its stop loss fails for good; then no new price comes for 10 minutes. Stuck
--      (exit failed); re-evaluated, its stop loss is created again
--   G  priced 1.10 25 minutes ago and never since: stuck (no price); re-evaluated, nothing to do
--   H  priced 1.10 just now: neither stuck nor re-evaluated
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

set local client_min_messages = error;

do $$
begin
  perform tests.lifecycle_open_position('F', 'F', 1.00, 1000);
  perform tests.lifecycle_tick('F', 0.70);
  perform walltrack.record_order_failure(
    (select id from walltrack.orders where position_id = tests.lifecycle_pos('F') and order_type = 'exit_stop_loss'),
    'route_not_found', 'no route for this token', final => true);
  update walltrack.positions set price_updated_at = now() - interval '10 minutes' where id = tests.lifecycle_pos('F');
  perform tests.lifecycle_open_position('G', 'G', 1.00, 1000);
  perform tests.lifecycle_tick('G', 1.10);
  update walltrack.positions set price_updated_at = now() - interval '25 minutes' where id = tests.lifecycle_pos('G');
  perform tests.lifecycle_open_position('H', 'H', 1.00, 1000);
  perform tests.lifecycle_tick('H', 1.10);
end
$$;

select results_eq(
  $$select position_id, problem from walltrack.stuck_positions()
     where position_id in (tests.lifecycle_pos('F'), tests.lifecycle_pos('G'), tests.lifecycle_pos('H')) order by problem$$,
  $$values (tests.lifecycle_pos('F'), 'exit failed: route_not_found no route for this token'::text),
           (tests.lifecycle_pos('G'), 'no price since ' || (now() - interval '25 minutes')::text)$$,
  'F (its exit failed for good) and G (no price for 25 minutes) are stuck; H is not');
select is((walltrack.status_summary() #>> '{stuck_positions,count}')::integer >= 2, true, 'status counts them');

select ok(walltrack.reevaluate_stale_exits() >= 2, 'the timer evaluates the stale positions again');
select is(
  (select count(*)::integer from walltrack.orders
    where position_id = tests.lifecycle_pos('F') and order_type = 'exit_stop_loss' and status = 'pending'), 1,
  'F: its stop loss is created again at the last price (0.70 is still below the stop)');
select is_empty($$select 1 from walltrack.orders where position_id = tests.lifecycle_pos('G') and order_type <> 'entry'$$,
  'G: nothing to do at 1.10');
select is((select exits_reevaluated_at from walltrack.positions where id = tests.lifecycle_pos('H')), null,
  'H, priced just now, is left alone');
select is(walltrack.reevaluate_stale_exits(), 0, 'a second run right after finds nothing stale');

select * from finish();
rollback;
