-- updated_at is maintained by trigger on every walltrack table (but the price history's two, sized
-- for volume and never updated by hand): any update stamps it with now(),
-- a value written by hand is overridden, and created_at is left alone.
begin;
create extension if not exists pgtap with schema extensions;
select plan(41);

-- One row per table, created and updated long ago. The config row exists already; age it with
-- its trigger switched off for that one statement.
alter table walltrack.config disable trigger config_set_updated_at;
update walltrack.config set created_at = '2000-01-01 00:00:00+00', updated_at = '2000-01-01 00:00:00+00';
alter table walltrack.config enable trigger config_set_updated_at;

insert into walltrack.exit_strategies (id, name, stop_loss_percent, trailing_stop_percent, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-000000000e51', 'pgTAP updated_at strategy', 20, 15, '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.wallets (id, address, exit_strategy_id, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-00000000a001', 'TestWa11etA111111111111111111111', 'c0ffee00-0000-4000-8000-000000000e51', '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.tokens (id, address, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-00000000b001', 'TestTokenA1111111111111111111111', '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.signals
  (id, wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
   amount_in, amount_out, raw_payload, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-00000000c001', 'c0ffee00-0000-4000-8000-00000000a001', 'TestTokenA1111111111111111111111', 'TestSignatureA11111111111111111111111111111111111111111111111111',
        'BUY', 'So11111111111111111111111111111111111111112', 'TestTokenA1111111111111111111111', 1, 1000, '{}',
        '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.positions
  (id, wallet_id, token_id, mode, entry_price, entry_amount, entry_value_usd, entry_timestamp,
   current_amount, current_price, exit_strategy_id, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-00000000e001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'simulation', 0.5, 100, 50, '2000-01-01 00:00:00+00', 100, 0.6,
        'c0ffee00-0000-4000-8000-000000000e51', '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.orders
  (id, wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
   created_at, updated_at)
values ('c0ffee00-0000-4000-8000-00000000d001', 'c0ffee00-0000-4000-8000-00000000a001', 'c0ffee00-0000-4000-8000-00000000b001', 'c0ffee00-0000-4000-8000-00000000e001', 'exit_manual', 'simulation', 'TestTokenA1111111111111111111111', 'So11111111111111111111111111111111111111112', 100,
        '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.performance (id, wallet_id, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-00000000f001', 'c0ffee00-0000-4000-8000-00000000a001', '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.circuit_breaker_events
  (id, event_type, trigger_reason, deactivated_at, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-000000000cb1', 'activated', 'manual', '2000-01-02 00:00:00+00',
        '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');
insert into walltrack.edge_function_calls (id, function_name, request_id, created_at, updated_at)
values ('c0ffee00-0000-4000-8000-0000000000ef', 'test-updated-at', -1, '2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00');

create temp table touches (table_name name not null, row_id uuid not null, touch text not null);
insert into touches (table_name, row_id, touch) values
  ('config', (select id from walltrack.config), 'webhook_last_signal_at = now()'),
  ('exit_strategies', 'c0ffee00-0000-4000-8000-000000000e51', $$description = 'touched'$$),
  ('wallets', 'c0ffee00-0000-4000-8000-00000000a001', $$label = 'touched'$$),
  ('tokens', 'c0ffee00-0000-4000-8000-00000000b001', $$symbol = 'TCH'$$),
  ('signals', 'c0ffee00-0000-4000-8000-00000000c001', $$token_id = 'c0ffee00-0000-4000-8000-00000000b001'$$),
  ('orders', 'c0ffee00-0000-4000-8000-00000000d001', 'retry_count = 1'),
  ('positions', 'c0ffee00-0000-4000-8000-00000000e001', 'current_price = 0.7'),
  ('performance', 'c0ffee00-0000-4000-8000-00000000f001', 'signal_count_30d = 1'),
  ('circuit_breaker_events', 'c0ffee00-0000-4000-8000-000000000cb1', 'new_positions_blocked = new_positions_blocked + 1'),
  ('edge_function_calls', 'c0ffee00-0000-4000-8000-0000000000ef', 'status_code = 200');

-- An ordinary update stamps updated_at...

select lives_ok(
  format('update walltrack.%I set %s where id = %L', table_name, touch, row_id),
  format('walltrack.%s: an ordinary update is accepted', table_name)
)
from touches
order by table_name;

select results_eq(
  format('select updated_at, created_at from walltrack.%I where id = %L', table_name, row_id),
  $$values (now(), '2000-01-01 00:00:00+00'::timestamptz)$$,
  format('walltrack.%s: the update stamped updated_at = now() and kept created_at', table_name)
)
from touches
order by table_name;

-- ...and a hand-written updated_at does not stick.

select lives_ok(
  format($$update walltrack.%I set updated_at = '1999-01-01 00:00:00+00' where id = %L$$, table_name, row_id),
  format('walltrack.%s: writing updated_at by hand is accepted', table_name)
)
from touches
order by table_name;

select results_eq(
  format('select updated_at from walltrack.%I where id = %L', table_name, row_id),
  $$values (now())$$,
  format('walltrack.%s: the hand-written updated_at was replaced by now()', table_name)
)
from touches
order by table_name;

select is(
  array(
    select c.relname::text
    from pg_catalog.pg_class c
    where c.relnamespace = 'walltrack'::regnamespace
      and c.relkind in ('r', 'p')
      -- The price history is sized for 500 tokens priced every 10 s (bench case 9): its rows are
      -- never updated (raw prices) or only by compaction (candles), and carry no updated_at. The audit
      -- log refuses every UPDATE: nothing to stamp.
      and c.relname not in ('price_history', 'price_candles', 'audit_log')
      and not exists (
        select 1
        from pg_catalog.pg_trigger t
        where t.tgrelid = c.oid
          and t.tgfoid = 'walltrack.set_updated_at()'::regprocedure
          and t.tgenabled = 'O'
      )
    order by 1
  ),
  '{}'::text[],
  'every walltrack table but the price history''s has an enabled set_updated_at trigger'
);

select * from finish();
rollback;
