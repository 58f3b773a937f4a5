-- The priority fee of live swaps (walltrack.priority_fee_request, set_priority_fee): dynamic asks
-- Jupiter for a priority level capped by the operator, fixed passes a number; the settings are
-- refused outside their CHECK constraints with nothing changed. The fee a confirmed swap paid is
-- recorded on its submitted order before its fill (walltrack.record_order_fees), never after.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

set local client_min_messages = error;

select is(walltrack.set_priority_fee('dynamic', 'high', 250000),
  '{"priorityLevelWithMaxLamports": {"priorityLevel": "high", "maxLamports": 250000}}'::jsonb,
  'dynamic: Jupiter''s priority level with the operator''s cap');
select is(walltrack.set_priority_fee('fixed', fixed_lamports => 12345), '12345'::jsonb, 'fixed: the lamports as they are');
select is(walltrack.set_priority_fee(mode => 'dynamic'),
  '{"priorityLevelWithMaxLamports": {"priorityLevel": "high", "maxLamports": 250000}}'::jsonb,
  'a null keeps the other settings');
select throws_ok($$select walltrack.set_priority_fee(max_lamports => 200000000)$$, '23514', null,
  'a cap above 0.1 SOL is refused');
select throws_ok($$select walltrack.set_priority_fee(level => 'turbo')$$, '23514', null, 'an unknown level is refused');
select is(walltrack.priority_fee_request(),
  '{"priorityLevelWithMaxLamports": {"priorityLevel": "high", "maxLamports": 250000}}'::jsonb,
  'a refused change changes nothing');

-- An exit sent and confirmed (meta.fee 37,351 lamports with one signature: 32,351 of priority; the
-- order's mode does not matter to the rule, and the test database holds mock data, never live).
create temp table o as
select tests.lifecycle_exit_order(tests.lifecycle_open_position('Fee', 'Fee', 0.0001, 1000000),
                                  'exit_manual', 1000000, 'submitted') as id;
select is(walltrack.record_order_fees((select id from o), 37351, 32351), true, 'the fees of a submitted order are recorded');
select is((select format('%s %s', network_fee_lamports, priority_fee_lamports) from walltrack.orders where id = (select id from o)),
  '37351 32351', 'network fee (meta.fee) and its priority part, exact lamports');
update walltrack.config set sol_usd_price = 200;
select walltrack.record_order_fill((select id from o), '{"tx_signature": "5gCwitEqixq38PWc6dBbJWMBUcndFvazYeBDF2pkneatPXMZ5ApKminEhqyt94dyFDEQK61zKGs4vWLcttJrf6GF", "block_number": 1, "amount_in": "1000000", "amount_out": "0.5"}');
select is(walltrack.record_order_fees((select id from o), 1, 1), false, 'an executed order''s fees never change');

select * from finish();
rollback;
