-- The circuit breaker trips on the realized PnL of the current UTC day: every exit fill executed
-- since 00:00 UTC (and since the last deactivation) counts, partial ones included. Capital 10,000,
-- daily loss limit 300; the metrics start an hour before today:
--   Y  -1,000 closed yesterday 23:30 UTC: not today's, daily 0
--   T1   -100 closed today, T2 -150 closed today: daily -250, below the limit
--   P    600 of 1,000 tokens bought at 1.00 sold at 0.90 today (P stays open): -60, daily -310.
--        A partial fill closes nothing, so nothing evaluates the breaker on it; pg_cron's
--        evaluation (the backstop) trips it: daily_loss_limit.
-- The other triggers are out of reach (drawdown 1,250 / 10,000 = 12.5 % < 100 %).
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

update walltrack.config set daily_loss_limit_usd = 300;
create temp table today as
  select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' as starts;
select pg_temp.fresh_start((select starts from today) - interval '1 hour');

do $$ begin perform pg_temp.trade('Y', -1000, at => (select starts from today) - interval '30 minutes', cost => 2000); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics()), 0::numeric,
  'a loss closed yesterday is not today''s: daily 0');
select is((select circuit_breaker_active from walltrack.config), false, 'the breaker stays off');

do $$ begin perform pg_temp.trade('T1', -100); perform pg_temp.trade('T2', -150); end $$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics()), -250::numeric,
  'two losses closed today: daily -100 - 150 = -250');
select is((select circuit_breaker_active from walltrack.config), false, 'below the 300 limit the breaker stays off');

do $$
begin
  perform pg_temp.sell(pg_temp.open_position('P'), 600, 0.90);
end
$$;
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics()), -310::numeric,
  'a partial exit of an open position counts: 600 x (0.90 - 1.00) = -60, daily -310');
select is((select circuit_breaker_active from walltrack.config), false,
  'P is still open: no close, so nothing evaluated the breaker yet');
select is(walltrack.evaluate_circuit_breaker(), 'daily_loss_limit',
  'pg_cron''s evaluation (the backstop) trips it: -(-310) >= 300');
select results_eq(
  $$select trigger_reason, daily_realized_pnl_usd, daily_loss_limit_threshold from pg_temp.open_activation()$$,
  $$values ('daily_loss_limit'::text, -310::numeric, 300.00::numeric)$$,
  'the activation records the day''s -310 against the 300.00 limit');
select is((select circuit_breaker_active from walltrack.config), true, 'and config says it is active');

select * from finish();
rollback;
