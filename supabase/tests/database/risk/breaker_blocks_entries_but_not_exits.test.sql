-- While the circuit breaker is active, new entries are filtered circuit_breaker (and counted on
-- the open activation, new_positions_blocked), while open positions keep every exit: a leader's
-- sell still creates the mirror exit, a price tick still creates the stop loss, and the fill
-- closes the position (its evaluation finds the breaker active and opens no second activation).
-- Wallet 'WaRisk' (Default: stop loss 20 %, mirror exit on) holds R1 and R2, 1,000 tokens each
-- bought at 1.00; one loss in a row trips the breaker.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestRisk' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestRisk' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

-- A filled open position of wallet 'WaRisk' (Default strategy) in token 'Tk<tag>': cost USD
-- worth of tokens bought at 1.00 USD two days ago. Returns its id (pos_id when given).
create function pg_temp.open_position(tag text, cost numeric default 1000, pos_id uuid default null)
returns uuid
language plpgsql as $$
declare
  opened uuid;
begin
  insert into walltrack.wallets (address, label, exit_strategy_id)
  select pg_temp.addr('WaRisk'), 'test risk', id from walltrack.exit_strategies where name = 'Default'
  on conflict (address) do nothing;
  insert into walltrack.tokens (address, symbol, decimals) values (pg_temp.addr('Tk' || tag), tag, 6);
  insert into walltrack.positions (
    id, wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price, entry_amount,
    entry_value_usd, entry_timestamp, current_amount, current_price, price_updated_at, status)
  select coalesce(pos_id, gen_random_uuid()), w.id, t.id, 'simulation', w.exit_strategy_id,
         walltrack.effective_exit_strategy(w.exit_strategy_id), 1.00, cost, cost, now() - interval '2 days',
         cost, 1.00, now() - interval '2 days', 'open'
  from walltrack.wallets w, walltrack.tokens t
  where w.address = pg_temp.addr('WaRisk') and t.address = pg_temp.addr('Tk' || tag)
  returning id into opened;
  return opened;
end
$$;

-- The executor fills an exit of qty tokens of the position at price USD at the given time: an
-- executed exit order, which walltrack.apply_exit_fill books (and closes the position when
-- nothing remains, which evaluates the breaker). Returns the order id.
create function pg_temp.sell(pos uuid, qty numeric, price numeric, at timestamptz default clock_timestamp(),
                             kind text default 'exit_manual')
returns uuid
language sql as $$
  insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                                status, requested_at, submitted_at, executed_at, price_usd, value_usd, amount_out)
  select p.wallet_id, p.token_id, p.id, kind, p.mode, t.address, 'So11111111111111111111111111111111111111112',
         qty, 'executed', at, at, at, price, qty * price, qty * price / 200
  from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
  where p.id = pos
  returning id
$$;

-- A whole trade in token 'Tk<tag>': cost USD bought at 1.00, everything sold at 1 + pnl / cost,
-- so the position closes at `at` with realized PnL = pnl exactly. Returns the position id.
create function pg_temp.trade(tag text, pnl numeric, at timestamptz default clock_timestamp(),
                              cost numeric default 1000, pos_id uuid default null)
returns uuid
language plpgsql as $$
declare
  pos uuid := pg_temp.open_position(tag, cost, pos_id);
begin
  perform pg_temp.sell(pos, cost, 1 + pnl / cost, at);
  return pos;
end
$$;

-- A fresh start for the breaker's metrics at `at`: an activation ended then, as a reset leaves it
-- (the metrics count only what happened after the last deactivation).
create function pg_temp.fresh_start(at timestamptz) returns void
language sql as $$
  with activation as (
    insert into walltrack.circuit_breaker_events (event_type, trigger_reason, deactivated_at, created_at)
    values ('activated', 'manual', at, at - interval '1 minute')
    returning id
  )
  insert into walltrack.circuit_breaker_events (event_type, trigger_reason, activation_event_id, created_at)
  select 'deactivated', 'manual', id, at from activation
$$;

-- The breaker's open activation (at most one).
create function pg_temp.open_activation() returns walltrack.circuit_breaker_events
language sql stable as $$
  select * from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null
$$;

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: no open activation, breaker off, every trigger out of reach (each test
-- brings the one it checks into reach), capital 10,000.
update walltrack.circuit_breaker_events set deactivated_at = now() - interval '2 hours'
where event_type = 'activated' and deactivated_at is null;
update walltrack.config set
  circuit_breaker_active = false, circuit_breaker_activated_at = null, capital_usd = 10000,
  max_drawdown_percent = 100, daily_loss_limit_usd = 1000000, max_consecutive_losses = 1000,
  min_win_rate_percent = 0, win_rate_lookback_positions = 20, win_rate_min_sample = 20,
  circuit_breaker_cooldown_minutes = 720;

-- Signal fixtures: a token 'Tk<tag>' analyzed 5 minutes ago (safe), and a signal of wallet
-- 'Wa<wallet_tag>' on token 'Tk<token_tag>' in transaction 'Sig<sig_tag>', recorded the way the
-- webhook records it (walltrack.record_signals): 2.5 SOL for 5,000,000 tokens, the leader's block
-- 5 s ago. Signatures are 'TestRiskSig' + the tag, padded with 'z' to 88 characters.
create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestRiskSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

create function pg_temp.safe_token(tag text) returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
  values (pg_temp.addr('Tk' || tag), tag, 6, 0.75, now() - interval '5 minutes', 'rugcheck')
  returning id
$$;

create function pg_temp.signal(signal_type text, wallet_tag text, token_tag text, sig_tag text) returns uuid
language sql as $$
  select (walltrack.record_signals(jsonb_build_object(
    'received_at', now(),
    'transactions', jsonb_build_array(jsonb_build_object(
      'signature', pg_temp.sig(sig_tag), 'raw', jsonb_build_object('signature', pg_temp.sig(sig_tag)))),
    'signals', jsonb_build_array(jsonb_build_object(
      'wallet', pg_temp.addr('Wa' || wallet_tag), 'signal_type', signal_type,
      'token_mint', pg_temp.addr('Tk' || token_tag), 'token_decimals', 6,
      'token_in', case when signal_type = 'BUY' then 'So11111111111111111111111111111111111111112'
                       else pg_temp.addr('Tk' || token_tag) end,
      'token_out', case when signal_type = 'BUY' then pg_temp.addr('Tk' || token_tag)
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

select pg_temp.fresh_start(now() - interval '1 hour');
create temp table held as
  select pg_temp.open_position('R1') as r1, pg_temp.open_position('R2') as r2;
update walltrack.config set max_consecutive_losses = 1;
do $$ begin perform pg_temp.trade('Loss', -100); end $$;
create temp table activation as select * from pg_temp.open_activation();
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
    where t.address in (pg_temp.addr('TkNew1'), pg_temp.addr('TkNew2'))$$,
  'no position opened in either token');

select is(pg_temp.outcome('Sell2'), 'exit_order', 'the leader''s SELL of an open position is still followed');
select results_eq(
  $$select order_type, amount_in, status from walltrack.orders where position_id = (select r2 from held) and order_type <> 'entry'$$,
  $$values ('exit_mirror'::text, 1000::numeric, 'pending'::text)$$,
  'R2 gets its mirror exit of all 1,000 tokens');

select is(
  (walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', pg_temp.addr('TkR1'), 'usd', 0.75, 'source', 'test')))
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
