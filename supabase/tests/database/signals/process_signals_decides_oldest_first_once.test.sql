-- walltrack.process_signals decides the unprocessed signals it is given, in the leader's order
-- (block time), at most batch_limit of them, and each only once: a signal already decided is never
-- decided again, and a signal not named is left alone.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

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
   where w.address = tests.addr('WaOrder')),
  1, 'one position from three BUYs');

select * from finish();
rollback;
