-- Every change of current_price recomputes, in walltrack.recompute_position_pnl, the unrealized
-- PnL (remaining amount x (price - entry)), the current PnL (realized + unrealized) and the peak
-- price; an exit changes the remaining amount and the realized part. Default strategy, entry
-- 1.00 x 1,000 (prices chosen between the stop 0.80 and the trailing activation 1.50):
--   1.20  unrealized 1,000 x 0.20 = 200, current 200, peak 1.20
--   1.40  unrealized 400, peak 1.40
--   1.10  unrealized 100, the peak stays 1.40
--   400 sold at 1.30 (realized 400 x 0.30 = 120): unrealized 600 x 0.10 = 60, current 180
--   0.90  unrealized 600 x -0.10 = -60, current 120 - 60 = 60
--   the 600 sold at 0.90: realized 120 - 60 = 60, unrealized 0, current 60
-- A position whose entry has not filled is priced too, without PnL or peak.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.lifecycle_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- SOL is worth 200 USD here.
-- The temporary functions below are this test's own (gone at rollback).

do $$
begin
  perform tests.lifecycle_open_position('P', 'P', 1.00, 1000);
  perform tests.lifecycle_open_pending('W', 'P', 1.00, 500);
end
$$;

create function pg_temp.pnl() returns table (
  unrealized_pnl_usd numeric, realized_pnl_usd numeric, current_pnl_usd numeric, peak_price numeric)
language sql stable as $$
  select unrealized_pnl_usd, realized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions
  where id = tests.lifecycle_pos('P')
$$;

do $$ begin perform tests.lifecycle_tick('P', 1.20); end $$;
select results_eq($$select * from pg_temp.pnl()$$, $$values (200::numeric, 0::numeric, 200::numeric, 1.20::numeric)$$,
  '1.20: unrealized 1,000 x 0.20 = 200, current 200, peak 1.20');
do $$ begin perform tests.lifecycle_tick('P', 1.40); end $$;
select results_eq($$select * from pg_temp.pnl()$$, $$values (400::numeric, 0::numeric, 400::numeric, 1.40::numeric)$$,
  '1.40: unrealized 400, a new peak 1.40');
do $$ begin perform tests.lifecycle_tick('P', 1.10); end $$;
select results_eq($$select * from pg_temp.pnl()$$, $$values (100::numeric, 0::numeric, 100::numeric, 1.40::numeric)$$,
  '1.10: unrealized 100, the peak stays 1.40');

do $$ begin perform tests.lifecycle_exit_order(tests.lifecycle_pos('P'), 'exit_mirror', 400, 'executed', 1.30); end $$;
select results_eq($$select * from pg_temp.pnl()$$, $$values (60::numeric, 120::numeric, 180::numeric, 1.40::numeric)$$,
  '400 sold at 1.30: realized 120, unrealized 600 x (1.10 - 1.00) = 60, current 180');
do $$ begin perform tests.lifecycle_tick('P', 0.90); end $$;
select results_eq($$select * from pg_temp.pnl()$$, $$values ((-60)::numeric, 120::numeric, 60::numeric, 1.40::numeric)$$,
  '0.90: unrealized 600 x -0.10 = -60, current 120 - 60 = 60');

select results_eq(
  $$select current_price, unrealized_pnl_usd, current_pnl_usd, peak_price from walltrack.positions
    where id = tests.lifecycle_pos('W')$$,
  $$values (0.90::numeric, 0::numeric, 0::numeric, null::numeric)$$,
  'the position waiting for its entry got the price, and no PnL nor peak');

do $$ begin perform tests.lifecycle_exit_order(tests.lifecycle_pos('P'), 'exit_manual', 600, 'executed', 0.90); end $$;
select results_eq($$select * from pg_temp.pnl()$$, $$values (0::numeric, 60::numeric, 60::numeric, 1.40::numeric)$$,
  'the 600 left sold at 0.90: realized 120 - 60 = 60, nothing unrealized, current 60');
select is((select status from walltrack.positions where id = tests.lifecycle_pos('P')), 'closed', 'and the position is closed');

select is_empty($$select * from tests.lifecycle_broken_invariants()$$,
  'invariants hold: entry = current + exits, realized = exits'' PnL, closed holds nothing');

select * from finish();
rollback;
