-- Every observed swap is a price (walltrack.apply_swap_prices, ADR-015): a watched wallet's swap of
-- a token, once recorded (walltrack.record_signals, as the webhook records it), reprices the open
-- positions in that token at once through walltrack.apply_prices, with the monitor's checks, and
-- its source is kept (leader_swap). Default strategy (stop loss 20 %), each position entered at
-- 1.00 x 1,000; SOL is worth 200 USD.
--   L  another wallet sells 1,000 for 3.5 SOL: 0.0035 x 200 = 0.70 exactly -> stop loss
--   M  a wallet buys 1,000 for 950 USDC: 0.95 (a stable leg at 1 USD), no exit
--   J  a sale at 0.05 (a x20 fall) is held back as an unconfirmed jump; the next delivery's sale
--      at 0.05 confirms it -> stop loss
--   K  two watched wallets in one transaction at 0.05: one trade, one observation, held back
--   Q  two sales at 0.05 in one delivery, in block order: the second confirms the first
--   O  a swap 2 minutes old (a late delivery) is history, not a price
--      and when applying a price fails, the swap is recorded all the same
--   N  without a SOL/USD, a SOL leg has no USD price: nothing applied; a USDC leg still is
begin;
create extension if not exists pgtap with schema extensions;
select plan(20);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

-- One delivery: swaps [wallet_tag, token_tag, sig_tag, side, quote (SOL or USDC), quote amount,
-- token amount, block age in seconds] recorded the way helius-webhook records them.
create function pg_temp.deliver(swaps jsonb) returns jsonb
language sql as $$
  select walltrack.record_signals(jsonb_build_object(
    'received_at', now(), 'transactions', '[]'::jsonb,
    'signals', (select jsonb_agg(jsonb_build_object(
      'wallet', tests.addr('Wa' || (s ->> 0)), 'signal_type', s ->> 3,
      'token_mint', tests.addr('Tk' || (s ->> 1)), 'token_decimals', 6,
      'token_in', case when s ->> 3 = 'BUY' then q.mint else tests.addr('Tk' || (s ->> 1)) end,
      'token_out', case when s ->> 3 = 'BUY' then tests.addr('Tk' || (s ->> 1)) else q.mint end,
      'amount_in', case when s ->> 3 = 'BUY' then (s ->> 5)::numeric else (s ->> 6)::numeric end,
      'amount_out', case when s ->> 3 = 'BUY' then (s ->> 6)::numeric else (s ->> 5)::numeric end,
      'price', (s ->> 5)::numeric / (s ->> 6)::numeric, 'price_all_in', (s ->> 5)::numeric / (s ->> 6)::numeric,
      'price_usd', case when s ->> 4 = 'USDC' then (s ->> 5)::numeric / (s ->> 6)::numeric end,
      'transaction_signature', tests.sig(s ->> 2), 'slot', 330000000 + n,
      'block_time', extract(epoch from now())::bigint - (s ->> 7)::integer) order by n)
      from jsonb_array_elements(swaps) with ordinality as e(s, n),
           lateral (select case when s ->> 4 = 'USDC' then 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
                                else 'So11111111111111111111111111111111111111112' end as mint) q)))
$$;

create function pg_temp.pos(tag text) returns walltrack.positions
language sql as $$ select * from walltrack.positions where id = tests.lifecycle_pos(tag) $$;

do $$
declare
  tag text;
begin
  update walltrack.config set sol_usd_price = 200, sol_usd_price_at = now();
  perform tests.lifecycle_wallet('Ob');
  perform tests.lifecycle_wallet('Oc');
  foreach tag in array array['L', 'M', 'J', 'K', 'Q', 'O', 'N'] loop
    perform tests.lifecycle_open_position(tag, tag, 1.00, 1000);
  end loop;
end
$$ language plpgsql;

do $$ begin perform pg_temp.deliver('[["Ob", "L", "ObL", "SELL", "SOL", 3.5, 1000, 2]]'); end $$;
select results_eq(
  $$select current_price, price_source from pg_temp.pos('L')$$,
  $$values (0.7::numeric, 'leader_swap'::text)$$,
  'L: another wallet''s sale of 1,000 for 3.5 SOL is a price at once: 0.0035 x 200 = 0.70 USD, from leader_swap');
select results_eq(
  $$select order_type, amount_in, value_usd, status from walltrack.orders where position_id = tests.lifecycle_pos('L') and order_type <> 'entry'$$,
  $$values ('exit_stop_loss'::text, 1000::numeric, 700::numeric, 'pending'::text)$$,
  'L: 0.70 is below the stop (0.80): the stop loss sells all 1,000, worth 700 at the swap''s price');

do $$ begin perform pg_temp.deliver('[["Ob", "M", "ObM", "BUY", "USDC", 950, 1000, 2]]'); end $$;
select results_eq(
  $$select current_price, price_source from pg_temp.pos('M')$$,
  $$values (0.95::numeric, 'leader_swap'::text)$$,
  'M: a buy of 1,000 for 950 USDC: 0.95, the stable leg at 1 USD');
select is_empty($$select 1 from walltrack.orders where position_id = tests.lifecycle_pos('M') and order_type <> 'entry'$$,
  'M: no exit at 0.95');

do $$ begin perform pg_temp.deliver('[["Ob", "J", "ObJ1", "SELL", "SOL", 0.25, 1000, 2]]'); end $$;
select results_eq(
  $$select current_price, price_source from pg_temp.pos('J')$$,
  $$values (1::numeric, null::text)$$,
  'J: a sale at 0.05 is a x20 fall from 1.00: held back, the position keeps its price');
select results_eq(
  $$select source, observed_usd, last_price_usd, reason from walltrack.price_refusals where token_address = tests.addr('TkJ')$$,
  $$values ('leader_swap'::text, 0.05::numeric, 1::numeric, 'unconfirmed_jump'::text)$$,
  'J: refused as an unconfirmed jump, recorded with its source');
do $$ begin perform pg_temp.deliver('[["Oc", "J", "OcJ2", "SELL", "SOL", 0.25, 1000, 1]]'); end $$;
select results_eq(
  $$select p.current_price, o.order_type from pg_temp.pos('J') p
    join walltrack.orders o on o.position_id = p.id and o.order_type <> 'entry'$$,
  $$values (0.05::numeric, 'exit_stop_loss'::text)$$,
  'J: a second trade at 0.05 confirms the fall: applied, the stop loss fires');

-- Both watched wallets in one transaction: one trade.
do $$ begin perform pg_temp.deliver('[["Ob", "K", "BothK", "SELL", "SOL", 0.25, 1000, 2], ["Oc", "K", "BothK", "SELL", "SOL", 0.25, 1000, 2]]'); end $$;
select is((select count(*)::integer from walltrack.signals where transaction_signature = tests.sig('BothK')), 2,
  'K: one transaction of two watched wallets is two signals');
select results_eq(
  $$select (select current_price from pg_temp.pos('K')),
           (select count(*)::integer from walltrack.price_refusals where token_address = tests.addr('TkK')),
           (select count(*)::integer from walltrack.orders where position_id = tests.lifecycle_pos('K') and order_type <> 'entry')$$,
  $$values (1::numeric, 1, 0)$$,
  'K: but one observation: refused once, never confirmed by itself, no exit');

do $$ begin perform pg_temp.deliver('[["Oc", "Q", "Q2", "SELL", "SOL", 0.25, 1000, 1], ["Ob", "Q", "Q1", "SELL", "SOL", 0.25, 1000, 3]]'); end $$;
select results_eq(
  $$select p.current_price, o.order_type,
           (select count(*)::integer from walltrack.price_refusals where token_address = tests.addr('TkQ'))
    from pg_temp.pos('Q') p join walltrack.orders o on o.position_id = p.id and o.order_type <> 'entry'$$,
  $$values (0.05::numeric, 'exit_stop_loss'::text, 1)$$,
  'Q: two trades at 0.05 in one delivery, in block order: the first held back, the second confirms it');

do $$ begin perform pg_temp.deliver('[["Ob", "O", "ObO", "SELL", "SOL", 0.1, 1000, 120]]'); end $$;
select results_eq(
  $$select current_price, price_source from pg_temp.pos('O')$$,
  $$values (1::numeric, null::text)$$,
  'O: a swap 2 minutes old (swap_price_max_age_seconds 60) is history: not applied');
update walltrack.config set swap_price_max_age_seconds = 300;
do $$ begin perform pg_temp.deliver('[["Ob", "O", "ObO2", "SELL", "SOL", 4.5, 1000, 120]]'); end $$;
select is((select current_price from pg_temp.pos('O')), 0.9::numeric,
  'O: with a 5-minute limit the same age is current: 0.0045 x 200 = 0.90');

update walltrack.config set sol_usd_price = null;
do $$ begin perform pg_temp.deliver('[["Ob", "N", "ObN1", "SELL", "SOL", 0.5, 1000, 2]]'); end $$;
select is((select current_price from pg_temp.pos('N')), 1::numeric, 'N: without SOL/USD a SOL leg has no USD price: nothing applied');
do $$ begin perform pg_temp.deliver('[["Ob", "N", "ObN2", "SELL", "USDC", 900, 1000, 2]]'); end $$;
select is((select current_price from pg_temp.pos('N')), 0.9::numeric, 'N: a USDC leg is priced all the same');

-- A price that cannot be applied never costs the recording: here the refusal log refuses every row.
alter table walltrack.price_refusals add constraint test_refuses_every_row check (false) not valid;
do $$ begin perform pg_temp.deliver('[["Ob", "K", "ObK3", "SELL", "SOL", 0.2, 1000, 2]]'); end $$;
select results_eq(
  $$select (select count(*)::integer from walltrack.signals where transaction_signature = tests.sig('ObK3')),
           (select current_price from pg_temp.pos('K'))$$,
  $$values (1, 1::numeric)$$,
  'K: applying the price failed (its refusal could not be written): the signal is recorded all the same, the price untouched');
alter table walltrack.price_refusals drop constraint test_refuses_every_row;

-- The rule itself, exactly: the swap leg x SOL/USD, never rounded.
select is(walltrack.swap_price_usd(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "SELL", "token_in": "TestTkzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "token_out": "So11111111111111111111111111111111111111112",
    "price": 0.000001234567891}'), 187.123456),
  0.000231016610430551296::numeric, 'swap_price_usd: 0.000001234567891 SOL x 187.123456 = 0.000231016610430551296 USD exactly');
select is(walltrack.swap_price_usd(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "BUY", "token_in": "So11111111111111111111111111111111111111112", "token_out": "TestTkzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    "price": 0.5}'), null), null, 'swap_price_usd: no SOL/USD, no price');
select is(walltrack.swap_price_usd(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "BUY", "token_in": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", "token_out": "TestTkzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    "price": 0.5, "price_usd": 0.5}'), 200), 0.5::numeric, 'swap_price_usd: a stable leg is its own USD price');
select is(walltrack.swap_price_usd(jsonb_populate_record(null::walltrack.signals,
  '{"signal_type": "BUY", "token_in": "2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo", "token_out": "TestTkzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    "price": 0.5, "quote_usd_price": 0.9993}'), 200), 0.49965::numeric,
  'swap_price_usd: paid in a quote-like asset (PYUSD at 0.9993 USD), the leg x that price once known');

-- The monitor's prices keep their source too.
do $$ begin perform tests.lifecycle_tick('M', 0.96); end $$;
select is((select price_source from pg_temp.pos('M')), 'test', 'a monitor price records its source (jupiter, dexscreener; here the test''s)');

select * from finish();
rollback;
