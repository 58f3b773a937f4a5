-- A SELL from a wallet whose open position's strategy has mirror exit off is filtered
-- mirror_exit_disabled and creates no order. The position's snapshot decides, not the template as
-- edited since the position opened.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent, mirror_exit_enabled)
values ('TestDecide NoMirror', 20, 15, false), ('TestDecide Mirror', 20, 15, true);

do $$
begin
  perform tests.signals_wallet('Off', strategy_name => 'TestDecide NoMirror');
  perform tests.signals_wallet('TurnedOn', strategy_name => 'TestDecide NoMirror');
  perform tests.signals_wallet('TurnedOff', strategy_name => 'TestDecide Mirror');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Off', 'Safe', 'OffBuy', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'TurnedOn', 'Safe', 'TurnedOnBuy', block_age_seconds => 30);
  perform tests.signals_signal('BUY', 'TurnedOff', 'Safe', 'TurnedOffBuy', block_age_seconds => 30);
  perform tests.signals_signal('SELL', 'Off', 'Safe', 'OffSell');
  perform tests.signals_signal('SELL', 'TurnedOn', 'Safe', 'TurnedOnSell');
  perform tests.signals_signal('SELL', 'TurnedOff', 'Safe', 'TurnedOffSell');
end
$$;
do $$ begin perform tests.signals_process(array['OffBuy', 'TurnedOnBuy', 'TurnedOffBuy']); end $$;

create temp table summary as select tests.signals_process(array['OffSell']) as result;
select is(tests.signals_outcome('OffSell'), 'mirror_exit_disabled', 'mirror exit off: mirror_exit_disabled');
select is((select position_id from walltrack.signals where id = tests.signals_sid('OffSell')), null,
  'the filtered SELL names no position');
select is((select result - 'filtered' from summary),
  '{"processed": 1, "opened": 0, "exit_orders": 0, "deferred": 0}'::jsonb, 'no exit order');
select is((select result -> 'filtered' from summary), '{"mirror_exit_disabled": 1}'::jsonb, 'the summary counts it');
select is_empty(
  $$ select 1 from walltrack.orders o join walltrack.positions p on p.id = o.position_id
     where p.signal_id = tests.signals_sid('OffBuy') and o.order_type <> 'entry' $$,
  'the position has no exit order');

-- The templates are flipped after the positions opened.
update walltrack.exit_strategies set mirror_exit_enabled = not mirror_exit_enabled
where name in ('TestDecide NoMirror', 'TestDecide Mirror');
do $$ begin perform tests.signals_process(array['TurnedOnSell', 'TurnedOffSell']); end $$;
select is(tests.signals_outcome('TurnedOnSell'), 'mirror_exit_disabled',
  'mirror turned on in the template after opening: the snapshot (off) decides');
select is(tests.signals_outcome('TurnedOffSell'), 'exit_order',
  'mirror turned off in the template after opening: the snapshot (on) decides');
select is(
  (select count(*)::integer from walltrack.orders where signal_id = tests.signals_sid('TurnedOffSell') and order_type = 'exit_mirror'),
  1, 'one exit_mirror order');

select * from finish();
rollback;
