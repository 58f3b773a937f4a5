-- walltrack.close_position_manually creates one exit_manual order for what the position holds
-- that no exit already in flight will sell (current amount - the pending or submitted exits); the
-- position closes with exit_reason manual when it fills. It refuses (check_violation) a position
-- with nothing more to sell: closed, its entry not filled yet, or everything already on its way
-- out (a second manual exit while the first is in flight); and an unknown id. Default strategy:
--   M  entry 1.00 x 1,000, priced 1.20: manual exit of 1,000 (worth 1,200), filled at 1.20: +200
--   N  entry 1.00 x 1,000, level 1 sold 500 at 2.00 (+500), priced 1.80 (above its trailing stop
--      2.00 x 0.85 = 1.70): manual exit of the 500 left, filled at 1.80: +400; realized 900
--   Q  entry 1.00 x 1,000, at 2.00 level 1 (500) is in flight: the manual exit sells the other 500
--      (worth 1,000); then everything is on its way out and a further one is refused
begin;
create extension if not exists pgtap with schema extensions;
select plan(19);

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

do $$
begin
  perform pg_temp.open_position('M', 'M', 1.00, 1000);
  perform pg_temp.open_position('N', 'N', 1.00, 1000);
  perform pg_temp.open_pending('P', 'P', 1.00, 1000);
  perform pg_temp.open_position('Q', 'Q', 1.00, 1000);
  perform pg_temp.tick('M', 1.20);
end
$$;

create temp table manual as select walltrack.close_position_manually(pg_temp.pos('M')) as order_id;

select isnt((select order_id from manual), null, 'close_position_manually returns the id of its order');
select results_eq(
  $$select o.position_id, o.order_type, o.mode, o.token_in::text, o.token_out::text, o.amount_in, o.value_usd, o.status,
           o.slippage_requested_percent, o.max_retries
    from walltrack.orders o where o.id = (select order_id from manual)$$,
  format($$values (%L::uuid, 'exit_manual'::text, 'simulation'::text, %L::text,
                   'So11111111111111111111111111111111111111112'::text, 1000::numeric, 1200.00::numeric,
                   'pending'::text, 3.00::numeric, 3)$$,
         pg_temp.pos('M'), pg_temp.addr('TkM')),
  'one pending exit_manual of all 1,000 tokens, worth 1,000 x 1.20, with the config''s slippage and retries');

select throws_ok(
  format('select walltrack.close_position_manually(%L)', pg_temp.pos('M')),
  '23514',
  format('position %s holds nothing more to sell (status open, amount 1000, 1000 already on its way out)', pg_temp.pos('M')),
  'a second manual exit while the first is in flight is refused: the first already sells everything');
select is((select count(*)::integer from walltrack.orders where position_id = pg_temp.pos('M') and order_type = 'exit_manual'),
  1, 'and no second order exists');
select is(pg_temp.tick('M', 0.70) ->> 'exit_orders_created', '0',
  'the manual exit in flight also holds back the stop loss (0.70 <= 0.80)');

select is(pg_temp.fill(pg_temp.pos('M'), 1.20), 1, 'the manual exit fills at 1.20');
select results_eq(
  $$select status, exit_reason, closed_at is not null, current_amount, realized_pnl_usd from walltrack.positions
    where id = pg_temp.pos('M')$$,
  $$values ('closed'::text, 'manual'::text, true, 0::numeric, 200.00::numeric)$$,
  'M closed manual: realized 1,000 x (1.20 - 1.00) = 200.00');
select throws_ok(
  format('select walltrack.close_position_manually(%L)', pg_temp.pos('M')),
  '23514',
  format('position %s holds nothing more to sell (status closed, amount 0, 0 already on its way out)', pg_temp.pos('M')),
  'a closed position holds nothing to sell');

select throws_ok(
  format('select walltrack.close_position_manually(%L)', pg_temp.pos('P')),
  '23514',
  format('position %s holds nothing more to sell (status open, amount 0, 0 already on its way out)', pg_temp.pos('P')),
  'a position whose entry has not filled holds nothing to sell');
select throws_ok(
  $$select walltrack.close_position_manually('c0ffee00-0000-4000-8000-00000000dead')$$,
  'P0002',
  'no position c0ffee00-0000-4000-8000-00000000dead',
  'an unknown position is refused');

select is(pg_temp.tick('N', 2.00) ->> 'exit_orders_created', '1', 'N at 2.00: level 1');
select is(pg_temp.fill(pg_temp.pos('N'), 2.00) + pg_temp.walk('N', array[1.80]), 1,
  'level 1 fills at 2.00; 1.80 triggers nothing');
do $$ begin perform walltrack.close_position_manually(pg_temp.pos('N')); end $$;
select results_eq(
  $$select * from pg_temp.exits(pg_temp.pos('N'))$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 'executed'::text),
           ('exit_manual', null::smallint, 500::numeric, 'pending')$$,
  'N''s manual exit sells the 500 it still holds');
select is(pg_temp.fill(pg_temp.pos('N'), 1.80), 1, 'the manual exit fills at 1.80');
select results_eq(
  $$select status, exit_reason, realized_pnl_usd from walltrack.positions where id = pg_temp.pos('N')$$,
  $$values ('closed'::text, 'manual'::text, 900.00::numeric)$$,
  'N closed manual: realized 500 + 500 x 0.80 = 900.00');

select is(pg_temp.tick('Q', 2.00) ->> 'exit_orders_created', '1', 'Q at 2.00: level 1 (500) on its way out');
do $$ begin perform walltrack.close_position_manually(pg_temp.pos('Q')); end $$;
select results_eq(
  $$select o.order_type, o.scaling_level, o.amount_in, o.value_usd, o.status from walltrack.orders o
    where o.position_id = pg_temp.pos('Q') and o.order_type <> 'entry' order by o.scaling_level nulls last$$,
  $$values ('exit_scaling'::text, 1::smallint, 500::numeric, 1000.00::numeric, 'pending'::text),
           ('exit_manual', null, 500, 1000.00, 'pending')$$,
  'Q''s manual exit sells only the 500 the level in flight will not (worth 500 x 2.00), not all 1,000');
select throws_ok(
  format('select walltrack.close_position_manually(%L)', pg_temp.pos('Q')),
  '23514',
  format('position %s holds nothing more to sell (status open, amount 1000, 1000 already on its way out)', pg_temp.pos('Q')),
  'with the level and the manual exit in flight, nothing more is left to sell');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
