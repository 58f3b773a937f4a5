-- walltrack.status_summary is the operator's status at a glance. Measured against what it said
-- before this test's changes (the seed's state, whatever it is):
--   wallets   Sum1 and Sum2 added active, Sum3 added inactive (all pending); Sum2's sync then
--             fails: active +2, pending +2 (Sum1, Sum3), errors +1 (Sum2)
--   P1        Sum1 bought 1,000 tokens at 1.00 (cost 1,000); 400 sold today at 1.50 by the first
--             scale-out level (realized +200); priced 1.20: unrealized 600 x 0.20 = +120
--   P2        Sum1's entry in another token, pending (its order: 300 USD intended)
--   signals   P2's BUY (processed) and one more BUY not processed yet
--   so        open positions +2, exposure +1,300 (P1's cost and P2's intended size), unrealized
--             +120, realized today +200, pending orders +1 (P2's entry), unprocessed signals +1
-- Then absolute: the breaker activated by hand with a 30-minute cooldown, the live switch on, the
-- webhook's last batch 5 minutes ago, an order sent in 2001 still awaiting confirmation (and one
-- of 2000 found expired, not in doubt), and the health of every WallTrack pg_cron job.
begin;
create extension if not exists pgtap with schema extensions;
select plan(17);

-- Fixtures: tests.operations_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: no open activation, breaker off, live switch off.
update walltrack.circuit_breaker_events set deactivated_at = now() - interval '1 hour'
where event_type = 'activated' and deactivated_at is null;
update walltrack.config set circuit_breaker_active = false, circuit_breaker_activated_at = null,
  live_trading_enabled = false, circuit_breaker_unlock_minutes = 30;

create temp table before as select walltrack.status_summary() as s;

select results_eq(
  $$select s -> 'circuit_breaker', s -> 'live_trading_enabled' from before$$,
  $$values ('{"active": false, "since": null, "reason": null, "unlock_at": null, "modes": {}}'::jsonb, 'false'::jsonb)$$,
  'to start with: the breaker off (no reason, no unlock time), the live switch off');

do $$
declare
  p1 uuid;
  p2 uuid;
  s2 uuid;
begin
  perform tests.operations_wallet('Sum1');
  perform tests.operations_wallet('Sum2');
  perform tests.operations_wallet('Sum3', active => false);
  perform walltrack.record_helius_sync(jsonb_build_object('wallet_ids', jsonb_build_array(tests.operations_wid('Sum2')),
                                                          'error', 'Helius: 401'));
  insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('TkP1'), 'P1', 6), (tests.addr('TkP2'), 'P2', 6);
  insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price,
                                   entry_amount, entry_value_usd, entry_timestamp, current_amount, current_price, status)
  select w.id, t.id, 'simulation', w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id), 1.00,
         1000, 1000, now() - interval '1 day', 1000, 1.00, 'open'
  from walltrack.wallets w, walltrack.tokens t
  where w.address = tests.addr('WaSum1') and t.address = tests.addr('TkP1')
  returning id into p1;
  insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                                scaling_level, scaling_percent, status, submitted_at, executed_at, price_usd, value_usd, amount_out)
  select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'simulation', tests.addr('TkP1'),
         'So11111111111111111111111111111111111111112', 400, 1, 40, 'executed', now(), clock_timestamp(), 1.50, 600, 3
  from walltrack.positions p where p.id = p1;
  perform walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.addr('TkP1'), 'usd', 1.20, 'source', 'test')));

  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, raw_payload)
  values (tests.operations_wid('Sum1'), tests.addr('TkP2'), tests.sig('P2'), 'BUY', 'So11111111111111111111111111111111111111112',
          tests.addr('TkP2'), 2, 1000, '{}')
  returning id into s2;
  insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, status)
  select w.id, t.id, s2, 'simulation', w.exit_strategy_id, 'open'
  from walltrack.wallets w, walltrack.tokens t
  where w.address = tests.addr('WaSum1') and t.address = tests.addr('TkP2')
  returning id into p2;
  update walltrack.signals set token_id = (select id from walltrack.tokens where address = tests.addr('TkP2')),
         position_created = true, position_id = p2, processed_at = now()
  where id = s2;
  insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                                amount_in, value_usd)
  select p.wallet_id, p.token_id, p.id, s2, 'entry', 'simulation', 'So11111111111111111111111111111111111111112',
         tests.addr('TkP2'), 2, 300
  from walltrack.positions p where p.id = p2;

  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, raw_payload)
  values (tests.operations_wid('Sum1'), tests.addr('TkP3'), tests.sig('P3'), 'BUY', 'So11111111111111111111111111111111111111112',
          tests.addr('TkP3'), 1, 500, '{}');
end
$$;

create temp table after as select walltrack.status_summary() as s;
create temp view delta as
  select (a.s ->> 'open_positions')::integer - (b.s ->> 'open_positions')::integer as open_positions,
         (a.s ->> 'exposure_usd')::numeric - (b.s ->> 'exposure_usd')::numeric as exposure_usd,
         (a.s ->> 'unrealized_pnl_usd')::numeric - (b.s ->> 'unrealized_pnl_usd')::numeric as unrealized_pnl_usd,
         (a.s ->> 'realized_pnl_today_usd')::numeric - (b.s ->> 'realized_pnl_today_usd')::numeric as realized_pnl_today_usd,
         (a.s ->> 'pending_orders')::integer - (b.s ->> 'pending_orders')::integer as pending_orders,
         (a.s ->> 'unprocessed_signals')::integer - (b.s ->> 'unprocessed_signals')::integer as unprocessed_signals,
         (a.s #>> '{wallets,active}')::integer - (b.s #>> '{wallets,active}')::integer as active_wallets,
         (a.s #>> '{wallets,pending_sync}')::integer - (b.s #>> '{wallets,pending_sync}')::integer as pending_sync,
         (a.s #>> '{wallets,sync_errors}')::integer - (b.s #>> '{wallets,sync_errors}')::integer as sync_errors
  from after a, before b;

select is((select open_positions from delta), 2, 'open positions: +2 (P1 and P2, whose entry is pending)');
select is((select exposure_usd from delta), 1300::numeric, 'exposure: +1,300 (P1''s cost 1,000, P2''s intended 300)');
select is((select unrealized_pnl_usd from delta), 120::numeric, 'unrealized PnL: +120 (600 left x (1.20 - 1.00))');
select is((select realized_pnl_today_usd from delta), 200::numeric, 'realized today: +200 (400 x (1.50 - 1.00))');
select is((select pending_orders from delta), 1, 'pending orders: +1 (P2''s entry)');
select is((select unprocessed_signals from delta), 1, 'unprocessed signals: +1');
select results_eq(
  $$select active_wallets, pending_sync, sync_errors from delta$$,
  $$values (2, 2, 1)$$,
  'wallets: active +2, pending sync +2, sync errors +1');
select is(jsonb_typeof((select s -> 'exposure_usd' from after)), 'string',
  'amounts travel as decimal strings (exact in TypeScript)');

do $$ begin perform walltrack.activate_circuit_breaker('manual', 'simulation'); end $$;
update walltrack.config set holds_mock_data = false, live_trading_enabled = true, webhook_last_signal_at = now() - interval '5 minutes';
-- P1's stop loss sent long ago and never confirmed: SOL in doubt the operator must see. Its scale-out
-- level 2, sent earlier still, was found expired: nothing in doubt, it only waits to be re-sent.
insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                              scaling_level, scaling_percent, status, requested_at, submitted_at, error_code, error_message)
select p.wallet_id, p.token_id, p.id, o.order_type, 'live', tests.addr('TkP1'),
       'So11111111111111111111111111111111111111112', o.amount, o.lvl, o.pct, 'submitted', o.requested_at, o.submitted_at,
       o.code, o.code
from walltrack.positions p join walltrack.tokens t on t.id = p.token_id,
     (values ('exit_stop_loss', 500::numeric, null::smallint, null::numeric, '2001-01-01 00:00Z'::timestamptz,
              '2001-01-01 00:01Z'::timestamptz, 'awaiting_confirmation'),
             ('exit_scaling', 100, 2, 10, '2000-01-01 00:00Z', '2000-01-01 00:01Z', 'blockhash_expired')
     ) as o(order_type, amount, lvl, pct, requested_at, submitted_at, code)
where t.address = tests.addr('TkP1');
-- The monitor refuses a price of P1's token.
do $$ begin perform walltrack.apply_prices(jsonb_build_array(jsonb_build_object('mint', tests.addr('TkP1'), 'usd', 'Infinity'))); end $$;
create temp table latest as select walltrack.status_summary() as s;

select results_eq(
  $$select (s #>> '{circuit_breaker,active}')::boolean, (s #>> '{circuit_breaker,since}')::timestamptz,
           s #>> '{circuit_breaker,reason}', (s #>> '{circuit_breaker,unlock_at}')::timestamptz from latest$$,
  $$values (true, now(), 'manual'::text, now() + interval '30 minutes')$$,
  'the breaker: active since now, why, and when it unlocks');
select is((select s #> '{circuit_breaker,modes}' from latest),
  jsonb_build_object('simulation', jsonb_build_object('reason', 'manual', 'since', now(), 'unlock_at', now() + interval '30 minutes',
                                                     'drawdown_percent', (select round(current_drawdown_percent, 2) from tests.risk_open_activation()),
                                                     'win_rate_percent', (select round(current_win_rate, 2) from tests.risk_open_activation()))),
  'and which mode''s breaker it is: the simulation one alone, its figures rounded for reading');
select is((select s -> 'live_trading_enabled' from latest), 'true'::jsonb, 'the live switch');
select is((select (s #>> '{price_refusals_24h,count}')::integer - (select (s #>> '{price_refusals_24h,count}')::integer from before) from latest),
  1, 'the price the monitor refused since is counted');
select results_eq(
  $$select (l.s #>> '{awaiting_confirmation,orders}')::integer - (a.s #>> '{awaiting_confirmation,orders}')::integer,
           (l.s #>> '{awaiting_confirmation,oldest_submitted_at}')::timestamptz
    from latest l, after a$$,
  $$values (1, '2001-01-01 00:01Z'::timestamptz)$$,
  'orders awaiting confirmation: +1, the oldest sent at 00:01 on 1 Jan 2001');
select is((select (s ->> 'webhook_last_signal_at')::timestamptz from latest), now() - interval '5 minutes',
  'when the Helius webhook last delivered');
select is(
  (select array_agg(j ->> 'job' order by j ->> 'job') from latest, jsonb_array_elements(s -> 'cron') j),
  array(select jobname from walltrack.job_schedule order by jobname),
  'every WallTrack pg_cron job of walltrack.job_schedule (the list itself: cron/schedule_jobs_schedules_every_job_once)');
select is_empty(
  $$select 1 from latest, jsonb_array_elements(s -> 'cron') j
    where not j ?& array['job', 'last_run_at', 'last_status', 'failures_24h']$$,
  'each with its last run, its status and its failures in 24 h');

select * from finish();
rollback;
