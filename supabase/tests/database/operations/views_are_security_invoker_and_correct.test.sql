-- The six views an operator reads in Supabase Studio are security_invoker (they run with the
-- reader's rights) and show what they say:
--   open_positions_overview  every open position, with live PnL in %, its effective strategy, the
--                            stop-loss and (once armed) trailing-stop prices, scale-out levels
--                            fired and any exit in flight. Wallet View:
--     V1  Default, 500 at 2.00 (cost 1,000), priced 3.00: +500 = 50.00 %; stop 2.00 x 0.80 = 1.60;
--         armed (3.00 >= 2.00 x 1.5), trailing 3.00 x 0.85 = 2.55; no level (4.00 and 6.00)
--     V2  Conservative with the stop overridden to 10 %, 1,000 at 1.00, priced 0.95: -5.00 %;
--         stop 0.90; not armed (below 1.30); a manual exit in flight
--     V3  Default, 1,000 at 1.00, priced 2.00: +100.00 %; level 1 (2x) fired, its exit in flight;
--         armed, trailing 2.00 x 0.85 = 1.70
--     V4  closed: not shown
--   wallet_leaderboard       wallets ranked by their performance row's realized PnL
--   signal_funnel            per UTC day (on day D, 60 days ago, nothing else happened):
--     08:00 BUY opened (position since closed), 09:00 BUY opened (open), 10:00 and 11:00 BUYs
--     filtered circuit_breaker, 12:00 and 23:30 BUYs filtered cooldown, 13:00 SELL filtered
--     no_open_position, 14:00 SELL mirrored (an exit order), 15:00 BUY not processed yet;
--     D + 1 00:30 a BUY filtered duplicate (read from a session in UTC-8, where both 23:30 and
--     00:30 fall on D: the days are UTC days)
--     D:     9 received, 7 buys, 2 sells, 1 unprocessed, 5 filtered {circuit_breaker 2, cooldown 2,
--            no_open_position 1}, 2 opened, 1 of them closed
--     D + 1: 1 received, 1 buy, 0 sells, 0 unprocessed, 1 filtered {duplicate 1}, 0 opened
--   results_by_exit_reason   (the seed closes none by mirror or scaling)
--     mirror   +50 on 100, -20 on 200, 0 on 100: 3, 1 win, 33.33 %, average 10.00 USD and
--              (50 - 10 + 0) / 3 = 13.33 %, total 30
--     scaling  +300 on 100: 1, 1 win, 100.00 %, 300.00 USD, 300.00 %, total 300
--   copy_quality             wallet Copy: filled entries with decision delays 1, 2, 6 s, fill
--                            delays 2, 3, 10 s, slippage 0.5, 1.5, -1 % (and one entry never
--                            filled): 3 positions, medians 2.000 s, 3.000 s, worst 10.000 s,
--                            median slippage 0.5000 %, average 0.3333 %; wallet Idle: 0, nothing
--   cron_job_health          every walltrack-* pg_cron job, with its last run, status, message, and
--                            its runs and failures in the last 24 h
begin;
create extension if not exists pgtap with schema extensions;
select plan(32);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
-- The temporary functions below are this test's own (gone at rollback).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- A position of wallet 'Wa<wallet_tag>' in its own token 'Tk<tag>': amount tokens entered at
-- entry_price (null: not filled) with the wallet's template as snapshot and the override given,
-- created `created_ago` ago with the copy figures given; closed with `pnl` and `reason` when
-- `reason` is given. Returns its id.
create function pg_temp.position(wallet_tag text, tag text, entry_price numeric, amount numeric,
                                 override jsonb default null, reason text default null, pnl numeric default 0,
                                 decision_delay numeric default null, fill_delay numeric default null,
                                 slippage numeric default null, signal uuid default null)
returns uuid
language sql as $$
  with token as (
    insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('Tk' || tag), tag, 6)
    on conflict (address) do update set symbol = excluded.symbol
    returning id
  )
  insert into walltrack.positions (
    wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot, exit_strategy_override,
    entry_price, entry_amount, entry_value_usd, entry_timestamp, current_amount, current_price,
    exit_price, exit_amount, realized_pnl_usd, exit_reason, closed_at, status,
    decision_delay_seconds, fill_delay_seconds, slippage_vs_leader_percent)
  select w.id, token.id, signal, 'simulation', w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id),
         override, entry_price, case when entry_price is not null then amount end, entry_price * amount,
         case when entry_price is not null then now() - interval '1 day' end,
         case when reason is null and entry_price is not null then amount else 0 end, entry_price,
         case when reason is not null then entry_price + pnl / amount end,
         case when reason is not null then amount else 0 end,
         case when reason is not null then pnl else 0 end, reason,
         case when reason is not null then now() - interval '1 hour' end,
         case when reason is null then 'open' else 'closed' end,
         decision_delay, fill_delay, slippage
  from walltrack.wallets w, token
  where w.address = tests.addr('Wa' || wallet_tag)
  returning id
$$;

-- The price monitor observes token 'Tk<tag>' at price USD.
create function pg_temp.tick(tag text, price numeric) returns jsonb
language sql as $$
  select walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.addr('Tk' || tag), 'usd', price, 'source', 'test')))
$$;

-- A signal of wallet 'Wa<wallet_tag>' received at `at`, decided as `outcome` (a filter reason,
-- 'opened', 'exit' or null: not processed); position_id for 'opened' and 'exit'.
create function pg_temp.signal(wallet_tag text, tag text, signal_type text, at timestamptz, outcome text,
                               pos uuid default null)
returns uuid
language plpgsql as $$
declare
  signal_id uuid;
begin
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, webhook_received_at, raw_payload)
  values (tests.operations_wid(wallet_tag), tests.addr('TkF' || tag), tests.sig(tag), signal_type,
          case when signal_type = 'BUY' then 'So11111111111111111111111111111111111111112' else tests.addr('TkF' || tag) end,
          case when signal_type = 'BUY' then tests.addr('TkF' || tag) else 'So11111111111111111111111111111111111111112' end,
          1, 1000, at, '{}')
  returning id into signal_id;
  if outcome is not null then
    update walltrack.signals
       set filtered = outcome not in ('opened', 'exit'),
           filter_reason = case when outcome not in ('opened', 'exit') then outcome end,
           position_created = outcome = 'opened', position_id = pos, processed_at = at + interval '1 second'
     where id = signal_id;
  end if;
  return signal_id;
end
$$;

-- What the views are.
select views_are('walltrack',
  array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason', 'copy_quality',
        'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels', 'leader_risk',
                  'shadow_book', 'shadow_book_by_filter', 'copied_trades', 'audit_trail', 'recent_notifications'],
  'walltrack has exactly the designed operator views');
select ok(
  (select c.reloptions @> array['security_invoker=true'] from pg_catalog.pg_class c
   where c.oid = to_regclass('walltrack.' || view_name)),
  format('walltrack.%s is security_invoker', view_name))
from unnest(array['open_positions_overview', 'wallet_leaderboard', 'signal_funnel', 'results_by_exit_reason',
                  'copy_quality', 'cron_job_health', 'edge_function_call_health',
                  'equity_curve', 'circuit_breaker_state', 'open_position_scale_out_levels', 'leader_risk',
                  'shadow_book', 'shadow_book_by_filter', 'copied_trades', 'audit_trail', 'recent_notifications']) as v(view_name)
order by view_name;
select is(
  array(select c.relname::text from pg_catalog.pg_class c
        where c.relnamespace = 'walltrack'::regnamespace and c.relkind = 'v'
          and coalesce(btrim(pg_catalog.obj_description(c.oid, 'pg_class')), '') = '' order by 1),
  '{}'::text[],
  'every view has a comment');

-- open_positions_overview
do $$
begin
  perform tests.operations_wallet('View');
  perform tests.operations_wallet('ViewC', strategy_name => 'Conservative');
  perform pg_temp.position('View', 'V1', 2.00, 500);
  perform pg_temp.position('ViewC', 'V2', 1.00, 1000, override => '{"stop_loss_percent": 10}');
  perform pg_temp.position('View', 'V3', 1.00, 1000);
  perform pg_temp.position('View', 'V4', 1.00, 1000, reason => 'manual', pnl => 100);
  perform pg_temp.tick('V1', 3.00);
  perform pg_temp.tick('V2', 0.95);
  perform pg_temp.tick('V3', 2.00);
  perform walltrack.close_position_manually(p.id)
  from walltrack.positions p join walltrack.tokens t on t.id = p.token_id where t.address = tests.addr('TkV2');
end
$$;

select set_eq(
  $$select position_id from walltrack.open_positions_overview$$,
  $$select id from walltrack.positions where status = 'open'$$,
  'open_positions_overview shows every open position, and only those');
select results_eq(
  $$select wallet, symbol, current_pnl_usd, pnl_percent, strategy, stop_loss_price, trailing_stop_armed,
           trailing_stop_price, scaling_levels_fired, scaling_levels_total, exit_in_flight
    from walltrack.open_positions_overview where token::text in (tests.addr('TkV1'), tests.addr('TkV2'), tests.addr('TkV3'))
    order by symbol$$,
  $$values ('test View'::text, 'V1'::text, 500::numeric, 50.00::numeric, 'Default'::text, 1.60::numeric, true,
            2.55::numeric, '{}'::smallint[], 2, null::text),
           ('test ViewC', 'V2', -50, -5.00, 'Conservative', 0.90, false, null, '{}', 3, 'exit_manual'),
           ('test View', 'V3', 1000, 100.00, 'Default', 0.80, true, 1.70, '{1}', 2, 'exit_scaling')$$,
  'each with its live PnL %, strategy, stop and trailing prices, levels fired and exit in flight');
select is(
  (select exit_strategy_override from walltrack.open_positions_overview where token::text = tests.addr('TkV2')),
  '{"stop_loss_percent": 10}'::jsonb, 'and its override');

-- wallet_leaderboard
insert into walltrack.performance (wallet_id, total_positions, winning_positions, losing_positions, win_rate, total_pnl_usd)
values (tests.operations_wid('View'), 4, 3, 1, 75, 1000000000), (tests.operations_wid('ViewC'), 2, 1, 1, 50, 999999999);
select results_eq(
  $$select wallet, address::text, mode, is_active, total_positions, win_rate, total_pnl_usd, rank
    from walltrack.wallet_leaderboard where address::text like 'Test%' order by rank$$,
  $$values ('test View'::text, tests.addr('WaView'), 'simulation'::text, true, 4, 75.00::numeric, 1000000000::numeric, 1::bigint),
           ('test ViewC', tests.addr('WaViewC'), 'simulation', true, 2, 50.00, 999999999, 2)$$,
  'wallet_leaderboard ranks wallets by realized PnL (these two are far ahead of anyone)');
select is((select count(*)::integer from walltrack.wallet_leaderboard), (select count(*)::integer from walltrack.performance),
  'one line per performance row');

-- signal_funnel
create temp table d as select (now() at time zone 'UTC')::date - 60 as day;
create function pg_temp.at(hours text, days integer default 0) returns timestamptz
language sql stable as $$ select ((select day from d) + days)::timestamp at time zone 'UTC' + hours::interval $$;
do $$
declare
  s1 uuid;
  s2 uuid;
  p1 uuid;
  p2 uuid;
begin
  perform tests.operations_wallet('Funnel');
  s1 := pg_temp.signal('Funnel', 'F1', 'BUY', pg_temp.at('08:00'), null);
  s2 := pg_temp.signal('Funnel', 'F2', 'BUY', pg_temp.at('09:00'), null);
  p1 := pg_temp.position('Funnel', 'F1', 1.00, 1000, reason => 'manual', pnl => 10, signal => s1);
  p2 := pg_temp.position('Funnel', 'F2', 1.00, 1000, signal => s2);
  update walltrack.signals set position_created = true, position_id = p1, processed_at = pg_temp.at('08:00:01') where id = s1;
  update walltrack.signals set position_created = true, position_id = p2, processed_at = pg_temp.at('09:00:01') where id = s2;
  perform pg_temp.signal('Funnel', 'F3', 'BUY', pg_temp.at('10:00'), 'circuit_breaker');
  perform pg_temp.signal('Funnel', 'F4', 'BUY', pg_temp.at('11:00'), 'circuit_breaker');
  perform pg_temp.signal('Funnel', 'F5', 'BUY', pg_temp.at('12:00'), 'cooldown');
  perform pg_temp.signal('Funnel', 'F6', 'BUY', pg_temp.at('23:30'), 'cooldown');
  perform pg_temp.signal('Funnel', 'F7', 'SELL', pg_temp.at('13:00'), 'no_open_position');
  perform pg_temp.signal('Funnel', 'F8', 'SELL', pg_temp.at('14:00'), 'exit', p2);
  perform pg_temp.signal('Funnel', 'F9', 'BUY', pg_temp.at('15:00'), null);
  perform pg_temp.signal('Funnel', 'F10', 'BUY', pg_temp.at('00:30', 1), 'duplicate');
end
$$;
set local timezone = 'America/Los_Angeles';
select results_eq(
  $$select day, received, buys, sells, unprocessed, filtered, filtered_by_reason, positions_opened, positions_closed
    from walltrack.signal_funnel where day between (select day from d) and (select day + 1 from d) order by day$$,
  $$select day, 9::bigint, 7::bigint, 2::bigint, 1::bigint, 5::bigint,
           '{"circuit_breaker": 2, "cooldown": 2, "no_open_position": 1}'::jsonb, 2::bigint, 1::bigint from d
    union all
    select day + 1, 1, 1, 0, 0, 1, '{"duplicate": 1}', 0, 0 from d$$,
  'signal_funnel: per UTC day, received (buys, sells), unprocessed, filtered by reason, opened, closed');
reset timezone;

-- results_by_exit_reason
do $$
begin
  perform tests.operations_wallet('Exits');
  perform pg_temp.position('Exits', 'M1', 1.00, 100, reason => 'mirror', pnl => 50);
  perform pg_temp.position('Exits', 'M2', 1.00, 200, reason => 'mirror', pnl => -20);
  perform pg_temp.position('Exits', 'M3', 1.00, 100, reason => 'mirror', pnl => 0);
  perform pg_temp.position('Exits', 'S1', 1.00, 100, reason => 'scaling', pnl => 300);
end
$$;
select results_eq(
  $$select exit_reason, positions, wins, win_rate, average_pnl_usd, average_pnl_percent, total_pnl_usd
    from walltrack.results_by_exit_reason where exit_reason in ('mirror', 'scaling') order by exit_reason$$,
  $$values ('mirror'::text, 3::bigint, 1::bigint, 33.33::numeric, 10.00::numeric, 13.33::numeric, 30::numeric),
           ('scaling', 1, 1, 100.00, 300.00, 300.00, 300)$$,
  'results_by_exit_reason: count, wins, win rate, average PnL (USD and %), total');
select is(
  array(select exit_reason from walltrack.results_by_exit_reason order by 1),
  array(select distinct exit_reason from walltrack.positions where status = 'closed' order by 1),
  'one line per exit reason of the closed positions');

-- copy_quality
do $$
begin
  perform tests.operations_wallet('Copy');
  perform tests.operations_wallet('Idle');
  perform pg_temp.position('Copy', 'C1', 1.00, 100, decision_delay => 1, fill_delay => 2, slippage => 0.5);
  perform pg_temp.position('Copy', 'C2', 1.00, 100, decision_delay => 2, fill_delay => 3, slippage => 1.5);
  perform pg_temp.position('Copy', 'C3', 1.00, 100, reason => 'manual', pnl => 5, decision_delay => 6, fill_delay => 10,
                           slippage => -1);
  perform pg_temp.position('Copy', 'C4', null, 100, decision_delay => 30);
end
$$;
select results_eq(
  $$select wallet, positions, median_decision_delay_seconds, median_fill_delay_seconds, worst_fill_delay_seconds,
           median_slippage_vs_leader_percent, average_slippage_vs_leader_percent
    from walltrack.copy_quality where wallet in ('test Copy', 'test Idle') order by wallet$$,
  $$values ('test Copy'::text, 3::bigint, 2.000::numeric, 3.000::numeric, 10.000::numeric, 0.5000::numeric, 0.3333::numeric),
           ('test Idle', 0, null, null, null, null, null)$$,
  'copy_quality: per wallet, over its filled entries, medians of the delays and the slippage, the worst delay');
select is((select count(*)::integer from walltrack.copy_quality), (select count(*)::integer from walltrack.wallets),
  'one line per wallet');

-- cron_job_health: a job of this test, never run by the scheduler (it is not committed), with
-- runs written as the scheduler writes them. As on Supabase, postgres may not take a run id from
-- pg_cron's sequence (only the scheduler does), so the runs bring their own ids, far above its.
create temp table test_job as
  select cron.schedule('walltrack-test-health', '0 3 * * *', 'select 1') as jobid,
         cron.schedule('other-test-job', '0 4 * * *', 'select 1') as other_jobid;
select throws_ok(
  $$insert into cron.job_run_details (jobid, command, status) select jobid, 'select 1', 'succeeded' from test_job$$,
  '42501', 'permission denied for sequence runid_seq',
  'postgres cannot write a run as the scheduler does (Supabase''s pg_cron grants)');
insert into cron.job_run_details (runid, jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select 9000000000 + row_number() over (), jobid, 1, 'postgres', 'postgres', 'select 1', v.status, v.message,
       now() - v.ago::interval, now() - v.ago::interval
from test_job, (values ('succeeded', '1 row', '30 hours'), ('failed', 'ERROR: boom', '26 hours'),
                       ('succeeded', '1 row', '2 hours'), ('failed', 'ERROR: boom', '1 hour'),
                       ('succeeded', 'SELECT 1', '10 minutes')) as v(status, message, ago);

select is(
  array(select jobname::text from walltrack.cron_job_health order by 1),
  array(select jobname from walltrack.job_schedule union all select 'walltrack-test-health' order by 1),
  'cron_job_health lists every walltrack job (those of walltrack.job_schedule and this test''s), no other job');
select results_eq(
  $$select schedule collate "default", active, last_run_at, last_status collate "default", last_message collate "default",
           failures_24h, runs_24h
    from walltrack.cron_job_health where jobname = 'walltrack-test-health'$$,
  $$values ('0 3 * * *'::text, true, now() - interval '10 minutes', 'succeeded'::text, 'SELECT 1'::text, 1::bigint, 3::bigint)$$,
  'a job''s schedule, its last run (time, status, message), and its failures and runs in the last 24 h');
select results_eq(
  $$select jobname::text collate "default", schedule collate "default", active from walltrack.cron_job_health
    where jobname in ('walltrack-circuit-breaker', 'walltrack-refresh-performance') order by jobname$$,
  $$values ('walltrack-circuit-breaker'::text, '* * * * *'::text, true), ('walltrack-refresh-performance', '0 0 * * *', true)$$,
  'the breaker''s backstop every minute, the performance refresh daily at 00:00');

select * from finish();
rollback;
