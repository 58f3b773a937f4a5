-- walltrack.record_rejected_transactions keeps each transaction the webhook refused with its
-- position, signature (as sent, or null) and reason; a redelivery of the same refusal adds no row,
-- a refusal without a signature is always kept, and an empty list is nothing to record.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

select is(
  walltrack.record_rejected_transactions(jsonb_build_object(
    'received_at', '2026-12-05T12:00:00Z',
    'rejections', jsonb_build_array(
      jsonb_build_object('position', 0, 'signature', 'SigRefusedA', 'reason', 'nested deeper than 32 levels', 'excerpt', '{"x":'),
      jsonb_build_object('position', 3, 'signature', null, 'reason', 'not an enhanced transaction: signature: expected string', 'excerpt', '{}'),
      jsonb_build_object('position', 4, 'signature', 'SigRefusedA', 'reason', 'accountData lists account A twice', 'excerpt', '{}')))),
  3,
  'three refusals of one delivery are three rows'
);

select results_eq(
  $$select position_in_delivery, transaction_signature, reason, webhook_received_at
    from walltrack.rejected_transactions order by position_in_delivery$$,
  $$values (0, 'SigRefusedA'::text, 'nested deeper than 32 levels'::text, '2026-12-05T12:00:00Z'::timestamptz),
           (3, null, 'not an enhanced transaction: signature: expected string', '2026-12-05T12:00:00Z'),
           (4, 'SigRefusedA', 'accountData lists account A twice', '2026-12-05T12:00:00Z')$$,
  'each keeps its position, signature as sent, reason and the delivery''s reception time'
);

select is(
  walltrack.record_rejected_transactions(jsonb_build_object(
    'received_at', '2026-12-05T12:01:00Z',
    'rejections', jsonb_build_array(
      jsonb_build_object('position', 0, 'signature', 'SigRefusedA', 'reason', 'nested deeper than 32 levels', 'excerpt', '{"x":'),
      jsonb_build_object('position', 3, 'signature', null, 'reason', 'not an enhanced transaction: signature: expected string', 'excerpt', '{}')))),
  1,
  'a redelivery adds only the refusal that has no signature to recognise it by'
);

select is((select count(*)::integer from walltrack.rejected_transactions where transaction_signature = 'SigRefusedA'), 2,
  'the same signature refused for two reasons is two rows, each once');

select is(walltrack.record_rejected_transactions('{"received_at": "2026-12-05T12:02:00Z", "rejections": []}'), 0,
  'an empty list records nothing');
select is(walltrack.record_rejected_transactions('{}'), 0, 'no list at all records nothing');

select * from finish();
rollback;
