-- Evaluations never open two events: the config row lock serializes them, an evaluation of an
-- active breaker returns 'active', activating an active breaker writes nothing, and the unique
-- index uq_circuit_breaker_events_open_activation refuses a second open activation whoever writes
-- it. One loss of -100 is closed while the trigger is out of reach; then 1 loss in a row trips.
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

select pg_temp.fresh_start(now() - interval '1 hour');
do $$ begin perform pg_temp.trade('Loss', -100); end $$;
update walltrack.config set max_consecutive_losses = 1;
create temp table events_before as select count(*)::integer as n from walltrack.circuit_breaker_events;

select is(walltrack.evaluate_circuit_breaker(), 'consecutive_losses', 'the first evaluation trips the breaker');
select is(walltrack.evaluate_circuit_breaker(), 'active', 'the second, right after, finds it active');
select is(walltrack.activate_circuit_breaker('manual'), null::uuid, 'activating it again returns null');
do $$ begin perform pg_temp.trade('Loss2', -100); end $$;
select is((select circuit_breaker_active from walltrack.config), true, 'another losing close evaluates it: still active');
select is((select count(*)::integer from walltrack.circuit_breaker_events), (select n + 1 from events_before),
  'one event written in all');
select is((select count(*)::integer from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null),
  1, 'one open activation');
select throws_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason) values ('activated', 'manual')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_circuit_breaker_events_open_activation"',
  'a second open activation is refused by the unique index, whoever writes it');
select is((select pg_catalog.pg_get_indexdef(to_regclass('walltrack.uq_circuit_breaker_events_open_activation'))),
  'CREATE UNIQUE INDEX uq_circuit_breaker_events_open_activation ON walltrack.circuit_breaker_events USING btree (event_type) WHERE ((event_type = ''activated''::text) AND (deactivated_at IS NULL))',
  'the index holds at most one activation without a deactivation stamp');

select * from finish();
rollback;
