-- A BUY of a token without a fresh safety analysis is filtered safety_check_unavailable: no token
-- row at all, a row never analyzed, or an analysis older than config.token_cache_ttl_minutes,
-- whatever score that old analysis had. An analysis within the TTL is used.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- token_cache_ttl_minutes = 60 (fixtures). Every token here scores 0.75 (above the 0.60 threshold).
do $$
begin
  perform tests.signals_wallet('Unknown');
  perform tests.signals_wallet('Never');
  perform tests.signals_wallet('Expired');
  perform tests.signals_wallet('Cached');
  perform tests.signals_wallet('Ttl');
  perform tests.signals_token('Never', analyzed_ago => null);
  perform tests.signals_token('Expired', analyzed_ago => '61 minutes');
  perform tests.signals_token('Cached', analyzed_ago => '59 minutes');
  perform tests.signals_token('Ttl', analyzed_ago => '30 minutes');
  perform tests.signals_signal('BUY', 'Unknown', 'Unknown', 'Unknown');
  perform tests.signals_signal('BUY', 'Never', 'Never', 'Never');
  perform tests.signals_signal('BUY', 'Expired', 'Expired', 'Expired');
  perform tests.signals_signal('BUY', 'Cached', 'Cached', 'Cached');
  perform tests.signals_signal('BUY', 'Ttl', 'Ttl', 'Ttl');
end
$$;

create temp table summary as select tests.signals_process(array['Unknown', 'Never', 'Expired', 'Cached']) as result;

select is(tests.signals_outcome('Unknown'), 'safety_check_unavailable', 'a token with no row: safety_check_unavailable');
select is((select token_id from walltrack.signals where id = tests.signals_sid('Unknown')), null,
  'no token to link');
select is(tests.signals_outcome('Never'), 'safety_check_unavailable', 'a token row never analyzed: safety_check_unavailable');
select is(tests.signals_outcome('Expired'), 'safety_check_unavailable',
  'an analysis 61 min old with a 60 min TTL: safety_check_unavailable, although it scored 0.75');
select is((select token_id from walltrack.signals where id = tests.signals_sid('Expired')),
  (select id from walltrack.tokens where address = tests.addr('TkExpired')), 'the stale token is linked');
select is(tests.signals_outcome('Cached'), 'opened', 'an analysis 59 min old is used');
select is((select result -> 'filtered' from summary), '{"safety_check_unavailable": 3}'::jsonb,
  'the summary counts three');
select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (tests.signals_sid('Unknown'), tests.signals_sid('Never'),
                                                        tests.signals_sid('Expired')) $$,
  'no order for the filtered signals');

-- The TTL comes from config.
update walltrack.config set token_cache_ttl_minutes = 20;
do $$ begin perform tests.signals_process(array['Ttl']); end $$;
select is(tests.signals_outcome('Ttl'), 'safety_check_unavailable', '30 min old with a 20 min TTL: safety_check_unavailable');
select ok((select processed_at is not null and processing_duration_ms is not null from walltrack.signals
           where id = tests.signals_sid('Ttl')), 'the filtered signal is processed, with its duration');

select * from finish();
rollback;
