-- A trade paid in a quote-like asset (issue 17). The webhook offers both readings of a swap of one
-- token for another; record_signals keeps the one the token lists make true
-- (walltrack.token_pair_reading_kept): a memecoin paid in PYUSD is a BUY, PYUSD for mSOL one
-- conversion, two ordinary tokens nothing. Such a BUY waits for the asset's USD price
-- (walltrack.price_quote_assets, written once, sane prices only) and is then valued through it
-- (walltrack.quote_usd): price_usd = price x the asset's price, exactly. Sizing never falls back to
-- the cap when the quote's value is unknown.
begin;
create extension if not exists pgtap with schema extensions;
select plan(24);

set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

create temp table mints as select
  '2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo'::text as pyusd,
  'mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So'::text as msol;

do $$
begin
  perform tests.signals_wallet('Quote');
  perform tests.signals_token('Meme');
  insert into walltrack.token_lists (mint, list, kind) values (tests.addr('TkDenied'), 'deny', 'operator');
end
$$;

-- Both readings of one swap, as the webhook sends them: the wallet gave `gave_amount` of `gave` for
-- `got_amount` of `got`.
create function pg_temp.deliver_pair(sig_tag text, gave text, gave_amount numeric, got text, got_amount numeric)
returns jsonb language sql as $$
  select walltrack.record_signals(jsonb_build_object(
    'transactions', jsonb_build_array(jsonb_build_object('signature', tests.sig(sig_tag), 'raw', '{}'::jsonb)),
    'signals', jsonb_build_array(
      jsonb_build_object('wallet', tests.addr('WaQuote'), 'signal_type', 'BUY', 'token_mint', got, 'token_decimals', 6,
        'token_in', gave, 'token_out', got, 'amount_in', gave_amount, 'amount_out', got_amount,
        'price', gave_amount / got_amount, 'token_pair', true, 'transaction_signature', tests.sig(sig_tag),
        'block_time', extract(epoch from now())::bigint - 5),
      jsonb_build_object('wallet', tests.addr('WaQuote'), 'signal_type', 'SELL', 'token_mint', gave, 'token_decimals', 6,
        'token_in', gave, 'token_out', got, 'amount_in', gave_amount, 'amount_out', got_amount,
        'price', got_amount / gave_amount, 'token_pair', true, 'transaction_signature', tests.sig(sig_tag),
        'block_time', extract(epoch from now())::bigint - 5))));
$$;

-- Quote-like: the shipped deny list's quote-like kinds, never an operator's denied mint.
select ok(walltrack.is_quote_like((select pyusd from mints)), 'PYUSD (shipped, stablecoin) is quote-like');
select ok(not walltrack.is_quote_like(tests.addr('TkDenied')), 'a mint the operator denied is not quote-like');
select ok(not walltrack.is_quote_like(tests.addr('TkMeme')), 'a memecoin is not');

-- The readings kept.
select is(array[
    walltrack.token_pair_reading_kept('BUY', tests.addr('TkMeme'), (select pyusd from mints)),
    walltrack.token_pair_reading_kept('SELL', (select pyusd from mints), tests.addr('TkMeme')),
    walltrack.token_pair_reading_kept('SELL', tests.addr('TkMeme'), (select msol from mints)),
    walltrack.token_pair_reading_kept('BUY', (select msol from mints), tests.addr('TkMeme'))],
  array[true, false, true, false],
  'token and quote-like asset: the reading where the asset is the quote, either way');
select is(array[
    walltrack.token_pair_reading_kept('BUY', (select pyusd from mints), (select msol from mints)),
    walltrack.token_pair_reading_kept('SELL', (select msol from mints), (select pyusd from mints))],
  array[true, false], 'two quote-like assets: the BUY reading only');
select ok(not walltrack.token_pair_reading_kept('BUY', tests.addr('TkMeme'), tests.addr('TkOther'))
          and not walltrack.token_pair_reading_kept('SELL', tests.addr('TkOther'), tests.addr('TkMeme')),
  'two ordinary tokens: neither');

-- Recording: one signal per swap, or none.
select is((select (pg_temp.deliver_pair('PaidInPyusd', (select pyusd from mints), 52.293757, tests.addr('TkMeme'), 24.780010555)) -> 'watched'),
  '1'::jsonb, 'a memecoin paid in PYUSD: one of the two readings recorded');
select results_eq(
  $$select signal_type, token_address::text, token_in::text, amount_in, price from walltrack.signals where id = tests.signals_sid('PaidInPyusd')$$,
  $$values ('BUY'::text, tests.addr('TkMeme'), (select pyusd from mints), 52.293757::numeric, 52.293757 / 24.780010555)$$,
  'the BUY of the memecoin, paid in PYUSD');
select is((select (pg_temp.deliver_pair('Conversion', (select msol from mints), 3, (select pyusd from mints), 640.5)) -> 'watched'),
  '1'::jsonb, 'mSOL for PYUSD: one reading recorded');
select is((select signal_type || ' ' || token_address from walltrack.signals where id = tests.signals_sid('Conversion')),
  'BUY ' || (select pyusd from mints), 'the BUY of PYUSD, paid in mSOL');
select is((select (pg_temp.deliver_pair('Ordinary', tests.addr('TkMeme'), 10, tests.addr('TkOther'), 20)) -> 'watched'),
  '0'::jsonb, 'two ordinary tokens: nothing recorded');

-- Needs: the PYUSD price for the BUY, nothing for the conversion (decided without a price).
select is((select walltrack.signal_processing_needs(array[tests.signals_sid('PaidInPyusd'), tests.signals_sid('Conversion')]) -> 'quote_mints'),
  jsonb_build_array((select pyusd from mints)), 'the processor is asked for PYUSD''s price only');

-- Value of the quote.
select is(walltrack.quote_usd((select s from walltrack.signals s where id = tests.signals_sid('PaidInPyusd')), 150), null,
  'unpriced: the quote''s value is unknown (never SOL/USD, never 1)');
update walltrack.config set position_sizing_mode = 'follow_leader', leader_size_fraction = 1;
select is(walltrack.position_size_usd((select s from walltrack.signals s where id = tests.signals_sid('PaidInPyusd')),
                                      (select c from walltrack.config c), 150),
  null, 'follow_leader with an unknown quote value sizes nothing (not the 1000 USD cap)');

-- Without the price: the BUY waits; the conversion is decided even without SOL/USD.
select is(walltrack.process_signals(array[tests.signals_sid('PaidInPyusd'), tests.signals_sid('Conversion')], null, null),
  '{"processed": 1, "opened": 0, "exit_orders": 0, "deferred": 1, "filtered": {"conversion": 1}}'::jsonb,
  'no price at all: the conversion decided, the BUY paid in PYUSD deferred');
select is(walltrack.process_signals(array[tests.signals_sid('PaidInPyusd')], 150, 'jupiter'),
  '{"processed": 0, "opened": 0, "exit_orders": 0, "deferred": 1, "filtered": {}}'::jsonb,
  'SOL/USD alone does not value a BUY paid in PYUSD');

-- Pricing the asset: sane prices only, once.
select is(walltrack.price_quote_assets(jsonb_build_object((select pyusd from mints), jsonb_build_object('usd', 'Infinity', 'source', 'jupiter'))),
  0, 'a price that is not finite is ignored');
select is(walltrack.price_quote_assets(jsonb_build_object((select pyusd from mints), jsonb_build_object('usd', '0.99971', 'source', 'dexscreener'))),
  1, 'a sane price is written on the undecided signal paid in PYUSD');
select is(walltrack.price_quote_assets(jsonb_build_object((select pyusd from mints), jsonb_build_object('usd', '2', 'source', 'jupiter'))),
  0, 'and only once');
select results_eq(
  $$select quote_usd_price, price_source from walltrack.signals where id = tests.signals_sid('PaidInPyusd')$$,
  $$values (0.99971::numeric, 'dexscreener'::text)$$, 'the price and its source kept');

-- Decided through it, exactly.
select is(walltrack.process_signals(array[tests.signals_sid('PaidInPyusd')], 150, 'jupiter') -> 'opened', '1'::jsonb,
  'priced, the BUY is decided and opened');
select is((select price_usd from walltrack.signals where id = tests.signals_sid('PaidInPyusd')),
  trim_scale((52.293757 / 24.780010555) * 0.99971), 'price_usd = price in PYUSD x PYUSD''s USD price, exactly');
select is((select leader_price_usd from walltrack.positions where id = (select position_id from walltrack.signals where id = tests.signals_sid('PaidInPyusd'))),
  trim_scale((52.293757 / 24.780010555) * 0.99971), 'the position keeps the leader''s USD price');
-- follow_leader at 100 %: 52.293757 PYUSD x 0.99971 = 52.2785918... USD, in cents 52.28.
select is(walltrack.position_size_usd((select s from walltrack.signals s where id = tests.signals_sid('PaidInPyusd')),
                                      (select c from walltrack.config c), 150),
  52.28, 'sized from the PYUSD paid at PYUSD''s price');

select * from finish();
rollback;
