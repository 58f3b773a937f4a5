-- The circuit breaker is evaluated whenever a position closes (trigger
-- positions_evaluate_circuit_breaker on the transition to closed), and by pg_cron as a backstop
-- for what no close evaluates, such as a partial exit:
--   P  1,000 tokens bought at 1.00, 600 sold at 0.90: -60 realized today, P stays open. With a
--      daily loss limit of 50 the metrics are past it, but nothing evaluated the breaker: it is
--      off until the backstop's evaluation trips it (daily_loss_limit).
--   Reset; the daily limit raised to 1,000 and one loss in a row made enough to trip.
--   Q  closed the way the executor closes it: close_position_manually queues the exit_manual,
--      which goes pending -> submitted -> executed at 0.80 (-200). The fill closes Q, and the
--      close alone trips the breaker (consecutive_losses), no evaluation called by hand.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

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

update walltrack.config set daily_loss_limit_usd = 50;
select pg_temp.fresh_start(now() - interval '1 hour');

do $$ begin perform pg_temp.sell(pg_temp.open_position('P'), 600, 0.90); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics()), -60::numeric,
  'P''s partial exit: -60 today, past the 50 limit');
select is((select circuit_breaker_active from walltrack.config), false,
  'a partial fill closes nothing: the breaker was not evaluated and is still off');
select is(walltrack.evaluate_circuit_breaker(), 'daily_loss_limit', 'the pg_cron backstop evaluates it: daily_loss_limit');

select isnt(walltrack.reset_circuit_breaker(), null::uuid, 'reset by hand');
update walltrack.config set daily_loss_limit_usd = 1000, max_consecutive_losses = 1;

create temp table q as select pg_temp.open_position('Q') as id;
create temp table exit_order as select walltrack.close_position_manually((select id from q)) as id;
update walltrack.orders set status = 'submitted', submitted_at = now() where id = (select id from exit_order);
select is((select circuit_breaker_active from walltrack.config), false, 'Q''s exit in flight: the breaker is still off');
update walltrack.orders
set status = 'executed', executed_at = clock_timestamp(), price_usd = 0.80, value_usd = 800, amount_out = 4
where id = (select id from exit_order);

select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = (select id from q)$$,
  $$values ('closed'::text, 'manual'::text, -200::numeric)$$,
  'the fill closed Q: manual, 1,000 x (0.80 - 1.00) = -200');
select is((select circuit_breaker_active from walltrack.config), true, 'and the close tripped the breaker');
select results_eq(
  $$select trigger_reason, consecutive_losses from pg_temp.open_activation()$$,
  $$values ('consecutive_losses'::text, 1)$$,
  'on consecutive_losses: Q''s loss is one in a row, the threshold 1');

select * from finish();
rollback;
