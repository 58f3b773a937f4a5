-- A BUY from a wallet in live mode opens the position with its entry order pending for the
-- executor: no fill, no entry on the position, but the intended size committed. When the
-- executor later reports the fill, the order's fill becomes the position's entry (trigger).
begin;
create extension if not exists pgtap with schema extensions;
select plan(24);

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

-- Size 10000 x 5 % = 500.00 USD; leader 2.5 SOL for 5,000,000 tokens at SOL 150 = 0.000075 USD.
do $$
begin
  perform pg_temp.wallet('Live', wallet_mode => 'live');
  perform pg_temp.token('Safe');
  perform pg_temp.signal('BUY', 'Live', 'Safe', 'Live');
end
$$;

create temp table exposure_before as select * from walltrack.open_exposure();
create temp table summary as select pg_temp.process(array['Live']) as result;
create temp view opened as select * from walltrack.positions where signal_id = pg_temp.sid('Live');
create temp view entry as select * from walltrack.orders where signal_id = pg_temp.sid('Live');
create temp view decided as select * from walltrack.signals where id = pg_temp.sid('Live');

select is((select result - 'filtered' from summary),
  '{"processed": 1, "opened": 1, "exit_orders": 0, "deferred": 0}'::jsonb, 'one position opened');
select is((select position_id from decided), (select id from opened), 'signal -> position link');
select is((select position_created from decided), true, 'the signal created the position');

select is((select count(*)::integer from opened), 1, 'one position');
select is((select array[status, mode] from opened), array['open', 'live'], 'open, in live mode');
select is(
  (select array[entry_price, entry_amount, entry_value_usd] from opened), array[null, null, null]::numeric[],
  'no entry price, amount or cost until the fill');
select is((select entry_timestamp from opened), null, 'no entry time until the fill');
select is((select current_amount from opened), 0::numeric, 'nothing held yet');
select is((select leader_price_usd from opened), 0.000075, 'the leader''s price is known at once');
select ok((select decision_delay_seconds is not null from opened), 'the decision delay is known at once');
select is((select fill_delay_seconds from opened), null, 'the fill delay waits for the fill');

select is((select count(*)::integer from entry), 1, 'one order');
select is(
  (select jsonb_build_object('order_type', order_type, 'mode', mode, 'status', status, 'amount_in', amount_in,
                             'amount_out_expected', amount_out_expected, 'value_usd', value_usd,
                             'amount_out', amount_out, 'price_usd', price_usd, 'submitted_at', submitted_at,
                             'executed_at', executed_at, 'slippage_actual_percent', slippage_actual_percent,
                             'execution_duration_ms', execution_duration_ms)
   from entry),
  jsonb_build_object('order_type', 'entry', 'mode', 'live', 'status', 'pending', 'amount_in', 3.333333333,
                     'amount_out_expected', 6666666.666667, 'value_usd', 500.00, 'amount_out', null,
                     'price_usd', null, 'submitted_at', null, 'executed_at', null, 'slippage_actual_percent', null,
                     'execution_duration_ms', null),
  'a pending live entry of round(500 / 150, 9) SOL expecting round(500 / 0.000075, 6) tokens, intended 500.00 USD');
select is((select requested_at from entry), (select processed_at from decided), 'requested at the decision');
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before), 500.00,
  'the pending entry commits its intended 500.00 USD');

-- The executor sends the swap 1 s after the request, and it fills 3 s after the request:
-- 6,500,000 tokens at 0.0000769 USD.
--   cost basis = 6500000 x 0.0000769 = 499.85
--   vs leader  = round((0.0000769 - 0.000075) / 0.000075 x 100, 4) = round(2.5333..., 4) = 2.5333
update walltrack.orders set
  status = 'submitted', submitted_at = requested_at + interval '1 second', tx_signature = pg_temp.sig('LiveFill')
where signal_id = pg_temp.sid('Live');
update walltrack.orders set
  status = 'executed', executed_at = requested_at + interval '3 seconds', amount_out = 6500000, price_usd = 0.0000769
where signal_id = pg_temp.sid('Live');

select is((select entry_price from opened), 0.0000769, 'entry_price = the fill price');
select is((select entry_amount from opened), 6500000::numeric, 'entry_amount = the amount received');
select is((select current_amount from opened), 6500000::numeric, 'the whole entry is held');
select is((select entry_value_usd from opened), 499.85, 'entry_value_usd = 6500000 x 0.0000769 = 499.85');
select is((select entry_timestamp from opened), (select executed_at from entry), 'entry_timestamp = the fill time');
select is((select entry_tx_signature::text from opened), pg_temp.sig('LiveFill'), 'the entry transaction is kept');
select is((select fill_delay_seconds from opened),
  (select round(extract(epoch from (o.executed_at - s.leader_block_time)), 3) from entry o, decided s),
  'fill_delay_seconds = leader block time -> our fill');
select is((select slippage_vs_leader_percent from opened), 2.5333, 'slippage vs the leader = 2.5333 %');
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before), 499.85,
  'the exposure is now the filled cost');

select * from finish();
rollback;
