-- walltrack.process_signals decides the unprocessed signals it is given, in the leader's order
-- (block time), at most batch_limit of them, and each only once: a signal already decided is never
-- decided again, and a signal not named is left alone.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (test addresses 'TestDecide' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral, whatever the seed left: breaker off, limits far above what is open,
-- fixed-percent sizing of 10000 x 5 % = 500.00 USD, 1 % simulated slippage, product thresholds.
update walltrack.config set
  circuit_breaker_active = false, circuit_breaker_activated_at = null,
  capital_usd = 10000, risk_per_trade_percent = 5, position_sizing_mode = 'fixed_percent',
  leader_size_fraction = 0.10, min_position_size_usd = 10, max_position_size_usd = 1000,
  max_open_positions = (select count(*) from walltrack.positions where status = 'open') + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure())) + 100000,
  reentry_cooldown_minutes = 60, simulation_slippage_percent = 1, default_slippage_percent = 3,
  order_max_retries = 3, max_signal_age_seconds = 300, safety_score_threshold = 0.60,
  token_cache_ttl_minutes = 60;

-- Three BUYs of one wallet in one token, recorded newest first.
do $$
begin
  perform tests.signals_wallet('Order');
  perform tests.signals_wallet('Bystander');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Order', 'Safe', 'Newest', block_age_seconds => 10);
  perform tests.signals_signal('BUY', 'Order', 'Safe', 'Middle', block_age_seconds => 20);
  perform tests.signals_signal('BUY', 'Order', 'Safe', 'Oldest', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'Bystander', 'Safe', 'NotNamed');
end
$$;

create temp table first_run as
  select walltrack.process_signals(array[tests.signals_sid('Newest'), tests.signals_sid('Middle'), tests.signals_sid('Oldest')],
                                   150, 'jupiter', batch_limit => 1) as result;
select is((select result -> 'processed' from first_run), '1'::jsonb, 'batch_limit 1: one signal decided');
select is(tests.signals_outcome('Oldest'), 'opened', 'the leader''s oldest transaction first, whatever the recording order');
select is(tests.signals_outcome('Newest'), 'unprocessed', 'the others wait');

create temp table second_run as select tests.signals_process(array['Newest', 'Middle', 'Oldest']) as result;
select is((select result from second_run),
  '{"processed": 2, "opened": 0, "exit_orders": 0, "deferred": 0, "filtered": {"duplicate": 2}}'::jsonb,
  'the next run decides only the two left');
select is(tests.signals_outcome('Middle'), 'duplicate', 'the middle one is a duplicate of the oldest');
select is(tests.signals_outcome('NotNamed'), 'unprocessed', 'a signal not named is left alone');

create temp table decided as select * from walltrack.signals
  where id in (tests.signals_sid('Newest'), tests.signals_sid('Middle'), tests.signals_sid('Oldest'));
create temp table third_run as select tests.signals_process(array['Newest', 'Middle', 'Oldest']) as result;
select is((select result from third_run),
  '{"processed": 0, "opened": 0, "exit_orders": 0, "deferred": 0, "filtered": {}}'::jsonb,
  'decided signals are never decided again');
select set_eq(
  $$ select id, processed_at, filter_reason, position_id from walltrack.signals
     where id in (tests.signals_sid('Newest'), tests.signals_sid('Middle'), tests.signals_sid('Oldest')) $$,
  $$ select id, processed_at, filter_reason, position_id from decided $$,
  'their outcomes are unchanged');
select is(
  (select count(*)::integer from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
   where w.address = tests.signals_addr('WaOrder')),
  1, 'one position from three BUYs');

select * from finish();
rollback;
