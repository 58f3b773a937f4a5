-- The mirror settings an operator sets: a template's (walltrack.set_strategy_mirror, whose bad
-- values the CHECK constraints refuse with nothing changed) and an open position's override
-- (walltrack.override_position_strategy), validated as the template's.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

set local client_min_messages = error;

select is(walltrack.set_strategy_mirror('Conservative', 'proportional', 60, 'none'),
  '{"name": "Conservative", "mirror_mode": "proportional", "mirror_share_percent": 60.00, "mirror_fallback": "none"}'::jsonb,
  'a template''s mode, share and fallback are set');
select is((select format('%s %s', mirror_mode, mirror_exit_enabled::text) from walltrack.exit_strategies where name = 'Conservative'),
  'proportional true', 'the on/off switch follows the mode');
select is((select walltrack.set_strategy_mirror('Conservative', 'off') ->> 'mirror_share_percent'), '60.00',
  'a null keeps the other settings');
select is((select mirror_exit_enabled from walltrack.exit_strategies where name = 'Conservative'), false,
  'mode off turns the switch off');
select throws_ok($$select walltrack.set_strategy_mirror('Conservative', share_percent => 120)$$, '23514', null,
  'a share above 100 % is refused');
select throws_ok($$select walltrack.set_strategy_mirror('Nope', 'full')$$, 'P0002', 'no exit strategy named Nope',
  'an unknown template is named');

do $$ begin perform tests.lifecycle_open_position('MirOv', 'MirOv', 0.0001, 1000000); end $$;
select is(
  (select walltrack.override_position_strategy(tests.lifecycle_pos('MirOv'),
     '{"mirror_mode": "proportional", "mirror_share_percent": 25.5, "mirror_fallback": "none"}')
     - array['id', 'name', 'stop_loss_percent', 'trailing_stop_enabled', 'trailing_stop_percent',
             'trailing_activation_multiplier', 'scaling_levels', 'mirror_exit_enabled', 'max_hold_minutes']),
  '{"mirror_mode": "proportional", "mirror_share_percent": 25.5, "mirror_fallback": "none"}'::jsonb,
  'an open position takes the three mirror settings as an override');
select throws_ok(
  $$select walltrack.override_position_strategy(tests.lifecycle_pos('MirOv'), '{"mirror_share_percent": 0}')$$,
  '22023', null, 'a share of 0 % is refused');
select throws_ok(
  $$select walltrack.override_position_strategy(tests.lifecycle_pos('MirOv'), '{"mirror_mode": "half"}')$$,
  '22023', 'invalid override {"mirror_mode": "half"}: mirror_mode off, full or proportional; mirror_share_percent in (0, 100] with at most 2 decimals; mirror_fallback full or none',
  'an unknown mode is refused, naming what is allowed');

select * from finish();
rollback;
