-- An activation records the moment: the metrics, the config thresholds, the open positions (which
-- keep their exits) and when it unlocks by itself (now + the configured cooldown; none with a
-- cooldown of 0: manual reset only); config says the breaker is active since then. Capital 10,000,
-- drawdown 15 %, win rate 40 % over the last 20 with a sample of 4, 3 consecutive losses, daily
-- limit 500, cooldown 90 minutes; two positions of this test stay open; closed today:
--   W +300, L -100, L -150: 3 closes, below the sample; 2 losses in a row
--   L -200: 4 closes, 1 win: 25.00 % < 40 %, and 3 losses in a row: consecutive_losses is checked
--           first and trips
--   at that moment: equity 10,000 + 300 - 100 - 150 - 200 = 9,850 against a peak of 10,300:
--   drawdown 450 / 10,300 = 4.3689 %; today's realized PnL -150
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

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

update walltrack.config set
  max_drawdown_percent = 15, min_win_rate_percent = 40, win_rate_lookback_positions = 20,
  win_rate_min_sample = 4, max_consecutive_losses = 3, daily_loss_limit_usd = 500,
  circuit_breaker_cooldown_minutes = 90;
select pg_temp.fresh_start(now() - interval '1 hour');
create temp table open_before as select count(*)::integer as n from walltrack.positions where status = 'open';

do $$
begin
  perform pg_temp.open_position('Open1');
  perform pg_temp.open_position('Open2');
  perform pg_temp.trade('W', 300);
  perform pg_temp.trade('L1', -100);
  perform pg_temp.trade('L2', -150);
end
$$;
select is((select circuit_breaker_active from walltrack.config), false,
  'W L L: 2 losses in a row, 3 closes below the sample of 4: nothing yet');

do $$ begin perform pg_temp.trade('L3', -200); end $$;
select results_eq(
  $$select event_type, trigger_reason, activation_event_id, current_drawdown_percent, current_win_rate,
           consecutive_losses, daily_realized_pnl_usd
    from pg_temp.open_activation()$$,
  $$values ('activated'::text, 'consecutive_losses'::text, null::uuid, 4.3689::numeric, 25.00::numeric, 3, -150::numeric)$$,
  'the activation: consecutive_losses (checked before the win rate), with the metrics of the moment');
select results_eq(
  $$select max_drawdown_threshold, min_win_rate_threshold, consecutive_loss_threshold, daily_loss_limit_threshold
    from pg_temp.open_activation()$$,
  $$values (15.00::numeric, 40.00::numeric, 3, 500.00::numeric)$$,
  'and the thresholds of the moment');
select results_eq(
  $$select current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd
    from walltrack.circuit_breaker_metrics()$$,
  $$select current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd
    from pg_temp.open_activation()$$,
  'the recorded metrics are walltrack.circuit_breaker_metrics() of that moment');
select is((select open_positions_at_activation from pg_temp.open_activation()), (select n + 2 from open_before),
  'the open positions at activation: those open before plus this test''s two');
select is((select unlock_at from pg_temp.open_activation()), now() + interval '90 minutes',
  'it unlocks by itself 90 minutes (the cooldown) after the activation');
select results_eq(
  $$select created_at, deactivated_at, new_positions_blocked from pg_temp.open_activation()$$,
  $$values (now(), null::timestamptz, 0)$$,
  'activated now, not yet deactivated, no entry blocked yet');
select results_eq(
  $$select circuit_breaker_active, circuit_breaker_activated_at from walltrack.config$$,
  $$values (true, now())$$,
  'config: the breaker is active since now');

-- A manual activation with a cooldown of 0 and another drawdown threshold.
do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
update walltrack.config set circuit_breaker_cooldown_minutes = 0, max_drawdown_percent = 12;
create temp table manual as select walltrack.activate_circuit_breaker('manual') as id;
select is((select id from manual), (select id from pg_temp.open_activation()),
  'activate_circuit_breaker(''manual'') returns the id of the new open activation');
select results_eq(
  $$select trigger_reason, unlock_at, max_drawdown_threshold from pg_temp.open_activation()$$,
  $$values ('manual'::text, null::timestamptz, 12.00::numeric)$$,
  'with a cooldown of 0 it never unlocks by itself (unlock_at null); the threshold is the new 12.00');

create temp table events_before as select count(*)::integer as n from walltrack.circuit_breaker_events;
select is(walltrack.activate_circuit_breaker('manual'), null::uuid, 'activating an active breaker returns null');
select is((select count(*)::integer from walltrack.circuit_breaker_events), (select n from events_before),
  'and writes no event');

select * from finish();
rollback;
