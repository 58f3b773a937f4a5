-- Without a SOL/USD price (process_signals gets sol_usd = null), every signal that needs one is
-- deferred: left unprocessed, without an outcome, for a later run. That is every BUY (an entry is
-- sized in USD and paid in SOL) and every SOL-quoted SELL; a stable-quoted SELL is decided at once.
-- A later run with a price decides the deferred signals.
begin;
create extension if not exists pgtap with schema extensions;
select plan(14);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Sol');
  perform tests.signals_wallet('Stable');
  -- The stable-quoted SELL is another wallet's: a SELL of the wallet that bought would wait for its
  -- BUY's decision (sell_waits_for_the_undecided_buy).
  perform tests.signals_wallet('StableSeller');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Sol', 'Safe', 'SolBuy', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'Stable', 'Safe', 'StableBuy', quote_amount => 2500, token_amount => 5000000,
                         quote => 'USDC', block_age_seconds => 25);
  perform tests.signals_signal('SELL', 'Sol', 'Safe', 'SolSell', quote_amount => 3, block_age_seconds => 20);
  perform tests.signals_signal('SELL', 'StableSeller', 'Safe', 'StableSell', quote_amount => 3000, token_amount => 5000000,
                         quote => 'USDC', block_age_seconds => 15);
end
$$;
create temp view recorded as select * from walltrack.signals
  where id in (tests.signals_sid('SolBuy'), tests.signals_sid('StableBuy'), tests.signals_sid('SolSell'), tests.signals_sid('StableSell'));

create temp table no_price as
  select walltrack.process_signals(array(select id from recorded), null, null) as result;

select is((select result from no_price),
  '{"processed": 1, "opened": 0, "exit_orders": 0, "deferred": 3, "filtered": {"no_open_position": 1}}'::jsonb,
  'three deferred, the stable-quoted SELL decided');
select is(tests.signals_outcome('SolBuy'), 'unprocessed', 'a SOL-quoted BUY is deferred');
select is(tests.signals_outcome('StableBuy'), 'unprocessed', 'a stable-quoted BUY is deferred too (paid in SOL)');
select is(tests.signals_outcome('SolSell'), 'unprocessed', 'a SOL-quoted SELL is deferred');
select is(
  (select count(*)::integer from recorded
   where id <> tests.signals_sid('StableSell') and processed_at is null and processing_duration_ms is null
     and not filtered and not position_created and position_id is null and sol_usd_price is null),
  3, 'the deferred signals have no outcome at all');
select is(
  (select array[price_usd::text, price_source] from recorded where id = tests.signals_sid('SolBuy')),
  array[null, null]::text[], 'a deferred SOL-quoted signal still has no USD price');
select is(tests.signals_outcome('StableSell'), 'no_open_position', 'the stable-quoted SELL is decided (nothing held yet)');
select is(
  (select array[price_usd::text, coalesce(sol_usd_price::text, 'null'), price_source] from recorded
   where id = tests.signals_sid('StableSell')),
  array['0.0006', 'null', 'stable'], 'at its stable price, without SOL/USD');
select is_empty(
  $$ select 1 from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
     where w.address in (tests.addr('WaSol'), tests.addr('WaStable')) $$,
  'nothing opened');

-- The next run has SOL/USD 150.
create temp table priced as select tests.signals_process(array['SolBuy', 'StableBuy', 'SolSell', 'StableSell']) as result;
select is((select result from priced),
  '{"processed": 3, "opened": 2, "exit_orders": 1, "deferred": 0, "filtered": {}}'::jsonb,
  'the deferred signals are decided, oldest first: two BUYs open, then the SELL exits');
select is(tests.signals_outcome('SolBuy'), 'opened', 'the SOL-quoted BUY opens');
select is(tests.signals_outcome('StableBuy'), 'opened', 'the stable-quoted BUY opens');
select is(tests.signals_outcome('SolSell'), 'exit_order', 'the SOL-quoted SELL exits the position opened just before');
select is(
  (select array[price_usd::text, sol_usd_price::text, price_source] from recorded where id = tests.signals_sid('SolBuy')),
  array['0.000075', '150', 'jupiter'], 'priced now: 0.0000005 x 150, with its SOL/USD and source');

select * from finish();
rollback;
