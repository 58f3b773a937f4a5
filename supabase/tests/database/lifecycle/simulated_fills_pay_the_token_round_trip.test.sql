-- Simulation pays what the sell check measured (walltrack.token_simulation_slippage_percent): each
-- fill, entry or exit, moves the price against us by half the token's round trip, never less than
-- simulation_slippage_percent; a token never checked keeps the configured model. Slippage 1 %, SOL
-- at 200 USD:
--   R6  a 6 % round trip: entry of 2.5 SOL at 0.50 -> 0.50 x 1.03 = 0.515; exit of 100 at 2.50 -> 2.425
--   R1  a 1 % round trip: half is 0.5 %, below the model: 1 % (0.505)
--   N   never checked: 1 % (2.475)
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

update walltrack.config set simulation_slippage_percent = 1, sol_usd_price = 200;

-- A measured round trip of `loss` % for token 'Tk<tag>' (1 SOL in).
create function pg_temp.round_trip(tag text, sol_out bigint) returns integer language sql as $$
  select walltrack.store_sell_checks(jsonb_build_array(jsonb_build_object(
    'mint', tests.addr('Tk' || tag), 'size_usd', 500, 'outcome', 'route', 'sol_in_lamports', '1000000000',
    'token_raw', '1000', 'sol_out_lamports', sol_out::text, 'price_impact_fraction', '0', 'token_2022', false,
    'transfer_fee_bps', 0, 'transfer_hook_program', null)))
$$;

do $$
begin
  perform tests.lifecycle_open_pending('R6', 'R6', 0.50, 1000);
  perform tests.lifecycle_open_pending('R1', 'R1', 0.50, 1000);
  perform tests.lifecycle_open_position('R6x', 'R6x', 2.00, 100);
  perform tests.lifecycle_open_position('Nx', 'Nx', 2.00, 100);
  perform pg_temp.round_trip('R6', 940000000);
  perform pg_temp.round_trip('R1', 990000000);
  perform pg_temp.round_trip('R6x', 940000000);
  perform tests.lifecycle_tick('R6x', 2.50);
  perform tests.lifecycle_tick('Nx', 2.50);
  perform walltrack.close_position_manually(tests.lifecycle_pos('R6x'));
  perform walltrack.close_position_manually(tests.lifecycle_pos('Nx'));
  perform walltrack.fill_simulated_orders(array(
    select o.id from walltrack.orders o
    where o.position_id in (tests.lifecycle_pos('R6'), tests.lifecycle_pos('R1'), tests.lifecycle_pos('R6x'), tests.lifecycle_pos('Nx'))
      and o.status = 'pending'));
end
$$;

create function pg_temp.fill(wallet_tag text, kind text) returns table (price_usd numeric, slippage_actual_percent numeric)
language sql as $$
  select o.price_usd, o.slippage_actual_percent from walltrack.orders o
  where o.position_id = tests.lifecycle_pos(wallet_tag) and o.order_type = kind
$$;

select results_eq($$select * from pg_temp.fill('R6', 'entry')$$, $$values (0.515::numeric, 3::numeric)$$,
  'a 6 % round trip: the simulated entry pays 3 %, 0.50 x 1.03 = 0.515');
select results_eq($$select * from pg_temp.fill('R6x', 'exit_manual')$$, $$values (2.425::numeric, 3::numeric)$$,
  'and the simulated exit 3 % too, 2.50 x 0.97 = 2.425');
select results_eq($$select * from pg_temp.fill('R1', 'entry')$$, $$values (0.505::numeric, 1.00::numeric)$$,
  'a 1 % round trip: half is below the configured 1 %, which it pays');
select results_eq($$select * from pg_temp.fill('Nx', 'exit_manual')$$, $$values (2.475::numeric, 1.00::numeric)$$,
  'a token never checked: the configured 1 %');
select is((select realized_pnl_usd from walltrack.positions where id = tests.lifecycle_pos('R6x')), 42.5,
  'the position''s PnL follows: 100 x (2.425 - 2.00)');
select is(walltrack.token_simulation_slippage_percent(t, c), 3::numeric, 'the rule itself: half of 6 %')
from walltrack.tokens t, walltrack.config c where t.address = tests.addr('TkR6');

select * from finish();
rollback;
