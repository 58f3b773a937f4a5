-- A BUY whose leader transaction is older than config.max_signal_age_seconds when it is decided is
-- filtered stale_signal: copying late is copying blind. A fresh one opens.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- max_signal_age_seconds = 300 (fixtures). Block times are whole unix seconds, so 'n seconds old'
-- is n +/- 0.5 s before the test began.
do $$
begin
  perform tests.signals_wallet('Old');
  perform tests.signals_wallet('Fresh');
  perform tests.signals_wallet('Minute');
  perform tests.signals_wallet('Loose');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Old', 'Safe', 'Old', block_age_seconds => 310);
  perform tests.signals_signal('BUY', 'Fresh', 'Safe', 'Fresh', block_age_seconds => 250);
  perform tests.signals_signal('BUY', 'Minute', 'Safe', 'Minute', block_age_seconds => 100);
  perform tests.signals_signal('BUY', 'Loose', 'Safe', 'Loose', block_age_seconds => 100);
end
$$;

create temp table summary as select tests.signals_process(array['Old', 'Fresh']) as result;

select is(tests.signals_outcome('Old'), 'stale_signal', 'a leader transaction 310 s old (limit 300 s) is stale_signal');
select is(tests.signals_outcome('Fresh'), 'opened', 'one 250 s old is copied');
select is((select result -> 'filtered' from summary), '{"stale_signal": 1}'::jsonb, 'the summary counts it');
select is_empty(
  $$ select 1 from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
     where w.address = tests.addr('WaOld') $$,
  'no position for the stale signal');
select ok((select processed_at is not null and processing_duration_ms is not null from walltrack.signals
           where id = tests.signals_sid('Old')), 'the stale signal is processed, with its duration');

-- The limit is config's at the decision.
update walltrack.config set max_signal_age_seconds = 60;
do $$ begin perform tests.signals_process(array['Minute']); end $$;
select is(tests.signals_outcome('Minute'), 'stale_signal', '100 s old with a 60 s limit is stale_signal');

update walltrack.config set max_signal_age_seconds = 120;
do $$ begin perform tests.signals_process(array['Loose']); end $$;
select is(tests.signals_outcome('Loose'), 'opened', '100 s old with a 120 s limit is copied');

select * from finish();
rollback;
