-- walltrack.exits_status (the exits block for npm run status): the monitor's polling interval, the
-- swap-price age limit, the open positions by the source of their price and the oldest price's
-- age, positions past their maximum hold, time exits in 24 h. And the exit timer's pg_cron job.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

-- Only this test's positions are open.
update walltrack.positions set status = 'closed', current_amount = 0, exit_reason = 'manual', closed_at = greatest(now(), entry_timestamp)
 where status = 'open' and entry_timestamp is not null;
delete from walltrack.positions where status = 'open';
insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, max_hold_minutes)
values ('TestStatusHold', 20, false, null, 60);
do $$
begin
  perform tests.lifecycle_open_position('Sa', 'Sa', 1.00, 1000);
  perform tests.lifecycle_open_position('Sb', 'Sb', 1.00, 1000, 'TestStatusHold');
  perform tests.lifecycle_tick('Sa', 1.10);
  update walltrack.positions set price_updated_at = now() - interval '90 seconds', price_source = 'jupiter' where id = tests.lifecycle_pos('Sa');
  update walltrack.positions set entry_timestamp = now() - interval '2 hours' where id = tests.lifecycle_pos('Sb');
end
$$;
update walltrack.config set price_monitor_interval_seconds = 7, swap_price_max_age_seconds = 45;

select is((walltrack.exits_status() ->> 'price_monitor_interval_seconds')::integer, 7, 'the polling interval');
select is((walltrack.exits_status() ->> 'swap_price_max_age_seconds')::integer, 45, 'the swap-price age limit');
select is(walltrack.exits_status() -> 'open_positions_by_price_source', '{"jupiter": 1, "none": 1}'::jsonb,
  'open positions by the source of their price (none: not priced since its entry)');
select is((walltrack.exits_status() ->> 'oldest_price_age_seconds')::integer, 90, 'the oldest open price is 90 s old');
select is((walltrack.exits_status() ->> 'past_max_hold')::integer, 1, 'one position is past its maximum hold');
do $$ begin perform walltrack.evaluate_exits_on_timer(); end $$;
select is((walltrack.exits_status() ->> 'time_exits_24h')::integer >= 1, true, 'the timer''s time exit is counted');

select results_eq(
  $$select schedule, command, active from cron.job where jobname = 'walltrack-exit-timer'$$,
  $$values ('* * * * *'::text, 'select walltrack.evaluate_exits_on_timer()'::text, true)$$,
  'the exit timer runs every minute as a pg_cron job of its own');

select * from finish();
rollback;
