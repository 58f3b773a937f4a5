-- The BUY filter as a rule of its own (walltrack.buy_filter_reason): null for a BUY that passes
-- every filter, else the first reason in the documented order. The safety cache counts an analysis
-- for exactly token_cache_ttl_minutes (walltrack.safety_analysis_is_fresh), and a mint whose
-- decimals nobody reported is never guessed: safety_check_unavailable. Each reason through
-- process_signals: buy_filter_<reason>.test.sql; the order: filters_apply_in_order.test.sql.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Rule');
  perform tests.signals_token('Rule');
  perform tests.signals_signal('BUY', 'Rule', 'Rule', 'Rule');
end
$$;

-- The leader paid 2.5 SOL at 150 USD for 5,000,000 tokens: 0.000075 USD each.
create function pg_temp.reason(size_usd numeric default 500, at timestamptz default now()) returns text
language sql as $$
  select walltrack.buy_filter_reason(s, w, t, c, size_usd, 0.000075, 150, at)
  from walltrack.config c, walltrack.signals s
  join walltrack.wallets w on w.id = s.wallet_id
  left join walltrack.tokens t on t.address = s.token_address
  where s.id = tests.signals_sid('Rule')
$$;

select is(pg_temp.reason(), null, 'a BUY that passes every filter: no reason');
select is(pg_temp.reason(5), 'position_too_small', '5 USD is below min_position_size_usd (10)');
select is(pg_temp.reason(200000), 'exposure_limit', '200,000 USD more would exceed max_total_exposure_usd');

update walltrack.tokens set last_analyzed_at = now() - interval '60 minutes' where address = tests.addr('TkRule');
select is(pg_temp.reason(), null, 'an analysis exactly token_cache_ttl_minutes (60) old still counts');
select is(pg_temp.reason(at => now() + interval '1 second'), 'safety_check_unavailable', 'a second later it does not');
select is(walltrack.safety_analysis_is_fresh(now() - interval '60 minutes', now() + interval '1 minute'), false,
  'what to fetch asks a minute ahead with the same rule: that analysis is refreshed first');

update walltrack.tokens set last_analyzed_at = now() - interval '5 minutes', decimals = null
 where address = tests.addr('TkRule');
select is(pg_temp.reason(), 'safety_check_unavailable', 'the mint''s decimals unknown: never guessed, not traded');

update walltrack.tokens set decimals = 6 where address = tests.addr('TkRule');
do $$ begin perform walltrack.activate_circuit_breaker('manual', 'simulation'); end $$;
select is(pg_temp.reason(), 'circuit_breaker', 'the breaker of the wallet''s mode (simulation) active: circuit_breaker');

update walltrack.tokens set safety_score = 0.10 where address = tests.addr('TkRule');
select is(pg_temp.reason(), 'safety_check_failed', 'a failed safety check comes before the breaker');

update walltrack.wallets set is_active = false where address = tests.addr('WaRule');
select is(pg_temp.reason(), 'wallet_inactive', 'an inactive wallet comes first of all');

select * from finish();
rollback;
