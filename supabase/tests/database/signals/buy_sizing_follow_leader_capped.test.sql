-- Position sizing. follow_leader: the leader's trade in USD (SOL x SOL/USD, or a stable amount
-- as is) x config.leader_size_fraction; fixed_percent: capital x risk %. Either way the size is
-- capped by config.max_position_size_usd and rounded to the cent; the entry spends size / SOL/USD.
-- A live entry's value_usd is the size while it waits (a simulated one is filled at once, and its
-- value is then the fill's: amount x price).
begin;
create extension if not exists pgtap with schema extensions;
select plan(16);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestDecide' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters for an address, 88 for a transaction signature.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestDecide' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestDecideSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

-- A watched wallet 'Wa<tag>' following the named exit-strategy template.
create function pg_temp.wallet(tag text, wallet_mode text default 'simulation', active boolean default true,
                               strategy_name text default 'Default')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, mode, is_active, exit_strategy_id)
  select pg_temp.addr('Wa' || tag), 'test ' || tag, wallet_mode, active, es.id
  from walltrack.exit_strategies es
  where es.name = strategy_name
  returning id
$$;

-- A token 'Tk<tag>' whose safety analysis is `analyzed_ago` old (null: a row never analyzed).
create function pg_temp.token(tag text, score numeric default 0.75, analyzed_ago interval default '5 minutes',
                              token_decimals integer default 6)
returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
  values (pg_temp.addr('Tk' || tag), tag, token_decimals,
          case when analyzed_ago is not null then score end,
          now() - analyzed_ago,
          case when analyzed_ago is not null then 'rugcheck' end)
  returning id
$$;

-- One signal of wallet 'Wa<wallet_tag>' on token 'Tk<token_tag>' in transaction 'Sig<sig_tag>',
-- recorded the way the webhook records it (walltrack.record_signals); returns its id. A BUY gives
-- quote_amount of the quote (SOL, or USDC whose USD price is known at once) for token_amount
-- tokens, a SELL the reverse; the leader's block time is block_age_seconds before now(), the
-- webhook received it received_ago before now().
create function pg_temp.signal(signal_type text, wallet_tag text, token_tag text, sig_tag text,
                               quote_amount numeric default 2.5, token_amount numeric default 5000000,
                               quote text default 'SOL', block_age_seconds integer default 5,
                               received_ago interval default '0 seconds')
returns uuid
language sql as $$
  select (walltrack.record_signals(jsonb_build_object(
    'received_at', now() - received_ago,
    'transactions', jsonb_build_array(jsonb_build_object(
      'signature', pg_temp.sig(sig_tag), 'raw', jsonb_build_object('signature', pg_temp.sig(sig_tag)))),
    'signals', jsonb_build_array(jsonb_build_object(
      'wallet', pg_temp.addr('Wa' || wallet_tag), 'signal_type', signal_type,
      'token_mint', pg_temp.addr('Tk' || token_tag), 'token_decimals', 6,
      'token_in', case when signal_type = 'BUY' then q.mint else pg_temp.addr('Tk' || token_tag) end,
      'token_out', case when signal_type = 'BUY' then pg_temp.addr('Tk' || token_tag) else q.mint end,
      'amount_in', case when signal_type = 'BUY' then quote_amount else token_amount end,
      'amount_out', case when signal_type = 'BUY' then token_amount else quote_amount end,
      'price', quote_amount / token_amount,
      'price_all_in', quote_amount / token_amount,
      'price_usd', case when quote = 'USDC' then quote_amount / token_amount end,
      'transaction_signature', pg_temp.sig(sig_tag),
      'slot', 330000000,
      'block_time', extract(epoch from now())::bigint - block_age_seconds))
  )) -> 'recorded' ->> 0)::uuid
  from (select case quote when 'SOL' then 'So11111111111111111111111111111111111111112'
                          else 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' end as mint) q
$$;

-- The id of the signal of transaction 'Sig<tag>'.
create function pg_temp.sid(tag text) returns uuid
language sql stable as $$
  select id from walltrack.signals where transaction_signature = pg_temp.sig(tag)
$$;

-- Decides the signals of the named transactions (and no other) at the given SOL/USD price.
create function pg_temp.process(sig_tags text[], sol_usd numeric default 150) returns jsonb
language sql as $$
  select walltrack.process_signals(array(select pg_temp.sid(t) from unnest(sig_tags) t), sol_usd, 'jupiter')
$$;

-- What processing decided for a signal: its filter_reason, 'opened', 'exit_order' or 'unprocessed'.
create function pg_temp.outcome(tag text) returns text
language sql stable as $$
  select case when processed_at is null then 'unprocessed'
              when filtered then filter_reason
              when position_created then 'opened'
              when position_id is not null then 'exit_order'
              else 'processed without outcome' end
  from walltrack.signals
  where id = pg_temp.sid(tag)
$$;

-- A filled position of wallet 'Wa<wallet_tag>' in token 'Tk<token_tag>': 1,000,000 tokens at
-- 0.0001 USD (100 USD), open, or sold whole `closed_ago` ago.
create function pg_temp.position(wallet_tag text, token_tag text, closed_ago interval default null)
returns uuid
language sql as $$
  insert into walltrack.positions (
    wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd, entry_timestamp,
    current_amount, exit_price, exit_amount, exit_reason, closed_at, status)
  select w.id, t.id, 'simulation', w.exit_strategy_id, 0.0001, 1000000, 100, now() - interval '1 day',
         case when closed_ago is null then 1000000 else 0 end,
         case when closed_ago is not null then 0.00012 end,
         case when closed_ago is null then 0 else 1000000 end,
         case when closed_ago is not null then 'manual' end,
         now() - closed_ago,
         case when closed_ago is null then 'open' else 'closed' end
  from walltrack.wallets w, walltrack.tokens t
  where w.address = pg_temp.addr('Wa' || wallet_tag) and t.address = pg_temp.addr('Tk' || token_tag)
  returning id
$$;

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral, whatever the seed left: breaker off, limits far above what is open,
-- fixed-percent sizing of 10000 x 5 % = 500.00 USD, 1 % simulated slippage, product thresholds.
update walltrack.config set
  circuit_breaker_active = false, circuit_breaker_activated_at = null,
  capital_usd = 10000, risk_per_trade_percent = 5, position_sizing_mode = 'fixed_percent',
  leader_size_fraction = 0.10, min_position_size_usd = 10, max_position_size_usd = 1000,
  max_open_positions = (select count(*) from walltrack.positions where status = 'open') + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure())) + 100000,
  reentry_cooldown_minutes = 60, simulation_slippage_percent = 1, default_slippage_percent = 3,
  order_max_retries = 3, max_signal_age_seconds = 300, safety_score_threshold = 0.60,
  token_cache_ttl_minutes = 60;

-- SOL/USD 150; fraction 0.10; max position 1000 (fixtures, then changed below).
do $$
begin
  perform pg_temp.token('Safe');
  perform pg_temp.wallet('Follow');
  perform pg_temp.wallet('Usdc');
  perform pg_temp.wallet('Capped', wallet_mode => 'live');
  perform pg_temp.wallet('Rounded', wallet_mode => 'live');
  perform pg_temp.wallet('Fraction', wallet_mode => 'live');
  perform pg_temp.wallet('LowCap', wallet_mode => 'live');
  perform pg_temp.wallet('FixedCap', wallet_mode => 'live');
  perform pg_temp.signal('BUY', 'Follow', 'Safe', 'Follow', quote_amount => 20, token_amount => 40000000);
  perform pg_temp.signal('BUY', 'Usdc', 'Safe', 'Usdc', quote_amount => 2500, token_amount => 5000000, quote => 'USDC');
  perform pg_temp.signal('BUY', 'Capped', 'Safe', 'Capped', quote_amount => 100, token_amount => 200000000);
  perform pg_temp.signal('BUY', 'Rounded', 'Safe', 'Rounded', quote_amount => 1.234567891, token_amount => 1000000);
  perform pg_temp.signal('BUY', 'Fraction', 'Safe', 'Fraction', quote_amount => 20, token_amount => 40000000);
  perform pg_temp.signal('BUY', 'LowCap', 'Safe', 'LowCap', quote_amount => 20, token_amount => 40000000);
  perform pg_temp.signal('BUY', 'FixedCap', 'Safe', 'FixedCap', quote_amount => 20, token_amount => 40000000);
end
$$;

create function pg_temp.entry(tag text) returns walltrack.orders
language sql stable as $$
  select * from walltrack.orders where signal_id = pg_temp.sid(tag) and order_type = 'entry'
$$;

update walltrack.config set position_sizing_mode = 'follow_leader', leader_size_fraction = 0.10;
do $$ begin perform pg_temp.process(array['Follow', 'Usdc', 'Capped', 'Rounded']); end $$;

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
do $$ begin perform pg_temp.process(array['Fraction']); end $$;
select is((pg_temp.entry('Fraction')).value_usd, 750.00, 'following 20 SOL at a 0.25 fraction: 750.00 USD');

update walltrack.config set leader_size_fraction = 0.10, max_position_size_usd = 200;
do $$ begin perform pg_temp.process(array['LowCap']); end $$;
select is((pg_temp.entry('LowCap')).value_usd, 200.00, 'following 20 SOL (300 USD) under a 200 cap: 200.00 USD');
select is((pg_temp.entry('LowCap')).amount_in, 1.333333333, 'paid round(200 / 150, 9) = 1.333333333 SOL');

-- Fixed percent is capped too: 10000 x 20 % = 2000 > 1000; the leader's size plays no part.
update walltrack.config set position_sizing_mode = 'fixed_percent', risk_per_trade_percent = 20,
  max_position_size_usd = 1000;
do $$ begin perform pg_temp.process(array['FixedCap']); end $$;
select is((pg_temp.entry('FixedCap')).value_usd, 1000.00, 'fixed 10000 x 20 % = 2000 capped at 1000.00 USD');
select is((pg_temp.entry('FixedCap')).amount_in, 6.666666667, 'paid round(1000 / 150, 9) SOL');

select * from finish();
rollback;
