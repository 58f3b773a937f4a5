-- An activation unlocks by itself once its unlock_at (activation + circuit_breaker_unlock_minutes,
-- as freqtrade's protections lock until a time) has come: the evaluation (pg_cron's, or a
-- position's close) inserts the deactivated event with reason unlock_time_reached, stamps the
-- activation and turns config off. Before then, or without an unlock time (unlock minutes 0), it
-- stays active. A threshold still crossed at the unlock (the drawdown outlives it) trips again in
-- the same evaluation, and an open activation wins over a config switched off by hand.
-- Events are append-only: an activation's unlock_at cannot be moved by hand, so each case here
-- inserts its own activation, as activate_circuit_breaker would have written it hours ago.
begin;
create extension if not exists pgtap with schema extensions;
select plan(18);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

-- An activation of `ago`, unlocking at `unlock`, and config active since then.
create function pg_temp.activated(ago interval, unlock timestamptz) returns uuid
language plpgsql as $$
declare
  event_id uuid;
begin
  insert into walltrack.circuit_breaker_events (event_type, trigger_reason, open_positions_at_activation, unlock_at, created_at)
  values ('activated', 'max_drawdown', 0, unlock, now() - ago)
  returning id into event_id;
  update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = now() - ago;
  return event_id;
end
$$;

create temp table a1 as select pg_temp.activated('13 hours', null) as id;
create temp table events_before as select count(*)::integer as n from walltrack.circuit_breaker_events;
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'no unlock time (unlock minutes 0): still active 13 hours on');
select is((select count(*)::integer from walltrack.circuit_breaker_events), (select n from events_before),
  'nothing written');
select throws_ok(
  format($$update walltrack.circuit_breaker_events set unlock_at = now() - interval '1 minute' where id = %L$$, (select id from a1)),
  '23000',
  format('circuit_breaker_events is append-only: only the deactivation stamp and the blocked counter of event %s may change', (select id from a1)),
  'an activation''s unlock time cannot be moved by hand');

do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
create temp table a2 as select pg_temp.activated('11 hours 59 minutes', now() + interval '1 minute') as id;
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'a minute before its unlock time: still active');
select is((select deactivated_at from walltrack.circuit_breaker_events where id = (select id from a2)), null::timestamptz,
  'and not deactivated');

do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
create temp table a3 as select pg_temp.activated('12 hours', now()) as id;
select is(walltrack.evaluate_circuit_breaker('simulation'), 'unlocked', 'its unlock time has come: the evaluation unlocks it');
select results_eq(
  $$select event_type, trigger_reason, created_at from walltrack.circuit_breaker_events
    where activation_event_id = (select id from a3)$$,
  $$values ('deactivated'::text, 'unlock_time_reached'::text, now())$$,
  'one deactivated event for it, reason unlock_time_reached');
select is((select deactivated_at from walltrack.circuit_breaker_events where id = (select id from a3)), now(),
  'the activation is stamped deactivated now');
select results_eq(
  $$select circuit_breaker_active, circuit_breaker_activated_at from walltrack.config$$,
  $$values (false, null::timestamptz)$$,
  'config: off');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'ok',
  'the next evaluation finds the breaker off and nothing to trip: ok');

-- A position's close evaluates it too.
create temp table a4 as select pg_temp.activated('12 hours', now() - interval '1 second') as id;
do $$ begin perform tests.risk_trade('Win', 50); end $$;
select is((select trigger_reason from walltrack.circuit_breaker_events where activation_event_id = (select id from a4)),
  'unlock_time_reached', 'a position closing after the unlock time unlocks it: unlock_time_reached');
select is((select circuit_breaker_active from walltrack.config), false, 'and the breaker is off');

-- A loss of 200 after the win of 50 (equity 10,050 -> 9,850: drawdown 1.99%) while the breaker was
-- off; then a 1% drawdown limit and an activation whose unlock time has come.
do $$ begin perform tests.risk_trade('Loss', -200); end $$;
update walltrack.config set max_drawdown_percent = 1;
create temp table a5 as select pg_temp.activated('12 hours', now()) as id;
select is(walltrack.evaluate_circuit_breaker('simulation'), 'max_drawdown',
  'unlock time come but the drawdown still crossed: the same evaluation trips again');
select is((select trigger_reason from walltrack.circuit_breaker_events where activation_event_id = (select id from a5)),
  'unlock_time_reached', 'the old activation ended (unlock_time_reached)');
select results_eq(
  $$select trigger_reason, round(current_drawdown_percent, 4) from tests.risk_open_activation()$$,
  $$values ('max_drawdown'::text, 1.9900::numeric)$$,
  'a new activation is open: max_drawdown at 1.99%');
select is((select circuit_breaker_active from walltrack.config), true, 'the breaker stayed on: no window for an entry');

-- Config switched off by hand while that activation is open: the evaluation puts it back on.
update walltrack.config set circuit_breaker_active = false, circuit_breaker_activated_at = null;
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'an activation open while config says off: active');
select results_eq(
  $$select circuit_breaker_active, circuit_breaker_activated_at from walltrack.config$$,
  $$select true, (select created_at from tests.risk_open_activation())$$,
  'and config is repaired: on since the activation');

select * from finish();
rollback;
