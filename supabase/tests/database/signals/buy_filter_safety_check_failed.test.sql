-- A BUY of a token whose fresh safety score is below config.safety_score_threshold is filtered
-- safety_check_failed; a score equal to the threshold passes.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- safety_score_threshold = 0.60 (fixtures).
do $$
begin
  perform tests.signals_wallet('Below');
  perform tests.signals_wallet('Equal');
  perform tests.signals_wallet('Zero');
  perform tests.signals_wallet('Raised');
  perform tests.signals_token('Below', score => 0.59);
  perform tests.signals_token('Equal', score => 0.60);
  perform tests.signals_token('Zero', score => 0.00);
  perform tests.signals_signal('BUY', 'Below', 'Below', 'Below');
  perform tests.signals_signal('BUY', 'Equal', 'Equal', 'Equal');
  perform tests.signals_signal('BUY', 'Zero', 'Zero', 'Zero');
  perform tests.signals_signal('BUY', 'Raised', 'Equal', 'Raised');
end
$$;

create temp table summary as select tests.signals_process(array['Below', 'Equal', 'Zero']) as result;

select is(tests.signals_outcome('Below'), 'safety_check_failed', 'score 0.59 < 0.60: safety_check_failed');
select is(tests.signals_outcome('Equal'), 'opened', 'score 0.60 = threshold: copied');
select is(tests.signals_outcome('Zero'), 'safety_check_failed', 'score 0.00 (rugged): safety_check_failed');
select is((select token_id from walltrack.signals where id = tests.signals_sid('Below')),
  (select id from walltrack.tokens where address = tests.addr('TkBelow')),
  'the signal names the analysis that failed');
select is((select result -> 'filtered' from summary), '{"safety_check_failed": 2}'::jsonb, 'the summary counts two');
select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (tests.signals_sid('Below'), tests.signals_sid('Zero')) $$,
  'no order for the filtered signals');

-- The threshold comes from config.
update walltrack.config set safety_score_threshold = 0.61;
do $$ begin perform tests.signals_process(array['Raised']); end $$;
select is(tests.signals_outcome('Raised'), 'safety_check_failed', 'score 0.60 with the threshold raised to 0.61: safety_check_failed');
select ok((select processed_at is not null and processing_duration_ms is not null from walltrack.signals
           where id = tests.signals_sid('Raised')), 'the filtered signal is processed, with its duration');

select * from finish();
rollback;
