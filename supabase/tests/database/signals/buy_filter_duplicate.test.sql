-- A BUY from a wallet that already holds an open position in the token is filtered duplicate,
-- whether that position is filled or its live entry still pending, and whether it was opened long
-- ago or earlier in the same batch. Another wallet's position in the token is no duplicate.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

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

do $$
begin
  perform tests.signals_wallet('Holder');
  perform tests.signals_wallet('Other');
  perform tests.signals_wallet('Twice');
  perform tests.signals_wallet('Live', wallet_mode => 'live');
  perform tests.signals_token('Held');
  perform tests.signals_token('Batch');
  perform tests.signals_token('Pending');
  perform tests.signals_position('Holder', 'Held');
  perform tests.signals_signal('BUY', 'Holder', 'Held', 'Again');
  perform tests.signals_signal('BUY', 'Other', 'Held', 'Other');
  -- Two BUYs of one wallet in one batch, decided oldest first.
  perform tests.signals_signal('BUY', 'Twice', 'Batch', 'TwiceA', block_age_seconds => 20);
  perform tests.signals_signal('BUY', 'Twice', 'Batch', 'TwiceB', block_age_seconds => 10);
  perform tests.signals_signal('BUY', 'Live', 'Pending', 'LiveA', block_age_seconds => 20);
  perform tests.signals_signal('BUY', 'Live', 'Pending', 'LiveB', block_age_seconds => 10);
end
$$;

create temp table summary as
  select tests.signals_process(array['Again', 'Other', 'TwiceB', 'TwiceA', 'LiveA', 'LiveB']) as result;

select is(tests.signals_outcome('Again'), 'duplicate', 'a BUY of a token the wallet holds: duplicate');
select is(tests.signals_outcome('Other'), 'opened', 'another wallet''s BUY of the same token opens its own position');
select is(tests.signals_outcome('TwiceA'), 'opened', 'the older of two BUYs in one batch opens');
select is(tests.signals_outcome('TwiceB'), 'duplicate', 'the newer one is a duplicate of it');
select is(tests.signals_outcome('LiveA'), 'opened', 'a live BUY opens a position whose entry is pending');
select is(tests.signals_outcome('LiveB'), 'duplicate', 'a pending position counts: duplicate');
select is((select result -> 'filtered' from summary), '{"duplicate": 3}'::jsonb, 'the summary counts three');
select is(
  (select count(*)::integer from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
   where w.address = tests.signals_addr('WaHolder')),
  1, 'the holder still has one position');
select is(
  (select count(*)::integer from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
   where w.address in (tests.signals_addr('WaTwice'), tests.signals_addr('WaLive'))),
  2, 'one position each for the wallets that bought twice');
select is_empty(
  $$ select 1 from walltrack.orders
     where signal_id in (tests.signals_sid('Again'), tests.signals_sid('TwiceB'), tests.signals_sid('LiveB')) $$,
  'no order for the duplicates');

select * from finish();
rollback;
