-- A new position snapshots the effective exit strategy of its wallet's template (ADR-002):
-- walltrack.effective_exit_strategy gives the template's exit fields with a position's override
-- merged on top, and the snapshot is that strategy frozen at opening: later template edits do not
-- reach it.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

insert into walltrack.exit_strategies
  (id, name, description, stop_loss_percent, trailing_stop_enabled, trailing_stop_percent,
   trailing_activation_multiplier, scaling_levels, mirror_exit_enabled, is_default, is_active)
values
  ('5a4e0000-0000-4000-8000-00000000e501', 'TestDecide Snapshot', 'for the snapshot test', 12.5, true, 9, 1.4,
   '[{"multiplier": 2, "sell_percent": 40}]', true, false, true),
  ('5a4e0000-0000-4000-8000-00000000e502', 'TestDecide Other', 'another template', 30, false, null, 1,
   '[]', false, false, true);

-- The template's exit fields; description, flags and timestamps are not part of a strategy.
create temp table template as
select '{"id": "5a4e0000-0000-4000-8000-00000000e501", "name": "TestDecide Snapshot", "stop_loss_percent": 12.50,
         "trailing_stop_enabled": true, "trailing_stop_percent": 9.00, "trailing_activation_multiplier": 1.4000,
         "scaling_levels": [{"multiplier": 2, "sell_percent": 40}], "mirror_exit_enabled": true,
         "max_hold_minutes": null, "mirror_mode": "full", "mirror_share_percent": 100.00, "mirror_fallback": "full"}'::jsonb as strategy;

select is(walltrack.effective_exit_strategy('5a4e0000-0000-4000-8000-00000000e501'), (select strategy from template),
  'without an override, the effective strategy is the template''s exit fields');
select is(walltrack.effective_exit_strategy('5a4e0000-0000-4000-8000-00000000e501', '{}'), (select strategy from template),
  'an empty override changes nothing');
select is(
  walltrack.effective_exit_strategy('5a4e0000-0000-4000-8000-00000000e501',
                                    '{"stop_loss_percent": 10, "mirror_exit_enabled": false}'),
  (select strategy || '{"stop_loss_percent": 10, "mirror_exit_enabled": false}' from template),
  'an override replaces the fields it names and keeps the others');
select is(walltrack.effective_exit_strategy('5a4e0000-0000-4000-8000-0000000000ff'), null,
  'an unknown template has no strategy');

do $$
begin
  perform tests.signals_wallet('Snap', strategy_name => 'TestDecide Snapshot');
  perform tests.signals_wallet('Other', strategy_name => 'TestDecide Other');
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Snap', 'Safe', 'Snap');
  perform tests.signals_signal('BUY', 'Other', 'Safe', 'Other');
end
$$;
do $$ begin perform tests.signals_process(array['Snap', 'Other']); end $$;
create temp view snapped as select * from walltrack.positions where signal_id = tests.signals_sid('Snap');

select is((select exit_strategy_id from snapped), '5a4e0000-0000-4000-8000-00000000e501'::uuid,
  'the position follows the wallet''s template');
select is((select exit_strategy_override from snapped), null, 'a new position has no override');
select is((select exit_strategy_snapshot from snapped), (select strategy from template),
  'the snapshot is the effective strategy of the wallet''s template');
select is(
  (select exit_strategy_snapshot from walltrack.positions where signal_id = tests.signals_sid('Other')),
  walltrack.effective_exit_strategy('5a4e0000-0000-4000-8000-00000000e502'),
  'another wallet''s position snapshots that wallet''s template');

-- The template changes after opening: the snapshot does not.
update walltrack.exit_strategies set stop_loss_percent = 25, mirror_exit_enabled = false
where id = '5a4e0000-0000-4000-8000-00000000e501';
select is((select exit_strategy_snapshot from snapped), (select strategy from template),
  'the snapshot is frozen at opening');
select is(walltrack.effective_exit_strategy('5a4e0000-0000-4000-8000-00000000e501') -> 'stop_loss_percent', '25.00'::jsonb,
  'while the template''s effective strategy follows the edit');

-- A position's override is merged over the template it follows.
update walltrack.positions set exit_strategy_override = '{"trailing_stop_percent": 5}'
where signal_id = tests.signals_sid('Snap');
select is(
  (select walltrack.effective_exit_strategy(exit_strategy_id, exit_strategy_override) from snapped),
  (select strategy || '{"stop_loss_percent": 25.00, "mirror_exit_enabled": false, "trailing_stop_percent": 5}'
   from template),
  'a position''s effective strategy is its template with its override on top');

select * from finish();
rollback;
