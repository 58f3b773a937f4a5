-- walltrack.claim_orders hands the executor the orders that are due (pending or submitted, their
-- retry time passed or none) and not leased, oldest retry first, at most batch_limit, and leases
-- them (claimed_until = now() + lease, 5 minutes by default) so no other executor takes them
-- meanwhile; each claim carries its lease, the token the executor shows when it records a
-- submission. An exit's amount is capped at what its position still holds. The mint's decimals are
-- never guessed: the token's, else the order's signal's, else the position's entry signal's, else
-- null (a live order is then refused by the executor). Orders of this test (requested 10 to 60 s
-- ago, in this order):
--   due1     pending, never tried                                  -> claimed
--   due2     pending, its retry time (1 s ago) passed              -> claimed
--   later    pending, its retry in a minute                        -> not due
--   leased   pending, under another executor's lease for a minute  -> skipped
--   expired  submitted, a lease that ran out 1 s ago               -> claimed
--   capped   pending stop loss of 1,000 on a position holding 300  -> claimed for 300
--   entry    pending live entry of 2.5 SOL                         -> claimed, not capped
--   done     executed                                              -> never claimed
-- Then three exits on mints whose token row knows no decimals:
--   Sig   an exit_mirror whose SELL signal reported 7 decimals (the entry's signal: none) -> 7
--   Ent   an exit_stop_loss, the position's entry signal reported 8                     -> 8
--   Non   an exit_stop_loss, no source knows them                                       -> null
begin;
create extension if not exists pgtap with schema extensions;
select plan(15);

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

-- Orders already in the database (the seed's pending exits) are leased away for the hour: only
-- this test's orders can be due.
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
update walltrack.config set sol_usd_price = 200, live_trading_enabled = false, priority_fee_lamports = 10000;

do $$
begin
  perform pg_temp.open_position('A', 'A', 1.00, 1000);
  perform pg_temp.open_position('C', 'C', 1.00, 1000);
  perform pg_temp.exit_order(pg_temp.pos('C'), 'exit_mirror', 700, 'executed', 1.10);
  perform pg_temp.open_pending('E', 'E', 0.50, 1000, wallet_mode => 'live');
end
$$;

create temp table mine (tag text primary key, id uuid not null);
insert into mine
select tag, pg_temp.exit_order(pg_temp.pos(pos_tag), kind, qty, state, at_price, lvl::smallint)
from (values ('due1', 'A', 'exit_scaling', 100, 'pending', null, 1),
             ('due2', 'A', 'exit_scaling', 100, 'pending', null, 2),
             ('later', 'A', 'exit_scaling', 100, 'pending', null, 3),
             ('leased', 'A', 'exit_scaling', 100, 'pending', null, 4),
             ('expired', 'A', 'exit_scaling', 100, 'submitted', null, 5),
             ('done', 'A', 'exit_scaling', 100, 'executed', 1.10, 6),
             ('capped', 'C', 'exit_stop_loss', 1000, 'pending', null, null))
  as v(tag, pos_tag, kind, qty, state, at_price, lvl);
insert into mine select 'entry', id from walltrack.orders where position_id = pg_temp.pos('E') and order_type = 'entry';

update walltrack.orders o
set requested_at = now() - v.ago::interval, next_retry_at = now() + v.retry::interval,
    claimed_until = now() + v.lease::interval
from (values ('due1', '60 seconds', null, null), ('due2', '50 seconds', '-1 second', null),
             ('later', '40 seconds', '1 minute', null), ('leased', '35 seconds', null, '1 minute'),
             ('expired', '30 seconds', null, '-1 second'), ('capped', '20 seconds', null, null),
             ('entry', '10 seconds', null, null))
  as v(tag, ago, retry, lease)
join mine m on m.tag = v.tag
where o.id = m.id;

create temp table first_claim as select walltrack.claim_orders() as claims;
create temp table claimed as
select m.tag, c.value as claim
from first_claim f cross join jsonb_array_elements(f.claims) c join mine m on m.id = (c.value ->> 'id')::uuid;

select is((select jsonb_array_length(claims) from first_claim), 5, 'the claim returns five orders (nothing else is due)');
select is(array(select tag from claimed order by tag), array['capped', 'due1', 'due2', 'entry', 'expired'],
  'due, retry passed, lease expired, capped exit, entry: claimed; not due, leased, executed: not');
select is(
  array(select m.tag from mine m join walltrack.orders o on o.id = m.id
        where o.claimed_until = now() + interval '5 minutes' order by m.tag),
  array['capped', 'due1', 'due2', 'entry', 'expired'],
  'the claimed orders are leased for the default 5 minutes');
select results_eq(
  $$select m.tag, o.claimed_until, o.status from mine m join walltrack.orders o on o.id = m.id
    where m.tag in ('later', 'leased', 'done') order by m.tag$$,
  $$values ('done'::text, null::timestamptz, 'executed'::text), ('later', null, 'pending'),
           ('leased', now() + interval '1 minute', 'pending')$$,
  'the others are untouched: status, and the other executor''s lease');
select is((select claim ->> 'amount_in' from claimed where tag = 'capped'), '300',
  'the stop loss of 1,000 is handed over for the 300 its position still holds');
select is((select amount_in from walltrack.orders where id = (select id from mine where tag = 'capped')), 1000::numeric,
  'the order itself keeps its amount');
select is((select claim ->> 'amount_in' from claimed where tag = 'entry'), '2.5',
  'an entry''s SOL amount (1,000 x 0.50 / 200 = 2.5) is not capped');
select is(
  (select claim - 'id' from claimed where tag = 'entry'),
  jsonb_build_object(
    'order_type', 'entry', 'mode', 'live', 'token_in', 'So11111111111111111111111111111111111111112',
    'token_out', pg_temp.addr('TkE'), 'amount_in', '2.5', 'amount_out_expected', '1000', 'token_decimals', 6,
    'lease', to_jsonb(now() + interval '5 minutes'), 'slippage_bps', 300, 'retry_count', 0, 'max_retries', 3,
    'tx_signature', null, 'last_valid_block_height', null,
    'wallet_mode', 'live', 'live_trading_enabled', false, 'priority_fee_lamports', 10000, 'sol_usd_price', '200'),
  'each claim carries what the executor needs: type, mode, mints, amounts, decimals, its lease, slippage in bps,'
  || ' retries, switches, SOL/USD; amounts and SOL/USD as exact decimal strings');
select is(
  (select count(*)::integer from claimed c join walltrack.orders o on o.id = (c.claim ->> 'id')::uuid
   where (c.claim ->> 'lease')::timestamptz = o.claimed_until),
  5, 'each claim''s lease is its order''s claimed_until');

select is(walltrack.claim_orders(), '[]'::jsonb, 'claimed again at once: nothing, every due order is leased');

-- The leases run out: the oldest due first, at most batch_limit, for the lease asked.
update walltrack.orders set claimed_until = now() - interval '1 second'
where id in (select id from mine where tag in ('due1', 'due2', 'expired', 'capped', 'entry'));
create temp table second_claim as select walltrack.claim_orders(2, '30 seconds') as claims;
select is(
  array(select m.tag from second_claim s cross join jsonb_array_elements(s.claims) c
        join mine m on m.id = (c.value ->> 'id')::uuid order by m.tag),
  array['due1', 'expired'],
  'batch_limit 2: the two oldest with no retry time (due1 at -60 s, expired at -30 s)');
select is(
  (select claimed_until from walltrack.orders where id = (select id from mine where tag = 'due1')),
  now() + interval '30 seconds',
  'leased for the 30 seconds asked');
select is(
  array(select m.tag from jsonb_array_elements(walltrack.claim_orders(10)) c join mine m on m.id = (c.value ->> 'id')::uuid
        order by m.tag),
  array['capped', 'due2', 'entry'],
  'the rest on the next claim');

-- Decimals: three positions on mints whose token row has none (the rest of the queue leased away).
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
insert into walltrack.tokens (address, symbol)
values (pg_temp.addr('TkSig'), 'Sig'), (pg_temp.addr('TkEnt'), 'Ent'), (pg_temp.addr('TkNon'), 'Non');
do $$
begin
  perform pg_temp.open_position('Sig', 'Sig', 1.00, 1000);
  perform pg_temp.open_position('Ent', 'Ent', 1.00, 1000);
  perform pg_temp.open_position('Non', 'Non', 1.00, 1000);
end
$$;
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, token_decimals, leader_block_time, raw_payload)
select p.wallet_id, pg_temp.addr('TkEnt'), pg_temp.sig('BuyEnt8'), 'BUY',
       'So11111111111111111111111111111111111111112', pg_temp.addr('TkEnt'), 5, 1000, 1.00, 8,
       now() - interval '20 seconds', '{}'
from walltrack.positions p where p.id = pg_temp.pos('Ent');
update walltrack.positions
set signal_id = (select id from walltrack.signals where transaction_signature = pg_temp.sig('BuyEnt8'))
where id = pg_temp.pos('Ent');
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, token_decimals, leader_block_time, raw_payload)
select p.wallet_id, pg_temp.addr('TkSig'), pg_temp.sig('SellSig'), 'SELL', pg_temp.addr('TkSig'),
       'So11111111111111111111111111111111111111112', 1000, 5, 1.00, 7, now() - interval '5 seconds', '{}'
from walltrack.positions p where p.id = pg_temp.pos('Sig');
insert into mine
select tag, pg_temp.exit_order(pg_temp.pos(tag), kind, 1000)
from (values ('Sig', 'exit_mirror'), ('Ent', 'exit_stop_loss'), ('Non', 'exit_stop_loss')) as v(tag, kind);
update walltrack.orders
set signal_id = (select id from walltrack.signals where transaction_signature = pg_temp.sig('SellSig'))
where id = (select id from mine where tag = 'Sig');
select results_eq(
  $$select m.tag, c.value -> 'token_decimals' from jsonb_array_elements(walltrack.claim_orders()) c
    join mine m on m.id = (c.value ->> 'id')::uuid order by m.tag$$,
  $$values ('Ent'::text, '8'::jsonb), ('Non', 'null'), ('Sig', '7')$$,
  'decimals unknown to the token: the order''s signal''s (7), else the entry signal''s (8), else null, never guessed');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
