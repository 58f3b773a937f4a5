-- A SELL for a position that already has an exit order in flight (pending or submitted) is
-- filtered duplicate and creates no second order; once that order failed, the next SELL creates
-- the mirror exit, and a SELL while the mirror exit is in flight is a duplicate again.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

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

do $$
begin
  perform pg_temp.wallet('Busy');
  perform pg_temp.token('Safe');
  perform pg_temp.signal('BUY', 'Busy', 'Safe', 'Buy', block_age_seconds => 60);
  perform pg_temp.signal('SELL', 'Busy', 'Safe', 'Pending', block_age_seconds => 50);
  perform pg_temp.signal('SELL', 'Busy', 'Safe', 'Submitted', block_age_seconds => 40);
  perform pg_temp.signal('SELL', 'Busy', 'Safe', 'Failed', block_age_seconds => 30);
  perform pg_temp.signal('SELL', 'Busy', 'Safe', 'Mirrored', block_age_seconds => 20);
end
$$;
do $$ begin perform pg_temp.process(array['Buy']); end $$;

-- The stop loss fired: its exit order waits for the executor.
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in, status)
select p.wallet_id, p.token_id, p.id, 'exit_stop_loss', p.mode, pg_temp.addr('TkSafe'),
       'So11111111111111111111111111111111111111112', p.current_amount, 'pending'
from walltrack.positions p where p.signal_id = pg_temp.sid('Buy');

create temp table pending_summary as select pg_temp.process(array['Pending']) as result;
select is(pg_temp.outcome('Pending'), 'duplicate', 'an exit order pending: duplicate');
select is((select result -> 'filtered' from pending_summary), '{"duplicate": 1}'::jsonb, 'the summary counts it');

update walltrack.orders set status = 'submitted', submitted_at = now() where order_type = 'exit_stop_loss'
  and position_id = (select id from walltrack.positions where signal_id = pg_temp.sid('Buy'));
do $$ begin perform pg_temp.process(array['Submitted']); end $$;
select is(pg_temp.outcome('Submitted'), 'duplicate', 'an exit order submitted: duplicate');

select is(
  (select count(*)::integer from walltrack.orders
   where position_id = (select id from walltrack.positions where signal_id = pg_temp.sid('Buy')) and order_type <> 'entry'),
  1, 'still the one exit order');

-- The stop loss failed for good: nothing is in flight any more.
update walltrack.orders set status = 'failed', error_message = 'no route' where order_type = 'exit_stop_loss'
  and position_id = (select id from walltrack.positions where signal_id = pg_temp.sid('Buy'));
do $$ begin perform pg_temp.process(array['Failed']); end $$;
select is(pg_temp.outcome('Failed'), 'exit_order', 'once the exit failed, the SELL creates a mirror exit');
select is(
  (select count(*)::integer from walltrack.orders where signal_id = pg_temp.sid('Failed') and order_type = 'exit_mirror'
     and status = 'pending'),
  1, 'one pending exit_mirror order');

do $$ begin perform pg_temp.process(array['Mirrored']); end $$;
select is(pg_temp.outcome('Mirrored'), 'duplicate', 'a SELL while the mirror exit is in flight: duplicate');
select is(
  (select count(*)::integer from walltrack.orders
   where position_id = (select id from walltrack.positions where signal_id = pg_temp.sid('Buy')) and order_type = 'exit_mirror'),
  1, 'never a second mirror exit');

select * from finish();
rollback;
