-- The circuit breaker trips when the win rate over the last win_rate_lookback_positions closes
-- falls below min_win_rate_percent, but never below win_rate_min_sample closes (too few to
-- judge). Lookback 5, minimum sample 3, minimum win rate 50 %:
--   L, L          2 closes, 0 % wins: below the sample, no win rate, nothing trips
--   W             3 closes: 1 / 3 = 33.33 % < 50 %: it trips
-- Reset (a fresh start), then:
--   W x 6, L, L   the last 5: W W W L L = 60.00 %: nothing
--   L             the last 5: W W L L L = 40.00 % < 50 %: it trips, although over the 9 closes
--                 since the reset it is 6 / 9 = 66.67 %
-- The other triggers are out of reach.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

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

update walltrack.config set min_win_rate_percent = 50, win_rate_lookback_positions = 5, win_rate_min_sample = 3;
select pg_temp.fresh_start(now() - interval '2 hours');

do $$
begin
  perform pg_temp.trade('A1', -100, at => now() - interval '100 minutes');
  perform pg_temp.trade('A2', -100, at => now() - interval '90 minutes');
end
$$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics()), null::numeric,
  'two closes, both losses: below the sample of 3 there is no win rate');
select is((select circuit_breaker_active from walltrack.config), false, 'and below the sample it never trips');

do $$ begin perform pg_temp.trade('A3', 100, at => now() - interval '80 minutes'); end $$;
select is((select circuit_breaker_active from walltrack.config), true,
  'the third close makes the sample: 1 / 3 = 33.33 % < 50 %, it trips');
select results_eq(
  $$select trigger_reason, current_win_rate, min_win_rate_threshold from pg_temp.open_activation()$$,
  $$values ('min_win_rate'::text, 33.33::numeric, 50.00::numeric)$$,
  'the activation: min_win_rate, 33.33 % against 50.00 %');

do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics()), null::numeric,
  'after the reset nothing has closed since: no win rate');

do $$
begin
  for i in 1..6 loop
    perform pg_temp.trade('B' || i, 100);
  end loop;
  perform pg_temp.trade('B7', -100);
  perform pg_temp.trade('B8', -100);
end
$$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics()), 60.00,
  'six wins then two losses: over the last 5 (W W W L L) 60.00 %');
select is((select circuit_breaker_active from walltrack.config), false, 'at 60 % the breaker stays off');

do $$ begin perform pg_temp.trade('B9', -100); end $$;
select is((select current_win_rate from walltrack.circuit_breaker_metrics()), 40.00,
  'a third loss: over the last 5 (W W L L L) 40.00 %, though 6 of the 9 closes since the reset won');
select is((select circuit_breaker_active from walltrack.config), true, 'below 50 % it trips');
select results_eq(
  $$select trigger_reason, current_win_rate from pg_temp.open_activation()$$,
  $$values ('min_win_rate'::text, 40.00::numeric)$$,
  'the activation: min_win_rate at 40.00 %');

select * from finish();
rollback;
