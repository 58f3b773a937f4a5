-- Position sizing. follow_leader: the leader's trade in USD (SOL x SOL/USD, or a stable amount
-- as is) x config.leader_size_fraction; fixed_percent: capital x risk %. Either way the size is
-- capped by config.max_position_size_usd and rounded to the cent; the entry spends size / SOL/USD.
-- A live entry's value_usd is the size while it waits (a simulated one is filled at once, and its
-- value is then the fill's: amount x price).
begin;
create extension if not exists pgtap with schema extensions;
select plan(16);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- SOL/USD 150; fraction 0.10; max position 1000 (fixtures, then changed below).
do $$
begin
  perform tests.signals_token('Safe');
  perform tests.signals_wallet('Follow');
  perform tests.signals_wallet('Usdc');
  perform tests.signals_wallet('Capped', wallet_mode => 'live');
  perform tests.signals_wallet('Rounded', wallet_mode => 'live');
  perform tests.signals_wallet('Fraction', wallet_mode => 'live');
  perform tests.signals_wallet('LowCap', wallet_mode => 'live');
  perform tests.signals_wallet('FixedCap', wallet_mode => 'live');
  perform tests.signals_signal('BUY', 'Follow', 'Safe', 'Follow', quote_amount => 20, token_amount => 40000000);
  perform tests.signals_signal('BUY', 'Usdc', 'Safe', 'Usdc', quote_amount => 2500, token_amount => 5000000, quote => 'USDC');
  perform tests.signals_signal('BUY', 'Capped', 'Safe', 'Capped', quote_amount => 100, token_amount => 200000000);
  perform tests.signals_signal('BUY', 'Rounded', 'Safe', 'Rounded', quote_amount => 1.234567891, token_amount => 1000000);
  perform tests.signals_signal('BUY', 'Fraction', 'Safe', 'Fraction', quote_amount => 20, token_amount => 40000000);
  perform tests.signals_signal('BUY', 'LowCap', 'Safe', 'LowCap', quote_amount => 20, token_amount => 40000000);
  perform tests.signals_signal('BUY', 'FixedCap', 'Safe', 'FixedCap', quote_amount => 20, token_amount => 40000000);
end
$$;

create function pg_temp.entry(tag text) returns walltrack.orders
language sql stable as $$
  select * from walltrack.orders where signal_id = tests.signals_sid(tag) and order_type = 'entry'
$$;

update walltrack.config set position_sizing_mode = 'follow_leader', leader_size_fraction = 0.10;
do $$ begin perform tests.signals_process(array['Follow', 'Usdc', 'Capped', 'Rounded']); end $$;

-- Simulated, SOL quote: 20 SOL x 150 x 0.10 = 300.00 USD; 300 / 150 = 2 SOL; leader 20 / 40,000,000
-- = 0.0000005 SOL = 0.000075 USD, filled at 0.00007575: round(300 / 0.00007575, 6) =
-- round(3960396.0396039..., 6) = 3960396.039604, worth 3960396.039604 x 0.00007575 = 300.00000000000300.
select is((pg_temp.entry('Follow')).amount_in, 2.000000000, 'following 20 SOL at 150 USD x 0.10: 300 USD, paid 2 SOL');
select is((pg_temp.entry('Follow')).amount_out, 3960396.039604, 'bought round(300 / 0.00007575, 6) = 3960396.039604');
select is((pg_temp.entry('Follow')).value_usd, 300.00000000000300, 'filled for 3960396.039604 x 0.00007575');
-- Simulated, stable quote: 2500 USDC x 1 x 0.10 = 250.00 USD, still paid in SOL: round(250 / 150, 9)
-- = 1.666666667; leader 2500 / 5,000,000 = 0.0005 USD, filled at 0.0005 x 1.01 = 0.000505:
-- round(250 / 0.000505, 6) = round(495049.5049504..., 6) = 495049.504950, worth 249.999999999750.
select is((pg_temp.entry('Usdc')).amount_in, 1.666666667,
  'following 2500 USDC x 0.10: 250 USD (no SOL conversion), paid round(250 / 150, 9) SOL');
select is((pg_temp.entry('Usdc')).price_usd, 0.000505, 'filled at the stable leader price 0.0005 x 1.01');
select is((pg_temp.entry('Usdc')).amount_out, 495049.504950, 'bought round(250 / 0.000505, 6) = 495049.504950');
select is((pg_temp.entry('Usdc')).value_usd, 249.999999999750, 'filled for 495049.504950 x 0.000505');
-- Live from here on: 100 SOL x 150 x 0.10 = 1500 > 1000.
select is((pg_temp.entry('Capped')).value_usd, 1000.00, 'following 100 SOL: 1500 capped at max_position_size_usd 1000.00');
select is((pg_temp.entry('Capped')).amount_in, 6.666666667, 'paid round(1000 / 150, 9) = 6.666666667 SOL');
-- 1.234567891 x 150 x 0.10 = 18.518518365.
select is((pg_temp.entry('Rounded')).value_usd, 18.52, '18.518518365 USD is rounded to 18.52');
select is((pg_temp.entry('Rounded')).amount_in, 0.123466667, 'paid round(18.52 / 150, 9) = 0.123466667 SOL');

-- The fraction and the cap come from config.
update walltrack.config set leader_size_fraction = 0.25;
do $$ begin perform tests.signals_process(array['Fraction']); end $$;
select is((pg_temp.entry('Fraction')).value_usd, 750.00, 'following 20 SOL at a 0.25 fraction: 750.00 USD');

update walltrack.config set leader_size_fraction = 0.10, max_position_size_usd = 200;
do $$ begin perform tests.signals_process(array['LowCap']); end $$;
select is((pg_temp.entry('LowCap')).value_usd, 200.00, 'following 20 SOL (300 USD) under a 200 cap: 200.00 USD');
select is((pg_temp.entry('LowCap')).amount_in, 1.333333333, 'paid round(200 / 150, 9) = 1.333333333 SOL');

-- Fixed percent is capped too: 10000 x 20 % = 2000 > 1000; the leader's size plays no part.
update walltrack.config set position_sizing_mode = 'fixed_percent', risk_per_trade_percent = 20,
  max_position_size_usd = 1000;
do $$ begin perform tests.signals_process(array['FixedCap']); end $$;
select is((pg_temp.entry('FixedCap')).value_usd, 1000.00, 'fixed 10000 x 20 % = 2000 capped at 1000.00 USD');
select is((pg_temp.entry('FixedCap')).amount_in, 6.666666667, 'paid round(1000 / 150, 9) SOL');

select * from finish();
rollback;
