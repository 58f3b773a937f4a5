-- walltrack.claim_orders hands the executor the orders that are due (pending or submitted, their
-- retry time passed or none) and not leased, oldest retry first, at most batch_limit, and leases
-- them (claimed_until = now() + lease, walltrack.order_lease() by default) so no other executor takes them
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

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

-- Orders already in the database (the seed's pending exits) are leased away for the hour: only
-- this test's orders can be due.
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
update walltrack.config set sol_usd_price = 200, live_trading_enabled = false, priority_fee_lamports = 10000;

do $$
begin
  perform tests.lifecycle_open_position('A', 'A', 1.00, 1000);
  perform tests.lifecycle_open_position('C', 'C', 1.00, 1000);
  perform tests.lifecycle_exit_order(tests.lifecycle_pos('C'), 'exit_mirror', 700, 'executed', 1.10);
  perform tests.lifecycle_open_pending('E', 'E', 0.50, 1000, wallet_mode => 'live');
end
$$;

create temp table mine (tag text primary key, id uuid not null);
insert into mine
select tag, tests.lifecycle_exit_order(tests.lifecycle_pos(pos_tag), kind, qty, state, at_price, lvl::smallint)
from (values ('due1', 'A', 'exit_scaling', 100, 'pending', null, 1),
             ('due2', 'A', 'exit_scaling', 100, 'pending', null, 2),
             ('later', 'A', 'exit_scaling', 100, 'pending', null, 3),
             ('leased', 'A', 'exit_scaling', 100, 'pending', null, 4),
             ('expired', 'A', 'exit_scaling', 100, 'submitted', null, 5),
             ('done', 'A', 'exit_scaling', 100, 'executed', 1.10, 6),
             ('capped', 'C', 'exit_stop_loss', 1000, 'pending', null, null))
  as v(tag, pos_tag, kind, qty, state, at_price, lvl);
insert into mine select 'entry', id from walltrack.orders where position_id = tests.lifecycle_pos('E') and order_type = 'entry';

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
        where o.claimed_until = now() + walltrack.order_lease() order by m.tag),
  array['capped', 'due1', 'due2', 'entry', 'expired'],
  'the claimed orders are leased for the executor''s lease (walltrack.order_lease())');
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
    'token_out', tests.addr('TkE'), 'amount_in', '2.5', 'amount_out_expected', '1000', 'token_decimals', 6,
    'lease', to_jsonb(now() + walltrack.order_lease()), 'slippage_bps', 300, 'retry_count', 0, 'max_retries', 3,
    'tx_signature', null, 'last_valid_block_height', null, 'swap_in_doubt', false,
    'wallet_mode', 'live', 'live_trading_enabled', false, 'priority_fee_lamports', 10000, 'sol_usd_price', '200'),
  'each claim carries what the executor needs: type, mode, mints, amounts, decimals, its lease, slippage in bps,'
  || ' retries, whether a sent swap is in doubt, switches, SOL/USD; amounts and SOL/USD as exact decimal strings');
select is(
  (select count(*)::integer from claimed c join walltrack.orders o on o.id = (c.claim ->> 'id')::uuid
   where (c.claim ->> 'lease')::timestamptz = o.claimed_until),
  5, 'each claim''s lease is its order''s claimed_until');

select is(walltrack.claim_orders(), '[]'::jsonb, 'claimed again at once: nothing, every due order is leased');

-- The leases run out: the live entry first (walltrack.claim_priority), then the oldest due, at
-- most batch_limit, for the lease asked.
update walltrack.orders set claimed_until = now() - interval '1 second'
where id in (select id from mine where tag in ('due1', 'due2', 'expired', 'capped', 'entry'));
create temp table second_claim as select walltrack.claim_orders(2, '30 seconds') as claims;
select is(
  array(select m.tag from second_claim s cross join jsonb_array_elements(s.claims) c
        join mine m on m.id = (c.value ->> 'id')::uuid order by m.tag),
  array['due1', 'entry'],
  'batch_limit 2: the live entry first, then the oldest with no retry time (due1 at -60 s)');
select is(
  (select claimed_until from walltrack.orders where id = (select id from mine where tag = 'due1')),
  now() + interval '30 seconds',
  'leased for the 30 seconds asked');
select is(
  array(select m.tag from jsonb_array_elements(walltrack.claim_orders(10)) c join mine m on m.id = (c.value ->> 'id')::uuid
        order by m.tag),
  array['capped', 'due2', 'expired'],
  'the rest on the next claim');

-- Decimals: three positions on mints whose token row has none (the rest of the queue leased away).
update walltrack.orders set claimed_until = now() + interval '1 hour' where status in ('pending', 'submitted');
insert into walltrack.tokens (address, symbol)
values (tests.addr('TkSig'), 'Sig'), (tests.addr('TkEnt'), 'Ent'), (tests.addr('TkNon'), 'Non');
do $$
begin
  perform tests.lifecycle_open_position('Sig', 'Sig', 1.00, 1000);
  perform tests.lifecycle_open_position('Ent', 'Ent', 1.00, 1000);
  perform tests.lifecycle_open_position('Non', 'Non', 1.00, 1000);
end
$$;
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, token_decimals, leader_block_time, raw_payload)
select p.wallet_id, tests.addr('TkEnt'), tests.sig('BuyEnt8'), 'BUY',
       'So11111111111111111111111111111111111111112', tests.addr('TkEnt'), 5, 1000, 1.00, 8,
       now() - interval '20 seconds', '{}'
from walltrack.positions p where p.id = tests.lifecycle_pos('Ent');
update walltrack.positions
set signal_id = (select id from walltrack.signals where transaction_signature = tests.sig('BuyEnt8'))
where id = tests.lifecycle_pos('Ent');
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, token_decimals, leader_block_time, raw_payload)
select p.wallet_id, tests.addr('TkSig'), tests.sig('SellSig'), 'SELL', tests.addr('TkSig'),
       'So11111111111111111111111111111111111111112', 1000, 5, 1.00, 7, now() - interval '5 seconds', '{}'
from walltrack.positions p where p.id = tests.lifecycle_pos('Sig');
insert into mine
select tag, tests.lifecycle_exit_order(tests.lifecycle_pos(tag), kind, 1000)
from (values ('Sig', 'exit_mirror'), ('Ent', 'exit_stop_loss'), ('Non', 'exit_stop_loss')) as v(tag, kind);
update walltrack.orders
set signal_id = (select id from walltrack.signals where transaction_signature = tests.sig('SellSig'))
where id = (select id from mine where tag = 'Sig');
select results_eq(
  $$select m.tag, c.value -> 'token_decimals' from jsonb_array_elements(walltrack.claim_orders()) c
    join mine m on m.id = (c.value ->> 'id')::uuid order by m.tag$$,
  $$values ('Ent'::text, '8'::jsonb), ('Non', 'null'), ('Sig', '7')$$,
  'decimals unknown to the token: the order''s signal''s (7), else the entry signal''s (8), else null, never guessed');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
