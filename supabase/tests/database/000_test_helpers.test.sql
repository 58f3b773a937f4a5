-- Fixtures shared by the test files of cron/, lifecycle/, operations/, performance/, risk/, safety/
-- and signals/: functions in schema tests, one family per folder of the rules they serve
-- (tests.<folder>_<name>; cron/ and safety/ use the families of the rules their jobs run). pg_prove runs files in sorted path order, so this one runs first
-- and COMMITS them; to run a single file alone, run this one before it. Every file still rolls
-- back what it does with them. The schema is rebuilt on each run, so no stale helper survives.
begin;
create extension if not exists pgtap with schema extensions;
select plan(1);

drop schema if exists tests cascade;
create schema tests;
comment on schema tests is 'pgTAP fixtures (supabase/tests/database/000_test_helpers.test.sql); not part of WallTrack';

-- =================================================================================================
-- Every folder: test addresses, base58 and unable to clash with real ones (the seed's are real):
-- 'Test' + a tag (0 O I l, outside base58, become o o i L), padded with 'z' to 44 characters for an
-- address (tests.addr), 88 for a transaction signature (tests.sig).
create or replace function tests.addr(tag text, width integer default 44) returns text
language sql immutable as $$ select rpad('Test' || translate(tag, '0OIl', 'ooiL'), width, 'z') $$;

create or replace function tests.sig(tag text) returns text
language sql immutable as $$ select tests.addr('Sig' || tag, 88) $$;

-- =================================================================================================
-- cron/: helpers shared by its test files (tests.cron_*).
-- The Vault secrets the jobs call the functions with, replaced by the test's own inside its
-- transaction (others with these names may exist): the project URL http://127.0.0.1:9/, where
-- nothing listens (requests only queue), and the service-role key 'test-service-role-key'.
create or replace function tests.cron_test_secrets() returns void
language plpgsql as $$
begin
  delete from vault.secrets where name in ('project_url', 'service_role_key');
  perform vault.create_secret('http://127.0.0.1:9/', 'project_url');
  perform vault.create_secret('test-service-role-key', 'service_role_key');
end
$$;

-- A request a job queued in pg_net, as '<method> <function> <body>' when it went to the test
-- project URL with the test service-role key (the Content-Type JSON), else as what is off.
create or replace function tests.cron_call(request_id bigint) returns text
language sql stable as $$
  select case
    when q.url not like 'http://127.0.0.1:9/functions/v1/%' then 'not to the Vault project URL: ' || q.url
    when q.headers <> '{"Content-Type": "application/json", "Authorization": "Bearer test-service-role-key"}'::jsonb
      then 'not authorized with the Vault service-role key: ' || q.headers::text
    else format('%s %s %s', q.method, substr(q.url, length('http://127.0.0.1:9/functions/v1/') + 1),
                convert_from(q.body, 'utf8')::jsonb::text)
  end
  from net.http_request_queue q where q.id = request_id
$$;

-- =================================================================================================
-- lifecycle/: helpers shared by its test files (tests.lifecycle_*).
-- SOL is worth 200 USD here.

-- Wallet 'Wa<tag>' following the named template, token 'Tk<tag>' (6 decimals), and a BUY signal of
-- the wallet for the token (price_usd USD each, amount tokens for amount x price_usd / 200 SOL,
-- the leader's block 10 s ago), inserted as the webhook records them; each returns its id, and
-- wallet and token are reused when they exist.
create or replace function tests.lifecycle_wallet(tag text, strategy_name text default 'Default', wallet_mode text default 'simulation')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, mode, exit_strategy_id)
  select tests.addr('Wa' || tag), 'test ' || tag, wallet_mode, es.id
  from walltrack.exit_strategies es where es.name = strategy_name
  on conflict (address) do update set label = excluded.label
  returning id
$$;

create or replace function tests.lifecycle_token(tag text) returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('Tk' || tag), tag, 6)
  on conflict (address) do update set symbol = excluded.symbol
  returning id
$$;

create or replace function tests.lifecycle_signal(wallet_tag text, token_tag text, price_usd numeric, amount numeric) returns uuid
language sql as $$
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, price_usd, leader_block_time, raw_payload)
  select w.id, tests.addr('Tk' || token_tag), tests.sig('Buy' || wallet_tag || token_tag), 'BUY',
         'So11111111111111111111111111111111111111112', tests.addr('Tk' || token_tag), trim_scale(amount * price_usd / 200),
         amount, price_usd, now() - interval '10 seconds', '{}'
  from walltrack.wallets w where w.address = tests.addr('Wa' || wallet_tag)
  returning id
$$;

-- A position of wallet 'Wa<wallet_tag>' in token 'Tk<token_tag>' opened the way the pipeline opens
-- it, its entry still to fill: the BUY signal (leader at leader_price USD for amount tokens), the
-- position without entry (the template snapshot, override on top), its entry order pending for
-- amount x leader_price / 200 SOL. Returns the position.
create or replace function tests.lifecycle_open_pending(wallet_tag text, token_tag text, leader_price numeric, amount numeric,
                                                        strategy_name text default 'Default', override jsonb default null,
                                                        wallet_mode text default 'simulation')
returns uuid
language plpgsql as $$
declare
  wallet uuid := tests.lifecycle_wallet(wallet_tag, strategy_name, wallet_mode);
  token uuid := tests.lifecycle_token(token_tag);
  signal uuid := tests.lifecycle_signal(wallet_tag, token_tag, leader_price, amount);
  opened uuid;
begin
  insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot,
                                   exit_strategy_override, leader_price_usd)
  select wallet, token, signal, wallet_mode, es.id, walltrack.effective_exit_strategy(es.id), override, leader_price
  from walltrack.exit_strategies es where es.name = strategy_name
  returning id into opened;
  insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                                amount_in, amount_out_expected, value_usd)
  values (wallet, token, opened, signal, 'entry', wallet_mode, 'So11111111111111111111111111111111111111112',
          tests.addr('Tk' || token_tag), trim_scale(amount * leader_price / 200), amount, amount * leader_price);
  return opened;
end
$$;

-- The same position entered at once, as a simulated entry is: its entry order is inserted executed
-- at entry_price for amount tokens, which walltrack.apply_entry_fill makes the position's entry.
create or replace function tests.lifecycle_open_position(wallet_tag text, token_tag text, entry_price numeric, amount numeric,
                                                         strategy_name text default 'Default', override jsonb default null)
returns uuid
language plpgsql as $$
declare
  wallet uuid := tests.lifecycle_wallet(wallet_tag, strategy_name);
  token uuid := tests.lifecycle_token(token_tag);
  signal uuid := tests.lifecycle_signal(wallet_tag, token_tag, entry_price, amount);
  opened uuid;
begin
  insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot,
                                   exit_strategy_override, leader_price_usd)
  select wallet, token, signal, 'simulation', es.id, walltrack.effective_exit_strategy(es.id), override, entry_price
  from walltrack.exit_strategies es where es.name = strategy_name
  returning id into opened;
  insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                                amount_in, status, submitted_at, executed_at, amount_out, price_usd, value_usd)
  values (wallet, token, opened, signal, 'entry', 'simulation', 'So11111111111111111111111111111111111111112',
          tests.addr('Tk' || token_tag), trim_scale(amount * entry_price / 200), 'executed', now(), now(), amount,
          entry_price,
          amount * entry_price);
  return opened;
end
$$;

-- An exit order of the position for qty tokens, inserted as kind in status state: executed ones
-- filled at at_price at filled_at, failed ones with an error; lvl is the scale-out level of an
-- exit_scaling. Returns its id.
create or replace function tests.lifecycle_exit_order(pos uuid, kind text, qty numeric, state text default 'pending',
                                                      at_price numeric default null, lvl smallint default null,
                                                      filled_at timestamptz default now())
returns uuid
language sql as $$
  insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                                scaling_level, scaling_percent, status, submitted_at, executed_at, price_usd,
                                value_usd, amount_out, error_message)
  select p.wallet_id, p.token_id, p.id, kind, p.mode, t.address, 'So11111111111111111111111111111111111111112', qty,
         lvl, case when lvl is not null then 25 end, state, case when state <> 'pending' then now() end,
         case when state = 'executed' then filled_at end, at_price, qty * at_price,
         case when state = 'executed' then qty * at_price / 200 end,
         case when state = 'failed' then 'test failure' end
  from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
  where p.id = pos
  returning id
$$;

-- The position of wallet 'Wa<wallet_tag>'.
create or replace function tests.lifecycle_pos(wallet_tag text) returns uuid
language sql stable as $$
  select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
  where w.address = tests.addr('Wa' || wallet_tag)
$$;

-- The price monitor observes token 'Tk<token_tag>' at price USD (walltrack.apply_prices).
create or replace function tests.lifecycle_tick(token_tag text, price numeric) returns jsonb
language sql as $$
  select walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', tests.addr('Tk' || token_tag), 'usd', price, 'source', 'test')))
$$;

-- The price walks through prices, one observation after the other; returns the exit orders created.
create or replace function tests.lifecycle_walk(token_tag text, prices numeric[]) returns integer
language plpgsql as $$
declare
  price numeric;
  created integer := 0;
begin
  foreach price in array prices loop
    created := created + (tests.lifecycle_tick(token_tag, price) ->> 'exit_orders_created')::integer;
  end loop;
  return created;
end
$$;

-- The executor fills every exit order of the position in flight at price USD, through the status
-- machine (pending -> submitted -> executed); returns how many it filled.
create or replace function tests.lifecycle_fill(pos uuid, price numeric) returns integer
language plpgsql as $$
declare
  filled integer;
begin
  update walltrack.orders set status = 'submitted', submitted_at = now()
  where position_id = pos and order_type <> 'entry' and status = 'pending';
  update walltrack.orders
  set status = 'executed', executed_at = now(), price_usd = price, value_usd = amount_in * price,
      amount_out = amount_in * price / 200
  where position_id = pos and order_type <> 'entry' and status = 'submitted';
  get diagnostics filled = row_count;
  return filled;
end
$$;

-- The exit orders of a position: type, level, amount and status (levels first, then by type).
create or replace function tests.lifecycle_exits(pos uuid)
returns table (order_type text, scaling_level smallint, amount_in numeric, status text)
language sql stable as $$
  select o.order_type, o.scaling_level, o.amount_in, o.status from walltrack.orders o
  where o.position_id = pos and o.order_type <> 'entry'
  order by o.scaling_level nulls last, o.order_type, o.status
$$;

-- The three accounting invariants (migration 20261121002100), one row per breach, over every
-- position of this test's wallets:
--   entry_amount = current_amount + sum(amount_in of executed exits)   (0 while no entry filled)
--   realized_pnl_usd = sum over executed exits of amount_in x (price_usd - entry_price)
--   status = 'closed'  =>  current_amount = 0
create or replace function tests.lifecycle_broken_invariants() returns table (position_id uuid, invariant text)
language sql stable as $$
  select p.id, i.invariant
  from walltrack.positions p
  join walltrack.wallets w on w.id = p.wallet_id and w.address like 'Test%'
  cross join lateral (
    select coalesce(sum(o.amount_in), 0) as sold,
           coalesce(sum(o.amount_in * (o.price_usd - p.entry_price)), 0) as realized
    from walltrack.orders o
    where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed') x
  cross join lateral (values
    ('entry_amount = current_amount + executed exits', coalesce(p.entry_amount, 0) = p.current_amount + x.sold),
    ('realized_pnl_usd + fees_usd = PnL of the executed exits', p.realized_pnl_usd + p.fees_usd = x.realized),
    ('closed => current_amount = 0', p.status <> 'closed' or p.current_amount = 0)) as i(invariant, holds)
  where not i.holds
$$;

-- =================================================================================================
-- operations/: helpers shared by its test files (tests.operations_*).
-- Wallet 'Wa<tag>', labelled 'test <tag>', following the named template; returns its id.
create or replace function tests.operations_wallet(tag text, active boolean default true, strategy_name text default 'Default')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, is_active, exit_strategy_id)
  select tests.addr('Wa' || tag), 'test ' || tag, active, id from walltrack.exit_strategies where name = strategy_name
  returning id
$$;

-- The id of wallet 'Wa<tag>'.
create or replace function tests.operations_wid(tag text) returns uuid
language sql stable as $$ select id from walltrack.wallets where address = tests.addr('Wa' || tag) $$;

-- The wallet's Helius sync status.
create or replace function tests.operations_sync_status(tag text) returns text
language sql stable as $$ select helius_sync_status from walltrack.wallets where address = tests.addr('Wa' || tag) $$;

-- =================================================================================================
-- performance/: helpers shared by its test files (tests.performance_*).
-- Wallet 'Wa<tag>', labelled 'test perf <tag>', following the Default template.
create or replace function tests.performance_wallet(tag text) returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, exit_strategy_id)
  select tests.addr('Wa' || tag), 'test perf ' || tag, id from walltrack.exit_strategies where name = 'Default'
  returning id
$$;

-- The id of wallet 'Wa<tag>'.
create or replace function tests.performance_wid(tag text) returns uuid
language sql stable as $$ select id from walltrack.wallets where address = tests.addr('Wa' || tag) $$;

-- A position of wallet 'Wa<wallet_tag>' in its own token 'Tk<tag>', created (and entered at 1.00
-- for cost USD) `created_ago` before now, with the copy-quality figures given. With `closed_ago`
-- it was sold whole that long ago for realized PnL = pnl; without, it is still open.
create or replace function tests.performance_position(wallet_tag text, tag text, cost numeric, created_ago interval,
                                                      closed_ago interval default null, pnl numeric default 0,
                                                      fill_delay numeric default null, slippage numeric default null,
                                                      pos_id uuid default null)
returns uuid
language sql as $$
  with token as (
    insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('Tk' || tag), tag, 6) returning id
  )
  insert into walltrack.positions (
    id, wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd, entry_timestamp,
    current_amount, exit_price, exit_amount, realized_pnl_usd, exit_reason, closed_at, status,
    leader_price_usd, fill_delay_seconds, slippage_vs_leader_percent, created_at)
  select coalesce(pos_id, gen_random_uuid()), w.id, token.id, 'simulation', w.exit_strategy_id, 1.00, cost, cost,
         now() - created_ago,
         case when closed_ago is null then cost else 0 end,
         case when closed_ago is not null then 1 + pnl / cost end,
         case when closed_ago is null then 0 else cost end,
         case when closed_ago is not null then pnl else 0 end,
         case when closed_ago is not null then 'manual' end,
         now() - closed_ago,
         case when closed_ago is null then 'open' else 'closed' end,
         1.00, fill_delay, slippage, now() - created_ago
  from walltrack.wallets w, token
  where w.address = tests.addr('Wa' || wallet_tag)
  returning id
$$;

-- A BUY signal of wallet 'Wa<wallet_tag>' received `received_ago` before now.
create or replace function tests.performance_signal(wallet_tag text, tag text, received_ago interval) returns uuid
language sql as $$
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, webhook_received_at, raw_payload)
  select w.id, tests.addr('TkSig' || tag), tests.sig(tag), 'BUY', 'So11111111111111111111111111111111111111112',
         tests.addr('TkSig' || tag), 1, 1000, now() - received_ago, '{}'
  from walltrack.wallets w where w.address = tests.addr('Wa' || wallet_tag)
  returning id
$$;

-- =================================================================================================
-- risk/: helpers shared by its test files (tests.risk_*).
-- A filled open position of wallet 'WaRisk' (Default strategy) in token 'Tk<tag>': cost USD
-- worth of tokens bought at 1.00 USD two days ago. Returns its id (pos_id when given).
create or replace function tests.risk_open_position(tag text, cost numeric default 1000, pos_id uuid default null)
returns uuid
language plpgsql as $$
declare
  opened uuid;
begin
  insert into walltrack.wallets (address, label, exit_strategy_id)
  select tests.addr('WaRisk'), 'test risk', id from walltrack.exit_strategies where name = 'Default'
  on conflict (address) do nothing;
  insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('Tk' || tag), tag, 6);
  insert into walltrack.positions (
    id, wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price, entry_amount,
    entry_value_usd, entry_timestamp, current_amount, current_price, price_updated_at, status)
  select coalesce(pos_id, gen_random_uuid()), w.id, t.id, 'simulation', w.exit_strategy_id,
         walltrack.effective_exit_strategy(w.exit_strategy_id), 1.00, cost, cost, now() - interval '2 days',
         cost, 1.00, now() - interval '2 days', 'open'
  from walltrack.wallets w, walltrack.tokens t
  where w.address = tests.addr('WaRisk') and t.address = tests.addr('Tk' || tag)
  returning id into opened;
  return opened;
end
$$;

-- The executor fills an exit of qty tokens of the position at price USD at the given time: an
-- executed exit order, which walltrack.apply_exit_fill books (and closes the position when
-- nothing remains, which evaluates the breaker). Returns the order id.
create or replace function tests.risk_sell(pos uuid, qty numeric, price numeric, at timestamptz default clock_timestamp(),
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
create or replace function tests.risk_trade(tag text, pnl numeric, at timestamptz default clock_timestamp(),
                                            cost numeric default 1000, pos_id uuid default null)
returns uuid
language plpgsql as $$
declare
  pos uuid := tests.risk_open_position(tag, cost, pos_id);
begin
  perform tests.risk_sell(pos, cost, 1 + pnl / cost, at);
  return pos;
end
$$;

-- A fresh start for the breaker's metrics at `at`: an activation ended then, as a reset leaves it
-- (the metrics count only what happened after the last deactivation).
create or replace function tests.risk_fresh_start(at timestamptz) returns void
language sql as $$
  with activation as (
    insert into walltrack.circuit_breaker_events (event_type, trigger_reason, deactivated_at, created_at)
    values ('activated', 'manual', at, at - interval '1 minute')
    returning id
  )
  insert into walltrack.circuit_breaker_events (event_type, trigger_reason, activation_event_id, created_at)
  select 'deactivated', 'manual', id, at from activation
$$;

-- Whatever the seed left: no open activation, breaker off, every trigger out of reach (each test
-- brings the one it checks into reach), capital 10,000, unlock after 720 minutes.
create or replace function tests.risk_neutral_config() returns void
language sql as $$
  update walltrack.circuit_breaker_events set deactivated_at = now() - interval '2 hours'
  where event_type = 'activated' and deactivated_at is null;
  update walltrack.config set
    circuit_breaker_active = false, circuit_breaker_activated_at = null, capital_usd = 10000,
    max_drawdown_percent = 100, daily_loss_limit_usd = 1000000, max_consecutive_losses = 1000,
    min_win_rate_percent = 0, win_rate_lookback_positions = 20, win_rate_min_sample = 20,
    circuit_breaker_unlock_minutes = 720;
$$;

-- The breaker's open activation (at most one).
create or replace function tests.risk_open_activation() returns walltrack.circuit_breaker_events
language sql stable as $$
  select * from walltrack.circuit_breaker_events where event_type = 'activated' and deactivated_at is null
$$;

-- =================================================================================================
-- signals/: helpers shared by its test files (tests.signals_*).
-- Global rules made neutral, whatever the seed left: breaker off, limits far above what is open,
-- fixed-percent sizing of 10000 x 5 % = 500.00 USD, 1 % simulated slippage, product thresholds
-- (cooldown 60 min, signal age 300 s, safety 0.60, cache 60 min). Each test then moves the one
-- rule it checks.
create or replace function tests.signals_neutral_config() returns void
language sql as $$
  update walltrack.config set
    circuit_breaker_active = false, circuit_breaker_activated_at = null,
    capital_usd = 10000, risk_per_trade_percent = 5, position_sizing_mode = 'fixed_percent',
    leader_size_fraction = 0.10, min_position_size_usd = 10, max_position_size_usd = 1000,
    max_open_positions = (select count(*) from walltrack.positions where status = 'open') + 100,
    max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure())) + 100000,
    reentry_cooldown_minutes = 60, simulation_slippage_percent = 1, default_slippage_percent = 3,
    order_max_retries = 3, max_signal_age_seconds = 300, safety_score_threshold = 0.60,
    token_cache_ttl_minutes = 60,
    -- The sell check and the per-leader limits (signals/sell_check_*, signals/leader_*) are off here.
    sell_check_enabled = false, leader_max_open_positions = null, leader_max_exposure_usd = null,
    leader_pause_after_losses = null, leader_loss_limit_usd = null
$$;

-- A watched wallet 'Wa<tag>' following the named exit-strategy template.
create or replace function tests.signals_wallet(tag text, wallet_mode text default 'simulation', active boolean default true,
                                                strategy_name text default 'Default')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, mode, is_active, exit_strategy_id)
  select tests.addr('Wa' || tag), 'test ' || tag, wallet_mode, active, es.id
  from walltrack.exit_strategies es
  where es.name = strategy_name
  returning id
$$;

-- A token 'Tk<tag>' whose safety analysis is `analyzed_ago` old (null: a row never analyzed).
create or replace function tests.signals_token(tag text, score numeric default 0.75, analyzed_ago interval default '5 minutes',
                                               token_decimals integer default 6)
returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals, safety_score, last_analyzed_at, analysis_source)
  values (tests.addr('Tk' || tag), tag, token_decimals,
          case when analyzed_ago is not null then score end,
          now() - analyzed_ago,
          case when analyzed_ago is not null then 'rugcheck' end)
  returning id
$$;

-- One signal of wallet 'Wa<wallet_tag>' on token 'Tk<token_tag>' in transaction 'Sig<sig_tag>',
-- recorded the way the webhook records it (walltrack.record_signals); returns its id. A BUY gives
-- quote_amount of the quote (SOL, or USDC whose USD price is known at once) for token_amount
-- tokens, a SELL the reverse; the leader's block time is block_age_seconds before now(), the
-- webhook received it received_ago before now().
create or replace function tests.signals_signal(signal_type text, wallet_tag text, token_tag text, sig_tag text,
                                                quote_amount numeric default 2.5, token_amount numeric default 5000000,
                                                quote text default 'SOL', block_age_seconds integer default 5,
                                                received_ago interval default '0 seconds')
returns uuid
language sql as $$
  select (walltrack.record_signals(jsonb_build_object(
    'received_at', now() - received_ago,
    'transactions', jsonb_build_array(jsonb_build_object(
      'signature', tests.sig(sig_tag), 'raw', jsonb_build_object('signature', tests.sig(sig_tag)))),
    'signals', jsonb_build_array(jsonb_build_object(
      'wallet', tests.addr('Wa' || wallet_tag), 'signal_type', signal_type,
      'token_mint', tests.addr('Tk' || token_tag), 'token_decimals', 6,
      'token_in', case when signal_type = 'BUY' then q.mint else tests.addr('Tk' || token_tag) end,
      'token_out', case when signal_type = 'BUY' then tests.addr('Tk' || token_tag) else q.mint end,
      'amount_in', case when signal_type = 'BUY' then quote_amount else token_amount end,
      'amount_out', case when signal_type = 'BUY' then token_amount else quote_amount end,
      'price', quote_amount / token_amount,
      'price_all_in', quote_amount / token_amount,
      'price_usd', case when quote = 'USDC' then quote_amount / token_amount end,
      'quote_usd_price', case when quote = 'USDC' then 1 end,
      'transaction_signature', tests.sig(sig_tag),
      'slot', 330000000,
      'block_time', extract(epoch from now())::bigint - block_age_seconds))
  )) -> 'recorded' ->> 0)::uuid
  from (select case quote when 'SOL' then 'So11111111111111111111111111111111111111112'
                          else 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' end as mint) q
$$;

-- The id of the signal of transaction 'Sig<tag>'.
create or replace function tests.signals_sid(tag text) returns uuid
language sql stable as $$
  select id from walltrack.signals where transaction_signature = tests.sig(tag)
$$;

-- Decides the signals of the named transactions (and no other) at the given SOL/USD price.
create or replace function tests.signals_process(sig_tags text[], sol_usd numeric default 150) returns jsonb
language sql as $$
  select walltrack.process_signals(array(select tests.signals_sid(t) from unnest(sig_tags) t), sol_usd, 'jupiter')
$$;

-- What processing decided for a signal: its filter_reason, 'opened', 'exit_order' or 'unprocessed'.
create or replace function tests.signals_outcome(tag text) returns text
language sql stable as $$
  select case when processed_at is null then 'unprocessed'
              when filtered then filter_reason
              when position_created then 'opened'
              when position_id is not null then 'exit_order'
              else 'processed without outcome' end
  from walltrack.signals
  where id = tests.signals_sid(tag)
$$;

-- A filled position of wallet 'Wa<wallet_tag>' in token 'Tk<token_tag>': 1,000,000 tokens at
-- 0.0001 USD (100 USD), open, or sold whole `closed_ago` ago.
create or replace function tests.signals_position(wallet_tag text, token_tag text, closed_ago interval default null)
returns uuid
language sql as $$
  insert into walltrack.positions (
    wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd, entry_timestamp,
    current_amount, exit_price, exit_amount, exit_reason, closed_at, status)
  select w.id, t.id, 'simulation', w.exit_strategy_id, 0.0001, 1000000, 100, now() - interval '1 day',
         case when closed_ago is null then 1000000 else 0 end,
         case when closed_ago is not null then 0.00012 end,
         case when closed_ago is null then 0 else 1000000 end,
         case when closed_ago is not null then 'manual' end,
         now() - closed_ago,
         case when closed_ago is null then 'open' else 'closed' end
  from walltrack.wallets w, walltrack.tokens t
  where w.address = tests.addr('Wa' || wallet_tag) and t.address = tests.addr('Tk' || token_tag)
  returning id
$$;
select has_schema('tests', 'the shared test helpers are installed in schema tests');

select * from finish();
commit;
