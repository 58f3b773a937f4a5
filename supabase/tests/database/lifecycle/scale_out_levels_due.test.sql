-- Scale-out as a rule of its own (walltrack.scale_out_levels_due), on 1,000 tokens bought at 1.00
-- USD with levels x2 25 %, x3 25 %, x5 50 %: each level due at the price and not fired yet sells
-- its share of the ORIGINAL amount, cut to whole token units (uncut when the decimals are unknown),
-- the last level what remains, all within what exits in flight leave. Through the price ticks:
-- price_gap_through_levels_sells_each_share, scenario_*.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;

create temp table pos as select tests.lifecycle_open_position('Scale', 'Scale', 1.00, 1000) as id;
create temp table levels as select '{"scaling_levels": [{"multiplier": 2, "sell_percent": 25},
  {"multiplier": 3, "sell_percent": 25}, {"multiplier": 5, "sell_percent": 50}]}'::jsonb as strategy;
-- The levels due at `price` with `available` tokens to sell, as 'level:percent:amount' words.
create function pg_temp.due(price numeric, available numeric default 1000, changes jsonb default '{}') returns text
language sql as $$
  select coalesce(string_agg(format('%s:%s:%s', d.level, d.sell_percent, d.amount), ' ' order by d.level), 'none')
  from walltrack.positions p,
       walltrack.scale_out_levels_due(jsonb_populate_record(p, jsonb_build_object('current_price', price) || changes),
                                      (select strategy from levels), available) d
  where p.id = (select id from pos)
$$;

select is(pg_temp.due(1.99), 'none', 'below x2: nothing due');
select is(pg_temp.due(2.00), '1:25:250', 'x2: the first level sells 25 % of 1,000');
select is(pg_temp.due(3.50, 750, '{"scaling_levels_fired": [1]}'), '2:25:250',
  'x3.5 with the first fired: the second, still 25 % of the original 1,000');
select is(pg_temp.due(6.00), '1:25:250 2:25:250 3:50:500', 'a gap through every level fires each, the last sells the rest');
select is(pg_temp.due(6.00, 600), '1:25:250 2:25:250 3:50:100',
  'with 400 already on their way out, the last level sells the 100 that remain');
select is(pg_temp.due(6.00, 200), '1:25:200',
  'with 200 left, the first level sells them and the others, with nothing to sell, wait');

select is(pg_temp.due(2.00, 1000, '{"entry_amount": 333.3333333}'), '1:25:83.333333', 'a share is cut to the token''s 6 decimals: 83.333333325 -> 83.333333');
update walltrack.tokens set decimals = null where id = (select token_id from walltrack.positions where id = (select id from pos));
select is(pg_temp.due(2.00, 1000, '{"entry_amount": 333.3333333}'), '1:25:83.333333325', 'with the decimals unknown, sold as computed, never cut at a guessed unit');

select * from finish();
rollback;
