-- Foreign keys: every designed reference exists, orphans are refused, RESTRICT / NO ACTION keep
-- referenced rows, SET NULL and CASCADE act, the circular signal <-> position link can be made,
-- and deleting a wallet takes its signals, positions, orders and performance with it (and
-- nothing of another wallet's).
begin;
create extension if not exists pgtap with schema extensions;
select plan(40);

-- The references

select fk_ok('walltrack', fk_table, array[fk_column]::name[], 'walltrack', pk_table, array['id']::name[],
             format('walltrack.%s.%s references walltrack.%s.id', fk_table, fk_column, pk_table))
from (values
  ('wallets', 'exit_strategy_id', 'exit_strategies'),
  ('signals', 'wallet_id', 'wallets'),
  ('signals', 'token_id', 'tokens'),
  ('signals', 'position_id', 'positions'),
  ('orders', 'wallet_id', 'wallets'),
  ('orders', 'token_id', 'tokens'),
  ('orders', 'position_id', 'positions'),
  ('orders', 'signal_id', 'signals'),
  ('positions', 'wallet_id', 'wallets'),
  ('positions', 'token_id', 'tokens'),
  ('positions', 'signal_id', 'signals'),
  ('positions', 'exit_strategy_id', 'exit_strategies'),
  ('performance', 'wallet_id', 'wallets'),
  ('circuit_breaker_events', 'activation_event_id', 'circuit_breaker_events')
) as t(fk_table, fk_column, pk_table)
order by fk_table, fk_column;

-- Orphans are refused

insert into walltrack.exit_strategies (id, name, stop_loss_percent, trailing_stop_percent)
values ('c0ffee00-0000-4000-8000-000000000e51', 'pgTAP fk strategy', 20, 15);

select throws_ok(
  $$insert into walltrack.wallets (address, exit_strategy_id)
    values ('TestWa11etA111111111111111111111', gen_random_uuid())$$,
  '23503', null, 'a wallet needs an existing exit strategy'
);

insert into walltrack.wallets (id, address, exit_strategy_id)
values
  ('c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', 'c0ffee00-0000-4000-8000-000000000e51'),
  ('c0ffee00-0000-4000-8000-00000000a002', 'TestWa11etB111111111111111111111', 'c0ffee00-0000-4000-8000-000000000e51');
insert into walltrack.tokens (id, address)
values
  ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111'),
  ('c0ffee00-0000-4000-8000-00000000b002', 'TestTokenB1111111111111111111111');

select throws_ok(
  $$insert into walltrack.signals
      (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values (gen_random_uuid(), 'TestTokenA1111111111111111111111', 'TestSignatureC11111111111111111111111111111111111111111111111111',
                            'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}')$$,
  '23503', null, 'a signal needs an existing wallet'
);

select throws_ok(
  $$insert into walltrack.orders (wallet_id, token_id, order_type, mode, token_in, token_out, amount_in)
    values ('c0ffee00-0000-4000-8000-00000000a001', gen_random_uuid(), 'exit_manual', 'simulation', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 1)$$,
  '23503', null, 'an order needs an existing token'
);

select throws_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    values ('c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', gen_random_uuid())$$,
  '23503', null, 'a position needs an existing exit strategy'
);

select throws_ok(
  $$insert into walltrack.performance (wallet_id) values (gen_random_uuid())$$,
  '23503', null, 'a performance row needs an existing wallet'
);

select throws_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason, activation_event_id)
    values ('deactivated', 'manual', gen_random_uuid())$$,
  '23503', null, 'a deactivation must name an existing activation'
);

-- The circular link: a BUY signal opens a position that points back at it.

insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload)
values
  ('c0ffee00-0000-4000-8000-00000000c001', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
   'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}'),
  ('c0ffee00-0000-4000-8000-00000000c002', 'c0ffee00-0000-4000-8000-00000000a002', 'TestTokenA1111111111111111111111', 'TestSignatureB11111111111111111111111111111111111111111111111111',
   'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}');
insert into walltrack.positions (id, wallet_id, token_id, signal_id, mode, exit_strategy_id)
values
  ('c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000c001', 'simulation', 'c0ffee00-0000-4000-8000-000000000e51'),
  ('c0ffee00-0000-4000-8000-00000000e002', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b002', null, 'simulation', 'c0ffee00-0000-4000-8000-000000000e51');
insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id)
values ('c0ffee00-0000-4000-8000-00000000a002', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000c002', 'simulation', 'c0ffee00-0000-4000-8000-000000000e51');

select lives_ok(
  $$update walltrack.signals
    set position_created = true, position_id = 'c0ffee00-0000-4000-8000-00000000e001', token_id = 'c0ffee00-0000-4000-8000-00000000b001', processed_at = now()
    where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  'the signal records the position it opened'
);

select results_eq(
  $$select s.position_id, p.signal_id
    from walltrack.signals s join walltrack.positions p on p.id = s.position_id
    where s.id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  $$values ('c0ffee00-0000-4000-8000-00000000e001'::uuid, 'c0ffee00-0000-4000-8000-00000000c001'::uuid)$$,
  'signal and position point at each other'
);

insert into walltrack.orders
  (id, wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out, amount_in)
values
  ('c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000c001', 'entry', 'simulation', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1),
  ('c0ffee00-0000-4000-8000-00000000d002', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b002', 'c0ffee00-0000-4000-8000-00000000e002', null, 'exit_manual', 'simulation', 'TestTokenB1111111111111111111111', 'So11111111111111111111111111111111111111112', 10);
insert into walltrack.performance (id, wallet_id) values ('c0ffee00-0000-4000-8000-00000000f001', 'c0ffee00-0000-4000-8000-00000000a001');
insert into walltrack.performance (wallet_id) values ('c0ffee00-0000-4000-8000-00000000a002');

-- RESTRICT and NO ACTION keep what is referenced

select throws_ok(
  $$delete from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  '23503',
  'update or delete on table "positions" violates foreign key constraint "fk_signals_positions" on table "signals"',
  'a position its signal points at cannot be deleted alone'
);

select throws_ok(
  $$delete from walltrack.signals where id = 'c0ffee00-0000-4000-8000-00000000c001'$$,
  '23503', null,
  'a signal a position or order points at cannot be deleted alone'
);

select throws_ok(
  $$delete from walltrack.exit_strategies where id = 'c0ffee00-0000-4000-8000-000000000e51'$$,
  '23503',
  'update or delete on table "exit_strategies" violates foreign key constraint "fk_wallets_exit_strategies" on table "wallets"',
  'an exit strategy in use cannot be deleted (RESTRICT)'
);

select throws_ok(
  $$delete from walltrack.tokens where id = 'c0ffee00-0000-4000-8000-00000000b002'$$,
  '23503',
  'update or delete on table "tokens" violates foreign key constraint "fk_orders_tokens" on table "orders"',
  'a token with orders or positions cannot be deleted (RESTRICT)'
);

-- A processed signal's token link is part of its written-once outcome: the SET NULL below cannot
-- touch it, so a token a processed signal decided on cannot be deleted either.
select throws_ok(
  $$delete from walltrack.tokens where id = 'c0ffee00-0000-4000-8000-00000000b001'$$,
  '23000', null,
  'a token a processed signal decided on cannot be deleted'
);

-- SET NULL: a token only a not-yet-processed signal points at

insert into walltrack.tokens (id, address) values ('c0ffee00-0000-4000-8000-00000000b003', 'TestTokenC1111111111111111111111');
insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload, token_id)
values ('c0ffee00-0000-4000-8000-00000000c003', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenC1111111111111111111111', 'TestSignatureC11111111111111111111111111111111111111111111111111',
        'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenC1111111111111111111111', 1, 1000, '{}', 'c0ffee00-0000-4000-8000-00000000b003');

select lives_ok(
  $$delete from walltrack.tokens where id = 'c0ffee00-0000-4000-8000-00000000b003'$$,
  'a token only a signal points at can be deleted'
);

select is(
  (select token_id from walltrack.signals where id = 'c0ffee00-0000-4000-8000-00000000c003'),
  null,
  'the signal keeps its row and loses the token link (SET NULL)'
);

-- CASCADE: a position takes its orders

select lives_ok(
  $$delete from walltrack.positions where id = 'c0ffee00-0000-4000-8000-00000000e002'$$,
  'a position no signal points at can be deleted'
);

select is(
  (select count(*) from walltrack.orders where id = 'c0ffee00-0000-4000-8000-00000000d002'),
  0::bigint,
  'its orders went with it'
);

-- CASCADE: a wallet takes everything of its own

select lives_ok(
  $$delete from walltrack.wallets where id = 'c0ffee00-0000-4000-8000-00000000a001'$$,
  'a wallet with signals, positions, orders and performance can be deleted'
);

select is((select count(*) from walltrack.signals where wallet_id = 'c0ffee00-0000-4000-8000-00000000a001'), 0::bigint,
          'its signals went with it');
select is((select count(*) from walltrack.positions where wallet_id = 'c0ffee00-0000-4000-8000-00000000a001'), 0::bigint,
          'its positions went with it');
select is((select count(*) from walltrack.orders where wallet_id = 'c0ffee00-0000-4000-8000-00000000a001'), 0::bigint,
          'its orders went with it');
select is((select count(*) from walltrack.performance where wallet_id = 'c0ffee00-0000-4000-8000-00000000a001'), 0::bigint,
          'its performance row went with it');

select is((select count(*) from walltrack.signals where wallet_id = 'c0ffee00-0000-4000-8000-00000000a002'), 1::bigint,
          'another wallet keeps its signals');
select is((select count(*) from walltrack.positions where wallet_id = 'c0ffee00-0000-4000-8000-00000000a002'), 1::bigint,
          'another wallet keeps its positions');
select is((select count(*) from walltrack.performance where wallet_id = 'c0ffee00-0000-4000-8000-00000000a002'), 1::bigint,
          'another wallet keeps its performance row');
select is((select count(*) from walltrack.tokens where id in ('c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000b002')), 2::bigint,
          'tokens are shared and stay');

select * from finish();
rollback;
