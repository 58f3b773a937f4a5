-- The uniqueness rules: one signal per (transaction, watched wallet); one default exit strategy
-- and unique strategy names; one performance row per wallet; one open position per wallet and
-- token; one open circuit-breaker activation, ended by at most one deactivation; unique wallet
-- and token addresses and order transaction signatures. Each duplicate fails with 23505 naming
-- its index, and the neighbouring legal case is accepted.
begin;
create extension if not exists pgtap with schema extensions;
select plan(20);

insert into walltrack.wallets (id, address, exit_strategy_id)
select w.id, w.address, e.id
from (values ('c0ffee00-0000-4000-8000-00000000a001'::uuid, 'TestWa11etA111111111111111111111'), ('c0ffee00-0000-4000-8000-00000000a002'::uuid, 'TestWa11etB111111111111111111111')) as w(id, address)
cross join walltrack.exit_strategies e
where e.name = 'Default';
insert into walltrack.tokens (id, address)
values
  ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111'),
  ('c0ffee00-0000-4000-8000-00000000b002', 'TestTokenB1111111111111111111111');

-- signals: (transaction_signature, wallet_id)

insert into walltrack.signals
  (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload)
values ('c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
        'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}');

select throws_ok(
  $$insert into walltrack.signals
      (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values ('c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
            'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_signals_transaction_signature_wallet_id"',
  'a redelivered transaction does not make a second signal for the same wallet'
);

select lives_ok(
  $$insert into walltrack.signals
      (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
       amount_in, amount_out, raw_payload)
    values ('c0ffee00-0000-4000-8000-00000000a002', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
            'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 2, 2000, '{}')$$,
  'the same transaction makes one signal for each watched wallet it touches'
);

-- exit_strategies: one default, unique names

select throws_ok(
  $$insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent, is_default)
    values ('pgTAP second default', 20, 15, true)$$,
  '23505',
  'duplicate key value violates unique constraint "uq_exit_strategies_is_default"',
  'a second default exit strategy is refused'
);

select lives_ok(
  $$insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent)
    values ('pgTAP extra one', 20, 15), ('pgTAP extra two', 25, 10)$$,
  'any number of non-default exit strategies is accepted'
);

select throws_ok(
  $$insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent)
    values ('Default', 20, 15)$$,
  '23505',
  'duplicate key value violates unique constraint "uq_exit_strategies_name"',
  'a second exit strategy named Default is refused'
);

-- performance: one row per wallet

insert into walltrack.performance (wallet_id) values ('c0ffee00-0000-4000-8000-00000000a001');

select throws_ok(
  $$insert into walltrack.performance (wallet_id) values ('c0ffee00-0000-4000-8000-00000000a001')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_performance_wallet_id"',
  'a second performance row for a wallet is refused'
);

select lives_ok(
  $$insert into walltrack.performance (wallet_id) values ('c0ffee00-0000-4000-8000-00000000a002')$$,
  'another wallet gets its own performance row'
);

-- positions: one open position per wallet and token

insert into walltrack.positions (id, wallet_id, token_id, mode, exit_strategy_id)
select 'c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', id from walltrack.exit_strategies where name = 'Default';

select throws_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    select 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', id from walltrack.exit_strategies where name = 'Default'$$,
  '23505',
  'duplicate key value violates unique constraint "uq_positions_open_wallet_token"',
  'a second open position for the same wallet and token is refused'
);

select lives_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    select 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b002', 'simulation', id from walltrack.exit_strategies where name = 'Default'$$,
  'the same wallet may hold another token'
);

select lives_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    select 'c0ffee00-0000-4000-8000-00000000a002', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', id from walltrack.exit_strategies where name = 'Default'$$,
  'another wallet may hold the same token'
);

select lives_ok(
  $$update walltrack.positions set status = 'error' where id = 'c0ffee00-0000-4000-8000-00000000e001'$$,
  'the open position leaves the open state'
);

select lives_ok(
  $$insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id)
    select 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', id from walltrack.exit_strategies where name = 'Default'$$,
  'once no position is open, the wallet may open the token again'
);

-- circuit_breaker_events: one open activation, one deactivation per activation.
-- Close whatever activation the seed left open (allowed: the deactivation stamp).
update walltrack.circuit_breaker_events set deactivated_at = now()
where event_type = 'activated' and deactivated_at is null;

insert into walltrack.circuit_breaker_events (id, event_type, trigger_reason)
values ('c0ffee00-0000-4000-8000-000000000cb1', 'activated', 'max_drawdown');

select throws_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason)
    values ('activated', 'consecutive_losses')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_circuit_breaker_events_open_activation"',
  'a second open activation is refused while one is open'
);

select lives_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason, activation_event_id)
    values ('deactivated', 'manual', 'c0ffee00-0000-4000-8000-000000000cb1')$$,
  'the open activation is ended by a deactivation'
);

select throws_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason, activation_event_id)
    values ('deactivated', 'unlock_time_reached', 'c0ffee00-0000-4000-8000-000000000cb1')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_circuit_breaker_events_deactivation"',
  'an activation cannot be ended twice'
);

select lives_ok(
  $$update walltrack.circuit_breaker_events set deactivated_at = now() where id = 'c0ffee00-0000-4000-8000-000000000cb1'$$,
  'the activation is stamped deactivated'
);

select lives_ok(
  $$insert into walltrack.circuit_breaker_events (event_type, trigger_reason)
    values ('activated', 'consecutive_losses')$$,
  'once no activation is open, a new one is accepted'
);

-- addresses and order signatures

select throws_ok(
  $$insert into walltrack.wallets (address, exit_strategy_id)
    select 'TestWa11etA111111111111111111111', id from walltrack.exit_strategies where name = 'Default'$$,
  '23505',
  'duplicate key value violates unique constraint "idx_wallets_address"',
  'a wallet address is watched once'
);

select throws_ok(
  $$insert into walltrack.tokens (address) values ('TestTokenA1111111111111111111111')$$,
  '23505',
  'duplicate key value violates unique constraint "idx_tokens_address"',
  'a token is cached once'
);

insert into walltrack.orders
  (wallet_id, token_id, order_type, mode, token_in, token_out, amount_in, tx_signature)
values ('c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'exit_manual', 'live', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 10, 'TestSignatureB11111111111111111111111111111111111111111111111111');

select throws_ok(
  $$insert into walltrack.orders
      (wallet_id, token_id, order_type, mode, token_in, token_out, amount_in, tx_signature)
    values ('c0ffee00-0000-4000-8000-00000000a002', 'c0ffee00-0000-4000-8000-00000000b001', 'exit_manual', 'live', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 10, 'TestSignatureB11111111111111111111111111111111111111111111111111')$$,
  '23505',
  'duplicate key value violates unique constraint "uq_orders_tx_signature"',
  'an on-chain transaction belongs to one order'
);

select * from finish();
rollback;
