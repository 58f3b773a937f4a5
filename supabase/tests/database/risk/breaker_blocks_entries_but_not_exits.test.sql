-- While the circuit breaker is active, new entries are filtered circuit_breaker (and counted on
-- the open activation, new_positions_blocked), while open positions keep every exit: a leader's
-- sell still creates the mirror exit, a price tick still creates the stop loss, and the fill
-- closes the position (its evaluation finds the breaker active and opens no second activation).
-- Wallet 'WaRisk' (Default: stop loss 20 %, mirror exit on) holds R1 and R2, 1,000 tokens each
-- bought at 1.00; one loss in a row trips the breaker.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (test addresses 'TestRisk' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

-- Signal fixtures: a token 'Tk<tag>' analyzed 5 minutes ago (safe), and a signal of wallet
-- 'Wa<wallet_tag>' on token 'Tk<token_tag>' in transaction 'Sig<sig_tag>', recorded the way the
-- webhook records it (walltrack.record_signals): 2.5 SOL for 5,000,000 tokens, the leader's block
-- 5 s ago. Signatures are 'TestRiskSig' + the tag, padded with 'z' to 88 characters.
create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestRiskSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

create function pg_temp.safe_token(tag text) returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
  values (tests.risk_addr('Tk' || tag), tag, 6, 0.75, now() - interval '5 minutes', 'rugcheck')
  returning id
$$;

create function pg_temp.signal(signal_type text, wallet_tag text, token_tag text, sig_tag text) returns uuid
language sql as $$
  select (walltrack.record_signals(jsonb_build_object(
    'received_at', now(),
    'transactions', jsonb_build_array(jsonb_build_object(
      'signature', pg_temp.sig(sig_tag), 'raw', jsonb_build_object('signature', pg_temp.sig(sig_tag)))),
    'signals', jsonb_build_array(jsonb_build_object(
      'wallet', tests.risk_addr('Wa' || wallet_tag), 'signal_type', signal_type,
      'token_mint', tests.risk_addr('Tk' || token_tag), 'token_decimals', 6,
      'token_in', case when signal_type = 'BUY' then 'So11111111111111111111111111111111111111112'
                       else tests.risk_addr('Tk' || token_tag) end,
      'token_out', case when signal_type = 'BUY' then tests.risk_addr('Tk' || token_tag)
                        else 'So11111111111111111111111111111111111111112' end,
      'amount_in', case when signal_type = 'BUY' then 2.5 else 5000000 end,
      'amount_out', case when signal_type = 'BUY' then 5000000 else 2.5 end,
      'price', 0.0000005, 'price_all_in', 0.0000005,
      'transaction_signature', pg_temp.sig(sig_tag), 'slot', 330000000,
      'block_time', extract(epoch from now())::bigint - 5))
  )) -> 'recorded' ->> 0)::uuid
$$;

create function pg_temp.sid(tag text) returns uuid
language sql stable as $$ select id from walltrack.signals where transaction_signature = pg_temp.sig(tag) $$;

create function pg_temp.outcome(tag text) returns text
language sql stable as $$
  select case when processed_at is null then 'unprocessed' when filtered then filter_reason
              when position_created then 'opened' when position_id is not null then 'exit_order' end
  from walltrack.signals where id = pg_temp.sid(tag)
$$;

-- Entry rules made neutral (the breaker is the only thing that can refuse these entries).
update walltrack.config set
  position_sizing_mode = 'fixed_percent', risk_per_trade_percent = 5, min_position_size_usd = 10,
  max_position_size_usd = 1000, max_open_positions = (select count(*) from walltrack.positions where status = 'open') + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure())) + 100000,
  reentry_cooldown_minutes = 60, max_signal_age_seconds = 300, safety_score_threshold = 0.60,
  token_cache_ttl_minutes = 60;

select tests.risk_fresh_start(now() - interval '1 hour');
create temp table held as
  select tests.risk_open_position('R1') as r1, tests.risk_open_position('R2') as r2;
update walltrack.config set max_consecutive_losses = 1;
do $$ begin perform tests.risk_trade('Loss', -100); end $$;
create temp table activation as select * from tests.risk_open_activation();
select is((select trigger_reason from activation), 'consecutive_losses', 'a loss tripped the breaker');

-- New entries: two safe BUYs of the wallet, and its SELL of R2's token.
do $$
begin
  perform pg_temp.safe_token('New1');
  perform pg_temp.safe_token('New2');
  perform pg_temp.signal('BUY', 'Risk', 'New1', 'Buy1');
  perform pg_temp.signal('BUY', 'Risk', 'New2', 'Buy2');
  perform pg_temp.signal('SELL', 'Risk', 'R2', 'Sell2');
end
$$;
create temp table summary as
  select walltrack.process_signals(array[pg_temp.sid('Buy1'), pg_temp.sid('Buy2'), pg_temp.sid('Sell2')], 150, 'jupiter') as result;

select results_eq(
  $$select pg_temp.outcome('Buy1'), pg_temp.outcome('Buy2')$$,
  $$values ('circuit_breaker'::text, 'circuit_breaker'::text)$$,
  'both safe BUYs are filtered circuit_breaker');
select is((select result -> 'filtered' from summary), '{"circuit_breaker": 2}'::jsonb,
  'the summary counts two entries refused by the breaker, nothing else');
select is((select new_positions_blocked from walltrack.circuit_breaker_events where id = (select id from activation)), 2,
  'the open activation counts them: new_positions_blocked = 2');
select is_empty(
  $$select 1 from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
    where t.address in (tests.risk_addr('TkNew1'), tests.risk_addr('TkNew2'))$$,
  'no position opened in either token');

select is(pg_temp.outcome('Sell2'), 'exit_order', 'the leader''s SELL of an open position is still followed');
select results_eq(
  $$select order_type, amount_in, status from walltrack.orders where position_id = (select r2 from held) and order_type <> 'entry'$$,
  $$values ('exit_mirror'::text, 1000::numeric, 'pending'::text)$$,
  'R2 gets its mirror exit of all 1,000 tokens');

select is(
  (walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.risk_addr('TkR1'), 'usd', 0.75, 'source', 'test')))
    ->> 'exit_orders_created')::integer,
  1, 'a tick at 0.75 (<= 1.00 x 0.80) creates R1''s stop loss while the breaker is active');

update walltrack.orders set status = 'submitted', submitted_at = now()
where position_id = (select r1 from held) and order_type = 'exit_stop_loss';
update walltrack.orders
set status = 'executed', executed_at = clock_timestamp(), price_usd = 0.75, value_usd = 750, amount_out = 3.75
where position_id = (select r1 from held) and order_type = 'exit_stop_loss';
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = (select r1 from held)$$,
  $$values ('closed'::text, 'stop_loss'::text, -250::numeric)$$,
  'the stop loss fills: R1 closed stop_loss, 1,000 x (0.75 - 1.00) = -250');
select results_eq(
  $$select id, new_positions_blocked from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null$$,
  $$select id, 2 from activation$$,
  'its close found the breaker active: still the one activation, nothing more blocked');
select is(walltrack.evaluate_circuit_breaker(), 'active', 'and it stays active');

select * from finish();
rollback;
