-- A live order: walltrack.record_order_submission records the swap about to be sent (pending ->
-- submitted, or a re-submission after an expired blockhash), walltrack.record_order_fill the
-- confirmed one (submitted -> executed) with its actual amounts, valued in USD through
-- config.sol_usd_price (SOL is one side of every swap): price = SOL amount x SOL/USD / token
-- amount. The accounting triggers then update the position.
-- A submission is recorded only while the caller still holds the claim: its `lease` must be the
-- order's claimed_until (the token walltrack.claim_orders handed over) and its
-- `replaces_signature` the signature the order carries (null for a first send, the expired one for
-- a re-submission); otherwise nothing changes and it returns false. Recorded, it returns true and
-- extends the lease to now() + walltrack.order_lease() for the confirmation.
-- SOL at 150 USD; live wallet L, leader at 0.50:
--   entry  2 SOL for 600 tokens (625 expected): 2 x 150 / 600 = 0.50, 300 USD, slippage
--          (625 - 600) / 625 = 4.0000 %; the position's entry 0.50 x 600 with the signature
--   exit   manual, 600 tokens for 2.4 SOL: 2.4 x 150 / 600 = 0.60, 360 USD, realized 600 x 0.10 = 60
begin;
create extension if not exists pgtap with schema extensions;
select plan(20);
-- Live submissions of this file's own orders: lift the seeded database's mock-data mark.
update walltrack.config set holds_mock_data = false;

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

-- The executor records a submission of the order under lease `lease`, replacing signature
-- `replaces` (null: a first send), with the swap's details; returns whether it was recorded.
create function pg_temp.submit(order_id uuid, lease text, replaces text, swap jsonb) returns boolean
language sql as $$
  select walltrack.record_order_submission(order_id,
    swap || jsonb_build_object('lease', lease, 'replaces_signature', replaces)) is not null
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
do $$ begin perform tests.lifecycle_open_pending('L', 'L', 0.50, 625, wallet_mode => 'live'); end $$;
create temp table entry as select id from walltrack.orders where position_id = tests.lifecycle_pos('L') and order_type = 'entry';

-- The executor claims the entry: the claim's lease (now() + walltrack.order_lease()) is its token.
create temp table entry_claim as
select c.value ->> 'lease' as lease from jsonb_array_elements(walltrack.claim_orders()) c
where (c.value ->> 'id')::uuid = (select id from entry);

select is(
  pg_temp.submit((select id from entry), (now() + interval '2 minutes')::text, null, jsonb_build_object(
    'tx_signature', tests.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'a submission under a lease that is not the order''s is refused: false');
select is(
  pg_temp.submit((select id from entry), (select lease from entry_claim), tests.sig('EntryNever'), jsonb_build_object(
    'tx_signature', tests.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'a submission replacing a signature the order does not carry is refused: false');
select results_eq(
  $$select * from pg_temp.submission((select id from entry))$$,
  $$values ('pending'::text, null::text, null::text, null::bigint, null::bigint, now() + walltrack.order_lease())$$,
  'both refused: the order is untouched (pending, no signature, still under the claim''s lease)');

select is(
  pg_temp.submit((select id from entry), (select lease from entry_claim), null, jsonb_build_object(
    'tx_signature', tests.sig('EntryFirst'), 'quote_id', 'quote-1', 'route', '[{"percent": 100}]'::jsonb,
    'priority_fee_lamports', 10000, 'last_valid_block_height', 300000150, 'amount_in', 2)),
  true, 'the sent entry swap is recorded under the claim''s lease, replacing no signature: true');
select results_eq(
  $$select status, submitted_at, tx_signature::text, jupiter_quote_id, jupiter_route, priority_fee_lamports,
           last_valid_block_height, amount_in, amount_out_expected, claimed_until
    from walltrack.orders where id = (select id from entry)$$,
  $$values ('submitted'::text, now(), tests.sig('EntryFirst'), 'quote-1'::text, '[{"percent": 100}]'::jsonb, 10000::bigint,
            300000150::bigint, 2::numeric, 625::numeric, now() + walltrack.order_lease())$$,
  'submitted with its signature, quote, route, priority fee, last valid block height and amount; leased for another walltrack.order_lease()');

-- The blockhash expired without the swap landing; the lease ran out and the next run claims the
-- order again, for 3 minutes: a new token.
update walltrack.orders set claimed_until = now() - interval '1 second' where id = (select id from entry);
create temp table entry_reclaim as
select c.value ->> 'lease' as lease, c.value ->> 'tx_signature' as tx_signature
from jsonb_array_elements(walltrack.claim_orders(20, '3 minutes')) c
where (c.value ->> 'id')::uuid = (select id from entry);

select is(
  pg_temp.submit((select id from entry), (select lease from entry_claim), tests.sig('EntryFirst'), jsonb_build_object(
    'tx_signature', tests.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'the first claim''s lease no longer holds: its re-submission is refused');
select is(
  pg_temp.submit((select id from entry), (select lease from entry_reclaim), null, jsonb_build_object(
    'tx_signature', tests.sig('EntryOther'), 'quote_id', 'quote-0')),
  false, 'a re-submission that does not name the expired signature (as if none had been sent) is refused');
select results_eq(
  $$select * from pg_temp.submission((select id from entry))$$,
  $$values ('submitted'::text, tests.sig('EntryFirst'), 'quote-1'::text, 10000::bigint, 300000150::bigint,
            now() + interval '3 minutes')$$,
  'both refused: still the first signature, quote and fee, under the second claim''s lease');

select is(
  pg_temp.submit((select id from entry), (select lease from entry_reclaim), (select tx_signature from entry_reclaim),
    jsonb_build_object('tx_signature', tests.sig('EntryAgain'), 'quote_id', 'quote-2', 'route', '[]'::jsonb,
                       'priority_fee_lamports', 20000, 'last_valid_block_height', 300000300)),
  true, 'the re-sent swap, under the current lease and replacing the expired signature, is recorded');
select results_eq(
  $$select status, tx_signature::text, jupiter_quote_id, priority_fee_lamports, last_valid_block_height, amount_in,
           claimed_until
    from walltrack.orders where id = (select id from entry)$$,
  $$values ('submitted'::text, tests.sig('EntryAgain'), 'quote-2'::text, 20000::bigint, 300000300::bigint, 2::numeric,
            now() + walltrack.order_lease())$$,
  'still submitted, now with the new signature, quote and fee (the amount kept), leased for another walltrack.order_lease()');

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
  $$values ('executed'::text, true, null::timestamptz, tests.sig('EntryAgain'), 300000123::bigint, 2::numeric,
            600::numeric, 0.5::numeric, 300::numeric, 4.0000::numeric)$$,
  'executed: 2 SOL x 150 / 600 tokens = 0.50 USD each, 300 USD, 4 % fewer tokens than the 625 expected');
select results_eq(
  $$select entry_price, entry_amount, current_amount, entry_value_usd, entry_tx_signature::text
    from walltrack.positions where id = tests.lifecycle_pos('L')$$,
  $$values (0.5::numeric, 600::numeric, 600::numeric, 300::numeric, tests.sig('EntryAgain'))$$,
  'the fill is the position''s entry, with its transaction');

create temp table manual as select walltrack.close_position_manually(tests.lifecycle_pos('L')) as id;
create temp table manual_claim as
select c.value ->> 'lease' as lease from jsonb_array_elements(walltrack.claim_orders()) c
where (c.value ->> 'id')::uuid = (select id from manual);
select is(
  pg_temp.submit((select id from manual), (select lease from manual_claim), null,
                 jsonb_build_object('tx_signature', tests.sig('ExitL'), 'amount_out_expected', 2.45)),
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
    where id = tests.lifecycle_pos('L')$$,
  $$values ('closed'::text, 'manual'::text, 0::numeric, 0.6::numeric, 60::numeric)$$,
  'the position closes manual: realized 600 x (0.60 - 0.50) = 60');

select throws_ok(
  format($$select walltrack.record_order_fill(%L, '{"amount_in": 600, "amount_out": 2.5}')$$, (select id from manual)),
  '23000',
  format('order %s is executed: a finished order does not change', (select id from manual)),
  'a second fill of the same order is refused');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
