-- A BUY of a token whose last position closed less than config.reentry_cooldown_minutes ago is
-- filtered cooldown (the token is cooling down, whichever wallet held it); a close older than the
-- cooldown, or a cooldown of 0, lets it open.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- reentry_cooldown_minutes = 60 (fixtures).
do $$
begin
  perform tests.signals_wallet('Recent');
  perform tests.signals_wallet('Past');
  perform tests.signals_wallet('Other');
  perform tests.signals_wallet('Seller');
  perform tests.signals_wallet('Zero');
  perform tests.signals_wallet('Long');
  perform tests.signals_token('Recent');
  perform tests.signals_token('Past');
  perform tests.signals_token('Shared');
  perform tests.signals_token('Zero');
  perform tests.signals_token('Long');
  perform tests.signals_position('Recent', 'Recent', closed_ago => '59 minutes');
  perform tests.signals_position('Past', 'Past', closed_ago => '61 minutes');
  perform tests.signals_position('Seller', 'Shared', closed_ago => '30 minutes');
  perform tests.signals_position('Zero', 'Zero', closed_ago => '1 minute');
  perform tests.signals_position('Long', 'Long', closed_ago => '90 minutes');
  perform tests.signals_signal('BUY', 'Recent', 'Recent', 'Recent');
  perform tests.signals_signal('BUY', 'Past', 'Past', 'Past');
  perform tests.signals_signal('BUY', 'Other', 'Shared', 'Other');
  perform tests.signals_signal('BUY', 'Zero', 'Zero', 'Zero');
  perform tests.signals_signal('BUY', 'Long', 'Long', 'Long');
end
$$;

create temp table summary as select tests.signals_process(array['Recent', 'Past', 'Other']) as result;

select is(tests.signals_outcome('Recent'), 'cooldown', 're-entering 59 min after the close (cooldown 60 min): cooldown');
select is(tests.signals_outcome('Past'), 'opened', 're-entering 61 min after the close: opened');
select is(tests.signals_outcome('Other'), 'cooldown', 'a token another wallet exited 30 min ago: cooldown');
select is((select result -> 'filtered' from summary), '{"cooldown": 2}'::jsonb, 'the summary counts two');
select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (tests.signals_sid('Recent'), tests.signals_sid('Other')) $$,
  'no order during the cooldown');

-- The cooldown comes from config.
update walltrack.config set reentry_cooldown_minutes = 0;
do $$ begin perform tests.signals_process(array['Zero']); end $$;
select is(tests.signals_outcome('Zero'), 'opened', 'cooldown 0: re-entering 1 min after the close opens');

update walltrack.config set reentry_cooldown_minutes = 120;
do $$ begin perform tests.signals_process(array['Long']); end $$;
select is(tests.signals_outcome('Long'), 'cooldown', 'cooldown 120 min: re-entering 90 min after the close is cooldown');
select ok((select processed_at is not null and processing_duration_ms is not null from walltrack.signals
           where id = tests.signals_sid('Long')), 'the filtered signal is processed, with its duration');

select * from finish();
rollback;
