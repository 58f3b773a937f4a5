-- The order executor and the price monitor are edge functions called through net.http_post with
-- the Vault project URL and service-role key:
--   walltrack.kick_order_executor (trigger): once per transaction that inserted pending orders
--   walltrack.sweep_pending_orders (pg_cron): only when an order is due (retry time passed, no
--     live lease)
--   walltrack.monitor_prices (pg_cron): only when a position is open
-- Without the Vault secrets nothing is sent (a warning says so).
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

-- This test's own Vault secrets (tests.cron_test_secrets).
do $$ begin perform tests.cron_test_secrets(); end $$;

-- Requests queued since the last mark.
create temp table mark as select coalesce(max(id), 0) as last_id from net.http_request_queue;
create function pg_temp.mark() returns void
language sql as $$ update mark set last_id = (select coalesce(max(id), 0) from net.http_request_queue) $$;
create function pg_temp.requests() returns table (url text, body jsonb, headers jsonb)
language sql stable as $$
  select url, convert_from(body, 'utf8')::jsonb, headers from net.http_request_queue
  where id > (select last_id from mark) order by id
$$;

do $$ begin perform tests.lifecycle_open_pending('K', 'K', 1.00, 1000); end $$;
select results_eq(
  $$select * from pg_temp.requests()$$,
  $$values ('http://127.0.0.1:9/functions/v1/order-executor'::text, '{"source": "orders_created"}'::jsonb,
            '{"Content-Type": "application/json", "Authorization": "Bearer test-service-role-key"}'::jsonb)$$,
  'a pending order inserted: one request to the order-executor function, authorized with the Vault key');

do $$ begin perform pg_temp.mark(); end $$;
do $$ begin perform tests.lifecycle_open_position('J', 'J', 1.00, 1000); end $$;
select is_empty($$select * from pg_temp.requests()$$, 'an order inserted executed: no request');

do $$ begin perform pg_temp.mark(); end $$;
-- The kick is once per transaction: clear its mark, as a new transaction would start without it.
select set_config('walltrack.order_executor_kicked', '', true);
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                              scaling_level, scaling_percent)
select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'simulation', tests.addr('TkJ'),
       'So11111111111111111111111111111111111111112', 100, l, 10
from walltrack.positions p cross join generate_series(1, 2) as l
where p.id = tests.lifecycle_pos('J');
select is((select count(*)::integer from pg_temp.requests()), 1,
  'two pending orders inserted by one statement: one request');
do $$ begin perform pg_temp.mark(); end $$;
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                              scaling_level, scaling_percent)
select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'simulation', tests.addr('TkJ'),
       'So11111111111111111111111111111111111111112', 100, 3, 10
from walltrack.positions p where p.id = tests.lifecycle_pos('J');
select is_empty($$select * from pg_temp.requests()$$,
  'another pending order later in the same transaction: no second request');

-- The sweeper: only this test's orders may be due.
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
do $$ begin perform pg_temp.mark(); end $$;
select is(walltrack.sweep_pending_orders(), null, 'no order due (all leased): the sweeper returns null');
select is_empty($$select * from pg_temp.requests()$$, 'and sends nothing');

update walltrack.orders set claimed_until = null, next_retry_at = now() + interval '1 minute'
where position_id = tests.lifecycle_pos('J') and status = 'pending';
select is(walltrack.sweep_pending_orders(), null, 'orders whose retry time has not come: null');

update walltrack.orders set next_retry_at = now() - interval '1 second'
where position_id = tests.lifecycle_pos('J') and status = 'pending' and scaling_level = 1;
create temp table swept as select walltrack.sweep_pending_orders() as request_id;
select isnt((select request_id from swept), null, 'an order due: the sweeper returns a request id');
select results_eq(
  $$select url, body from pg_temp.requests()$$,
  $$values ('http://127.0.0.1:9/functions/v1/order-executor'::text, '{"source": "sweeper"}'::jsonb)$$,
  'one request to the order-executor function, from the sweeper');

-- The price monitor: only with an open position or a token in the shadow book (a BUY skipped
-- within config.shadow_book_hours; the seed's latest is 2 hours old).
do $$ begin perform pg_temp.mark(); end $$;
update walltrack.positions set status = 'error' where status = 'open';
update walltrack.config set shadow_book_hours = 1;
select is(walltrack.monitor_prices(), null, 'no open position and no skipped BUY to price: the monitor returns null');
select is_empty($$select * from pg_temp.requests()$$, 'and sends nothing');
update walltrack.positions set status = 'open' where id = tests.lifecycle_pos('J');
create temp table monitored as select walltrack.monitor_prices() as request_id;
select isnt((select request_id from monitored), null, 'an open position: the monitor returns a request id');
select results_eq(
  $$select url, body from pg_temp.requests()$$,
  $$values ('http://127.0.0.1:9/functions/v1/price-monitor'::text, '{"source": "cron"}'::jsonb)$$,
  'one request to the price-monitor function, from cron');

-- Without the Vault secrets nothing is sent.
delete from vault.secrets where name in ('project_url', 'service_role_key');
do $$ begin perform pg_temp.mark(); end $$;
set local client_min_messages = error;
do $$ begin perform tests.lifecycle_exit_order(tests.lifecycle_pos('J'), 'exit_manual', 100); end $$;
select is(walltrack.sweep_pending_orders(), null, 'secrets missing: the sweeper returns null');
select is(walltrack.monitor_prices(), null, 'secrets missing: the monitor returns null');
reset client_min_messages;
select is_empty($$select * from pg_temp.requests()$$, 'and neither the kick nor the jobs queued a request');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
