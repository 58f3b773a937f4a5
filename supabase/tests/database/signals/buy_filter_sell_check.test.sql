-- The sell check before entry (walltrack.sell_check_reason, in the BUY filter right after the
-- safety score): a BUY is refused sell_check_unavailable without a check measured within
-- sell_check_ttl_minutes for at least its size (Jupiter failed: never trade blind),
-- sell_transfer_hook / sell_transfer_fee for a mint that can refuse or tax a sale,
-- sell_no_route, sell_round_trip_loss and sell_price_impact above their limits (a value at the
-- limit passes). walltrack.sell_checks_needed lists what to measure, and only for BUYs the earlier
-- filters pass; walltrack.store_sell_checks computes the round trip exactly; the measured round
-- trip is the token's simulated slippage, half per fill, never below the configured model.
begin;
create extension if not exists pgtap with schema extensions;
select plan(23);

set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;
update walltrack.config set sell_check_enabled = true, sell_check_ttl_minutes = 10,
  sell_check_max_round_trip_loss_percent = 10, sell_check_max_price_impact_percent = 5,
  sell_check_max_transfer_fee_bps = 100, simulation_slippage_percent = 1;

-- What signal-processor stores for token 'Tk<tag>': a check for an entry of size_usd, the buy leg
-- spending sol_in lamports and the sell leg getting sol_out back (null: no route).
create function pg_temp.check(tag text, sol_in bigint, sol_out bigint, impact numeric default 0.1,
                              fee_bps integer default 0, hook text default null, size_usd numeric default 500)
returns integer language sql as $$
  select walltrack.store_sell_checks(jsonb_build_array(jsonb_build_object(
    'mint', tests.addr('Tk' || tag), 'size_usd', size_usd,
    'outcome', case when sol_out is null then 'no_route' else 'route' end,
    'sol_in_lamports', sol_in::text, 'token_raw', case when sol_out is not null then '5000000000000' end,
    'sol_out_lamports', sol_out::text, 'price_impact_fraction', (impact / 100)::text,
    'token_2022', fee_bps > 0 or hook is not null, 'transfer_fee_bps', fee_bps, 'transfer_hook_program', hook)))
$$;

do $$
declare
  tag text;
begin
  perform tests.signals_wallet('Sc');
  perform tests.signals_wallet('ScOff');
  perform tests.signals_wallet('ScIdle', active => false);
  foreach tag in array array['Ok', 'AtLimit', 'Hook', 'Fee', 'NoRoute', 'Loss', 'Impact', 'Unchecked', 'Stale',
                             'Small', 'Unsafe'] loop
    perform tests.signals_token(tag, score => case when tag = 'Unsafe' then 0.10 else 0.75 end);
    perform tests.signals_signal('BUY', 'Sc', tag, 'Sc' || tag);
  end loop;
  perform tests.signals_signal('BUY', 'ScIdle', 'Unchecked', 'IdleUnchecked');
end
$$;

-- What to measure before the batch: the uncovered BUYs the earlier filters pass, 500 USD each,
-- 500 / 150 SOL = 3.333333333 SOL in lamports.
select is(
  (select array_agg(e ->> 'mint' order by e ->> 'mint')
   from jsonb_array_elements(walltrack.sell_checks_needed(
     array(select tests.signals_sid(t) from unnest(array['ScOk', 'ScUnchecked', 'ScUnsafe', 'IdleUnchecked']) t), 150)) e),
  (select array_agg(m order by m) from unnest(array[tests.addr('TkOk'), tests.addr('TkUnchecked')]) m),
  'before any check: every passing BUY''s token, not the unsafe token''s nor the inactive wallet''s');
select is(walltrack.sell_checks_needed(array[tests.signals_sid('ScOk')], 150) -> 0,
  jsonb_build_object('mint', tests.addr('TkOk'), 'size_usd', 500.00, 'sol_in_lamports', '3333333333'),
  'each with the size it would open and the SOL it would spend, in lamports');

do $$
begin
  -- 1 SOL in: a loss of 3 % (6 % would be refused below), 10 % exactly, refused at 10.000000001 %.
  perform pg_temp.check('Ok', 1000000000, 970000000);
  perform pg_temp.check('AtLimit', 1000000000, 900000000, impact => 5);
  perform pg_temp.check('Loss', 1000000000, 899999999);
  perform pg_temp.check('Impact', 1000000000, 990000000, impact => 5.01);
  perform pg_temp.check('NoRoute', 1000000000, null);
  perform pg_temp.check('Fee', 1000000000, 990000000, fee_bps => 101);
  perform pg_temp.check('Hook', 1000000000, 990000000, hook => 'HookProgram111111111111111111111111111111111');
  perform pg_temp.check('Stale', 1000000000, 990000000);
  perform pg_temp.check('Small', 1000000000, 990000000, size_usd => 499.99);
  update walltrack.tokens set sell_checked_at = now() - interval '10 minutes 1 second' where address = tests.addr('TkStale');
end
$$;
select is((select sell_round_trip_loss_percent from walltrack.tokens where address = tests.addr('TkLoss')),
  10.0000001::numeric, 'the round trip is computed exactly from the lamports: (1e9 - 899999999) / 1e9 = 10.0000001 %');
select is(
  (select array_agg(e ->> 'mint' order by e ->> 'mint')
   from jsonb_array_elements(walltrack.sell_checks_needed(
     array(select tests.signals_sid('Sc' || t) from unnest(array['Ok', 'Unchecked', 'Stale', 'Small']) t), 150)) e),
  (select array_agg(m order by m) from unnest(array[tests.addr('TkSmall'), tests.addr('TkStale'), tests.addr('TkUnchecked')]) m),
  'after: a fresh check that covers the size is not measured again; a stale one and a smaller one are');

create temp table summary as
  select tests.signals_process(array['ScOk', 'ScAtLimit', 'ScHook', 'ScFee', 'ScNoRoute', 'ScLoss', 'ScImpact',
                                     'ScUnchecked', 'ScStale', 'ScSmall', 'ScUnsafe']) as result;
select is(tests.signals_outcome('ScOk'), 'opened', 'a token that sells back at a 3 % loss: opened');
select is(tests.signals_outcome('ScAtLimit'), 'opened', 'a round trip of exactly 10 % and an impact of exactly 5 %: opened');
select is(tests.signals_outcome('ScHook'), 'sell_transfer_hook', 'a mint with a transfer hook: sell_transfer_hook');
select is(tests.signals_outcome('ScFee'), 'sell_transfer_fee', 'a transfer fee of 101 bps over a 100 bps limit: sell_transfer_fee');
select is(tests.signals_outcome('ScNoRoute'), 'sell_no_route', 'no route: sell_no_route');
select is(tests.signals_outcome('ScLoss'), 'sell_round_trip_loss', '10.0000001 % over 10 %: sell_round_trip_loss');
select is(tests.signals_outcome('ScImpact'), 'sell_price_impact', 'a price impact of 5.01 % over 5 %: sell_price_impact');
select is(tests.signals_outcome('ScUnchecked'), 'sell_check_unavailable', 'never checked (Jupiter failed): sell_check_unavailable');
select is(tests.signals_outcome('ScStale'), 'sell_check_unavailable', 'checked 10 minutes and a second ago: sell_check_unavailable');
select is(tests.signals_outcome('ScSmall'), 'sell_check_unavailable', 'checked for 499.99 USD, a 500 USD entry: sell_check_unavailable');
select is(tests.signals_outcome('ScUnsafe'), 'safety_check_failed', 'the safety score is judged first');
select is((select result -> 'filtered' from summary),
  '{"sell_no_route": 1, "sell_transfer_fee": 1, "sell_price_impact": 1, "sell_transfer_hook": 1, "safety_check_failed": 1, "sell_round_trip_loss": 1, "sell_check_unavailable": 3}'::jsonb,
  'the summary counts each reason');
select is((select filtered_by_reason -> 'sell_no_route' from walltrack.signal_funnel where day = (now() at time zone 'UTC')::date),
  '1'::jsonb, 'the funnel shows them by reason');

-- The measured round trip is the token's simulated slippage: half of it per fill.
select is(walltrack.token_simulation_slippage_percent(t, c), 1.5, 'a 3 % round trip: 1.5 % per fill')
from walltrack.tokens t, walltrack.config c where t.address = tests.addr('TkOk');
select is(walltrack.token_simulation_slippage_percent(t, c), 1.00, 'never below simulation_slippage_percent (1 %)')
from walltrack.tokens t, walltrack.config c where t.address = tests.addr('TkUnchecked');
select is((select o.price_usd from walltrack.orders o where o.signal_id = tests.signals_sid('ScOk')),
  walltrack.simulated_fill_price(0.00015 * 0.5, 1.5, true),
  'the simulated entry fills 1.5 % above the leader''s price (2.5 SOL for 5,000,000 tokens at 150 USD)');
select is((select o.slippage_actual_percent from walltrack.orders o where o.signal_id = tests.signals_sid('ScAtLimit')),
  round((1 - 1 / 1.05) * 100, 4), 'and its slippage records the 5 % of a 10 % round trip');

-- Off: no check is asked for and none refuses.
update walltrack.config set sell_check_enabled = false;
do $$
begin
  perform tests.signals_signal('BUY', 'ScOff', 'Unchecked', 'OffUnchecked');
end
$$;
select is(walltrack.sell_checks_needed(array[tests.signals_sid('OffUnchecked')], 150), '[]'::jsonb,
  'with the check off nothing is measured');
do $$ begin perform tests.signals_process(array['OffUnchecked']); end $$;
select is(tests.signals_outcome('OffUnchecked'), 'opened', 'and an unchecked token is bought');

select * from finish();
rollback;
