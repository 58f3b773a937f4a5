-- No figure can make the circuit breaker fail open: a drawdown of 1,000 % or more is stored in the
-- activation as it is (a numeric(7, 4) snapshot overflowed, the evaluation's error was swallowed on
-- close and raised by pg_cron every minute, so the breaker stayed off), and a manual reset records
-- it too. Capital 10,000, threshold 15 %: one loss of 200,000 leaves equity at -190,000, a drawdown
-- of (10,000 + 190,000) / 10,000 = 2,000 %.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;
update walltrack.config set max_drawdown_percent = 15, daily_loss_limit_usd = 1000000000;
select tests.risk_fresh_start(now() - interval '1 hour');

do $$ begin perform tests.risk_trade('Huge', -200000, cost => 300000); end $$;
select is((select circuit_breaker_active from walltrack.config), true,
  'the close of a 200,000 loss tripped the breaker');
select results_eq(
  $$select trigger_reason, current_drawdown_percent from tests.risk_open_activation()$$,
  $$values ('max_drawdown'::text, 2000::numeric)$$,
  'the activation holds the 2,000 % drawdown as it is');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'pg_cron''s evaluation runs and finds it active');
select lives_ok($$select walltrack.evaluate_circuit_breakers()$$, 'the scheduled job does not fail');
select isnt(walltrack.reset_circuit_breaker(), null::uuid, 'a manual reset succeeds');
select is((select current_drawdown_percent from walltrack.circuit_breaker_events
            where event_type = 'deactivated' order by created_at desc limit 1), 2000::numeric,
  'and its deactivation records the same 2,000 %');

select * from finish();
rollback;
