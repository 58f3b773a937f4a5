-- walltrack.refresh_performance recomputes every wallet's row in one set-based statement (no
-- per-wallet loop): a statement-level trigger on walltrack.performance, created for this test,
-- sees one INSERT ... ON CONFLICT DO UPDATE per call (its INSERT and UPDATE statement triggers
-- fire once each), however many wallets there are. Called twice, it gives the same values and
-- still one row per wallet (existing rows are updated in place), each stamped when calculated.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestPerf' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters for an address, 88 for a transaction signature.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestPerf' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestPerfSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

-- Wallet 'Wa<tag>', labelled 'test perf <tag>', following the Default template.
create function pg_temp.wallet(tag text) returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, exit_strategy_id)
  select pg_temp.addr('Wa' || tag), 'test perf ' || tag, id from walltrack.exit_strategies where name = 'Default'
  returning id
$$;

-- The id of wallet 'Wa<tag>'.
create function pg_temp.wid(tag text) returns uuid
language sql stable as $$ select id from walltrack.wallets where address = pg_temp.addr('Wa' || tag) $$;

-- A position of wallet 'Wa<wallet_tag>' in its own token 'Tk<tag>', created (and entered at 1.00
-- for cost USD) `created_ago` before now, with the copy-quality figures given. With `closed_ago`
-- it was sold whole that long ago for realized PnL = pnl; without, it is still open.
create function pg_temp.position(wallet_tag text, tag text, cost numeric, created_ago interval,
                                 closed_ago interval default null, pnl numeric default 0,
                                 fill_delay numeric default null, slippage numeric default null,
                                 pos_id uuid default null)
returns uuid
language sql as $$
  with token as (
    insert into walltrack.tokens (address, symbol, decimals) values (pg_temp.addr('Tk' || tag), tag, 6) returning id
  )
  insert into walltrack.positions (
    id, wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd, entry_timestamp,
    current_amount, exit_price, exit_amount, realized_pnl_usd, exit_reason, closed_at, status,
    leader_price_usd, fill_delay_seconds, slippage_vs_leader_percent, created_at)
  select coalesce(pos_id, gen_random_uuid()), w.id, token.id, 'simulation', w.exit_strategy_id, 1.00, cost, cost,
         now() - created_ago,
         case when closed_ago is null then cost else 0 end,
         case when closed_ago is not null then 1 + pnl / cost end,
         case when closed_ago is null then 0 else cost end,
         case when closed_ago is not null then pnl else 0 end,
         case when closed_ago is not null then 'manual' end,
         now() - closed_ago,
         case when closed_ago is null then 'open' else 'closed' end,
         1.00, fill_delay, slippage, now() - created_ago
  from walltrack.wallets w, token
  where w.address = pg_temp.addr('Wa' || wallet_tag)
  returning id
$$;

-- A BUY signal of wallet 'Wa<wallet_tag>' received `received_ago` before now.
create function pg_temp.signal(wallet_tag text, tag text, received_ago interval) returns uuid
language sql as $$
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, webhook_received_at, raw_payload)
  select w.id, pg_temp.addr('TkSig' || tag), pg_temp.sig(tag), 'BUY', 'So11111111111111111111111111111111111111112',
         pg_temp.addr('TkSig' || tag), 1, 1000, now() - received_ago, '{}'
  from walltrack.wallets w where w.address = pg_temp.addr('Wa' || wallet_tag)
  returning id
$$;

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
  perform pg_temp.wallet('One');
  perform pg_temp.wallet('Two');
  perform pg_temp.wallet('Three');
  perform pg_temp.position('One', 'One1', 100, '2 days', '1 day', 25, 2.0, 0.5);
  perform pg_temp.position('Two', 'Two1', 200, '2 days', '1 day', -20, 4.0, 1.5);
end
$$;
insert into walltrack.performance (wallet_id, last_calculated_at) values (pg_temp.wid('One'), now() - interval '1 day');
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
    where w.address like 'TestPerf%' order by w.label$$,
  $$values ('test perf One'::text, 1, 25::numeric, 2.000::numeric), ('test perf Three', 0, 0, null),
           ('test perf Two', 1, -20, 4.000)$$,
  'and they are this test''s wallets'' figures');

select * from finish();
rollback;
