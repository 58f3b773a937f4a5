-- An executed entry order sets its position's entry (walltrack.apply_entry_fill): price, amount
-- (current amount too), cost basis, time, live signature, the first price, and copy quality
-- against the leader; a pending or submitted entry sets nothing, and a fill counts once.
--   A  simulation, leader at 0.50 (block 10 s ago), entry inserted executed at 0.505 for
--      990.099010 tokens: cost 990.099010 x 0.505 = 500.00000005, slippage vs the leader
--      (0.505 - 0.50) / 0.50 = 1.0000 %, fill delay 10 s, first price 0.505
--   L  live, leader at 0.50 for 400, priced 0.52 by the monitor while its entry waits; the entry
--      goes pending -> submitted -> executed at 0.50 for 400, 5 s after now: cost 200, fill delay
--      15 s, signature kept, the monitor's price kept: unrealized 400 x (0.52 - 0.50) = 8
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

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

-- A: the position opened without entry, the way walltrack.process_signals opens it.
do $$
begin
  perform pg_temp.wallet('A');
  perform pg_temp.token('A');
  perform pg_temp.signal('A', 'A', 0.50, 1000);
  insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, leader_price_usd)
  select w.id, t.id, s.id, 'simulation', w.exit_strategy_id, 0.50
  from walltrack.wallets w, walltrack.tokens t, walltrack.signals s
  where w.address = pg_temp.addr('WaA') and t.address = pg_temp.addr('TkA')
    and s.transaction_signature = pg_temp.sig('BuyAA');
end
$$;

select results_eq(
  $$select entry_price, entry_amount, entry_value_usd, entry_timestamp, current_amount, current_price, status
    from walltrack.positions where id = pg_temp.pos('A')$$,
  $$values (null::numeric, null::numeric, null::numeric, null::timestamptz, 0::numeric, null::numeric, 'open'::text)$$,
  'before its entry fills, the position holds nothing');

insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                              amount_in, status, submitted_at, executed_at, amount_out, price_usd, value_usd)
select p.wallet_id, p.token_id, p.id, p.signal_id, 'entry', 'simulation', 'So11111111111111111111111111111111111111112',
       pg_temp.addr('TkA'), 2.5, 'executed', now(), now(), 990.099010, 0.505, 500.00000005
from walltrack.positions p where p.id = pg_temp.pos('A');

select results_eq(
  $$select entry_price, entry_amount, current_amount, entry_value_usd, entry_timestamp, entry_tx_signature::text,
           current_price, price_updated_at, peak_price, unrealized_pnl_usd
    from walltrack.positions where id = pg_temp.pos('A')$$,
  $$values (0.505::numeric, 990.099010::numeric, 990.099010::numeric, 500.00000005::numeric, now(), null::text,
            0.505::numeric, now(), 0.505::numeric, 0::numeric)$$,
  'an entry inserted executed: entry 0.505 x 990.099010 = 500.00000005 now, first price 0.505, no PnL yet');
select results_eq(
  $$select fill_delay_seconds, slippage_vs_leader_percent from walltrack.positions where id = pg_temp.pos('A')$$,
  $$values (10.000::numeric, 1.0000::numeric)$$,
  'copy quality: filled 10 s after the leader''s block, 1.0000 % above the leader''s 0.50');

-- A fill counts once: after an exit, writing the executed entry again does not reset the amounts.
do $$ begin perform pg_temp.exit_order(pg_temp.pos('A'), 'exit_mirror', 500, 'executed', 0.55); end $$;
update walltrack.orders set status = 'executed' where position_id = pg_temp.pos('A') and order_type = 'entry';
select results_eq(
  $$select entry_amount, current_amount, exit_amount from walltrack.positions where id = pg_temp.pos('A')$$,
  $$values (990.099010::numeric, 490.099010::numeric, 500::numeric)$$,
  'the entry fill counts once: 990.099010 bought, 500 sold, 490.099010 left');

-- L: live, its entry waits for the executor.
do $$
begin
  perform pg_temp.open_pending('L', 'L', 0.50, 400, wallet_mode => 'live');
  perform pg_temp.tick('L', 0.52);
end
$$;
select results_eq(
  $$select entry_amount, current_amount, current_price, unrealized_pnl_usd, peak_price from walltrack.positions
    where id = pg_temp.pos('L')$$,
  $$values (null::numeric, 0::numeric, 0.52::numeric, 0::numeric, null::numeric)$$,
  'priced while its entry is pending: the price is kept, no PnL, no peak');

update walltrack.orders set status = 'submitted', submitted_at = now(), tx_signature = pg_temp.sig('EntryL')
where position_id = pg_temp.pos('L') and order_type = 'entry';
select is((select entry_amount from walltrack.positions where id = pg_temp.pos('L')), null,
  'a submitted entry sets nothing yet');

update walltrack.orders
set status = 'executed', executed_at = now() + interval '5 seconds', amount_out = 400, price_usd = 0.50, value_usd = 200
where position_id = pg_temp.pos('L') and order_type = 'entry';
select results_eq(
  $$select entry_price, entry_amount, current_amount, entry_value_usd, entry_timestamp, entry_tx_signature::text
    from walltrack.positions where id = pg_temp.pos('L')$$,
  $$values (0.50::numeric, 400::numeric, 400::numeric, 200::numeric, now() + interval '5 seconds', pg_temp.sig('EntryL'))$$,
  'executed by transition: entry 0.50 x 400 = 200 at the fill time, with the live transaction''s signature');
select results_eq(
  $$select current_price, price_updated_at, unrealized_pnl_usd, peak_price from walltrack.positions
    where id = pg_temp.pos('L')$$,
  $$values (0.52::numeric, now(), 8::numeric, 0.52::numeric)$$,
  'the monitor''s price stays the current price: unrealized 400 x (0.52 - 0.50) = 8');
select results_eq(
  $$select fill_delay_seconds, slippage_vs_leader_percent from walltrack.positions where id = pg_temp.pos('L')$$,
  $$values (15.000::numeric, 0.0000::numeric)$$,
  'copy quality: filled 15 s after the leader''s block, at the leader''s price');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
