-- While the circuit breaker is active, new entries are filtered circuit_breaker (and counted on
-- the open activation, new_positions_blocked), while open positions keep every exit: a leader's
-- sell still creates the mirror exit, a price tick still creates the stop loss, and the fill
-- closes the position (its evaluation finds the breaker active and opens no second activation).
-- Wallet 'WaRisk' (Default: stop loss 20 %, mirror exit on) holds R1 and R2, 1,000 tokens each
-- bought at 1.00; one loss in a row trips the breaker.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures: tests.risk_* and tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr,
-- 'Test' + a tag): the risk wallet 'WaRisk' is the signals' wallet 'Risk'.

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

-- Entry rules made neutral (tests.signals_neutral_config: the breaker is then the only thing that
-- can refuse these entries); the breaker's thresholds stay as tests.risk_neutral_config left them.
do $$ begin perform tests.signals_neutral_config(); end $$;

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
  perform tests.signals_token('New1');
  perform tests.signals_token('New2');
  perform tests.signals_signal('BUY', 'Risk', 'New1', 'Buy1');
  perform tests.signals_signal('BUY', 'Risk', 'New2', 'Buy2');
  perform tests.signals_signal('SELL', 'Risk', 'R2', 'Sell2');
end
$$;
create temp table summary as
  select tests.signals_process(array['Buy1', 'Buy2', 'Sell2']) as result;

select results_eq(
  $$select tests.signals_outcome('Buy1'), tests.signals_outcome('Buy2')$$,
  $$values ('circuit_breaker'::text, 'circuit_breaker'::text)$$,
  'both safe BUYs are filtered circuit_breaker');
select is((select result -> 'filtered' from summary), '{"circuit_breaker": 2}'::jsonb,
  'the summary counts two entries refused by the breaker, nothing else');
select is((select new_positions_blocked from walltrack.circuit_breaker_events where id = (select id from activation)), 2,
  'the open activation counts them: new_positions_blocked = 2');
select is_empty(
  $$select 1 from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
    where t.address in (tests.addr('TkNew1'), tests.addr('TkNew2'))$$,
  'no position opened in either token');

select is(tests.signals_outcome('Sell2'), 'exit_order', 'the leader''s SELL of an open position is still followed');
select results_eq(
  $$select order_type, amount_in, status from walltrack.orders where position_id = (select r2 from held) and order_type <> 'entry'$$,
  $$values ('exit_mirror'::text, 1000::numeric, 'pending'::text)$$,
  'R2 gets its mirror exit of all 1,000 tokens');

select is(
  (walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.addr('TkR1'), 'usd', 0.75, 'source', 'test')))
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
select is(walltrack.evaluate_circuit_breaker('simulation'), 'active', 'and it stays active');

select * from finish();
rollback;
