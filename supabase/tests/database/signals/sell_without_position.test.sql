-- A SELL from a wallet with no open position in the token is filtered no_open_position and creates
-- no order: whether the token was never bought, its position is closed, only another wallet holds
-- it, or the token was never even analyzed.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Empty');
  perform tests.signals_wallet('Closed');
  perform tests.signals_wallet('Elsewhere');
  perform tests.signals_wallet('Holder');
  perform tests.signals_token('Never');
  perform tests.signals_token('Closed');
  perform tests.signals_token('Shared');
  perform tests.signals_position('Closed', 'Closed', closed_ago => '2 hours');
  perform tests.signals_position('Holder', 'Shared');
  perform tests.signals_signal('SELL', 'Empty', 'Never', 'Never');
  perform tests.signals_signal('SELL', 'Closed', 'Closed', 'Closed');
  perform tests.signals_signal('SELL', 'Elsewhere', 'Shared', 'Elsewhere');
  perform tests.signals_signal('SELL', 'Empty', 'Unknown', 'Unknown');
end
$$;

create temp table summary as select tests.signals_process(array['Never', 'Closed', 'Elsewhere', 'Unknown']) as result;

select is(tests.signals_outcome('Never'), 'no_open_position', 'a token the wallet never bought: no_open_position');
select is(tests.signals_outcome('Closed'), 'no_open_position', 'a position already closed: no_open_position');
select is(tests.signals_outcome('Elsewhere'), 'no_open_position', 'only another wallet holds the token: no_open_position');
select is(tests.signals_outcome('Unknown'), 'no_open_position', 'a token never analyzed: no_open_position');
select is((select token_id from walltrack.signals where id = tests.signals_sid('Unknown')), null, 'with no token linked');
select is((select result - 'filtered' from summary),
  '{"processed": 4, "opened": 0, "exit_orders": 0, "deferred": 0}'::jsonb, 'four processed, no exit order');
select is((select result -> 'filtered' from summary), '{"no_open_position": 4}'::jsonb, 'the summary counts four');
select is_empty(
  $$ select 1 from walltrack.orders o join walltrack.positions p on p.id = o.position_id
     join walltrack.wallets w on w.id = p.wallet_id
     where w.address = tests.addr('WaHolder') $$,
  'the other wallet''s position gets no order');

select * from finish();
rollback;
