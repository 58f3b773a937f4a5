-- A BUY from a watched wallet that is no longer active is filtered wallet_inactive: recorded,
-- decided, and nothing opened; the same BUY from an active wallet opens a position.
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
  perform tests.signals_wallet('Inactive', active => false);
  perform tests.signals_wallet('Active');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Inactive', 'Safe', 'Inactive');
  perform tests.signals_signal('BUY', 'Active', 'Safe', 'Active');
end
$$;

create temp table summary as select tests.signals_process(array['Inactive', 'Active']) as result;

select is(tests.signals_outcome('Inactive'), 'wallet_inactive', 'the inactive wallet''s BUY is filtered wallet_inactive');
select is(
  (select array[filtered::text, position_created::text, position_id::text] from walltrack.signals
   where id = tests.signals_sid('Inactive')),
  array['true', 'false', null], 'filtered, with no position');
select ok(
  (select processed_at is not null and processing_duration_ms is not null from walltrack.signals
   where id = tests.signals_sid('Inactive')),
  'the filtered signal has its processed_at and processing_duration_ms');
select is((select token_id from walltrack.signals where id = tests.signals_sid('Inactive')),
  (select id from walltrack.tokens where address = tests.addr('TkSafe')), 'the token is linked all the same');
select is_empty(
  $$ select 1 from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
     where w.address = tests.addr('WaInactive') $$,
  'no position for the inactive wallet');
select is_empty(
  $$ select 1 from walltrack.orders where signal_id = tests.signals_sid('Inactive') $$,
  'no order for the filtered signal');

select is(tests.signals_outcome('Active'), 'opened', 'the active wallet''s BUY of the same token opens a position');
select is((select result -> 'filtered' from summary), '{"wallet_inactive": 1}'::jsonb,
  'the summary counts one wallet_inactive');
select is((select result - 'filtered' from summary),
  '{"processed": 2, "opened": 1, "exit_orders": 0, "deferred": 0}'::jsonb, 'two processed, one opened');

-- Deactivating the wallet after recording is what counts.
do $$ begin perform tests.signals_signal('BUY', 'Active', 'Safe', 'Late'); end $$;
update walltrack.wallets set is_active = false where address = tests.addr('WaActive');
do $$ begin perform tests.signals_process(array['Late']); end $$;
select is(tests.signals_outcome('Late'), 'wallet_inactive',
  'a wallet deactivated between recording and deciding: wallet_inactive (before duplicate)');

select * from finish();
rollback;
