-- walltrack.fill_simulated_orders fills simulation orders in SQL, through the status machine:
-- an exit sells min(its amount, what the position holds) at the position's price moved against
-- us, current x (100 - simulation_slippage_percent) x 0.01, for SOL at config.sol_usd_price; an
-- entry buys at its latest (or the leader's) price x (100 + slippage) x 0.01 for its SOL. An exit
-- with nothing left to sell is cancelled; without a price it is deferred (a retry in 60 s); live
-- orders are not its business. Slippage 1 %, SOL at 200 USD:
--   S1  exit of 100 held at 2.50 (entry 2.00)  -> 2.50 x 0.99 = 2.475, 247.5 USD = 1.2375 SOL, +47.5
--   S2  entry of 2.5 SOL, leader at 0.50       -> 0.50 x 1.01 = 0.505, 500 / 0.505 = 990.099010 tokens
--   S3  at 1.20 (entry 1.00): level 1 of 600, manual of 1,000, level 2 of 250, in that order
--       -> 600 at 1.188, the manual capped at the 400 left (closes manual), level 2 cancelled;
--          realized 1,000 x 0.188 = 188
--   S4  entry whose position has no price at all -> deferred;  S5 at 1.30 with 0 % slippage -> 1.30
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

update walltrack.config set simulation_slippage_percent = 1, sol_usd_price = 200;

do $$
begin
  perform pg_temp.open_position('S1', 'S1', 2.00, 100);
  perform pg_temp.tick('S1', 2.50);
  perform walltrack.close_position_manually(pg_temp.pos('S1'));
  perform pg_temp.open_pending('S2', 'S2', 0.50, 1000);
  perform pg_temp.open_position('S3', 'S3', 1.00, 1000);
  perform pg_temp.tick('S3', 1.20);
  perform pg_temp.open_pending('S4', 'S4', 0.50, 1000);
  update walltrack.positions set leader_price_usd = null where id = pg_temp.pos('S4');
  perform pg_temp.open_pending('V', 'V', 0.50, 1000, wallet_mode => 'live');
end
$$;
create temp table s3 (tag text primary key, id uuid not null);
insert into s3 values
  ('level1', pg_temp.exit_order(pg_temp.pos('S3'), 'exit_scaling', 600, lvl => 1::smallint)),
  ('manual', pg_temp.exit_order(pg_temp.pos('S3'), 'exit_manual', 1000)),
  ('level2', pg_temp.exit_order(pg_temp.pos('S3'), 'exit_scaling', 250, lvl => 2::smallint));
update walltrack.orders o set requested_at = now() - v.ago::interval
from (values ('level1', '30 seconds'), ('manual', '20 seconds'), ('level2', '10 seconds')) as v(tag, ago)
join s3 on s3.tag = v.tag
where o.id = s3.id;

-- S1: an exit.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders
                                        where position_id = pg_temp.pos('S1') and order_type = 'exit_manual')),
  '{"filled": 1, "cancelled": 0, "deferred": 0}'::jsonb,
  'S1: one order filled');
select results_eq(
  $$select status, submitted_at, executed_at >= now(), claimed_until, amount_in, price_usd, value_usd, amount_out,
           slippage_actual_percent
    from walltrack.orders where position_id = pg_temp.pos('S1') and order_type = 'exit_manual'$$,
  $$values ('executed'::text, now(), true, null::timestamptz, 100::numeric, 2.475::numeric, 247.5::numeric,
            1.2375::numeric, 1.00::numeric)$$,
  'S1: submitted then executed, 100 at 2.50 x 0.99 = 2.475, 247.5 USD, 247.5 / 200 = 1.2375 SOL');
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = pg_temp.pos('S1')$$,
  $$values ('closed'::text, 'manual'::text, 47.5::numeric)$$,
  'S1 closed manual: realized 100 x (2.475 - 2.00) = 47.5');

-- S2: an entry.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = pg_temp.pos('S2'))),
  '{"filled": 1, "cancelled": 0, "deferred": 0}'::jsonb,
  'S2: the entry filled');
select results_eq(
  $$select status, price_usd, amount_out, value_usd from walltrack.orders where position_id = pg_temp.pos('S2')$$,
  $$values ('executed'::text, 0.505::numeric, 990.099010::numeric, 500.00000005::numeric)$$,
  'S2: 2.5 SOL x 200 = 500 USD at 0.50 x 1.01 = 0.505: 990.099010 tokens (6 decimals), 500.00000005 USD');
select results_eq(
  $$select entry_price, entry_amount, current_amount from walltrack.positions where id = pg_temp.pos('S2')$$,
  $$values (0.505::numeric, 990.099010::numeric, 990.099010::numeric)$$,
  'S2: the fill is the position''s entry');

-- S3: capped, then nothing left.
select is(
  walltrack.fill_simulated_orders(array(select id from s3)),
  '{"filled": 2, "cancelled": 1, "deferred": 0}'::jsonb,
  'S3: two filled, one cancelled');
select results_eq(
  $$select s3.tag, o.status, o.amount_in, o.price_usd, o.error_code from s3 join walltrack.orders o on o.id = s3.id
    order by o.requested_at$$,
  $$values ('level1'::text, 'executed'::text, 600::numeric, 1.188::numeric, null::text),
           ('manual', 'executed', 400::numeric, 1.188::numeric, null),
           ('level2', 'cancelled', 250::numeric, null::numeric, 'nothing_to_sell')$$,
  'S3: level 1 sells 600 at 1.188, the manual exit the 400 left, level 2 finds nothing to sell');
select results_eq(
  $$select status, exit_reason, current_amount, realized_pnl_usd from walltrack.positions where id = pg_temp.pos('S3')$$,
  $$values ('closed'::text, 'manual'::text, 0::numeric, 188.000::numeric)$$,
  'S3 closed manual: realized 1,000 x (1.188 - 1.00) = 188');

-- S4: no price to fill at.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = pg_temp.pos('S4'))),
  '{"filled": 0, "cancelled": 0, "deferred": 1}'::jsonb,
  'S4: no observed price, deferred');
select results_eq(
  $$select status, retry_count, next_retry_at, error_code from walltrack.orders where position_id = pg_temp.pos('S4')$$,
  $$values ('pending'::text, 0, now() + interval '60 seconds', 'no_price'::text)$$,
  'S4: still pending, no retry spent (a wait, not a failure), tried again in 60 s');

-- Without SOL/USD nothing can be filled either.
update walltrack.config set sol_usd_price = null;
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = pg_temp.pos('S4'))),
  '{"filled": 0, "cancelled": 0, "deferred": 1}'::jsonb,
  'no SOL/USD price: deferred');
update walltrack.config set sol_usd_price = 200;

-- A live order is the executor's, not the simulator's.
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders where position_id = pg_temp.pos('V'))),
  '{"filled": 0, "cancelled": 0, "deferred": 0}'::jsonb,
  'a live order is left alone');
select results_eq(
  $$select status, retry_count from walltrack.orders where position_id = pg_temp.pos('V')$$,
  $$values ('pending'::text, 0)$$,
  'the live order is untouched');

-- S5: with no slippage, the fill is the observed price.
update walltrack.config set simulation_slippage_percent = 0;
do $$
begin
  perform pg_temp.open_position('S5', 'S5', 1.00, 1000);
  perform pg_temp.tick('S5', 1.30);
  perform walltrack.close_position_manually(pg_temp.pos('S5'));
end
$$;
select is(
  walltrack.fill_simulated_orders(array(select id from walltrack.orders
                                        where position_id = pg_temp.pos('S5') and order_type <> 'entry')),
  '{"filled": 1, "cancelled": 0, "deferred": 0}'::jsonb,
  'S5: filled');
select results_eq(
  $$select o.price_usd, o.amount_out, p.realized_pnl_usd
    from walltrack.orders o join walltrack.positions p on p.id = o.position_id
    where o.position_id = pg_temp.pos('S5') and o.order_type <> 'entry'$$,
  $$values (1.30::numeric, 6.5::numeric, 300::numeric)$$,
  'S5: 0 % slippage fills at 1.30: 1,000 x 1.30 / 200 = 6.5 SOL, realized 300');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
