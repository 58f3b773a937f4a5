-- The circuit breaker trips on the realized PnL of the current UTC day: every exit fill executed
-- since 00:00 UTC (and since the last deactivation) counts, partial ones included. Capital 10,000,
-- daily loss limit 300; the metrics start an hour before today:
--   Y  -1,000 closed yesterday 23:30 UTC: not today's, daily 0
--   T1   -100 closed today, T2 -150 closed today: daily -250, below the limit
--   P    600 of 1,000 tokens bought at 1.00 sold at 0.90 today (P stays open): -60, daily -310.
--        A partial fill closes nothing, so nothing evaluates the breaker on it; pg_cron's
--        evaluation (the backstop) trips it: daily_loss_limit.
-- The other triggers are out of reach (drawdown 1,250 / 10,000 = 12.5 % < 100 %).
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set daily_loss_limit_usd = 300;
create temp table today as
  select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' as starts;
select tests.risk_fresh_start((select starts from today) - interval '1 hour');

do $$ begin perform tests.risk_trade('Y', -1000, at => (select starts from today) - interval '30 minutes', cost => 2000); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')), 0::numeric,
  'a loss closed yesterday is not today''s: daily 0');
select is((select circuit_breaker_active from walltrack.config), false, 'the breaker stays off');

do $$ begin perform tests.risk_trade('T1', -100); perform tests.risk_trade('T2', -150); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')), -250::numeric,
  'two losses closed today: daily -100 - 150 = -250');
select is((select circuit_breaker_active from walltrack.config), false, 'below the 300 limit the breaker stays off');

do $$
begin
  perform tests.risk_sell(tests.risk_open_position('P'), 600, 0.90);
end
$$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')), -310::numeric,
  'a partial exit of an open position counts: 600 x (0.90 - 1.00) = -60, daily -310');
select is((select circuit_breaker_active from walltrack.config), false,
  'P is still open: no close, so nothing evaluated the breaker yet');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'daily_loss_limit',
  'pg_cron''s evaluation (the backstop) trips it: -(-310) >= 300');
select results_eq(
  $$select trigger_reason, daily_realized_pnl_usd, daily_loss_limit_threshold from tests.risk_open_activation()$$,
  $$values ('daily_loss_limit'::text, -310::numeric, 300.00::numeric)$$,
  'the activation records the day''s -310 against the 300.00 limit');
select is((select circuit_breaker_active from walltrack.config), true, 'and config says it is active');

select * from finish();
rollback;
