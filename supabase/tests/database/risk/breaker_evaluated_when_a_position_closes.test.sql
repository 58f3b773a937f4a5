-- The circuit breaker is evaluated whenever a position closes (trigger
-- positions_evaluate_circuit_breaker on the transition to closed), and by pg_cron as a backstop
-- for what no close evaluates, such as a partial exit:
--   P  1,000 tokens bought at 1.00, 600 sold at 0.90: -60 realized today, P stays open. With a
--      daily loss limit of 50 the metrics are past it, but nothing evaluated the breaker: it is
--      off until the backstop's evaluation trips it (daily_loss_limit).
--   Reset; the daily limit raised to 1,000 and one loss in a row made enough to trip.
--   Q  closed the way the executor closes it: close_position_manually queues the exit_manual,
--      which goes pending -> submitted -> executed at 0.80 (-200). The fill closes Q, and the
--      close alone trips the breaker (consecutive_losses), no evaluation called by hand.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set daily_loss_limit_usd = 50;
select tests.risk_fresh_start(now() - interval '1 hour');

do $$ begin perform tests.risk_sell(tests.risk_open_position('P'), 600, 0.90); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')), -60::numeric,
  'P''s partial exit: -60 today, past the 50 limit');
select is((select circuit_breaker_active from walltrack.config), false,
  'a partial fill closes nothing: the breaker was not evaluated and is still off');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'daily_loss_limit', 'the pg_cron backstop evaluates it: daily_loss_limit');

select isnt(walltrack.reset_circuit_breaker(), null::uuid, 'reset by hand');
update walltrack.config set daily_loss_limit_usd = 1000, max_consecutive_losses = 1;

create temp table q as select tests.risk_open_position('Q') as id;
create temp table exit_order as select walltrack.close_position_manually((select id from q)) as id;
update walltrack.orders set status = 'submitted', submitted_at = now() where id = (select id from exit_order);
select is((select circuit_breaker_active from walltrack.config), false, 'Q''s exit in flight: the breaker is still off');
update walltrack.orders
set status = 'executed', executed_at = clock_timestamp(), price_usd = 0.80, value_usd = 800, amount_out = 4
where id = (select id from exit_order);

select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = (select id from q)$$,
  $$values ('closed'::text, 'manual'::text, -200::numeric)$$,
  'the fill closed Q: manual, 1,000 x (0.80 - 1.00) = -200');
select is((select circuit_breaker_active from walltrack.config), true, 'and the close tripped the breaker');
select results_eq(
  $$select trigger_reason, consecutive_losses from tests.risk_open_activation()$$,
  $$values ('consecutive_losses'::text, 1)$$,
  'on consecutive_losses: Q''s loss is one in a row, the threshold 1');

select * from finish();
rollback;
