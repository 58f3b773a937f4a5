-- An activation records the moment: the metrics, the config thresholds, the open positions (which
-- keep their exits) and when it unlocks by itself (now + the configured cooldown; none with a
-- cooldown of 0: manual reset only); config says the breaker is active since then. Capital 10,000,
-- drawdown 15 %, win rate 40 % over the last 20 with a sample of 4, 3 consecutive losses, daily
-- limit 500, cooldown 90 minutes; two positions of this test stay open; closed today:
--   W +300, L -100, L -150: 3 closes, below the sample; 2 losses in a row
--   L -200: 4 closes, 1 win: 25.00 % < 40 %, and 3 losses in a row: consecutive_losses is checked
--           first and trips
--   at that moment: equity 10,000 + 300 - 100 - 150 - 200 = 9,850 against a peak of 10,300:
--   drawdown 450 / 10,300 = 4.3689 %; today's realized PnL -150
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set
  max_drawdown_percent = 15, min_win_rate_percent = 40, win_rate_lookback_positions = 20,
  win_rate_min_sample = 4, max_consecutive_losses = 3, daily_loss_limit_usd = 500,
  circuit_breaker_unlock_minutes = 90;
select tests.risk_fresh_start(now() - interval '1 hour');
create temp table open_before as select count(*)::integer as n from walltrack.positions where status = 'open' and mode = 'simulation';

do $$
begin
  perform tests.risk_open_position('Open1');
  perform tests.risk_open_position('Open2');
  perform tests.risk_trade('W', 300);
  perform tests.risk_trade('L1', -100);
  perform tests.risk_trade('L2', -150);
end
$$;
select is((select circuit_breaker_active from walltrack.config), false,
  'W L L: 2 losses in a row, 3 closes below the sample of 4: nothing yet');

do $$ begin perform tests.risk_trade('L3', -200); end $$;
select results_eq(
  $$select event_type, trigger_reason, activation_event_id, round(current_drawdown_percent, 4), current_win_rate,
           consecutive_losses, daily_realized_pnl_usd
    from tests.risk_open_activation()$$,
  $$values ('activated'::text, 'consecutive_losses'::text, null::uuid, 4.3689::numeric, 25.00::numeric, 3, -150::numeric)$$,
  'the activation: consecutive_losses (checked before the win rate), with the metrics of the moment');
select results_eq(
  $$select max_drawdown_threshold, min_win_rate_threshold, consecutive_loss_threshold, daily_loss_limit_threshold
    from tests.risk_open_activation()$$,
  $$values (15.00::numeric, 40.00::numeric, 3, 500.00::numeric)$$,
  'and the thresholds of the moment');
select results_eq(
  $$select current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd
    from walltrack.circuit_breaker_metrics('simulation')$$,
  $$select current_drawdown_percent, current_win_rate, consecutive_losses, daily_realized_pnl_usd
    from tests.risk_open_activation()$$,
  'the recorded metrics are walltrack.circuit_breaker_metrics(''simulation'') of that moment, unrounded');
select is((select open_positions_at_activation from tests.risk_open_activation()), (select n + 2 from open_before),
  'the open positions at activation: the simulation ones open before plus this test''s two (live ones are the live breaker''s)');
select is((select unlock_at from tests.risk_open_activation()), now() + interval '90 minutes',
  'it unlocks by itself 90 minutes (the cooldown) after the activation');
select results_eq(
  $$select created_at, deactivated_at, new_positions_blocked from tests.risk_open_activation()$$,
  $$values (now(), null::timestamptz, 0)$$,
  'activated now, not yet deactivated, no entry blocked yet');
select results_eq(
  $$select circuit_breaker_active, circuit_breaker_activated_at from walltrack.config$$,
  $$values (true, now())$$,
  'config: the breaker is active since now');

-- A manual activation with a cooldown of 0 and another drawdown threshold.
do $$ begin perform walltrack.reset_circuit_breaker(); end $$;
update walltrack.config set circuit_breaker_unlock_minutes = 0, max_drawdown_percent = 12;
create temp table manual as select walltrack.activate_circuit_breaker('manual', 'simulation') as id;
select is((select id from manual), (select id from tests.risk_open_activation()),
  'activate_circuit_breaker(''manual'') returns the id of the new open activation');
select results_eq(
  $$select trigger_reason, unlock_at, max_drawdown_threshold from tests.risk_open_activation()$$,
  $$values ('manual'::text, null::timestamptz, 12.00::numeric)$$,
  'with a cooldown of 0 it never unlocks by itself (unlock_at null); the threshold is the new 12.00');

create temp table events_before as select count(*)::integer as n from walltrack.circuit_breaker_events;
select is(walltrack.activate_circuit_breaker('manual', 'simulation'), null::uuid, 'activating an active breaker returns null');
select is((select count(*)::integer from walltrack.circuit_breaker_events), (select n from events_before),
  'and writes no event');

select * from finish();
rollback;
