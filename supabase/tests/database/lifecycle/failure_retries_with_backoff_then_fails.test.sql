-- walltrack.record_order_failure: an attempt that failed leaves the order where it was with
-- retry_count + 1, its error (code and message) kept and a backoff, next_retry_at = now() +
-- retry_after_seconds when the API said so, else 5 s x 2^(retries spent before); the attempt that
-- reaches max_retries, or any attempt said final, fails the order. The position is left
-- consistent: a failed exit sold nothing; a failed entry leaves its position in error without
-- amounts (and frees the wallet's slot in the token); a failed scale-out level may fire again.
begin;
create extension if not exists pgtap with schema extensions;
select plan(22);

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

-- X: an exit of 1,000 allowed 4 attempts, held under a lease by the executor.
do $$ begin perform pg_temp.open_position('X', 'X', 1.00, 1000); end $$;
create temp table x as select pg_temp.exit_order(pg_temp.pos('X'), 'exit_manual', 1000) as id;
update walltrack.orders set max_retries = 4, claimed_until = now() + interval '2 minutes' where id = (select id from x);

create function pg_temp.x_state() returns table (
  status text, retry_count integer, next_retry_at timestamptz, error_code text, error_message text,
  claimed_until timestamptz)
language sql stable as $$
  select status, retry_count, next_retry_at, error_code, error_message, claimed_until
  from walltrack.orders where id = (select id from x)
$$;

select is(walltrack.record_order_failure((select id from x), 'rate_limited', 'Jupiter /swap answered 429'), 'retry',
  'attempt 1 of 4 failed: retry');
select results_eq(
  $$select * from pg_temp.x_state()$$,
  $$values ('pending'::text, 1, now() + interval '5 seconds', 'rate_limited'::text, 'Jupiter /swap answered 429'::text,
            null::timestamptz)$$,
  'still pending, 1 retry spent, next try in 5 s x 2^0 = 5 s, the error kept, the lease released');

select is(walltrack.record_order_failure((select id from x), 'timeout', 'Jupiter /quote timed out after 10 s'), 'retry',
  'attempt 2 of 4 failed: retry');
select results_eq(
  $$select * from pg_temp.x_state()$$,
  $$values ('pending'::text, 2, now() + interval '10 seconds', 'timeout'::text, 'Jupiter /quote timed out after 10 s'::text,
            null::timestamptz)$$,
  'next try in 5 s x 2^1 = 10 s, the latest error kept');

select is(walltrack.record_order_failure((select id from x), 'rate_limited', 'Retry-After: 42', 42), 'retry',
  'attempt 3 of 4 failed: retry');
select results_eq(
  $$select status, retry_count, next_retry_at from pg_temp.x_state()$$,
  $$values ('pending'::text, 3, now() + interval '42 seconds')$$,
  'the API''s retry_after_seconds (42) wins over the backoff (20 s)');

select is(walltrack.record_order_failure((select id from x), 'no_route', 'Jupiter found no route'), 'failed',
  'attempt 4 of 4 failed: the order fails');
select results_eq(
  $$select status, retry_count, error_code, error_message from pg_temp.x_state()$$,
  $$values ('failed'::text, 4, 'no_route'::text, 'Jupiter found no route'::text)$$,
  'failed with all 4 attempts spent and the last error');
select results_eq(
  $$select status, current_amount, exit_amount, realized_pnl_usd from walltrack.positions where id = pg_temp.pos('X')$$,
  $$values ('open'::text, 1000::numeric, 0::numeric, 0::numeric)$$,
  'the failed exit sold nothing: X still holds its 1,000');
select lives_ok(
  format('select walltrack.close_position_manually(%L)', pg_temp.pos('X')),
  'with the failed exit no longer in flight, a new exit can be made');

-- S: a submitted live-like order whose blockhash expired is retried as submitted (re-sent).
create temp table s as
  select pg_temp.exit_order(pg_temp.pos('X'), 'exit_scaling', 100, 'submitted', lvl => 5::smallint) as id;
select is(walltrack.record_order_failure((select id from s), 'blockhash_expired', 'block height exceeded'), 'retry',
  'a submitted order''s failed attempt: retry');
select results_eq(
  $$select status, retry_count, next_retry_at from walltrack.orders where id = (select id from s)$$,
  $$values ('submitted'::text, 1, now() + interval '5 seconds')$$,
  'it stays submitted, to be re-sent in 5 s');

-- E: an entry that never fills. Its position holds nothing, then is left in error, not open.
do $$ begin perform pg_temp.open_pending('E', 'E', 0.50, 1000); end $$;
create temp table e as select id from walltrack.orders where position_id = pg_temp.pos('E') and order_type = 'entry';
update walltrack.orders set max_retries = 2 where id = (select id from e);
select is(walltrack.record_order_failure((select id from e), 'no_route', 'no route'), 'retry',
  'entry attempt 1 of 2: retry');
select is((select status from walltrack.positions where id = pg_temp.pos('E')), 'open',
  'while the entry may still fill, its position stays open');
select is(walltrack.record_order_failure((select id from e), 'no_route', 'no route'), 'failed',
  'entry attempt 2 of 2: failed');
select results_eq(
  $$select status, entry_price, entry_amount, entry_value_usd, current_amount, exit_amount, realized_pnl_usd,
           closed_at
    from walltrack.positions where id = pg_temp.pos('E')$$,
  $$values ('error'::text, null::numeric, null::numeric, null::numeric, 0::numeric, 0::numeric, 0::numeric,
            null::timestamptz)$$,
  'the entry that never filled leaves its position in error, without amounts, not open');
select lives_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    select wallet_id, token_id, mode, exit_strategy_id from walltrack.positions where id = pg_temp.pos('E')$$,
  'the wallet may open a position in that token again (uq_positions_open_wallet_token counts open ones only)');

-- L: a scale-out level whose order fails may fire again.
do $$
begin
  perform pg_temp.open_position('L', 'L', 1.00, 1000);
  perform pg_temp.tick('L', 2.00);
end
$$;
create temp table l as
  select id from walltrack.orders where position_id = pg_temp.pos('L') and order_type = 'exit_scaling';
select is(walltrack.record_order_failure((select id from l), 'no_route', 'no route', final => true), 'failed',
  'final: the level''s order fails at its first failure');
select results_eq(
  $$select o.status, o.retry_count, p.scaling_levels_fired
    from walltrack.orders o join walltrack.positions p on p.id = o.position_id where o.id = (select id from l)$$,
  $$values ('failed'::text, 1, '{}'::smallint[])$$,
  'failed with 1 of 3 attempts spent, and level 1 is no longer recorded as fired');
select is(pg_temp.tick('L', 2.05) ->> 'exit_orders_created', '1', 'the next price above 2x fires level 1 again');
select results_eq(
  $$select * from pg_temp.exits(pg_temp.pos('L'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'failed'::text),
           ('exit_scaling', 1::smallint, 500::numeric, 'pending')$$,
  'level 1: the failed order and its new one');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
