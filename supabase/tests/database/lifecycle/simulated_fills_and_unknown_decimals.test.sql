-- Two facts every simulated fill reads: the fill price (walltrack.simulated_fill_price: the observed
-- price moved against us by simulation_slippage_percent) and a mint's decimals, which are never
-- guessed (walltrack.token_decimals): a simulated entry in a mint of unknown decimals waits instead
-- of counting tokens at a guessed unit, and a scale-out level then sells its exact share.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

select is(walltrack.simulated_fill_price(0.000075, 1, true), 0.00007575, 'a buy fills 1 % above: 0.00007575');
select is(walltrack.simulated_fill_price(2.00, 1, false), 1.98::numeric, 'a sell fills 1 % below: 1.98');
select is(walltrack.simulated_fill_price(1.50, 2.5, true)::text, '1.5375', 'exact, with no trailing zeros');
select is(walltrack.wsol_mint(), 'So11111111111111111111111111111111111111112', 'the wrapped SOL mint');

update walltrack.config set sol_usd_price = 200, sol_usd_price_at = now(), simulation_slippage_percent = 1;
create temp table pending as select tests.lifecycle_open_pending('Dec', 'Dec', 0.50, 1000) as pos;
update walltrack.tokens set decimals = null where address = tests.addr('TkDec');
create temp table entry as select id from walltrack.orders where position_id = (select pos from pending) and order_type = 'entry';

select is(walltrack.token_decimals((select token_id from walltrack.positions where id = (select pos from pending))), null,
  'no source reported the mint''s decimals: unknown, not 9');
select is(walltrack.fill_simulated_orders(array(select id from entry)), '{"filled": 0, "cancelled": 0, "deferred": 1, "failed": 0}'::jsonb,
  'the simulated entry waits rather than count tokens at a guessed unit');
select is((select error_code from walltrack.orders where id = (select id from entry)), 'unknown_decimals', 'saying why');

-- A position entered with 3 tokens: the Default strategy sells 50 % at 2x, 1.5 tokens.
create temp table whole as select tests.lifecycle_open_position('Lvl', 'Lvl', 1.00, 3) as pos;
update walltrack.tokens set decimals = null where address = tests.addr('TkLvl');
select tests.lifecycle_tick('Lvl', 2.00);
select is((select amount_in from walltrack.orders where position_id = (select pos from whole) and order_type = 'exit_scaling'),
  1.5::numeric, 'decimals unknown: the level sells its exact share, 1.5');

create temp table cut as select tests.lifecycle_open_position('Cut', 'Cut', 1.00, 3) as pos;
update walltrack.tokens set decimals = 0 where address = tests.addr('TkCut');
select tests.lifecycle_tick('Cut', 2.00);
select is((select amount_in from walltrack.orders where position_id = (select pos from cut) and order_type = 'exit_scaling'),
  1::numeric, 'decimals 0: the share is cut to whole tokens, 1');

select * from finish();
rollback;
