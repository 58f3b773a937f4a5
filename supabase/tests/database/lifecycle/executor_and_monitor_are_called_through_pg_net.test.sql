-- The order executor and the price monitor are edge functions called through net.http_post with
-- the Vault project URL and service-role key:
--   walltrack.kick_order_executor (trigger): once per transaction that inserted pending orders
--   walltrack.sweep_pending_orders (pg_cron): only when an order is due (retry time passed, no
--     live lease)
--   walltrack.monitor_prices (pg_cron): only when a position is open
-- Without the Vault secrets nothing is sent (a warning says so).
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestLife' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters for an address, 88 for a transaction signature. SOL is worth 200 USD here.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestLife' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestLifeSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

-- Wallet 'Wa<tag>' following the named template, token 'Tk<tag>' (6 decimals), and a BUY signal of
-- the wallet for the token (price_usd USD each, amount tokens for amount x price_usd / 200 SOL,
-- the leader's block 10 s ago), inserted as the webhook records them; each returns its id, and
-- wallet and token are reused when they exist.
create function pg_temp.wallet(tag text, strategy_name text default 'Default', wallet_mode text default 'simulation')
returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, mode, exit_strategy_id)
  select pg_temp.addr('Wa' || tag), 'test ' || tag, wallet_mode, es.id
  from walltrack.exit_strategies es where es.name = strategy_name
  on conflict (address) do update set label = excluded.label
  returning id
$$;

create function pg_temp.token(tag text) returns uuid
language sql as $$
  insert into walltrack.tokens (address, symbol, decimals) values (pg_temp.addr('Tk' || tag), tag, 6)
  on conflict (address) do update set symbol = excluded.symbol
  returning id
$$;

create function pg_temp.signal(wallet_tag text, token_tag text, price_usd numeric, amount numeric) returns uuid
language sql as $$
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, price_usd, leader_block_time, raw_payload)
  select w.id, pg_temp.addr('Tk' || token_tag), pg_temp.sig('Buy' || wallet_tag || token_tag), 'BUY',
         'So11111111111111111111111111111111111111112', pg_temp.addr('Tk' || token_tag), trim_scale(amount * price_usd / 200),
         amount, price_usd, now() - interval '10 seconds', '{}'
  from walltrack.wallets w where w.address = pg_temp.addr('Wa' || wallet_tag)
  returning id
$$;

-- A position of wallet 'Wa<wallet_tag>' in token 'Tk<token_tag>' opened the way the pipeline opens
-- it, its entry still to fill: the BUY signal (leader at leader_price USD for amount tokens), the
-- position without entry (the template snapshot, override on top), its entry order pending for
-- amount x leader_price / 200 SOL. Returns the position.
create function pg_temp.open_pending(wallet_tag text, token_tag text, leader_price numeric, amount numeric,
                                     strategy_name text default 'Default', override jsonb default null,
                                     wallet_mode text default 'simulation')
returns uuid
language plpgsql as $$
declare
  wallet uuid := pg_temp.wallet(wallet_tag, strategy_name, wallet_mode);
  token uuid := pg_temp.token(token_tag);
  signal uuid := pg_temp.signal(wallet_tag, token_tag, leader_price, amount);
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
          pg_temp.addr('Tk' || token_tag), trim_scale(amount * leader_price / 200), amount, amount * leader_price);
  return opened;
end
$$;

-- The same position entered at once, as a simulated entry is: its entry order is inserted executed
-- at entry_price for amount tokens, which walltrack.apply_entry_fill makes the position's entry.
create function pg_temp.open_position(wallet_tag text, token_tag text, entry_price numeric, amount numeric,
                                      strategy_name text default 'Default', override jsonb default null)
returns uuid
language plpgsql as $$
declare
  wallet uuid := pg_temp.wallet(wallet_tag, strategy_name);
  token uuid := pg_temp.token(token_tag);
  signal uuid := pg_temp.signal(wallet_tag, token_tag, entry_price, amount);
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
          pg_temp.addr('Tk' || token_tag), trim_scale(amount * entry_price / 200), 'executed', now(), now(), amount,
          entry_price,
          amount * entry_price);
  return opened;
end
$$;

-- An exit order of the position for qty tokens, inserted as kind in status state: executed ones
-- filled at at_price at filled_at, failed ones with an error; lvl is the scale-out level of an
-- exit_scaling. Returns its id.
create function pg_temp.exit_order(pos uuid, kind text, qty numeric, state text default 'pending',
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
create function pg_temp.pos(wallet_tag text) returns uuid
language sql stable as $$
  select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
  where w.address = pg_temp.addr('Wa' || wallet_tag)
$$;

-- The price monitor observes token 'Tk<token_tag>' at price USD (walltrack.apply_prices).
create function pg_temp.tick(token_tag text, price numeric) returns jsonb
language sql as $$
  select walltrack.apply_prices(jsonb_build_array(
    jsonb_build_object('mint', pg_temp.addr('Tk' || token_tag), 'usd', price, 'source', 'test')))
$$;

-- The price walks through prices, one observation after the other; returns the exit orders created.
create function pg_temp.walk(token_tag text, prices numeric[]) returns integer
language plpgsql as $$
declare
  price numeric;
  created integer := 0;
begin
  foreach price in array prices loop
    created := created + (pg_temp.tick(token_tag, price) ->> 'exit_orders_created')::integer;
  end loop;
  return created;
end
$$;

-- The executor fills every exit order of the position in flight at price USD, through the status
-- machine (pending -> submitted -> executed); returns how many it filled.
create function pg_temp.fill(pos uuid, price numeric) returns integer
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
create function pg_temp.exits(pos uuid)
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
create function pg_temp.broken_invariants() returns table (position_id uuid, invariant text)
language sql stable as $$
  select p.id, i.invariant
  from walltrack.positions p
  join walltrack.wallets w on w.id = p.wallet_id and w.address like 'TestLife%'
  cross join lateral (
    select coalesce(sum(o.amount_in), 0) as sold,
           coalesce(sum(o.amount_in * (o.price_usd - p.entry_price)), 0) as realized
    from walltrack.orders o
    where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed') x
  cross join lateral (values
    ('entry_amount = current_amount + executed exits', coalesce(p.entry_amount, 0) = p.current_amount + x.sold),
    ('realized_pnl_usd = PnL of the executed exits', p.realized_pnl_usd = x.realized),
    ('closed => current_amount = 0', p.status <> 'closed' or p.current_amount = 0)) as i(invariant, holds)
  where not i.holds
$$;

-- This test's own secrets (others with these names may exist: replaced inside the transaction).
delete from vault.secrets where name in ('project_url', 'service_role_key');
do $$
begin
  perform vault.create_secret('http://127.0.0.1:9/', 'project_url');
  perform vault.create_secret('test-service-role-key', 'service_role_key');
end
$$;

-- Requests queued since the last mark.
create temp table mark as select coalesce(max(id), 0) as last_id from net.http_request_queue;
create function pg_temp.mark() returns void
language sql as $$ update mark set last_id = (select coalesce(max(id), 0) from net.http_request_queue) $$;
create function pg_temp.requests() returns table (url text, body jsonb, headers jsonb)
language sql stable as $$
  select url, convert_from(body, 'utf8')::jsonb, headers from net.http_request_queue
  where id > (select last_id from mark) order by id
$$;

do $$ begin perform pg_temp.open_pending('K', 'K', 1.00, 1000); end $$;
select results_eq(
  $$select * from pg_temp.requests()$$,
  $$values ('http://127.0.0.1:9/functions/v1/order-executor'::text, '{"source": "orders_created"}'::jsonb,
            '{"Content-Type": "application/json", "Authorization": "Bearer test-service-role-key"}'::jsonb)$$,
  'a pending order inserted: one request to the order-executor function, authorized with the Vault key');

do $$ begin perform pg_temp.mark(); end $$;
do $$ begin perform pg_temp.open_position('J', 'J', 1.00, 1000); end $$;
select is_empty($$select * from pg_temp.requests()$$, 'an order inserted executed: no request');

do $$ begin perform pg_temp.mark(); end $$;
-- The kick is once per transaction: clear its mark, as a new transaction would start without it.
select set_config('walltrack.order_executor_kicked', '', true);
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                              scaling_level, scaling_percent)
select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'simulation', pg_temp.addr('TkJ'),
       'So11111111111111111111111111111111111111112', 100, l, 10
from walltrack.positions p cross join generate_series(1, 2) as l
where p.id = pg_temp.pos('J');
select is((select count(*)::integer from pg_temp.requests()), 1,
  'two pending orders inserted by one statement: one request');
do $$ begin perform pg_temp.mark(); end $$;
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                              scaling_level, scaling_percent)
select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'simulation', pg_temp.addr('TkJ'),
       'So11111111111111111111111111111111111111112', 100, 3, 10
from walltrack.positions p where p.id = pg_temp.pos('J');
select is_empty($$select * from pg_temp.requests()$$,
  'another pending order later in the same transaction: no second request');

-- The sweeper: only this test's orders may be due.
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
do $$ begin perform pg_temp.mark(); end $$;
select is(walltrack.sweep_pending_orders(), null, 'no order due (all leased): the sweeper returns null');
select is_empty($$select * from pg_temp.requests()$$, 'and sends nothing');

update walltrack.orders set claimed_until = null, next_retry_at = now() + interval '1 minute'
where position_id = pg_temp.pos('J') and status = 'pending';
select is(walltrack.sweep_pending_orders(), null, 'orders whose retry time has not come: null');

update walltrack.orders set next_retry_at = now() - interval '1 second'
where position_id = pg_temp.pos('J') and status = 'pending' and scaling_level = 1;
create temp table swept as select walltrack.sweep_pending_orders() as request_id;
select isnt((select request_id from swept), null, 'an order due: the sweeper returns a request id');
select results_eq(
  $$select url, body from pg_temp.requests()$$,
  $$values ('http://127.0.0.1:9/functions/v1/order-executor'::text, '{"source": "sweeper"}'::jsonb)$$,
  'one request to the order-executor function, from the sweeper');

-- The price monitor: only with an open position.
do $$ begin perform pg_temp.mark(); end $$;
update walltrack.positions set status = 'error' where status = 'open';
select is(walltrack.monitor_prices(), null, 'no open position: the monitor returns null');
select is_empty($$select * from pg_temp.requests()$$, 'and sends nothing');
update walltrack.positions set status = 'open' where id = pg_temp.pos('J');
create temp table monitored as select walltrack.monitor_prices() as request_id;
select isnt((select request_id from monitored), null, 'an open position: the monitor returns a request id');
select results_eq(
  $$select url, body from pg_temp.requests()$$,
  $$values ('http://127.0.0.1:9/functions/v1/price-monitor'::text, '{"source": "cron"}'::jsonb)$$,
  'one request to the price-monitor function, from cron');

-- Without the Vault secrets nothing is sent.
delete from vault.secrets where name in ('project_url', 'service_role_key');
do $$ begin perform pg_temp.mark(); end $$;
set local client_min_messages = error;
do $$ begin perform pg_temp.exit_order(pg_temp.pos('J'), 'exit_manual', 100); end $$;
select is(walltrack.sweep_pending_orders(), null, 'secrets missing: the sweeper returns null');
select is(walltrack.monitor_prices(), null, 'secrets missing: the monitor returns null');
reset client_min_messages;
select is_empty($$select * from pg_temp.requests()$$, 'and neither the kick nor the jobs queued a request');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
