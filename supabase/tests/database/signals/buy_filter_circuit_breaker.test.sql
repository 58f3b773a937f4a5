-- While the circuit breaker is active, a BUY that passes the wallet, freshness and safety rules is
-- filtered circuit_breaker, and each such refusal is counted in new_positions_blocked of the open
-- activation event (and of no other event). Once the breaker is off, the same BUY opens.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- One open activation at most may exist: close whatever the seed left open, then open ours.
update walltrack.circuit_breaker_events set deactivated_at = now()
where event_type = 'activated' and deactivated_at is null;
insert into walltrack.circuit_breaker_events (id, event_type, trigger_reason, open_positions_at_activation, unlock_at)
values ('c0ffee00-0000-4000-8000-00000000de01', 'activated', 'max_drawdown', 0, now() + interval '12 hours');
update walltrack.config set circuit_breaker_active = true, circuit_breaker_activated_at = now();
create temp table other_events as
  select id, new_positions_blocked from walltrack.circuit_breaker_events
  where id <> 'c0ffee00-0000-4000-8000-00000000de01';

do $$
begin
  perform tests.signals_wallet('First');
  perform tests.signals_wallet('Second');
  perform tests.signals_wallet('Asleep', active => false);
  perform tests.signals_wallet('After');
  perform tests.signals_token('Safe');
  perform tests.signals_token('Unsafe', score => 0.10);
  perform tests.signals_signal('BUY', 'First', 'Safe', 'First');
  perform tests.signals_signal('BUY', 'Second', 'Safe', 'Second');
  perform tests.signals_signal('BUY', 'Asleep', 'Safe', 'Asleep');
  perform tests.signals_signal('BUY', 'First', 'Unsafe', 'Unsafe');
  perform tests.signals_signal('BUY', 'After', 'Safe', 'After');
end
$$;

create temp table summary as select tests.signals_process(array['First', 'Second', 'Asleep', 'Unsafe']) as result;

select is(tests.signals_outcome('First'), 'circuit_breaker', 'a safe BUY while the breaker is active: circuit_breaker');
select is(tests.signals_outcome('Second'), 'circuit_breaker', 'another one: circuit_breaker');
select is(tests.signals_outcome('Asleep'), 'wallet_inactive', 'an inactive wallet''s BUY keeps its earlier reason');
select is(tests.signals_outcome('Unsafe'), 'safety_check_failed', 'an unsafe token''s BUY keeps its earlier reason');
select is((select result -> 'filtered' from summary),
  '{"circuit_breaker": 2, "wallet_inactive": 1, "safety_check_failed": 1}'::jsonb, 'the summary counts each reason');
select is(
  (select new_positions_blocked from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-00000000de01'),
  2, 'the open activation counts the two entries the breaker refused (not those refused earlier)');
select set_eq(
  $$ select id, new_positions_blocked from walltrack.circuit_breaker_events
     where id <> 'c0ffee00-0000-4000-8000-00000000de01' $$,
  $$ select id, new_positions_blocked from other_events $$,
  'closed events are not counted on');
select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (tests.signals_sid('First'), tests.signals_sid('Second')) $$,
  'no order while the breaker is active');

-- Breaker off: the same BUY opens, and nothing more is counted.
select walltrack.reset_circuit_breaker();
do $$ begin perform tests.signals_process(array['After']); end $$;
select is(tests.signals_outcome('After'), 'opened', 'with the breaker off, the BUY opens');
select is(
  (select new_positions_blocked from walltrack.circuit_breaker_events where id = 'c0ffee00-0000-4000-8000-00000000de01'),
  2, 'the counter is unchanged');

select * from finish();
rollback;
