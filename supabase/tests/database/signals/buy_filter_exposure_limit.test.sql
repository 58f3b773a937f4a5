-- A BUY is filtered exposure_limit when config.max_open_positions positions are already open, or
-- when its size would take the USD committed to open positions (filled cost, or the intended size
-- of a pending live entry) above config.max_total_exposure_usd. Reaching a limit exactly is allowed.
-- The limits are set relative to what is open, so the seed's positions do not matter.
begin;
create extension if not exists pgtap with schema extensions;
select plan(13);

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

-- Every BUY here is sized 10000 x 5 % = 500.00 USD (fixtures).
do $$
begin
  perform pg_temp.wallet('CountA');
  perform pg_temp.wallet('CountB');
  perform pg_temp.wallet('LiveFit', wallet_mode => 'live');
  perform pg_temp.wallet('Over');
  perform pg_temp.wallet('Short');
  perform pg_temp.wallet('Exact');
  perform pg_temp.wallet('TopUp');
  perform pg_temp.token('Safe');
  perform pg_temp.signal('BUY', 'CountA', 'Safe', 'CountA', block_age_seconds => 20);
  perform pg_temp.signal('BUY', 'CountB', 'Safe', 'CountB', block_age_seconds => 10);
  perform pg_temp.signal('BUY', 'LiveFit', 'Safe', 'LiveFit', block_age_seconds => 20);
  perform pg_temp.signal('BUY', 'Over', 'Safe', 'Over', block_age_seconds => 10);
  perform pg_temp.signal('BUY', 'Short', 'Safe', 'Short');
  perform pg_temp.signal('BUY', 'Exact', 'Safe', 'Exact');
end
$$;

-- max_open_positions: room for exactly one more.
update walltrack.config set max_open_positions = (select open_positions from walltrack.open_exposure()) + 1;
create temp table count_summary as select pg_temp.process(array['CountA', 'CountB']) as result;

select is(pg_temp.outcome('CountA'), 'opened', 'the older BUY takes the last open slot');
select is(pg_temp.outcome('CountB'), 'exposure_limit', 'the next one, with max_open_positions open: exposure_limit');
select is((select result -> 'filtered' from count_summary), '{"exposure_limit": 1}'::jsonb, 'the summary counts it');
select is((select open_positions from walltrack.open_exposure()), (select max_open_positions from walltrack.config),
  'open positions = max_open_positions');

-- max_total_exposure_usd: C = the exposure in use rounded up to the cent (C - 0.01 < exposure <= C).
-- A limit of C + 500 fits one 500 USD entry and not two.
update walltrack.config set
  max_open_positions = (select open_positions from walltrack.open_exposure()) + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure()) * 100) / 100 + 500;
create temp table exposure_before as select exposure_usd from walltrack.open_exposure();
create temp table total_summary as select pg_temp.process(array['LiveFit', 'Over']) as result;

select is(pg_temp.outcome('LiveFit'), 'opened', 'exposure + 500 <= C + 500: the live BUY opens, its entry pending');
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before), 500.00,
  'the pending entry commits its intended size, 500.00');
select is(pg_temp.outcome('Over'), 'exposure_limit',
  'the next BUY would reach exposure + 1000 > C + 500: exposure_limit');
select is((select result -> 'filtered' from total_summary), '{"exposure_limit": 1}'::jsonb, 'the summary counts it');

-- To meet the limit exactly, one more open position tops the exposure in use up to the next whole
-- cent C (its cost is C - exposure, a fraction of a cent, when the exposure is not whole cents).
insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount,
                                 entry_value_usd, entry_timestamp, current_amount, status)
select w.id, t.id, 'simulation', w.exit_strategy_id, 1, 1, e.top_up, now(), 1, 'open'
from walltrack.wallets w, walltrack.tokens t,
     (select ceil(exposure_usd * 100) / 100 - exposure_usd as top_up from walltrack.open_exposure()) e
where w.address = pg_temp.addr('WaTopUp') and t.address = pg_temp.addr('TkSafe') and e.top_up > 0;
select is((select exposure_usd = round(exposure_usd, 2) from walltrack.open_exposure()), true,
  'the exposure in use is now whole cents, C');

-- One cent short of the room needed, then exactly the room needed: C + 500 = the limit.
update walltrack.config set max_total_exposure_usd = (select exposure_usd from walltrack.open_exposure()) + 499.99;
do $$ begin perform pg_temp.process(array['Short']); end $$;
select is(pg_temp.outcome('Short'), 'exposure_limit', 'a limit of C + 499.99 leaves less than 500: exposure_limit');

update walltrack.config set max_total_exposure_usd = (select exposure_usd from walltrack.open_exposure()) + 500;
do $$ begin perform pg_temp.process(array['Exact']); end $$;
select is(pg_temp.outcome('Exact'), 'opened', 'C + 500 reaches a limit of C + 500 exactly: opened');

select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (pg_temp.sid('CountB'), pg_temp.sid('Over'), pg_temp.sid('Short')) $$,
  'no order for the filtered signals');
select ok(
  (select bool_and(processed_at is not null and processing_duration_ms is not null) from walltrack.signals
   where id in (pg_temp.sid('CountB'), pg_temp.sid('Over'), pg_temp.sid('Short'))),
  'the filtered signals are processed, with their durations');

select * from finish();
rollback;
