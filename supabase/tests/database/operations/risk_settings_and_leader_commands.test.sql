-- The operator's commands of issue 14 (npm run risk:set, leader:limits, leader:pause, leader:unpause)
-- and what they read back (view leader_risk, walltrack.leader_risk_status, walltrack.sell_check_status):
-- each setting is set only through its CHECK constraint, an unknown one is named in the refusal,
-- and a refusal changes nothing.
begin;
create extension if not exists pgtap with schema extensions;
select plan(19);

set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); perform tests.signals_wallet('Cmd'); end $$;

select is(
  walltrack.set_risk_settings('{"leader_pause_after_losses": 3, "leader_max_exposure_usd": "2500.50", "sell_check_enabled": false}')
    - array['leader_max_open_positions', 'leader_loss_limit_usd', 'leader_loss_window_hours', 'leader_pause_minutes',
            'sell_check_ttl_minutes', 'sell_check_max_round_trip_loss_percent', 'sell_check_max_price_impact_percent',
            'sell_check_max_transfer_fee_bps'],
  '{"leader_pause_after_losses": 3, "leader_max_exposure_usd": 2500.50, "sell_check_enabled": false}'::jsonb,
  'risk:set writes each setting with its column''s type and answers every risk setting');
select is((select leader_max_exposure_usd from walltrack.config), 2500.50, 'the exposure cap is exact');
select is(walltrack.set_risk_settings('{"leader_max_exposure_usd": null}') -> 'leader_max_exposure_usd', 'null'::jsonb,
  'a JSON null clears a nullable limit: no cap');
select throws_ok($$select walltrack.set_risk_settings('{"sell_check_max_round_trip_loss_percent": 0}')$$, '23514', null,
  'a bad value is refused by its CHECK constraint');
select throws_ok($$select walltrack.set_risk_settings('{"leader_pause_minutes": null}')$$, '23502', null,
  'a setting that must have a value cannot be cleared');
select throws_ok($$select walltrack.set_risk_settings('{"capital_usd": 1}')$$, 'P0001',
  'unknown risk setting capital_usd: one of leader_max_open_positions, leader_max_exposure_usd, leader_pause_after_losses, leader_loss_limit_usd, leader_loss_window_hours, leader_pause_minutes, sell_check_enabled, sell_check_ttl_minutes, sell_check_max_round_trip_loss_percent, sell_check_max_price_impact_percent, sell_check_max_transfer_fee_bps',
  'a setting that is not a risk setting is refused, naming the ones that are');
select throws_ok($$select walltrack.set_risk_settings('{"leader_pause_minutes": 5, "leader_loss_window_hours": 0}')$$, '23514', null,
  'a refusal of one setting ...');
select is((select leader_pause_minutes from walltrack.config), 240, '... changes none of the others');

-- A leader's own limits.
select is((walltrack.set_leader_limits(tests.addr('WaCmd'), '{"max_open_positions": 2, "loss_limit_usd": 75}')).max_open_positions,
  2, 'leader:limits sets the wallet''s own cap');
select throws_ok($$select walltrack.set_leader_limits(tests.addr('WaCmd'), '{"max_open_positions": 0}')$$, '23514', null,
  'a cap of 0 is refused');
select throws_ok($$select walltrack.set_leader_limits(tests.addr('WaCmd'), '{"max_positions": 2}')$$, 'P0001',
  'unknown leader limit max_positions: one of max_open_positions, max_exposure_usd, pause_after_losses, loss_limit_usd',
  'an unknown limit is named');
select throws_ok($$select walltrack.set_leader_limits(tests.addr('WaNobody'), '{"max_open_positions": 2}')$$, 'P0002', null,
  'a wallet not on the watchlist is refused');

-- Pause and unpause by hand.
select is((walltrack.pause_leader(tests.addr('WaCmd'), 30)).trigger_reason, 'manual', 'leader:pause records a manual pause');
select throws_ok($$select walltrack.pause_leader(tests.addr('WaCmd'))$$, 'P0001', null, 'pausing a paused leader is refused');
select results_eq(
  $$select max_open_positions, loss_limit_usd, paused_for, paused_until > now() + interval '29 minutes'
    from walltrack.leader_risk where address = tests.addr('WaCmd')$$,
  $$values (2, 75.00::numeric, 'manual'::text, true)$$,
  'the leader_risk view shows its limits in force and its pause');
select is((select count(*)::integer from jsonb_array_elements(walltrack.leader_risk_status() -> 'paused') p
           where p ->> 'wallet' = tests.addr('WaCmd')), 1, 'leader_risk_status lists it among the paused');
select is((walltrack.unpause_leader(tests.addr('WaCmd'))).event_type, 'unpaused', 'leader:unpause ends it');
select is((select paused_for from walltrack.leader_risk where address = tests.addr('WaCmd')), null, 'no longer shown paused');

select is(walltrack.sell_check_status() - 'tokens_checked_24h' - 'refused_24h', '{"enabled": false}'::jsonb,
  'sell_check_status says whether the check is on');

select * from finish();
rollback;
