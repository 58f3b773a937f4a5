-- Every signal says how it reached WallTrack (signals.delivery): webhook by default, so the
-- webhook's record_signals is unchanged; recovered or polled when the reconciliation records what
-- it fetched through walltrack.record_recovered_transactions, which calls record_signals and
-- record_rejected_transactions themselves. Recording is idempotent on the signature whichever path
-- comes first; the mark is a fact (immutable) and does not leak to the next recording of the
-- transaction; webhook_last_signal_at stays the webhook's; each fetched signature is logged with
-- what it gave, and walltrack.capture_missing_signatures then leaves out what anything accounts for.
begin;
create extension if not exists pgtap with schema extensions;
select plan(18);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, signatures tests.sig).
do $$ begin perform tests.signals_wallet('Arrive'); end $$;

-- One BUY of wallet 'WaArrive' in transaction 'Sig<tag>', as buildSignalBatch gives it.
create function pg_temp.batch(tag text) returns jsonb language sql as $$
  select jsonb_build_object('received_at', now(), 'transactions', jsonb_build_array(jsonb_build_object('signature', tests.sig(tag), 'raw', '{}'::jsonb)),
    'signals', jsonb_build_array(jsonb_build_object('wallet', tests.addr('WaArrive'), 'signal_type', 'BUY',
      'token_mint', tests.addr('TkArrive'), 'token_decimals', 6, 'token_in', 'So11111111111111111111111111111111111111112',
      'token_out', tests.addr('TkArrive'), 'amount_in', 1, 'amount_out', 1000, 'price', 0.001, 'price_all_in', 0.001,
      'price_usd', null, 'transaction_signature', tests.sig(tag), 'slot', 1, 'block_time', extract(epoch from now())::bigint)))
$$;
create function pg_temp.delivery(tag text) returns text language sql as $$
  select string_agg(delivery, ',') from walltrack.signals where transaction_signature = tests.sig(tag)
$$;
create function pg_temp.none() returns jsonb language sql as $$ select '{"rejections": []}'::jsonb $$;

select lives_ok($$select walltrack.record_signals(pg_temp.batch('Hooked'))$$, 'the webhook records a delivery');
select is(pg_temp.delivery('Hooked'), 'webhook', 'marked webhook, by default');

update walltrack.config set webhook_last_signal_at = '2026-12-01T00:00:00Z';
select is(walltrack.record_recovered_transactions(pg_temp.batch('Missed'), pg_temp.none(), array[tests.sig('Missed')], 'recovered')
            - 'recorded',
  '{"watched": 1, "duplicates": 0, "rejected": 0}'::jsonb, 'a transaction the webhook missed is recorded once');
select is(pg_temp.delivery('Missed'), 'recovered', 'marked recovered');
select is((select webhook_last_signal_at from walltrack.config), '2026-12-01T00:00:00Z'::timestamptz,
  'webhook_last_signal_at stays the webhook''s last delivery');
select is(current_setting('walltrack.signal_delivery', true), '', 'the mark does not outlive the call');
select lives_ok($$select walltrack.record_signals(pg_temp.batch('NextHook'))$$, 'the next webhook delivery in the same database transaction');
select is(pg_temp.delivery('NextHook'), 'webhook', 'is marked webhook again');

select is(walltrack.record_recovered_transactions(pg_temp.batch('Missed'), pg_temp.none(), array[tests.sig('Missed')], 'recovered')
            ->> 'duplicates', '1', 'fetched again: a duplicate, nothing added');
select is(walltrack.record_signals(pg_temp.batch('Missed')) ->> 'duplicates', '1',
  'the webhook delivering it late: a duplicate too');
select is((select count(*)::integer from walltrack.signals where transaction_signature = tests.sig('Missed')), 1,
  'one signal for the transaction, whatever path came first');

select lives_ok($$select walltrack.record_recovered_transactions(pg_temp.batch('Polled'), pg_temp.none(), array[tests.sig('Polled')], 'polled')$$,
  'poll mode records the same way');
select is(pg_temp.delivery('Polled'), 'polled', 'marked polled');
select throws_ok($$update walltrack.signals set delivery = 'webhook' where transaction_signature = tests.sig('Polled')$$,
  '23000', null, 'the mark is a fact: never rewritten');
select throws_ok($$select walltrack.record_recovered_transactions(pg_temp.batch('Bad'), pg_temp.none(), '{}', 'webhook')$$,
  '22023', null, 'only recovered and polled are recorded here');

-- A transfer (no signal) and a refused transaction fetched with it.
select lives_ok($$select walltrack.record_recovered_transactions('{"transactions": [], "signals": []}',
  jsonb_build_object('rejections', jsonb_build_array(jsonb_build_object('position', 1, 'signature', tests.sig('Refused'),
    'reason', 'accountData lists account A twice', 'excerpt', '{}'))),
  array[tests.sig('Transfer'), tests.sig('Refused')], 'recovered')$$, 'a fetch that gave no signal is recorded too');
select results_eq($$select transaction_signature::text, delivery, outcome from walltrack.fetched_transactions
                    where transaction_signature in (tests.sig('Missed'), tests.sig('Polled'), tests.sig('Transfer'), tests.sig('Refused'))
                    order by 1$$,
  $$values (tests.sig('Missed'), 'recovered', 'signals'), (tests.sig('Polled'), 'polled', 'signals'),
           (tests.sig('Refused'), 'recovered', 'rejected'), (tests.sig('Transfer'), 'recovered', 'no_signal')$$,
  'each fetched signature is logged with what it gave');
select is(walltrack.capture_missing_signatures(array[tests.sig('Hooked'), tests.sig('Missed'), tests.sig('Transfer'),
                                                     tests.sig('Refused'), tests.sig('New'), tests.sig('New'), null]),
  array[tests.sig('New')], 'missing: only what no signal, rejection or earlier fetch accounts for, once');

select * from finish();
rollback;
