-- exit_strategies.scaling_levels must be an array of at most 10 {"multiplier", "sell_percent"} levels
-- (no other key):
-- numeric multipliers above 1, strictly increasing; sell percents in (0, 100] summing to at most
-- 100. walltrack.scaling_levels_are_valid() decides it, and the CHECK
-- exit_strategies_scaling_levels_valid applies it to every row.
begin;
create extension if not exists pgtap with schema extensions;
select plan(28);

select is(
  walltrack.scaling_levels_are_valid(levels::jsonb),
  expected,
  format('%s: %s', case when expected then 'accepted' else 'rejected' end, why)
)
from (values
  ('[]', true, 'no levels (everything rides)'),
  ('[{"multiplier": 2, "sell_percent": 50}, {"multiplier": 3, "sell_percent": 25}]', true,
   'the Default levels'),
  ('[{"multiplier": 1.5, "sell_percent": 33}, {"multiplier": 2, "sell_percent": 33}, {"multiplier": 3, "sell_percent": 34}]',
   true, 'levels selling exactly 100 %'),
  ('[{"multiplier": 1.01, "sell_percent": 100}]', true, 'one level just above 1x selling everything'),
  ('[{"multiplier": 2, "sell_percent": 0.5}]', true, 'a fractional sell percent'),
  ('{"multiplier": 2, "sell_percent": 50}', false, 'an object instead of an array'),
  ('"2x"', false, 'a string instead of an array'),
  ('null', false, 'a JSON null instead of an array'),
  ('[{"multiplier": 1, "sell_percent": 50}]', false, 'a multiplier of 1'),
  ('[{"multiplier": 0.5, "sell_percent": 50}]', false, 'a multiplier below 1'),
  ('[{"multiplier": 2, "sell_percent": 0}]', false, 'a sell percent of 0'),
  ('[{"multiplier": 2, "sell_percent": 101}]', false, 'a sell percent above 100'),
  ('[{"multiplier": 3, "sell_percent": 25}, {"multiplier": 2, "sell_percent": 25}]', false,
   'decreasing multipliers'),
  ('[{"multiplier": 2, "sell_percent": 25}, {"multiplier": 2, "sell_percent": 25}]', false,
   'a repeated multiplier'),
  ('[{"multiplier": 2, "sell_percent": 60}, {"multiplier": 3, "sell_percent": 50}]', false,
   'sell percents summing above 100'),
  ('[{"multiplier": "2", "sell_percent": 50}]', false, 'a multiplier given as a string'),
  ('[{"multiplier": 2, "sell_percent": "50"}]', false, 'a sell percent given as a string'),
  ('[{"multiplier": 2}]', false, 'a level without sell_percent'),
  ('[{"sell_percent": 50}]', false, 'a level without multiplier'),
  ('[{"multiplier": 2, "sell_percent": 50}, {"multiplier": 3}]', false,
   'a valid level followed by one without sell_percent'),
  ('[{}]', false, 'an empty level'),
  ('[5]', false, 'a number instead of a level'),
  ('[{"multiplier": 2, "sell_percent": 50, "note": "x"}]', false, 'a level with a key it does not know'),
  ('[{"multiplier": 2, "sell_percent": 50, "sell_pct": 20}]', false, 'a misspelt key beside the right ones'),
  ((select jsonb_agg(jsonb_build_object('multiplier', 1 + k, 'sell_percent', 10))::text from generate_series(1, 10) k),
   true, 'ten levels'),
  ((select jsonb_agg(jsonb_build_object('multiplier', 1 + k, 'sell_percent', 1))::text from generate_series(1, 11) k),
   false, 'eleven levels (at most 10)'),
  ((select jsonb_agg(jsonb_build_object('multiplier', 1 + k * 0.001, 'sell_percent', 0.01))::text from generate_series(1, 2400) k),
   false, '2,400 levels')
) as t(levels, expected, why)
order by expected desc, why;

select throws_ok(
  $$insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent, scaling_levels)
    values ('pgTAP half level', 20, 15, '[{"multiplier": 2}]')$$,
  '23514',
  'new row for relation "exit_strategies" violates check constraint "exit_strategies_scaling_levels_valid"',
  'an exit strategy with a level missing its sell percent is refused'
);

select * from finish();
rollback;
