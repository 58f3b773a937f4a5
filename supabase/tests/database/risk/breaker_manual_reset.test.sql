-- walltrack.reset_circuit_breaker is the manual deactivation: it inserts the deactivated event
-- (reason manual, naming the activation it ends, with the metrics and thresholds of the moment),
-- stamps the activation's deactivated_at, and turns the breaker off in config. When the breaker
-- is not active it returns null and writes no event (and a config left active without any open
-- activation is simply turned off). Here one loss of -100 trips it (threshold 1 in a row):
-- drawdown 100 / 10,000 = 1.0000 %, today -100, one loss in a row, no win rate (sample 20).
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set max_consecutive_losses = 1;
select tests.risk_fresh_start(now() - interval '1 hour');
do $$ begin perform tests.risk_trade('Loss', -100); end $$;
create temp table activation as select * from tests.risk_open_activation();
select is((select trigger_reason from activation), 'consecutive_losses', 'the loss tripped the breaker');

create temp table reset as select walltrack.reset_circuit_breaker() as id;
select isnt((select id from reset), null::uuid, 'reset_circuit_breaker returns the deactivated event''s id');
select results_eq(
  $$select event_type, trigger_reason, activation_event_id, created_at from walltrack.circuit_breaker_events
    where id = (select id from reset)$$,
  $$select 'deactivated'::text, 'manual'::text, id, now() from activation$$,
  'a deactivated event, reason manual, naming the activation it ends, now');
select results_eq(
  $$select current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd,
           max_drawdown_threshold, min_win_rate_threshold, consecutive_loss_threshold, daily_loss_limit_threshold,
           unlock_at, open_positions_at_activation
    from walltrack.circuit_breaker_events where id = (select id from reset)$$,
  $$values (1.0000::numeric, null::numeric, 1, -100::numeric, 100.00::numeric, 0.00::numeric, 1, 1000000.00::numeric,
            null::timestamptz, null::integer)$$,
  'with the metrics and thresholds of the moment (no unlock time, no open-positions count: those are an activation''s)');
select is((select deactivated_at from walltrack.circuit_breaker_events where id = (select id from activation)), now(),
  'the activation is stamped deactivated now');
select results_eq(
  $$select circuit_breaker_active, circuit_breaker_activated_at from walltrack.config$$,
  $$values (false, null::timestamptz)$$,
  'config: the breaker is off');
select is_empty($$select * from tests.risk_open_activation() where id is not null$$, 'no open activation is left');

-- Reset again: nothing to reset.
create temp table events_before as select count(*)::integer as n from walltrack.circuit_breaker_events;
select is(walltrack.reset_circuit_breaker(), null::uuid, 'a reset when the breaker is not active returns null');
select is((select count(*)::integer from walltrack.circuit_breaker_events), (select n from events_before),
  'and writes no event');

-- Config says active, but no activation is open (set by hand): the reset turns it off.
update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = now();
select is(walltrack.reset_circuit_breaker(), null::uuid, 'config active without an open activation: null');
select results_eq(
  $$select c.circuit_breaker_active, c.circuit_breaker_activated_at, (select count(*)::integer from walltrack.circuit_breaker_events)
    from walltrack.config c$$,
  $$select false, null::timestamptz, n from events_before$$,
  'config is turned off, and still no event written');

select * from finish();
rollback;
