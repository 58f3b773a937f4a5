-- Time exits (walltrack.max_hold_reached, issue 14) fired by the exit timer
-- (walltrack.evaluate_exits_on_timer, pg_cron every minute), not by a price. A template with a
-- maximum hold of 60 minutes; each position entered at 1.00 x 1,000 and priced 1.10:
--   T  held 2 hours, no price since: the timer creates one exit_time of all 1,000; again: nothing
--      more; filled, the position closes with exit_reason time, counted in results_by_exit_reason
--   U  held 30 minutes: nothing
--   V  held 2 hours, its override holds without limit (null): nothing
--   W  held 2 hours, its time exit failed for good: the timer creates it again
--   X  held 50 minutes, its override sets 40: a price tick fires the time exit too
--   Y  held 2 hours at 0.70: the stop loss names the exit, not the time
begin;
create extension if not exists pgtap with schema extensions;
select plan(18);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, max_hold_minutes)
values ('TestHold', 20, false, null, 60);

create function pg_temp.held(tag text, held interval, override jsonb default null) returns uuid
language plpgsql as $$
declare
  pos uuid := tests.lifecycle_open_position(tag, tag, 1.00, 1000, 'TestHold', override);
begin
  perform tests.lifecycle_tick(tag, 1.10);
  update walltrack.positions set entry_timestamp = now() - held, price_updated_at = now() - interval '1 minute' where id = pos;
  return pos;
end
$$;

do $$
begin
  perform pg_temp.held('T', interval '2 hours');
  perform pg_temp.held('U', interval '30 minutes');
  perform pg_temp.held('V', interval '2 hours', '{"max_hold_minutes": null}');
  perform pg_temp.held('W', interval '2 hours');
  perform pg_temp.held('X', interval '50 minutes', '{"max_hold_minutes": 40}');
  perform pg_temp.held('Y', interval '2 hours');
end
$$;

select is(walltrack.max_hold_reached((select p from walltrack.positions p where id = tests.lifecycle_pos('U')),
  '{"max_hold_minutes": 30}', now()), true, 'max_hold_reached: held 30 minutes of 30');
select is(walltrack.max_hold_reached((select p from walltrack.positions p where id = tests.lifecycle_pos('U')),
  '{"max_hold_minutes": 31}', now()), false, 'max_hold_reached: not 31');
select is(walltrack.max_hold_reached((select p from walltrack.positions p where id = tests.lifecycle_pos('U')),
  '{"stop_loss_percent": 20}', now()), false, 'max_hold_reached: no maximum, no time exit');

-- W's time exit comes first and fails for good.
update walltrack.positions set exits_reevaluated_at = clock_timestamp() where id = tests.lifecycle_pos('W');
do $$ begin
  perform walltrack.record_order_failure(
    (select id from walltrack.orders where position_id = tests.lifecycle_pos('W') and order_type = 'exit_time'),
    'route_not_found', 'no route for this token', final => true);
end $$;

do $$ begin perform tests.lifecycle_tick('Y', 0.70); end $$;
select is((select order_type from walltrack.orders where position_id = tests.lifecycle_pos('Y') and order_type <> 'entry'),
  'exit_stop_loss', 'Y: at 0.70 past its hold the stop loss names the exit');

select is(tests.lifecycle_tick('X', 1.05) ->> 'exit_orders_created', '1', 'X: a price tick past its overridden 40 minutes fires the time exit');
select is((select order_type from walltrack.orders where position_id = tests.lifecycle_pos('X') and order_type <> 'entry'), 'exit_time',
  'X: an exit_time');
select is(walltrack.evaluate_exits_on_timer() ->> 'max_hold', '2', 'the timer judges T and W (X and Y have their exit in flight)');
select results_eq(
  $$select order_type, amount_in, value_usd, status from walltrack.orders where position_id = tests.lifecycle_pos('T') and order_type <> 'entry'$$,
  $$values ('exit_time'::text, 1000::numeric, 1100::numeric, 'pending'::text)$$,
  'T: held 2 hours of 60 minutes: one exit_time of all 1,000 at its last price, without a new price');
select is((select count(*)::integer from walltrack.orders where position_id = tests.lifecycle_pos('W') and order_type = 'exit_time'), 2,
  'W: its failed time exit is created again');
select is_empty($$select 1 from walltrack.orders o where o.position_id in (tests.lifecycle_pos('U'), tests.lifecycle_pos('V')) and o.order_type <> 'entry'$$,
  'U (30 minutes) and V (no limit by override): nothing');
select is(walltrack.evaluate_exits_on_timer() ->> 'max_hold', '0', 'a second run: every time exit is in flight, nothing to judge');
select is((select count(*)::integer from walltrack.orders where position_id = tests.lifecycle_pos('T') and order_type <> 'entry'), 1,
  'T: still one exit');


select is(tests.lifecycle_fill(tests.lifecycle_pos('T'), 1.10), 1, 'T: the time exit fills at 1.10');
select results_eq(
  $$select status, exit_reason, current_amount, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('T')$$,
  $$values ('closed'::text, 'time'::text, 0::numeric, 100::numeric)$$,
  'T: closed with exit_reason time and realized PnL 1,000 x (1.10 - 1.00) = 100');
select ok((select positions >= 1 from walltrack.results_by_exit_reason where exit_reason = 'time'), 'results_by_exit_reason counts time exits');

-- The operator's override.
select is((walltrack.override_position_max_hold(tests.lifecycle_pos('U'), 20) ->> 'max_hold_minutes'), '20',
  'override_position_max_hold sets the maximum in the override');
select is((select order_type from walltrack.orders where position_id = tests.lifecycle_pos('U') and order_type <> 'entry'), 'exit_time',
  'U: held 30 minutes, its new maximum of 20 passed: it exits at once');
select throws_ok($$select walltrack.override_position_max_hold(tests.lifecycle_pos('V'), 0)$$, '22023',
  'invalid maximum hold 0: minutes between 1 and 525600 (a year), or none to hold without limit',
  'a maximum hold of 0 minutes is refused, saying what is allowed');

select * from finish();
rollback;
