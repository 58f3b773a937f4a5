-- The circuit breaker compares its exact figures with the thresholds and rounds only what it shows:
--   drawdown: capital 10,000, threshold 15 %. A loss of 1,499.996 is a drawdown of 14.99996 %,
--   below the limit (rounded to 4 places it would read 15.0000 and trip); 0.004 more is exactly
--   15 % and trips.
--   win rate: minimum 66.67 %, sample and lookback 3. Win, win, loss is 2 / 3 = 66.666... %, below
--   the minimum (rounded to 2 places it would read 66.67 and pass): it trips.
-- The other triggers are set out of reach.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;
update walltrack.config set max_drawdown_percent = 15;
select tests.risk_fresh_start(now() - interval '1 hour');

do $$ begin perform tests.risk_trade('A', -1499.996, now() - interval '30 minutes', cost => 2000); end $$;
select is((select current_drawdown_percent from walltrack.circuit_breaker_metrics('simulation')), 14.99996,
  'a loss of 1,499.996 on 10,000: the drawdown is exactly 14.99996 %');
select is((select circuit_breaker_active from walltrack.config), false,
  '14.99996 % is below the 15 % limit: the close left the breaker off');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'ok', 'and an evaluation finds nothing to trip');

do $$ begin perform tests.risk_trade('B', -0.004, now() - interval '20 minutes'); end $$;
select results_eq(
  $$select trigger_reason, current_drawdown_percent from tests.risk_open_activation()$$,
  $$values ('max_drawdown'::text, 15::numeric)$$,
  '0.004 more is exactly 15 %: it trips');

-- Win rate: a fresh start (the reset, now, comes after those two closes), drawdown out of reach.
select walltrack.reset_circuit_breaker();
update walltrack.config set max_drawdown_percent = 100, min_win_rate_percent = 66.67,
  win_rate_lookback_positions = 3, win_rate_min_sample = 3;
do $$
begin
  perform tests.risk_trade('W1', 10);
  perform tests.risk_trade('W2', 10);
end
$$;
select is((select circuit_breaker_active from walltrack.config), false, 'two wins, below the sample of 3: nothing');
do $$ begin perform tests.risk_trade('L1', -10); end $$;
select is((select round(current_win_rate, 10) from walltrack.circuit_breaker_metrics('simulation')), 66.6666666667,
  'win, win, loss: the win rate is 2 / 3, 66.666... % (never rounded to 2 places)');
select results_eq(
  $$select trigger_reason, round(current_win_rate, 2), min_win_rate_threshold from tests.risk_open_activation()$$,
  $$values ('min_win_rate'::text, 66.67::numeric, 66.67::numeric)$$,
  '66.666... % is below the 66.67 % minimum: it trips (and reads 66.67 once rounded for display)');
select is((select count(*)::integer from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null),
  1, 'one open activation');

select * from finish();
rollback;
