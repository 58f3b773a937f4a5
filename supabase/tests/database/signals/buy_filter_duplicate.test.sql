-- A BUY from a wallet that already holds an open position in the token is filtered duplicate,
-- whether that position is filled or its live entry still pending, and whether it was opened long
-- ago or earlier in the same batch. Another wallet's position in the token is no duplicate.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

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
   where w.address = tests.addr('WaHolder')),
  1, 'the holder still has one position');
select is(
  (select count(*)::integer from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
   where w.address in (tests.addr('WaTwice'), tests.addr('WaLive'))),
  2, 'one position each for the wallets that bought twice');
select is_empty(
  $$ select 1 from walltrack.orders
     where signal_id in (tests.signals_sid('Again'), tests.signals_sid('TwiceB'), tests.signals_sid('LiveB')) $$,
  'no order for the duplicates');

select * from finish();
rollback;
