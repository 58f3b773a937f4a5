-- A BUY is filtered exposure_limit when config.max_open_positions positions are already open, or
-- when its size would take the USD committed to open positions (filled cost, or the intended size
-- of a pending live entry) above config.max_total_exposure_usd. Reaching a limit exactly is allowed.
-- The limits are set relative to what is open, so the seed's positions do not matter.
begin;
create extension if not exists pgtap with schema extensions;
select plan(13);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- Every BUY here is sized 10000 x 5 % = 500.00 USD (fixtures).
do $$
begin
  perform tests.signals_wallet('CountA');
  perform tests.signals_wallet('CountB');
  perform tests.signals_wallet('LiveFit', wallet_mode => 'live');
  perform tests.signals_wallet('Over');
  perform tests.signals_wallet('Short');
  perform tests.signals_wallet('Exact');
  perform tests.signals_wallet('TopUp');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'CountA', 'Safe', 'CountA', block_age_seconds => 20);
  perform tests.signals_signal('BUY', 'CountB', 'Safe', 'CountB', block_age_seconds => 10);
  perform tests.signals_signal('BUY', 'LiveFit', 'Safe', 'LiveFit', block_age_seconds => 20);
  perform tests.signals_signal('BUY', 'Over', 'Safe', 'Over', block_age_seconds => 10);
  perform tests.signals_signal('BUY', 'Short', 'Safe', 'Short');
  perform tests.signals_signal('BUY', 'Exact', 'Safe', 'Exact');
end
$$;

-- max_open_positions: room for exactly one more.
update walltrack.config set max_open_positions = (select open_positions from walltrack.open_exposure()) + 1;
create temp table count_summary as select tests.signals_process(array['CountA', 'CountB']) as result;

select is(tests.signals_outcome('CountA'), 'opened', 'the older BUY takes the last open slot');
select is(tests.signals_outcome('CountB'), 'exposure_limit', 'the next one, with max_open_positions open: exposure_limit');
select is((select result -> 'filtered' from count_summary), '{"exposure_limit": 1}'::jsonb, 'the summary counts it');
select is((select open_positions from walltrack.open_exposure()), (select max_open_positions from walltrack.config),
  'open positions = max_open_positions');

-- max_total_exposure_usd: C = the exposure in use rounded up to the cent (C - 0.01 < exposure <= C).
-- A limit of C + 500 fits one 500 USD entry and not two.
update walltrack.config set
  max_open_positions = (select open_positions from walltrack.open_exposure()) + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure()) * 100) / 100 + 500;
create temp table exposure_before as select exposure_usd from walltrack.open_exposure();
create temp table total_summary as select tests.signals_process(array['LiveFit', 'Over']) as result;

select is(tests.signals_outcome('LiveFit'), 'opened', 'exposure + 500 <= C + 500: the live BUY opens, its entry pending');
select is((select exposure_usd from walltrack.open_exposure()) - (select exposure_usd from exposure_before), 500.00,
  'the pending entry commits its intended size, 500.00');
select is(tests.signals_outcome('Over'), 'exposure_limit',
  'the next BUY would reach exposure + 1000 > C + 500: exposure_limit');
select is((select result -> 'filtered' from total_summary), '{"exposure_limit": 1}'::jsonb, 'the summary counts it');

-- To meet the limit exactly, one more open position tops the exposure in use up to the next whole
-- cent C (its cost is C - exposure, a fraction of a cent, when the exposure is not whole cents).
insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount,
                                 entry_value_usd, entry_timestamp, current_amount, status)
select w.id, t.id, 'simulation', w.exit_strategy_id, 1, 1, e.top_up, now(), 1, 'open'
from walltrack.wallets w, walltrack.tokens t,
     (select ceil(exposure_usd * 100) / 100 - exposure_usd as top_up from walltrack.open_exposure()) e
where w.address = tests.addr('WaTopUp') and t.address = tests.addr('TkSafe') and e.top_up > 0;
select is((select exposure_usd = round(exposure_usd, 2) from walltrack.open_exposure()), true,
  'the exposure in use is now whole cents, C');

-- One cent short of the room needed, then exactly the room needed: C + 500 = the limit.
update walltrack.config set max_total_exposure_usd = (select exposure_usd from walltrack.open_exposure()) + 499.99;
do $$ begin perform tests.signals_process(array['Short']); end $$;
select is(tests.signals_outcome('Short'), 'exposure_limit', 'a limit of C + 499.99 leaves less than 500: exposure_limit');

update walltrack.config set max_total_exposure_usd = (select exposure_usd from walltrack.open_exposure()) + 500;
do $$ begin perform tests.signals_process(array['Exact']); end $$;
select is(tests.signals_outcome('Exact'), 'opened', 'C + 500 reaches a limit of C + 500 exactly: opened');

select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (tests.signals_sid('CountB'), tests.signals_sid('Over'), tests.signals_sid('Short')) $$,
  'no order for the filtered signals');
select ok(
  (select bool_and(processed_at is not null and processing_duration_ms is not null) from walltrack.signals
   where id in (tests.signals_sid('CountB'), tests.signals_sid('Over'), tests.signals_sid('Short'))),
  'the filtered signals are processed, with their durations');

select * from finish();
rollback;
