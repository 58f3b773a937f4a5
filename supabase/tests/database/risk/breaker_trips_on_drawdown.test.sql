-- The circuit breaker trips on the drawdown of equity (capital + realized PnL of the positions
-- closed since its last deactivation) from its peak, the peak including the start. Capital
-- 10,000, threshold 10 %:
--   A  +1,000  equity 11,000, its peak: drawdown 0
--   B  -1,000  equity 10,000: (11,000 - 10,000) / 11,000 = 9.0909 % (from the capital alone it
--              would be 0 %): below the threshold, nothing
--   C    -100  equity  9,900: 1,100 / 11,000 = 10.0000 %: the threshold is reached, the close trips it
-- The other triggers are set out of reach.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

-- Drawdown is the only trigger in reach: 10 % of equity from its peak.
update walltrack.config set max_drawdown_percent = 10;
select tests.risk_fresh_start(now() - interval '1 hour');

do $$ begin perform tests.risk_trade('A', 1000); end $$;
select is((select current_drawdown_percent from walltrack.circuit_breaker_metrics('simulation')), 0.0000,
  'A +1,000: equity 11,000 is its own peak, drawdown 0');

do $$ begin perform tests.risk_trade('B', -1000, cost => 2000); end $$;
select is((select round(current_drawdown_percent, 4) from walltrack.circuit_breaker_metrics('simulation')), 9.0909,
  'B -1,000: (11,000 - 10,000) / 11,000 = 9.0909 %, measured from the peak, not from the capital');
select is((select circuit_breaker_active from walltrack.config), false,
  'below the 10 % threshold the close left the breaker off');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'ok', 'and an evaluation finds nothing to trip');
select is_empty($$select * from tests.risk_open_activation() where id is not null$$, 'no activation');

do $$ begin perform tests.risk_trade('C', -100); end $$;
select is((select circuit_breaker_active from walltrack.config), true,
  'C -100: 1,100 / 11,000 = 10.0000 % reaches the threshold: the close tripped the breaker');
select results_eq(
  $$select trigger_reason, current_drawdown_percent, max_drawdown_threshold from tests.risk_open_activation()$$,
  $$values ('max_drawdown'::text, 10.0000::numeric, 10.00::numeric)$$,
  'one open activation, max_drawdown at 10.0000 % against the 10.00 % threshold');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'evaluated again, it is already active');
select is((select count(*)::integer from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null),
  1, 'still one open activation');

select * from finish();
rollback;
