-- The day's realized PnL as one rule (walltrack.realized_pnl_today_usd): exit fills executed since
-- 00:00 UTC (and after `since`), each its exact value minus amount sold x entry price. The breaker's
-- daily loss counts it since the last manual reset, for its own mode; the operator's status shows
-- it whole.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;
do $$ begin perform tests.risk_neutral_config(); end $$;

-- What the seed filled today, if anything, is counted before this test's trades.
create temp table pnl_before as select walltrack.realized_pnl_today_usd() as pnl;
create temp table day_start as select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' as at;

do $$
begin
  perform tests.risk_trade('Old', 50, at => (select at from day_start) - interval '1 hour');
  perform tests.risk_trade('New', -100, at => now());
  perform tests.risk_sell(tests.risk_open_position('Part'), 600, 0.90, now());
end
$$;

select is(walltrack.realized_pnl_today_usd() - (select pnl from pnl_before), -160::numeric,
  'today: -100 closed and 600 x (0.90 - 1.00) = -60 of a partial exit; yesterday''s +50 is not today''s');
select is(walltrack.realized_pnl_today_usd(now()), 0::numeric, 'nothing executed after now');
select is(walltrack.realized_pnl_today_usd(now() - interval '1 microsecond')
          - walltrack.realized_pnl_today_usd(now()), -160::numeric, 'the fills of this instant count after `since`');
select is((walltrack.status_summary() ->> 'realized_pnl_today_usd')::numeric, walltrack.realized_pnl_today_usd(),
  'the status shows the same figure');

do $$ begin perform tests.risk_fresh_start(now()); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics('simulation')),
  walltrack.realized_pnl_today_usd(now(), 'simulation'),
  'the simulation breaker counts the simulated fills since its last manual reset');

select * from finish();
rollback;
