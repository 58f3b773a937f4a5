-- A SELL for a position that already has an exit order in flight (pending or submitted) is
-- filtered duplicate and creates no second order; once that order failed, the next SELL creates
-- the mirror exit, and a SELL while the mirror exit is in flight is a duplicate again.
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
  perform tests.signals_wallet('Busy');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Busy', 'Safe', 'Buy', block_age_seconds => 60);
  perform tests.signals_signal('SELL', 'Busy', 'Safe', 'Pending', block_age_seconds => 50);
  perform tests.signals_signal('SELL', 'Busy', 'Safe', 'Submitted', block_age_seconds => 40);
  perform tests.signals_signal('SELL', 'Busy', 'Safe', 'Failed', block_age_seconds => 30);
  perform tests.signals_signal('SELL', 'Busy', 'Safe', 'Mirrored', block_age_seconds => 20);
end
$$;
do $$ begin perform tests.signals_process(array['Buy']); end $$;

-- The stop loss fired: its exit order waits for the executor.
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in, status)
select p.wallet_id, p.token_id, p.id, 'exit_stop_loss', p.mode, tests.addr('TkSafe'),
       'So11111111111111111111111111111111111111112', p.current_amount, 'pending'
from walltrack.positions p where p.signal_id = tests.signals_sid('Buy');

create temp table pending_summary as select tests.signals_process(array['Pending']) as result;
select is(tests.signals_outcome('Pending'), 'duplicate', 'an exit order pending: duplicate');
select is((select result -> 'filtered' from pending_summary), '{"duplicate": 1}'::jsonb, 'the summary counts it');

update walltrack.orders set status = 'submitted', submitted_at = now() where order_type = 'exit_stop_loss'
  and position_id = (select id from walltrack.positions where signal_id = tests.signals_sid('Buy'));
do $$ begin perform tests.signals_process(array['Submitted']); end $$;
select is(tests.signals_outcome('Submitted'), 'duplicate', 'an exit order submitted: duplicate');

select is(
  (select count(*)::integer from walltrack.orders
   where position_id = (select id from walltrack.positions where signal_id = tests.signals_sid('Buy')) and order_type <> 'entry'),
  1, 'still the one exit order');

-- The stop loss failed for good: nothing is in flight any more.
update walltrack.orders set status = 'failed', error_message = 'no route' where order_type = 'exit_stop_loss'
  and position_id = (select id from walltrack.positions where signal_id = tests.signals_sid('Buy'));
do $$ begin perform tests.signals_process(array['Failed']); end $$;
select is(tests.signals_outcome('Failed'), 'exit_order', 'once the exit failed, the SELL creates a mirror exit');
select is(
  (select count(*)::integer from walltrack.orders where signal_id = tests.signals_sid('Failed') and order_type = 'exit_mirror'
     and status = 'pending'),
  1, 'one pending exit_mirror order');

do $$ begin perform tests.signals_process(array['Mirrored']); end $$;
select is(tests.signals_outcome('Mirrored'), 'duplicate', 'a SELL while the mirror exit is in flight: duplicate');
select is(
  (select count(*)::integer from walltrack.orders
   where position_id = (select id from walltrack.positions where signal_id = tests.signals_sid('Buy')) and order_type = 'exit_mirror'),
  1, 'never a second mirror exit');

select * from finish();
rollback;
