-- Evaluations never open two events: the config row lock serializes them, an evaluation of an
-- active breaker returns 'active', activating an active breaker writes nothing, and the unique
-- index uq_circuit_breaker_events_open_activation refuses a second open activation whoever writes
-- it. One loss of -100 is closed while the trigger is out of reach; then 1 loss in a row trips.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

select tests.risk_fresh_start(now() - interval '1 hour');
do $$ begin perform tests.risk_trade('Loss', -100); end $$;
update walltrack.config set max_consecutive_losses = 1;
create temp table events_before as select count(*)::integer as n from walltrack.circuit_breaker_events;

select is(walltrack.evaluate_circuit_breaker('simulation'), 'consecutive_losses', 'the first evaluation trips the breaker');
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'the second, right after, finds it active');
select is(walltrack.activate_circuit_breaker('manual', 'simulation'), null::uuid, 'activating it again returns null');
do $$ begin perform tests.risk_trade('Loss2', -100); end $$;
select is((select circuit_breaker_active from walltrack.config), true, 'another losing close evaluates it: still active');
select is((select count(*)::integer from walltrack.circuit_breaker_events), (select n + 1 from events_before),
  'one event written in all');
select is((select count(*)::integer from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null),
  1, 'one open activation');
select throws_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason) values ('activated', 'manual')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_circuit_breaker_events_open_activation"',
  'a second open activation is refused by the unique index, whoever writes it');
select is((select pg_catalog.pg_get_indexdef(to_regclass('walltrack.uq_circuit_breaker_events_open_activation'))),
  'CREATE UNIQUE INDEX uq_circuit_breaker_events_open_activation ON walltrack.circuit_breaker_events USING btree (mode) WHERE ((event_type = ''activated''::text) AND (deactivated_at IS NULL))',
  'the index holds at most one activation without a deactivation stamp per mode');

select * from finish();
rollback;
