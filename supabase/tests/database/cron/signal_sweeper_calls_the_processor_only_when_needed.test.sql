-- walltrack.sweep_unprocessed_signals (pg_cron, every minute) asks the signal-processor edge
-- function, through net.http_post with the project URL and service-role key from Vault, to process
-- signals still unprocessed after a grace period (30 s by default); with nothing to do, or without
-- the Vault secrets, it sends no request at all.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

-- This test's own Vault secrets (tests.cron_test_secrets).
do $$ begin perform tests.cron_test_secrets(); end $$;

-- No unprocessed signal but this test's.
delete from walltrack.signals where processed_at is null;
create temp table queue_before as select coalesce(max(id), 0) as last_id from net.http_request_queue;
create temp view requests as select * from net.http_request_queue where id > (select last_id from queue_before);

select is(walltrack.sweep_unprocessed_signals(), null, 'nothing unprocessed: no request');
select is_empty('select * from requests', 'nothing queued');

-- A signal received 10 s ago is still the webhook's to process.
do $$
begin
  perform tests.signals_wallet('Sweep', active => false);
  perform tests.signals_token('Safe');
  perform tests.signals_signal('BUY', 'Sweep', 'Safe', 'Recent', received_ago => '10 seconds');
end
$$;
select is(walltrack.sweep_unprocessed_signals(), null, 'an unprocessed signal within the 30 s grace: no request');
select is_empty('select * from requests', 'nothing queued');

-- One received 31 s ago was left behind.
do $$ begin perform tests.signals_signal('BUY', 'Sweep', 'Safe', 'Left', received_ago => '31 seconds'); end $$;
create temp table swept as select walltrack.sweep_unprocessed_signals() as request_id;
select isnt((select request_id from swept), null, 'an unprocessed signal older than the grace: a request id');
select is((select count(*)::integer from requests), 1, 'one request queued');
select is((select id from requests), (select request_id from swept), 'the id returned is the queued request''s');
select is(tests.cron_call((select request_id from swept)), 'POST signal-processor {"source": "sweeper"}',
  'a POST to the signal-processor function of the Vault project URL (its trailing slash trimmed), with the '
  'Vault key; the body says the sweeper asks');

-- A longer grace, given as argument, covers it.
select is(walltrack.sweep_unprocessed_signals('1 minute'), null, 'within a 1 minute grace: no request');

-- Once processed, nothing is left to sweep.
do $$ begin perform tests.signals_process(array['Recent', 'Left']); end $$;
select is(walltrack.sweep_unprocessed_signals('0 seconds'), null, 'everything processed: no request');

-- Without the Vault secrets, nothing is sent (a warning goes to the job's log).
delete from vault.secrets where name in ('project_url', 'service_role_key');
do $$ begin perform tests.signals_signal('BUY', 'Sweep', 'Safe', 'Unconfigured', received_ago => '1 minute'); end $$;
select is(walltrack.sweep_unprocessed_signals(), null, 'secrets missing: null');
select is((select count(*)::integer from requests), 1, 'and still the one request queued');

select * from finish();
rollback;
