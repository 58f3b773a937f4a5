-- After a deactivation the metrics start afresh: they count only what closed (and filled) since,
-- so the losses that tripped the breaker cannot trip it again the moment it is reset. Capital
-- 10,000, drawdown 10 %, 3 losses in a row:
--   before the reset (the metrics starting an hour before today): -200, -300, -350 closed earlier
--   today: 3 in a row, it trips (drawdown 850 / 10,000 = 8.5000 %, below 10 %)
--   reset: drawdown 0, no win rate, no loss in a row, nothing realized
--   -200 after the reset: 1 in a row (not 4) and drawdown 200 / 10,000 = 2.0000 % (not
--   1,050 / 10,000 = 10.5 %, which would trip): the breaker stays off
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

update walltrack.config set max_consecutive_losses = 3, max_drawdown_percent = 10;
create temp table today as
  select date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' as starts;
select pg_temp.fresh_start((select starts from today) - interval '1 hour');

-- Earlier today: at 20 %, 40 % and 60 % of the time between 00:00 UTC and now.
do $$
declare
  starts constant timestamptz := (select starts from today);
begin
  perform pg_temp.trade('L1', -200, at => starts + (now() - starts) * 0.2);
  perform pg_temp.trade('L2', -300, at => starts + (now() - starts) * 0.4);
  perform pg_temp.trade('L3', -350, at => starts + (now() - starts) * 0.6);
end
$$;
select results_eq(
  $$select since, consecutive_losses, current_drawdown_percent, daily_realized_pnl_usd from walltrack.circuit_breaker_metrics()$$,
  $$select starts - interval '1 hour', 3, 8.5000::numeric, -850::numeric from today$$,
  'since the last deactivation: 3 losses in a row, drawdown 8.5000 %, -850 today');
select is((select trigger_reason from pg_temp.open_activation()), 'consecutive_losses', 'they tripped the breaker');

do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
select results_eq(
  $$select since, current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd
    from walltrack.circuit_breaker_metrics()$$,
  $$values (now(), 0.0000::numeric, null::numeric, 0, 0::numeric)$$,
  'right after the reset the metrics start from it: nothing counted');

do $$ begin perform pg_temp.trade('L4', -200); end $$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics()), 1,
  'a loss after the reset is the first in a row, not the fourth');
select is((select current_drawdown_percent from walltrack.circuit_breaker_metrics()), 2.0000,
  'drawdown 200 / 10,000 = 2.0000 %, the earlier losses forgotten');
select is((select daily_realized_pnl_usd from walltrack.circuit_breaker_metrics()), -200::numeric,
  'today''s realized PnL counts from the reset too (not the -850 realized earlier today)');
select is((select circuit_breaker_active from walltrack.config), false, 'the close evaluated it: the breaker stays off');
select is(walltrack.evaluate_circuit_breaker(), 'ok', 'and an evaluation finds nothing to trip');

select * from finish();
rollback;
