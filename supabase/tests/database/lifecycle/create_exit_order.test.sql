-- The one exit-order creator (walltrack.create_exit_order) and the facts every exit shares: which
-- order types are full exits (walltrack.is_full_exit), whether one is in flight
-- (walltrack.full_exit_in_flight), what exits in flight will sell (walltrack.exits_in_flight_amount).
-- A second exit of the same trigger in flight is not created (null): one full exit, each level once.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

select is(
  array(select t from unnest(array['entry', 'exit_stop_loss', 'exit_trailing_stop', 'exit_scaling', 'exit_mirror',
                                   'exit_manual']) t where walltrack.is_full_exit(t)),
  array['exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual'],
  'stop loss, trailing stop, mirror and manual exits sell everything; a level and an entry do not');

create temp table pos as select tests.lifecycle_open_position('Ex', 'Ex', 1.00, 1000) as id;
create function pg_temp.new_exit(kind text, amount numeric, price numeric, lvl smallint default null) returns uuid
language sql as $$
  select walltrack.create_exit_order(p, kind, amount, price, scaling_level => lvl,
                                     scaling_percent => case when lvl is not null then 25 end)
  from walltrack.positions p where p.id = (select id from pos)
$$;

create temp table level_order as select pg_temp.new_exit('exit_scaling', 250.000, 2.00, 1::smallint) as id;
select is(
  (select format('%s %s of %s for %s USD to %s, slippage %s, %s retries', o.status, o.amount_in, (o.token_in = t.address)::text,
                 trim_scale(o.value_usd), (o.token_out = walltrack.wsol_mint())::text,
                 (o.slippage_requested_percent = c.default_slippage_percent)::text, (o.max_retries = c.order_max_retries)::text)
   from walltrack.orders o join walltrack.tokens t on t.id = o.token_id cross join walltrack.config c
   where o.id = (select id from level_order)),
  'pending 250 of true for 500 USD to true, slippage true, true retries',
  'a pending order of the exact amount (scale trimmed), valued at the price, token for SOL, with config''s slippage and retries');
select is(walltrack.exits_in_flight_amount((select id from pos)), 250::numeric, 'the level is in flight: 250');
select is(walltrack.full_exit_in_flight((select id from pos)), false, 'no full exit in flight yet');
select is(pg_temp.new_exit('exit_scaling', 250, 2.10, 1::smallint), null, 'the same level again: not created');

select isnt(pg_temp.new_exit('exit_manual', 750, 1.50), null, 'a full exit for the rest is created');
select is(walltrack.full_exit_in_flight((select id from pos)), true, 'and is in flight');
select is(walltrack.exits_in_flight_amount((select id from pos)), 1000::numeric, 'everything is on its way out');
select is(pg_temp.new_exit('exit_stop_loss', 750, 0.70), null, 'a second full exit: not created');
select is((select count(*)::integer from walltrack.orders where position_id = (select id from pos) and order_type <> 'entry'),
  2, 'two exit orders in all');

select * from finish();
rollback;
