-- A live order: walltrack.record_order_submission records the swap about to be sent (pending ->
-- submitted, or a re-submission after an expired blockhash), walltrack.record_order_fill the
-- confirmed one (submitted -> executed) with its actual amounts, valued in USD through
-- config.sol_usd_price (SOL is one side of every swap): price = SOL amount x SOL/USD / token
-- amount. The accounting triggers then update the position.
-- A submission is recorded only while the caller still holds the claim: its `lease` must be the
-- order's claimed_until (the token walltrack.claim_orders handed over) and its
-- `replaces_signature` the signature the order carries (null for a first send, the expired one for
-- a re-submission); otherwise nothing changes and it returns false. Recorded, it returns true and
-- extends the lease to now() + 5 minutes for the confirmation.
-- SOL at 150 USD; live wallet L, leader at 0.50:
--   entry  2 SOL for 600 tokens (625 expected): 2 x 150 / 600 = 0.50, 300 USD, slippage
--          (625 - 600) / 625 = 4.0000 %; the position's entry 0.50 x 600 with the signature
--   exit   manual, 600 tokens for 2.4 SOL: 2.4 x 150 / 600 = 0.60, 360 USD, realized 600 x 0.10 = 60
begin;
create extension if not exists pgtap with schema extensions;
select plan(20);

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

-- The executor records a submission of the order under lease `lease`, replacing signature
-- `replaces` (null: a first send), with the swap's details; returns whether it was recorded.
create function pg_temp.submit(order_id uuid, lease text, replaces text, swap jsonb) returns boolean
language sql as $$
  select walltrack.record_order_submission(order_id,
    swap || jsonb_build_object('lease', lease, 'replaces_signature', replaces))
$$;

-- The order's submission state: status, signature, quote, fee, last valid block height, lease.
create function pg_temp.submission(order_id uuid)
returns table (status text, tx_signature text, jupiter_quote_id text, priority_fee_lamports bigint,
               last_valid_block_height bigint, claimed_until timestamptz)
language sql stable as $$
  select o.status, o.tx_signature::text, o.jupiter_quote_id, o.priority_fee_lamports, o.last_valid_block_height,
         o.claimed_until
  from walltrack.orders o where o.id = order_id
$$;

update walltrack.config set sol_usd_price = null;
do $$ begin perform pg_temp.open_pending('L', 'L', 0.50, 625, wallet_mode => 'live'); end $$;
create temp table entry as select id from walltrack.orders where position_id = pg_temp.pos('L') and order_type = 'entry';

-- The executor claims the entry: the claim's lease (now() + 5 minutes) is its token.
create temp table entry_claim as
select c.value ->> 'lease' as lease from jsonb_array_elements(walltrack.claim_orders()) c
where (c.value ->> 'id')::uuid = (select id from entry);

select is(
  pg_temp.submit((select id from entry), (now() + interval '2 minutes')::text, null, jsonb_build_object(
    'tx_signature', pg_temp.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'a submission under a lease that is not the order''s is refused: false');
select is(
  pg_temp.submit((select id from entry), (select lease from entry_claim), pg_temp.sig('EntryNever'), jsonb_build_object(
    'tx_signature', pg_temp.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'a submission replacing a signature the order does not carry is refused: false');
select results_eq(
  $$select * from pg_temp.submission((select id from entry))$$,
  $$values ('pending'::text, null::text, null::text, null::bigint, null::bigint, now() + interval '5 minutes')$$,
  'both refused: the order is untouched (pending, no signature, still under the claim''s lease)');

select is(
  pg_temp.submit((select id from entry), (select lease from entry_claim), null, jsonb_build_object(
    'tx_signature', pg_temp.sig('EntryFirst'), 'quote_id', 'quote-1', 'route', '[{"percent": 100}]'::jsonb,
    'priority_fee_lamports', 10000, 'last_valid_block_height', 300000150, 'amount_in', 2)),
  true, 'the sent entry swap is recorded under the claim''s lease, replacing no signature: true');
select results_eq(
  $$select status, submitted_at, tx_signature::text, jupiter_quote_id, jupiter_route, priority_fee_lamports,
           last_valid_block_height, amount_in, amount_out_expected, claimed_until
    from walltrack.orders where id = (select id from entry)$$,
  $$values ('submitted'::text, now(), pg_temp.sig('EntryFirst'), 'quote-1'::text, '[{"percent": 100}]'::jsonb, 10000::bigint,
            300000150::bigint, 2::numeric, 625::numeric, now() + interval '5 minutes')$$,
  'submitted with its signature, quote, route, priority fee, last valid block height and amount; leased 5 minutes more');

-- The blockhash expired without the swap landing; the lease ran out and the next run claims the
-- order again, for 3 minutes: a new token.
update walltrack.orders set claimed_until = now() - interval '1 second' where id = (select id from entry);
create temp table entry_reclaim as
select c.value ->> 'lease' as lease, c.value ->> 'tx_signature' as tx_signature
from jsonb_array_elements(walltrack.claim_orders(20, '3 minutes')) c
where (c.value ->> 'id')::uuid = (select id from entry);

select is(
  pg_temp.submit((select id from entry), (select lease from entry_claim), pg_temp.sig('EntryFirst'), jsonb_build_object(
    'tx_signature', pg_temp.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'the first claim''s lease no longer holds: its re-submission is refused');
select is(
  pg_temp.submit((select id from entry), (select lease from entry_reclaim), null, jsonb_build_object(
    'tx_signature', pg_temp.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'a re-submission that does not name the expired signature (as if none had been sent) is refused');
select results_eq(
  $$select * from pg_temp.submission((select id from entry))$$,
  $$values ('submitted'::text, pg_temp.sig('EntryFirst'), 'quote-1'::text, 10000::bigint, 300000150::bigint,
            now() + interval '3 minutes')$$,
  'both refused: still the first signature, quote and fee, under the second claim''s lease');

select is(
  pg_temp.submit((select id from entry), (select lease from entry_reclaim), (select tx_signature from entry_reclaim),
    jsonb_build_object('tx_signature', pg_temp.sig('EntryAgain'), 'quote_id', 'quote-2', 'route', '[]'::jsonb,
                       'priority_fee_lamports', 20000, 'last_valid_block_height', 300000300)),
  true, 'the re-sent swap, under the current lease and replacing the expired signature, is recorded');
select results_eq(
  $$select status, tx_signature::text, jupiter_quote_id, priority_fee_lamports, last_valid_block_height, amount_in,
           claimed_until
    from walltrack.orders where id = (select id from entry)$$,
  $$values ('submitted'::text, pg_temp.sig('EntryAgain'), 'quote-2'::text, 20000::bigint, 300000300::bigint, 2::numeric,
            now() + interval '5 minutes')$$,
  'still submitted, now with the new signature, quote and fee (the amount kept), leased 5 minutes');

select throws_ok(
  format($$select walltrack.record_order_fill(%L, '{"amount_in": 2, "amount_out": 600}')$$, (select id from entry)),
  'P0002',
  format('no SOL/USD price recorded: cannot value the fill of order %s', (select id from entry)),
  'without a SOL/USD price a fill cannot be valued and is refused');

update walltrack.config set sol_usd_price = 150;
select lives_ok(
  format($$select walltrack.record_order_fill(%L, '{"amount_in": 2, "amount_out": 600, "block_number": 300000123}')$$,
         (select id from entry)),
  'the confirmed entry is recorded');
select results_eq(
  $$select status, executed_at >= now(), claimed_until, tx_signature::text, block_number, amount_in, amount_out,
           price_usd, value_usd, slippage_actual_percent
    from walltrack.orders where id = (select id from entry)$$,
  $$values ('executed'::text, true, null::timestamptz, pg_temp.sig('EntryAgain'), 300000123::bigint, 2::numeric,
            600::numeric, 0.5::numeric, 300::numeric, 4.0000::numeric)$$,
  'executed: 2 SOL x 150 / 600 tokens = 0.50 USD each, 300 USD, 4 % fewer tokens than the 625 expected');
select results_eq(
  $$select entry_price, entry_amount, current_amount, entry_value_usd, entry_tx_signature::text
    from walltrack.positions where id = pg_temp.pos('L')$$,
  $$values (0.5::numeric, 600::numeric, 600::numeric, 300::numeric, pg_temp.sig('EntryAgain'))$$,
  'the fill is the position''s entry, with its transaction');

create temp table manual as select walltrack.close_position_manually(pg_temp.pos('L')) as id;
create temp table manual_claim as
select c.value ->> 'lease' as lease from jsonb_array_elements(walltrack.claim_orders()) c
where (c.value ->> 'id')::uuid = (select id from manual);
select is(
  pg_temp.submit((select id from manual), (select lease from manual_claim), null,
                 jsonb_build_object('tx_signature', pg_temp.sig('ExitL'), 'amount_out_expected', 2.45)),
  true, 'the sent exit swap is recorded');
select lives_ok(
  format($$select walltrack.record_order_fill(%L, '{"amount_in": 600, "amount_out": 2.4, "block_number": 300000456}')$$,
         (select id from manual)),
  'the confirmed exit is recorded');
select results_eq(
  $$select status, amount_in, amount_out, price_usd, value_usd, slippage_actual_percent
    from walltrack.orders where id = (select id from manual)$$,
  $$values ('executed'::text, 600::numeric, 2.4::numeric, 0.6::numeric, 360.0::numeric, 2.0408::numeric)$$,
  'executed: 2.4 SOL x 150 / 600 tokens = 0.60 USD each, 360 USD, (2.45 - 2.4) / 2.45 = 2.0408 % short');
select results_eq(
  $$select status, exit_reason, current_amount, exit_price, realized_pnl_usd from walltrack.positions
    where id = pg_temp.pos('L')$$,
  $$values ('closed'::text, 'manual'::text, 0::numeric, 0.6::numeric, 60::numeric)$$,
  'the position closes manual: realized 600 x (0.60 - 0.50) = 60');

select throws_ok(
  format($$select walltrack.record_order_fill(%L, '{"amount_in": 600, "amount_out": 2.5}')$$, (select id from manual)),
  '23000',
  format('order %s is executed: a finished order does not change', (select id from manual)),
  'a second fill of the same order is refused');

select is_empty($$select * from pg_temp.broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
