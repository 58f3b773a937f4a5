-- Every price WallTrack applies or observes is kept per token with its time and source, once per
-- change (walltrack.record_price_history, called by apply_prices and the fill trigger): a repeated
-- price adds no row, a refused price (not sane, or an unconfirmed jump) none either, a fill is kept
-- with its source (fill for live, simulated_fill for simulated), and a token no position holds is
-- kept too (the shadow book's tokens).
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql. SOL is worth 200 USD here.
select is(walltrack.apply_prices(jsonb_build_array(
            jsonb_build_object('mint', tests.addr('TkH'), 'usd', '0.5', 'source', 'jupiter'),
            jsonb_build_object('mint', tests.addr('TkG'), 'usd', '7', 'source', 'dexscreener'))) ->> 'tokens_priced', '2',
  'two tokens no position holds are priced');
select results_eq(
  $$select token_address, price_usd, source from walltrack.price_history join walltrack.price_series s on s.id = series_id
    where s.token_address in (tests.addr('TkH'), tests.addr('TkG')) order by token_address$$,
  $$values (tests.addr('TkG'), 7::numeric, 'dexscreener'::text), (tests.addr('TkH'), 0.5::numeric, 'jupiter'::text)$$,
  'each observed price is kept with its token and source');

do $$ begin
  perform walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.addr('TkH'), 'usd', '0.50', 'source', 'jupiter')));
  perform walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.addr('TkH'), 'usd', '0.5', 'source', 'dexscreener')));
end $$;
select is((select count(*)::integer from walltrack.price_history join walltrack.price_series s on s.id = series_id where s.token_address = tests.addr('TkH')), 1,
  'the same price again, from any source, adds no row');

select is((walltrack.apply_prices(jsonb_build_array(
            jsonb_build_object('mint', tests.addr('TkH'), 'usd', 'Infinity', 'source', 'jupiter'),
            jsonb_build_object('mint', tests.addr('TkH'), 'usd', null, 'source', 'jupiter', 'observed', '-1', 'refused', 'not_positive')))
          ->> 'prices_refused')::integer, 2, 'two refused prices');
select is((select count(*)::integer from walltrack.price_history join walltrack.price_series s on s.id = series_id where s.token_address = tests.addr('TkH')), 1,
  'a refused price is not kept');

select is(tests.lifecycle_tick('H', 0.6) ->> 'tokens_priced', '1', 'a new price');
select results_eq(
  $$select price_usd from walltrack.price_history join walltrack.price_series s on s.id = series_id where s.token_address = tests.addr('TkH') order by observed_at$$,
  $$values (0.5::numeric), (0.6::numeric)$$,
  'a changed price adds one row, after the first');

-- A position in a token: its simulated entry fill is kept as simulated_fill; a jump of x20 waits for
-- its confirmation and is not kept; the market price equal to the fill is (fills are not the market).
do $$ begin perform tests.lifecycle_open_position('J', 'J', 1.00, 1000); end $$;
select is(tests.lifecycle_tick('J', 20) ->> 'prices_refused', '1', 'a x20 jump is refused until confirmed');
do $$ begin perform tests.lifecycle_tick('J', 1.00); end $$;
select results_eq(
  $$select price_usd, source from walltrack.price_history join walltrack.price_series s on s.id = series_id where s.token_address = tests.addr('TkJ') order by observed_at$$,
  $$values (1.00::numeric, 'simulated_fill'::text), (1.00::numeric, 'test'::text)$$,
  'the simulated entry fill is kept; the unconfirmed jump is not; the market price equal to the fill is');

-- A live fill.
do $$ begin
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('J'), 'exit_manual', 10, 'submitted');
  update walltrack.orders set mode = 'live' where position_id = tests.lifecycle_pos('J') and order_type = 'exit_manual';
  update walltrack.orders set status = 'executed', executed_at = clock_timestamp(), price_usd = 1.25, value_usd = 12.5,
                              amount_out = 0.0625, tx_signature = tests.sig('HistFill')
  where position_id = tests.lifecycle_pos('J') and order_type = 'exit_manual';
end $$;
select results_eq(
  $$select price_usd, source from walltrack.price_history join walltrack.price_series s on s.id = series_id where s.token_address = tests.addr('TkJ') order by observed_at desc limit 1$$,
  $$values (1.25::numeric, 'fill'::text)$$,
  'a live fill is kept with source fill');

select * from finish();
rollback;
