-- Simulation and live each have their own circuit breaker: each measures the closes of its mode
-- and blocks the entries of its mode only. Capital 10,000, drawdown threshold 15 %:
--   simulation  +1,000,000 (a mispriced simulated entry)    its drawdown 0
--   live        -1,500                                       its drawdown 15 %: the live breaker trips
-- Mixed, equity would be 1,008,500 and nothing would trip: the simulated windfall masked the live
-- loss. Then a live BUY is filtered circuit_breaker (counted on the live activation) while a
-- simulation BUY opens; and a simulation loss deep enough to trip its own breaker leaves the live
-- one as it was.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.risk_* and tests.signals_* from 000_test_helpers.test.sql.

set local client_min_messages = error;

do $$ begin perform tests.signals_neutral_config(); end $$;
-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;
update walltrack.config set max_drawdown_percent = 15, daily_loss_limit_usd = 100000000;
-- A fresh start of both breakers an hour ago (the seed's closes are before it).
select tests.risk_fresh_start(now() - interval '1 hour');
with activation as (
  insert into walltrack.circuit_breaker_events (event_type, mode, trigger_reason, deactivated_at, created_at)
  values ('activated', 'live', 'manual', now() - interval '1 hour', now() - interval '61 minutes') returning id)
insert into walltrack.circuit_breaker_events (event_type, mode, trigger_reason, activation_event_id, created_at)
select 'deactivated', 'live', 'manual', id, now() - interval '1 hour' from activation;

-- The simulated windfall.
do $$ begin perform tests.risk_trade('SimWin', 1000000); end $$;
select is(walltrack.evaluate_circuit_breaker('simulation'), 'ok', 'the simulation breaker: nothing to trip');

-- A live trade losing 1,500: bought 2,000 tokens at 1.00, sold at 0.25.
do $$
declare
  pos uuid;
begin
  pos := tests.risk_open_position('LiveLoss', 2000);
  update walltrack.positions set mode = 'live', entry_tx_signature = rpad('TestRiskSigEntry', 88, 'z') where id = pos;
  insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                                status, requested_at, submitted_at, executed_at, price_usd, value_usd, amount_out, tx_signature)
  select p.wallet_id, p.token_id, p.id, 'exit_manual', 'live', t.address, 'So11111111111111111111111111111111111111112',
         2000, 'executed', clock_timestamp(), clock_timestamp(), clock_timestamp(), 0.25, 500, 2.5, rpad('TestRiskSigExit', 88, 'z')
  from walltrack.positions p join walltrack.tokens t on t.id = p.token_id where p.id = pos;
end
$$;
select results_eq(
  $$select mode, trigger_reason, current_drawdown_percent from walltrack.circuit_breaker_events
     where event_type = 'activated' and deactivated_at is null$$,
  $$values ('live'::text, 'max_drawdown'::text, 15::numeric)$$,
  'the live loss tripped the live breaker at 15 %, the simulated windfall notwithstanding');
select is(walltrack.circuit_breaker_blocks('live'), true, 'live entries are blocked');
select is(walltrack.circuit_breaker_blocks('simulation'), false, 'simulation entries are not');

do $$
begin
  perform tests.signals_wallet('ModeLive', 'live');
  perform tests.signals_wallet('ModeSim');
  perform tests.signals_token('ModeTk');
  perform tests.signals_signal('BUY', 'ModeLive', 'ModeTk', 'ModeLive');
  perform tests.signals_signal('BUY', 'ModeSim', 'ModeTk', 'ModeSim');
  perform tests.signals_process(array['ModeLive', 'ModeSim']);
end
$$;
select is(tests.signals_outcome('ModeLive'), 'circuit_breaker', 'a live BUY is filtered circuit_breaker');
select is(tests.signals_outcome('ModeSim'), 'opened', 'a simulation BUY of the same token opens');
select is((select new_positions_blocked from walltrack.circuit_breaker_events
            where event_type = 'activated' and deactivated_at is null and mode = 'live'), 1,
  'the refusal is counted on the live activation');

-- The reverse: a simulated loss of 2,000,000 trips the simulation breaker, the live one is unchanged.
create temp table live_activation as
  select id from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null and mode = 'live';
do $$ begin perform tests.risk_trade('SimLoss', -2000000, cost => 3000000); end $$;
select is(walltrack.circuit_breaker_blocks('simulation'), true, 'the simulated loss tripped the simulation breaker');
select is((select id from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null and mode = 'live'),
  (select id from live_activation), 'the live activation is the same one');
select is(walltrack.evaluate_circuit_breakers(), '{"simulation": "active", "live": "active"}'::jsonb,
  'pg_cron''s evaluation reports each breaker');

select * from finish();
rollback;
