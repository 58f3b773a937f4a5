-- walltrack.refresh_performance recomputes every wallet's row in one set-based statement (no
-- per-wallet loop): a statement-level trigger on walltrack.performance, created for this test,
-- sees one INSERT ... ON CONFLICT DO UPDATE per call (its INSERT and UPDATE statement triggers
-- fire once each), however many wallets there are. Called twice, it gives the same values and
-- still one row per wallet (existing rows are updated in place), each stamped when calculated.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.performance_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Capital 10,000: the base of max_drawdown_percent.
update walltrack.config set capital_usd = 10000;

create temp table statements (op text not null, n serial);
create function pg_temp.count_statement() returns trigger
language plpgsql as $$
begin
  insert into statements (op) values (tg_op);
  return null;
end
$$;
create trigger pgtap_count_statements after insert or update on walltrack.performance
  for each statement execute function pg_temp.count_statement();

-- Three wallets of this test besides the seed's: one with a stale row, two without any yet.
do $$
begin
  perform tests.performance_wallet('One');
  perform tests.performance_wallet('Two');
  perform tests.performance_wallet('Three');
  perform tests.performance_position('One', 'One1', 100, '2 days', '1 day', 25, 2.0, 0.5);
  perform tests.performance_position('Two', 'Two1', 200, '2 days', '1 day', -20, 4.0, 1.5);
end
$$;
insert into walltrack.performance (wallet_id, last_calculated_at) values (tests.performance_wid('One'), now() - interval '1 day');
create temp table before as select wallet_id, id, last_calculated_at from walltrack.performance;
truncate statements;

select is(walltrack.refresh_performance(), (select count(*)::integer from walltrack.wallets),
  'the first call writes a row for every wallet');
select is(array(select op from statements order by op), array['INSERT', 'UPDATE'],
  'in one statement: one INSERT ... ON CONFLICT DO UPDATE, whatever the number of wallets');
select results_eq(
  $$select count(*)::integer, count(distinct wallet_id)::integer from walltrack.performance$$,
  $$select count(*)::integer, count(*)::integer from walltrack.wallets$$,
  'one row per wallet');
select set_eq(
  $$select wallet_id, id from walltrack.performance where wallet_id in (select wallet_id from before)$$,
  $$select wallet_id, id from before$$,
  'the rows that existed were updated in place');
select is_empty(
  $$select 1 from walltrack.performance where last_calculated_at <> now()$$,
  'every row is stamped calculated now (the stale ones too)');

create temp table first_values as
  select to_jsonb(pf) - array['updated_at', 'last_calculated_at'] as row from walltrack.performance pf;
truncate statements;

select is(walltrack.refresh_performance(), (select count(*)::integer from walltrack.wallets), 'the second call too');
select is(array(select op from statements order by op), array['INSERT', 'UPDATE'], 'again in one statement');
select set_eq(
  $$select to_jsonb(pf) - array['updated_at', 'last_calculated_at'] from walltrack.performance pf$$,
  $$select row from first_values$$,
  'the same rows with the same values: the refresh is idempotent');
select results_eq(
  $$select w.label, pf.total_positions, pf.total_pnl_usd, pf.median_copy_delay_seconds
    from walltrack.performance pf join walltrack.wallets w on w.id = pf.wallet_id
    where w.address like 'Test%' order by w.label$$,
  $$values ('test perf One'::text, 1, 25::numeric, 2.000::numeric), ('test perf Three', 0, 0, null),
           ('test perf Two', 1, -20, 4.000)$$,
  'and they are this test''s wallets'' figures');

select * from finish();
rollback;
