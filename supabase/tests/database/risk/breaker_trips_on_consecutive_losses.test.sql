-- The circuit breaker trips on consecutive losing closes ending with the latest one, in close
-- order (closed_at, then id for closes at the same instant); a win or a breakeven close ends a
-- run. Threshold 3:
--   L -100, L -100, W +50, L -100, L -100   run of 2 (the win ended the first run)
--   B 0                                      run of 0 (a breakeven ends it too)
--   W7 +50 and L8 -100 at the same instant  L8 has the larger id: it is the later one, run of 1
--                                            (taken in the order they were filled, W7 last, it
--                                            would be 0)
--   L -100                                   run of 2
--   L -100                                   run of 3: it trips (with the tie the other way it
--                                            would be 2)
-- The other triggers are out of reach.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

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

update walltrack.config set max_consecutive_losses = 3;
select pg_temp.fresh_start(now() - interval '1 hour');

do $$
begin
  perform pg_temp.trade('L1', -100);
  perform pg_temp.trade('L2', -100);
  perform pg_temp.trade('W3', 50);
  perform pg_temp.trade('L4', -100);
  perform pg_temp.trade('L5', -100);
end
$$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics()), 2,
  'L L W L L: the win ended the first run, 2 in a row');
select is((select circuit_breaker_active from walltrack.config), false, 'below 3 the breaker stays off');

do $$ begin perform pg_temp.trade('B6', 0); end $$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics()), 0, 'a breakeven close ends the run');

-- Two closes at the same instant: the loss (larger id) is filled first, the win second.
do $$
declare
  at constant timestamptz := clock_timestamp();
  win uuid := pg_temp.open_position('W7', pos_id => 'c0ffee00-0000-4000-8000-00000000f007');
  loss uuid := pg_temp.open_position('L8', pos_id => 'c0ffee00-0000-4000-8000-00000000f008');
begin
  perform pg_temp.sell(loss, 1000, 0.90, at);
  perform pg_temp.sell(win, 1000, 1.05, at);
end
$$;
select is((select count(distinct closed_at)::integer from walltrack.positions
           where id in ('c0ffee00-0000-4000-8000-00000000f007', 'c0ffee00-0000-4000-8000-00000000f008')),
  1, 'W7 and L8 closed at the same instant');
select is((select consecutive_losses from walltrack.circuit_breaker_metrics()), 1,
  'at the same instant the larger id is the later close: L8 ends a run of 1');

do $$ begin perform pg_temp.trade('L9', -100); end $$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics()), 2, 'one more loss: 2');
select is((select circuit_breaker_active from walltrack.config), false, 'still below 3');

do $$ begin perform pg_temp.trade('L10', -100); end $$;
select is((select circuit_breaker_active from walltrack.config), true, 'the third loss in a row trips the breaker');
select results_eq(
  $$select trigger_reason, consecutive_losses, consecutive_loss_threshold from pg_temp.open_activation()$$,
  $$values ('consecutive_losses'::text, 3, 3)$$,
  'the activation: consecutive_losses, 3 against the threshold 3');

select * from finish();
rollback;
