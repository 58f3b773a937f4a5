-- walltrack.signal_processing_needs tells the processor what to fetch before deciding: how many
-- unprocessed signals there are, the distinct tokens of unprocessed BUYs without an analysis
-- fresher than config.token_cache_ttl_minutes, and whether SOL/USD is needed (any BUY, or any
-- signal without a USD price).
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('A');
  perform tests.signals_wallet('B');
  perform tests.signals_token('Fresh', analyzed_ago => '5 minutes');
  perform tests.signals_token('Stale', analyzed_ago => '2 hours');
  perform tests.signals_token('Never', analyzed_ago => null);
  perform tests.signals_signal('BUY', 'A', 'Fresh', 'Fresh');
  perform tests.signals_signal('BUY', 'A', 'Stale', 'StaleA');
  perform tests.signals_signal('BUY', 'B', 'Stale', 'StaleB');
  perform tests.signals_signal('BUY', 'A', 'Never', 'Never');
  perform tests.signals_signal('BUY', 'A', 'Unknown', 'Unknown');
  perform tests.signals_signal('SELL', 'A', 'SoldUnknown', 'SolSell');
  perform tests.signals_signal('SELL', 'B', 'SoldUnknown', 'StableSell', quote_amount => 3000, quote => 'USDC');
end
$$;

create function pg_temp.needs(sig_tags text[]) returns jsonb
language sql stable as $$
  select walltrack.signal_processing_needs(array(select tests.signals_sid(t) from unnest(sig_tags) t))
$$;

select is(
  pg_temp.needs(array['Fresh', 'StaleA', 'StaleB', 'Never', 'Unknown', 'SolSell', 'StableSell']),
  jsonb_build_object('signals', 7, 'needs_sol_usd', true, 'quote_mints', '[]'::jsonb, 'stale_tokens',
                     (select jsonb_agg(a order by a) from unnest(array[tests.addr('TkStale'), tests.addr('TkNever'),
                                                                      tests.addr('TkUnknown')]) a)),
  'seven signals; the BUY tokens analyzed 2 h ago (listed once for two BUYs), never analyzed or unknown; SOL/USD needed');
select is(pg_temp.needs(array['Fresh'])  -> 'stale_tokens', '[]'::jsonb, 'a token analyzed 5 min ago is fresh');
select is(pg_temp.needs(array['SolSell', 'StableSell']) -> 'stale_tokens', '[]'::jsonb,
  'SELL tokens are never fetched (their safety does not matter)');
select is(pg_temp.needs(array['StableSell']),
  '{"signals": 1, "stale_tokens": [], "needs_sol_usd": false, "quote_mints": []}'::jsonb,
  'a stable-quoted SELL alone needs nothing');
select is(pg_temp.needs(array['SolSell']) -> 'needs_sol_usd', 'true'::jsonb, 'a SOL-quoted SELL needs SOL/USD');

-- The TTL comes from config: with 3 minutes, the 5-minute-old analysis is stale too.
update walltrack.config set token_cache_ttl_minutes = 3;
select is(pg_temp.needs(array['Fresh']) -> 'stale_tokens', jsonb_build_array(tests.addr('TkFresh')),
  'older than a 3 min TTL: to fetch');

-- Processed signals need nothing.
update walltrack.config set token_cache_ttl_minutes = 60;
do $$ begin perform tests.signals_process(array['Fresh']); end $$;
select is(pg_temp.needs(array['Fresh']), '{"signals": 0, "stale_tokens": [], "needs_sol_usd": false, "quote_mints": []}'::jsonb,
  'a processed signal is no longer counted');
select is((walltrack.signal_processing_needs() -> 'signals')::integer,
  (select count(*)::integer from walltrack.signals where processed_at is null),
  'without ids, every unprocessed signal counts');

select * from finish();
rollback;
