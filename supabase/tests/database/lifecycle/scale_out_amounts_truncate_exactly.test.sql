-- A scale-out level sells entry amount x its share, truncated to the mint's decimals, exactly: the
-- share is never rounded up, however large the position. 9,999,990,000,009.99999 tokens (6
-- decimals), one level of 12.5 % at 2x: 12.5 % is 1,249,998,750,001.24999875, truncated
-- 1,249,998,750,001.249998 (dividing by 100 rounded it to ...249999 before the truncation).
begin;
create extension if not exists pgtap with schema extensions;
select plan(2);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

do $$
begin
  perform tests.lifecycle_open_position('Big', 'Big', 1.00, 9999990000009.99999, 'Default',
    '{"scaling_levels": [{"multiplier": 2, "sell_percent": 12.5}]}');
  perform tests.lifecycle_tick('Big', 2.00);
end
$$;

select results_eq(
  $$select scaling_level, amount_in from walltrack.orders
     where position_id = tests.lifecycle_pos('Big') and order_type = 'exit_scaling'$$,
  $$values (1::smallint, 1249998750001.249998::numeric)$$,
  'the level sells 12.5 % truncated to 6 decimals: 1,249,998,750,001.249998, not one base unit more');
select ok((select amount_in * 100 <= 9999990000009.99999 * 12.5 from walltrack.orders
            where position_id = tests.lifecycle_pos('Big') and order_type = 'exit_scaling'),
  'never more than the share');

select * from finish();
rollback;
