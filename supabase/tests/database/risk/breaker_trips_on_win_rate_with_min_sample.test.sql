-- The circuit breaker trips when the win rate over the last win_rate_lookback_positions closes
-- falls below min_win_rate_percent, but never below win_rate_min_sample closes (too few to
-- judge). Lookback 5, minimum sample 3, minimum win rate 50 %:
--   L, L          2 closes, 0 % wins: below the sample, no win rate, nothing trips
--   W             3 closes: 1 / 3 = 33.33 % < 50 %: it trips
-- Reset (a fresh start), then:
--   W x 6, L, L   the last 5: W W W L L = 60.00 %: nothing
--   L             the last 5: W W L L L = 40.00 % < 50 %: it trips, although over the 9 closes
--                 since the reset it is 6 / 9 = 66.67 %
-- The other triggers are out of reach.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set min_win_rate_percent = 50, win_rate_lookback_positions = 5, win_rate_min_sample = 3;
select tests.risk_fresh_start(now() - interval '2 hours');

do $$
begin
  perform tests.risk_trade('A1', -100, at => now() - interval '100 minutes');
  perform tests.risk_trade('A2', -100, at => now() - interval '90 minutes');
end
$$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics('simulation')), null::numeric,
  'two closes, both losses: below the sample of 3 there is no win rate');
select is((select circuit_breaker_active from walltrack.config), false, 'and below the sample it never trips');

do $$ begin perform tests.risk_trade('A3', 100, at => now() - interval '80 minutes'); end $$;
select is((select circuit_breaker_active from walltrack.config), true,
  'the third close makes the sample: 1 / 3 = 33.33 % < 50 %, it trips');
select results_eq(
  $$select trigger_reason, round(current_win_rate, 2), min_win_rate_threshold from tests.risk_open_activation()$$,
  $$values ('min_win_rate'::text, 33.33::numeric, 50.00::numeric)$$,
  'the activation: min_win_rate, 33.33 % against 50.00 %');

do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics('simulation')), null::numeric,
  'after the reset nothing has closed since: no win rate');

do $$
begin
  for i in 1..6 loop
    perform tests.risk_trade('B' || i, 100);
  end loop;
  perform tests.risk_trade('B7', -100);
  perform tests.risk_trade('B8', -100);
end
$$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics('simulation')), 60.00,
  'six wins then two losses: over the last 5 (W W W L L) 60.00 %');
select is((select circuit_breaker_active from walltrack.config), false, 'at 60 % the breaker stays off');

do $$ begin perform tests.risk_trade('B9', -100); end $$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics('simulation')), 40.00,
  'a third loss: over the last 5 (W W L L L) 40.00 %, though 6 of the 9 closes since the reset won');
select is((select circuit_breaker_active from walltrack.config), true, 'below 50 % it trips');
select results_eq(
  $$select trigger_reason, current_win_rate from tests.risk_open_activation()$$,
  $$values ('min_win_rate'::text, 40.00::numeric)$$,
  'the activation: min_win_rate at 40.00 %');

select * from finish();
rollback;
