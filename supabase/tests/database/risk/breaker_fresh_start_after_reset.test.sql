-- After a deactivation the metrics start afresh: they count only what closed (and filled) since,
-- so the losses that tripped the breaker cannot trip it again the moment it is reset. Capital
-- 10,000, drawdown 10 %, 3 losses in a row:
--   before the reset (the metrics starting an hour before today): -200, -300, -350 closed earlier
--   today: 3 in a row, it trips (drawdown 850 / 10,000 = 8.5000 %, below 10 %)
--   reset: drawdown 0, no win rate, no loss in a row, nothing realized
--   -200 after the reset: 1 in a row (not 4) and drawdown 200 / 10,000 = 2.0000 % (not
--   1,050 / 10,000 = 10.5 %, which would trip): the breaker stays off
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set max_consecutive_losses = 3, max_drawdown_percent = 10;
create temp table today as
  select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' as starts;
select tests.risk_fresh_start((select starts from today) - interval '1 hour');

-- Earlier today: at 20 %, 40 % and 60 % of the time between 00:00 UTC and now.
do $$
declare
  starts constant timestamptz := (select starts from today);
begin
  perform tests.risk_trade('L1', -200, at => starts + (now() - starts) * 0.2);
  perform tests.risk_trade('L2', -300, at => starts + (now() - starts) * 0.4);
  perform tests.risk_trade('L3', -350, at => starts + (now() - starts) * 0.6);
end
$$;
select results_eq(
  $$select since, consecutive_losses, current_drawdown_percent, daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')$$,
  $$select starts - interval '1 hour', 3, 8.5000::numeric, -850::numeric from today$$,
  'since the last deactivation: 3 losses in a row, drawdown 8.5000 %, -850 today');
select is((select trigger_reason from tests.risk_open_activation()), 'consecutive_losses', 'they tripped the breaker');

do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
select results_eq(
  $$select since, current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd
    from walltrack.circuit_breaker_metrics('simulation')$$,
  $$values (now(), 0.0000::numeric, null::numeric, 0, 0::numeric)$$,
  'right after the reset the metrics start from it: nothing counted');

do $$ begin perform tests.risk_trade('L4', -200); end $$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics('simulation')), 1,
  'a loss after the reset is the first in a row, not the fourth');
select is((select current_drawdown_percent from walltrack.circuit_breaker_metrics('simulation')), 2.0000,
  'drawdown 200 / 10,000 = 2.0000 %, the earlier losses forgotten');
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')), -200::numeric,
  'today''s realized PnL counts from the reset too (not the -850 realized earlier today)');
select is((select circuit_breaker_active from walltrack.config), false, 'the close evaluated it: the breaker stays off');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'ok', 'and an evaluation finds nothing to trip');

select * from finish();
rollback;
