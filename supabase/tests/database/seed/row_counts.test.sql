-- Story 1.1's exact row counts, table by table: the seed adds 5 wallets, 8 tokens, 20 signals,
-- 12 positions, 18 orders, one performance row per wallet and one circuit-breaker
-- activation/deactivation pair, next to the config singleton and the 3 exit strategies that the
-- migrations insert (the seed must not add to those).
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

select is((select count(*) from walltrack.config), 1::bigint, 'config holds its single row');
select results_eq(
  $$ select name from walltrack.exit_strategies order by name $$,
  $$ values ('Aggressive'), ('Conservative'), ('Default') $$,
  'exit_strategies holds the 3 templates of the migrations and nothing more');
select is((select count(*) from walltrack.wallets), 5::bigint, 'wallets: 5 rows');
select is((select count(*) from walltrack.tokens), 8::bigint, 'tokens: 8 rows');
select is((select count(*) from walltrack.signals), 20::bigint, 'signals: 20 rows');
select is((select count(*) from walltrack.positions), 12::bigint, 'positions: 12 rows');
select is((select count(*) from walltrack.orders), 18::bigint, 'orders: 18 rows');
select is((select count(*) from walltrack.performance), 5::bigint, 'performance: 5 rows');
select is((select count(*) from walltrack.circuit_breaker_events), 2::bigint, 'circuit_breaker_events: 2 rows');
select is(
  (select count(distinct wallet_id) from walltrack.performance), 5::bigint,
  'performance: the 5 rows belong to 5 different wallets');

select * from finish();
rollback;
