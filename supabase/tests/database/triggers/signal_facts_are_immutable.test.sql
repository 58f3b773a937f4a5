-- A signal's facts (what the webhook delivered) never change; its processing outcome (token_id,
-- filtered, filter_reason, position_created, position_id, processed_at, processing_duration_ms,
-- and the USD pricing price_usd, sol_usd_price, quote_usd_price, price_source) may be written until
-- processed_at is set, and never after; price_usd and quote_usd_price, once known, are never rewritten. Refusals are SQLSTATE 23000.
begin;
create extension if not exists pgtap with schema extensions;
select plan(41);

insert into walltrack.wallets (id, address, exit_strategy_id)
select w.id, w.address, e.id
from (values ('c0ffee00-0000-4000-8000-00000000a001'::uuid, 'TestWa11etA111111111111111111111'), ('c0ffee00-0000-4000-8000-00000000a002'::uuid, 'TestWa11etB111111111111111111111')) as w(id, address)
cross join walltrack.exit_strategies e
where e.name = 'Default';
insert into walltrack.tokens (id, address) values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111');
-- A SOL-quoted BUY as recorded: no USD price until processing fetches SOL/USD.
insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, price, price_all_in, slot, leader_block_time, token_decimals,
   webhook_received_at, raw_payload)
values ('c0ffee00-0000-4000-8000-00000000c001', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
        'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111',
        1.5, 1000, 0.0015, 0.00151, 310000000, now() - interval '3 seconds', 6,
        now() - interval '1 second', '{"type": "SWAP"}');

create temp table signal_before as select * from walltrack.signals where id = 'c0ffee00-0000-4000-8000-00000000c001';

-- Every fact is refused, one column at a time.

create temp table fact_changes (column_name name not null, assignment text not null);
insert into fact_changes (column_name, assignment) values
  ('id', 'id = gen_random_uuid()'),
  ('wallet_id', $$wallet_id = 'c0ffee00-0000-4000-8000-00000000a002'$$),
  ('token_address', $$token_address = 'TestTokenB1111111111111111111111'$$),
  ('transaction_signature', $$transaction_signature = 'TestSignatureB11111111111111111111111111111111111111111111111111'$$),
  ('signal_type', $$signal_type = 'SELL'$$),
  ('token_in', $$token_in = 'TestTokenB1111111111111111111111'$$),
  ('token_out', $$token_out = 'TestTokenB1111111111111111111111'$$),
  ('amount_in', 'amount_in = 2'),
  ('amount_out', 'amount_out = 2000'),
  ('price', 'price = 0.002'),
  ('price_all_in', 'price_all_in = null'),
  ('slot', 'slot = slot + 1'),
  ('token_decimals', 'token_decimals = 9'),
  ('leader_block_time', $$leader_block_time = leader_block_time - interval '1 hour'$$),
  ('webhook_received_at', $$webhook_received_at = webhook_received_at + interval '1 hour'$$),
  ('raw_payload', $$raw_payload = '{"type": "TRANSFER"}'$$),
  ('created_at', $$created_at = created_at - interval '1 day'$$),
  ('delivery', $$delivery = 'recovered'$$);

select throws_ok(
  format($$update walltrack.signals set %s where id = 'c0ffee00-0000-4000-8000-00000000c001'$$, assignment),
  '23000',
  'signal c0ffee00-0000-4000-8000-00000000c001 is immutable: only its processing outcome may be written',
  format('the fact %s cannot be changed', column_name)
)
from fact_changes
order by column_name;

select is(
  array(
    select a.attname::text
    from pg_catalog.pg_attribute a
    where a.attrelid = 'walltrack.signals'::regclass
      and a.attnum > 0
      and not a.attisdropped
      and a.attname not in ('token_id', 'filtered', 'filter_reason', 'position_created', 'position_id',
                            'processed_at', 'processing_duration_ms', 'price_usd', 'sol_usd_price',
                            'quote_usd_price', 'price_source', 'updated_at')
      and a.attname not in (select column_name from fact_changes)
    order by 1
  ),
  '{}'::text[],
  'every signal column is either a processing outcome or a fact tried above'
);

select is(
  (select to_jsonb(s) - 'updated_at' from walltrack.signals s where id = 'c0ffee00-0000-4000-8000-00000000c001'),
  (select to_jsonb(b) - 'updated_at' from signal_before b),
  'the refused updates left the signal as it was'
);

select lives_ok(
  $$update walltrack.signals set amount_in = amount_in, raw_payload = raw_payload where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'writing a fact with its own value is not a change'
);

-- The outcome is written while the signal is unprocessed...

select lives_ok(
  $$update walltrack.signals set token_id = 'c0ffee00-0000-4000-8000-00000000b001' where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'the token analysis can be linked before the decision'
);

select lives_ok(
  $$update walltrack.signals set sol_usd_price = 180, price_usd = 0.27, price_source = 'jupiter'
    where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'the USD pricing can be written before the decision'
);

select throws_ok(
  $$update walltrack.signals set price_usd = 0.3 where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  '23000',
  'signal c0ffee00-0000-4000-8000-00000000c001: price_usd was already set',
  'a USD price, once known, is not rewritten'
);
select lives_ok(
  $$update walltrack.signals set quote_usd_price = 212.4 where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'the quote asset''s USD price may be written while unprocessed'
);
select throws_ok(
  $$update walltrack.signals set quote_usd_price = 212.5 where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  '23000',
  'signal c0ffee00-0000-4000-8000-00000000c001: quote_usd_price was already set',
  'the quote asset''s USD price, once known, is not rewritten'
);

select lives_ok(
  $$update walltrack.signals
    set filtered = true, filter_reason = 'safety_check_failed', processed_at = now(),
        processing_duration_ms = 42
    where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'the decision is recorded with processed_at'
);

select results_eq(
  $$select token_id, filtered, filter_reason, processed_at, processing_duration_ms, price_usd,
           sol_usd_price, price_source
    from walltrack.signals where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  $$values ('c0ffee00-0000-4000-8000-00000000b001'::uuid, true, 'safety_check_failed', now(), 42, 0.27, 180::numeric, 'jupiter')$$,
  'the outcome is stored'
);

-- ...and never again.

select throws_ok(
  format($$update walltrack.signals set %s where id = 'c0ffee00-0000-4000-8000-00000000c001'$$, assignment),
  '23000',
  (select format('signal %s was already processed at %s: its outcome is written once', id, processed_at)
   from walltrack.signals where id = 'c0ffee00-0000-4000-8000-00000000c001'),
  format('after processing, %s cannot be rewritten', column_name)
)
from (values
  ('token_id', 'token_id = null'),
  ('filtered', 'filtered = false, filter_reason = null'),
  ('filter_reason', $$filter_reason = 'duplicate'$$),
  ('position_id', 'position_id = gen_random_uuid()'),
  ('processed_at', $$processed_at = processed_at + interval '1 second'$$),
  ('processing_duration_ms', 'processing_duration_ms = 43'),
  ('price_usd', 'price_usd = 0.3'),
  ('sol_usd_price', 'sol_usd_price = 190'),
  ('quote_usd_price', 'quote_usd_price = 213'),
  ('price_source', $$price_source = 'dexscreener'$$)
) as t(column_name, assignment)
order by column_name;

select lives_ok(
  $$update walltrack.signals set filtered = filtered where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'an update that changes nothing is still accepted after processing'
);

select throws_ok(
  $$update walltrack.signals set amount_out = 1 where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  '23000',
  'signal c0ffee00-0000-4000-8000-00000000c001 is immutable: only its processing outcome may be written',
  'facts stay immutable after processing'
);

-- A signal recorded already processed (e.g. a duplicate filtered at once) is final from the start.
insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload, filtered, filter_reason, processed_at)
values ('c0ffee00-0000-4000-8000-00000000c002', 'c0ffee00-0000-4000-8000-00000000a002', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
        'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111',
        1, 1000, '{}', true, 'wallet_inactive', now());

select throws_ok(
  $$update walltrack.signals set filter_reason = 'duplicate' where id = 'c0ffee00-0000-4000-8000-00000000c002'$$,
  '23000',
  (select format('signal %s was already processed at %s: its outcome is written once', id, processed_at)
   from walltrack.signals where id = 'c0ffee00-0000-4000-8000-00000000c002'),
  'a signal inserted processed cannot have its outcome rewritten'
);

select * from finish();
rollback;
