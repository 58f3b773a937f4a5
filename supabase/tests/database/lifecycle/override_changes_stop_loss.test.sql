-- A position's exit_strategy_override is merged over its strategy (ADR-002) and decides its
-- exits. Three Default positions (stop loss 20 %) in one token, each entered at 1.00 x 1,000:
--   A  opened with the override {"stop_loss_percent": 5}  -> its stop is 1.00 x 0.95 = 0.95
--   B  no override                                        -> its stop is 1.00 x 0.80 = 0.80
--   C  given {"stop_loss_percent": 10} while open          -> its stop is 1.00 x 0.90 = 0.90
-- The price walks 0.96, 0.95, 0.90, 0.80; each position's stop loss fires at its own stop, once.
-- Filled at their stops: A 1,000 x -0.05 = -50, C 1,000 x -0.10 = -100, B 1,000 x -0.20 = -200.
begin;
create extension if not exists pgtap with schema extensions;
select plan(15);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.

do $$
begin
  perform tests.lifecycle_open_position('A', 'X', 1.00, 1000, 'Default', '{"stop_loss_percent": 5}');
  perform tests.lifecycle_open_position('B', 'X', 1.00, 1000);
  perform tests.lifecycle_open_position('C', 'X', 1.00, 1000);
end
$$;

select is(
  (select walltrack.position_strategy(p) ->> 'stop_loss_percent' from walltrack.positions p where p.id = tests.lifecycle_pos('A')),
  '5',
  'A''s effective stop loss is its override''s 5 %');
select is(
  (select walltrack.position_strategy(p) - 'stop_loss_percent' from walltrack.positions p where p.id = tests.lifecycle_pos('A')),
  (select walltrack.position_strategy(p) - 'stop_loss_percent' from walltrack.positions p where p.id = tests.lifecycle_pos('B')),
  'everything else of A''s strategy is the Default template''s, as B''s');
select is(
  (select walltrack.position_strategy(p) ->> 'stop_loss_percent' from walltrack.positions p where p.id = tests.lifecycle_pos('B')),
  '20.00',
  'B follows the Default template''s 20 %');

select is(tests.lifecycle_tick('X', 0.96) ->> 'exit_orders_created', '0', '0.96: above every stop, no exit order');

select is(tests.lifecycle_tick('X', 0.95) ->> 'exit_orders_created', '1', '0.95: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('A'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  '0.95 <= 1.00 x (1 - 5 %): A''s stop loss sells its 1,000');
select is_empty(
  $$select * from walltrack.orders where position_id in (tests.lifecycle_pos('B'), tests.lifecycle_pos('C')) and order_type <> 'entry'$$,
  '0.95: B and C have no exit (their stops are 0.80 and 0.90 so far)');

update walltrack.positions set exit_strategy_override = '{"stop_loss_percent": 10}' where id = tests.lifecycle_pos('C');

select is(tests.lifecycle_tick('X', 0.90) ->> 'exit_orders_created', '1', '0.90: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('C'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  '0.90: C''s override set while open takes effect at the next price (stop 0.90)');

select is(tests.lifecycle_tick('X', 0.80) ->> 'exit_orders_created', '1', '0.80: one exit order');
select results_eq(
  $$select * from tests.lifecycle_exits(tests.lifecycle_pos('B'))$$,
  $$values ('exit_stop_loss'::text, null::smallint, 1000::numeric, 'pending'::text)$$,
  '0.80: B''s stop loss fires at the template''s 20 %');
select is((select count(*)::integer from tests.lifecycle_exits(tests.lifecycle_pos('A'))), 1,
  'A, whose stop loss is in flight, got no second exit');

select is(tests.lifecycle_fill(tests.lifecycle_pos('A'), 0.95) + tests.lifecycle_fill(tests.lifecycle_pos('C'), 0.90) + tests.lifecycle_fill(tests.lifecycle_pos('B'), 0.80),
  3, 'each stop loss fills at its stop');
select results_eq(
  $$select w.label, p.status, p.exit_reason, p.realized_pnl_usd
    from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
    where w.address like 'Test%' order by w.label$$,
  $$values ('test A'::text, 'closed'::text, 'stop_loss'::text, (-50.00)::numeric),
           ('test B', 'closed', 'stop_loss', (-200.00)::numeric),
           ('test C', 'closed', 'stop_loss', (-100.00)::numeric)$$,
  'closed stop_loss: A -50.00, B -200.00, C -100.00');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
