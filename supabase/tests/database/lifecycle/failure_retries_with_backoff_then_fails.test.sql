-- walltrack.record_order_failure: an attempt that failed leaves the order where it was with
-- retry_count + 1, its error (code and message) kept and a backoff, next_retry_at = now() +
-- retry_after_seconds when the API said so, else 5 s x 2^(retries spent before); the attempt that
-- reaches max_retries, or any attempt said final, fails the order. The position is left
-- consistent: a failed exit sold nothing; a failed entry leaves its position in error without
-- amounts (and frees the wallet's slot in the token); a failed scale-out level may fire again.
begin;
create extension if not exists pgtap with schema extensions;
select plan(22);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

-- X: an exit of 1,000 allowed 4 attempts, held under a lease by the executor.
do $$ begin perform tests.lifecycle_open_position('X', 'X', 1.00, 1000); end $$;
create temp table x as select tests.lifecycle_exit_order(tests.lifecycle_pos('X'), 'exit_manual', 1000) as id;
update walltrack.orders set max_retries = 4, claimed_until = now() + interval '2 minutes' where id = (select id from x);

create function pg_temp.x_state() returns table (
  status text, retry_count integer, next_retry_at timestamptz, error_code text, error_message text,
  claimed_until timestamptz)
language sql stable as $$
  select status, retry_count, next_retry_at, error_code, error_message, claimed_until
  from walltrack.orders where id = (select id from x)
$$;

select is(walltrack.record_order_failure((select id from x), 'rate_limited', 'Jupiter /swap answered 429'), 'retry',
  'attempt 1 of 4 failed: retry');
select results_eq(
  $$select * from pg_temp.x_state()$$,
  $$values ('pending'::text, 1, now() + interval '5 seconds', 'rate_limited'::text, 'Jupiter /swap answered 429'::text,
            null::timestamptz)$$,
  'still pending, 1 retry spent, next try in 5 s x 2^0 = 5 s, the error kept, the lease released');

select is(walltrack.record_order_failure((select id from x), 'timeout', 'Jupiter /quote timed out after 10 s'), 'retry',
  'attempt 2 of 4 failed: retry');
select results_eq(
  $$select * from pg_temp.x_state()$$,
  $$values ('pending'::text, 2, now() + interval '10 seconds', 'timeout'::text, 'Jupiter /quote timed out after 10 s'::text,
            null::timestamptz)$$,
  'next try in 5 s x 2^1 = 10 s, the latest error kept');

select is(walltrack.record_order_failure((select id from x), 'rate_limited', 'Retry-After: 42', 42), 'retry',
  'attempt 3 of 4 failed: retry');
select results_eq(
  $$select status, retry_count, next_retry_at from pg_temp.x_state()$$,
  $$values ('pending'::text, 3, now() + interval '42 seconds')$$,
  'the API''s retry_after_seconds (42) wins over the backoff (20 s)');

select is(walltrack.record_order_failure((select id from x), 'no_route', 'Jupiter found no route'), 'failed',
  'attempt 4 of 4 failed: the order fails');
select results_eq(
  $$select status, retry_count, error_code, error_message from pg_temp.x_state()$$,
  $$values ('failed'::text, 4, 'no_route'::text, 'Jupiter found no route'::text)$$,
  'failed with all 4 attempts spent and the last error');
select results_eq(
  $$select status, current_amount, exit_amount, realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('X')$$,
  $$values ('open'::text, 1000::numeric, 0::numeric, 0::numeric)$$,
  'the failed exit sold nothing: X still holds its 1,000');
select lives_ok(
  format('select walltrack.close_position_manually(%L)', tests.lifecycle_pos('X')),
  'with the failed exit no longer in flight, a new exit can be made');

-- S: a submitted live-like order whose blockhash expired is retried as submitted (re-sent).
create temp table s as
  select tests.lifecycle_exit_order(tests.lifecycle_pos('X'), 'exit_scaling', 100, 'submitted', lvl => 5::smallint) as id;
select is(walltrack.record_order_failure((select id from s), 'blockhash_expired', 'block height exceeded'), 'retry',
  'a submitted order''s failed attempt: retry');
select results_eq(
  $$select status, retry_count, next_retry_at from walltrack.orders where id = (select id from s)$$,
  $$values ('submitted'::text, 1, now() + interval '5 seconds')$$,
  'it stays submitted, to be re-sent in 5 s');

-- E: an entry that never fills. Its position holds nothing, then is left in error, not open.
do $$ begin perform tests.lifecycle_open_pending('E', 'E', 0.50, 1000); end $$;
create temp table e as select id from walltrack.orders where position_id = tests.lifecycle_pos('E') and order_type = 'entry';
update walltrack.orders set max_retries = 2 where id = (select id from e);
select is(walltrack.record_order_failure((select id from e), 'no_route', 'no route'), 'retry',
  'entry attempt 1 of 2: retry');
select is((select status from walltrack.positions where id = tests.lifecycle_pos('E')), 'open',
  'while the entry may still fill, its position stays open');
select is(walltrack.record_order_failure((select id from e), 'no_route', 'no route'), 'failed',
  'entry attempt 2 of 2: failed');
select results_eq(
  $$select status, entry_price, entry_amount, entry_value_usd, current_amount, exit_amount, realized_pnl_usd,
           closed_at
    from walltrack.positions where id = tests.lifecycle_pos('E')$$,
  $$values ('error'::text, null::numeric, null::numeric, null::numeric, 0::numeric, 0::numeric, 0::numeric,
            null::timestamptz)$$,
  'the entry that never filled leaves its position in error, without amounts, not open');
select lives_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    select wallet_id, token_id, mode, exit_strategy_id from walltrack.positions where id = tests.lifecycle_pos('E')$$,
  'the wallet may open a position in that token again (uq_positions_open_wallet_token counts open ones only)');

-- L: a scale-out level whose order fails may fire again.
do $$
begin
  perform tests.lifecycle_open_position('L', 'L', 1.00, 1000);
  perform tests.lifecycle_tick('L', 2.00);
end
$$;
create temp table l as
  select id from walltrack.orders where position_id = tests.lifecycle_pos('L') and order_type = 'exit_scaling';
select is(walltrack.record_order_failure((select id from l), 'no_route', 'no route', final => true), 'failed',
  'final: the level''s order fails at its first failure');
select results_eq(
  $$select o.status, o.retry_count, p.scaling_levels_fired
    from walltrack.orders o join walltrack.positions p on p.id = o.position_id where o.id = (select id from l)$$,
  $$values ('failed'::text, 1, '{}'::smallint[])$$,
  'failed with 1 of 3 attempts spent, and level 1 is no longer recorded as fired');
select is(tests.lifecycle_tick('L', 2.05) ->> 'exit_orders_created', '1', 'the next price above 2x fires level 1 again');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('L'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'failed'::text),
           ('exit_scaling', 1::smallint, 500::numeric, 'pending')$$,
  'level 1: the failed order and its new one');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
