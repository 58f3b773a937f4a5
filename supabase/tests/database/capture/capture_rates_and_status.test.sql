-- The capture rate per wallet lives in its performance row, written by
-- walltrack.refresh_capture_rates (after every reconciliation run), never by refresh_performance:
-- signals of the last 30 days by delivery, and webhook / (webhook + recovered) x 100 rounded to 2
-- places, null when neither happened (polled signals were never the webhook's to miss). A wallet
-- without a performance row gets one. walltrack.capture_status is the block for the operator's
-- status: mode and interval, the last run and its backoff, wallets behind, signals of 24 hours.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, signatures tests.sig).
do $$ begin perform tests.signals_wallet('Rate'); perform tests.signals_wallet('Quiet'); end $$;
create function pg_temp.signal(tag text, delivery text, age interval) returns void language plpgsql as $$
begin
  if delivery <> 'webhook' then perform set_config('walltrack.signal_delivery', delivery, true); end if;
  perform tests.signals_signal('BUY', 'Rate', 'Rate', tag);
  perform set_config('walltrack.signal_delivery', '', true);
  if age > interval '0' then
    alter table walltrack.signals disable trigger signals_protect_facts;
    update walltrack.signals set created_at = now() - age where transaction_signature = tests.sig(tag);
    alter table walltrack.signals enable trigger signals_protect_facts;
  end if;
end $$;
select pg_temp.signal('R1', 'webhook', '0'), pg_temp.signal('R2', 'webhook', '1 day'), pg_temp.signal('R3', 'recovered', '2 days'),
       pg_temp.signal('R4', 'polled', '0'), pg_temp.signal('R5', 'recovered', '31 days');

select ok(walltrack.refresh_capture_rates() >= 2, 'every wallet''s row is written');
select results_eq($$select signals_webhook_30d, signals_recovered_30d, signals_polled_30d, capture_rate_percent, capture_calculated_at
                    from walltrack.performance where wallet_id = (select id from walltrack.wallets where address = tests.addr('WaRate'))$$,
  $$values (2, 1, 1, 66.67, now())$$, 'last 30 days: 2 delivered, 1 recovered (the older one left out): 66.67 %');
select results_eq($$select signals_webhook_30d, signals_recovered_30d, capture_rate_percent
                    from walltrack.performance where wallet_id = (select id from walltrack.wallets where address = tests.addr('WaQuiet'))$$,
  $$values (0, 0, null::numeric)$$, 'a wallet without signals: a row, no rate');
update walltrack.performance set max_loss_streak = 7 where wallet_id = (select id from walltrack.wallets where address = tests.addr('WaRate'));
select lives_ok($$select walltrack.refresh_capture_rates()$$, 'refreshed again');
select is((select max_loss_streak from walltrack.performance where wallet_id = (select id from walltrack.wallets where address = tests.addr('WaRate'))),
  7, 'the daily figures of refresh_performance are left as they were');

update walltrack.config set delivery_mode = 'webhook', reconcile_interval_minutes = 10, capture_lease = null, capture_lease_until = null,
  capture_last_run_at = now() - interval '3 minutes', capture_failures = 2, capture_next_attempt_at = now() + interval '2 minutes',
  capture_last_error = 'helius: timeout', capture_last_report = '{"signals_recorded": 0}';
update walltrack.capture_cursors set checked_at = now() - interval '25 minutes';
update walltrack.capture_cursors set checked_at = now(), last_error = 'Helius did not return 1 transaction(s)'
 where wallet_id = (select id from walltrack.wallets where address = tests.addr('WaQuiet'));
select is(walltrack.capture_status() - 'signals_24h',
  jsonb_build_object('delivery_mode', 'webhook', 'interval_seconds', 600, 'running', false, 'last_run_at', now() - interval '3 minutes',
    'failures', 2, 'next_attempt_at', now() + interval '2 minutes', 'last_error', 'helius: timeout',
    'last_report', '{"signals_recorded": 0}'::jsonb,
    'wallets_behind', (select count(*) from walltrack.capture_cursors k join walltrack.wallets w on w.id = k.wallet_id
                        where w.is_active and k.checked_at < now() - interval '20 minutes'),
    'wallets_with_errors', 1),
  'status: mode, interval, the last run, its backoff, wallets not checked in two intervals and in error');
select ok((walltrack.capture_status() ->> 'wallets_behind')::integer >= 1, 'the wallet checked 25 minutes ago is behind');
select is((walltrack.capture_status() -> 'signals_24h') - 'capture_rate_percent',
  jsonb_build_object('webhook', (select count(*) from walltrack.signals where delivery = 'webhook' and created_at > now() - interval '24 hours'),
                     'recovered', (select count(*) from walltrack.signals where delivery = 'recovered' and created_at > now() - interval '24 hours'),
                     'polled', (select count(*) from walltrack.signals where delivery = 'polled' and created_at > now() - interval '24 hours')),
  'and the last 24 hours'' signals by delivery');

select * from finish();
rollback;
