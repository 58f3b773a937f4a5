-- The trailing stop follows the position's effective strategy (template + override, ADR-002):
-- an override changes its percent or its activation, and one that disables it stops it, even
-- once armed. Default positions entered at 1.00 x 1,000, in their own tokens:
--   T  no override: armed at 1.60 (>= 1.5x), fires at 1.30 (<= 1.60 x 0.85 = 1.36)
--   P  {"trailing_stop_percent": 5}: armed at 1.60, fires at 1.52 (= 1.60 x 0.95), not at 1.53
--   A  {"trailing_activation_multiplier": 2}: not armed at 1.60 (< 2x), so 1.30 fires nothing
--   X  armed at 1.60, then {"trailing_stop_enabled": false}: 1.30 must fire nothing (above the
--      stop loss 0.80)
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$
begin
  perform tests.lifecycle_open_position('T', 'T', 1.00, 1000);
  perform tests.lifecycle_open_position('P', 'P', 1.00, 1000, 'Default', '{"trailing_stop_percent": 5}');
  perform tests.lifecycle_open_position('A', 'A', 1.00, 1000, 'Default', '{"trailing_activation_multiplier": 2}');
  perform tests.lifecycle_open_position('X', 'X', 1.00, 1000);
end
$$;

select is(tests.lifecycle_walk('T', array[1.60]) + tests.lifecycle_walk('P', array[1.60]) + tests.lifecycle_walk('A', array[1.60])
          + tests.lifecycle_walk('X', array[1.60]), 0, '1.60 everywhere: no exit order');
select results_eq(
  $$select w.label, p.trailing_stop_armed from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
    where w.address like 'Test%' order by w.label$$,
  $$values ('test A'::text, false), ('test P', true), ('test T', true), ('test X', true)$$,
  'armed at 1.60 but A, whose override moves the activation to 2x');

select is(tests.lifecycle_tick('T', 1.30) ->> 'exit_orders_created', '1', 'T at 1.30 <= 1.36: the template''s trailing stop fires');
select is(tests.lifecycle_tick('P', 1.53) ->> 'exit_orders_created', '0', 'P at 1.53: above 1.60 x 0.95 = 1.52, nothing');
select is(tests.lifecycle_tick('P', 1.52) ->> 'exit_orders_created', '1', 'P at 1.52: its 5 % trailing stop fires');
select is(tests.lifecycle_tick('A', 1.30) ->> 'exit_orders_created', '0', 'A at 1.30: never armed, nothing');
select results_eq(
  $$select p.order_type, p.amount_in from walltrack.orders p where p.position_id in (tests.lifecycle_pos('T'), tests.lifecycle_pos('P'))
      and p.order_type <> 'entry'$$,
  $$values ('exit_trailing_stop'::text, 1000::numeric), ('exit_trailing_stop', 1000::numeric)$$,
  'T and P: one trailing stop each, for their 1,000');

update walltrack.positions set exit_strategy_override = '{"trailing_stop_enabled": false}' where id = tests.lifecycle_pos('X');
-- Known bug, reported: evaluate_exits tests trailing_stop_armed without the effective strategy's
-- trailing_stop_enabled, so a trailing stop disabled by an override after arming still fires.
select is(tests.lifecycle_tick('X', 1.30) ->> 'exit_orders_created', '0', 'X, its trailing stop disabled: 1.30 fires nothing');

select is(tests.lifecycle_fill(tests.lifecycle_pos('T'), 1.30) + tests.lifecycle_fill(tests.lifecycle_pos('P'), 1.52), 2, 'T and P fill at their stops');
select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
