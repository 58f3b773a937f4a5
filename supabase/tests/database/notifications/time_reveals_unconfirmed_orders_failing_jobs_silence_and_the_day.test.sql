-- walltrack.enqueue_due_notifications writes what only time reveals, each fact once: a live order
-- still unconfirmed after config.notify_order_unconfirmed_minutes, a walltrack job whose last run
-- failed (once per failure streak), no webhook delivery for notify_webhook_silence_minutes while
-- wallets are watched (once per silence), and yesterday's summary (once per UTC day).
begin;
create extension if not exists pgtap with schema extensions;
select plan(14);

select tests.risk_neutral_config();
delete from walltrack.notifications;
delete from cron.job_run_details;
update walltrack.config set webhook_last_signal_at = now(), notify_webhook_silence_minutes = 60, notify_order_unconfirmed_minutes = 5;

-- Yesterday's summary is written on the first run of the day, and only then.
select tests.risk_trade('NtSum', 25, (date_trunc('day', now() at time zone 'UTC') - interval '12 hours') at time zone 'UTC');
select walltrack.enqueue_due_notifications();
select is((select count(*)::int from walltrack.notifications where event_type = 'daily_summary'), 1, 'one daily summary');
select matches((select body from walltrack.notifications where event_type = 'daily_summary'),
               'simulation: [0-9]+ opened, [0-9]+ closed \([0-9]+ won\), realized [+-][0-9]+\.[0-9]{2} USD, [0-9]+ open now\.',
               'it tells opened, closed, won, realized PnL and open positions per mode');
select is((select (e ->> 'realized_pnl_usd')::numeric from walltrack.notifications n, jsonb_array_elements(n.details -> 'by_mode') e
            where n.event_type = 'daily_summary' and e ->> 'mode' = 'simulation'),
          (select sum(realized_pnl_usd) from walltrack.positions where mode = 'simulation' and status = 'closed'
              and (closed_at at time zone 'UTC')::date = (now() at time zone 'UTC')::date - 1),
          'its realized PnL is the sum over yesterday''s closes, exact');
select is(walltrack.enqueue_due_notifications(), 0, 'a second run the same day writes nothing');

-- A live order sent 6 minutes ago and still unconfirmed.
select tests.lifecycle_open_pending('NtLive', 'NtLive', 1.00, 100, 'Default', null, 'live');
update walltrack.orders set status = 'submitted', submitted_at = now(), requested_at = now() - interval '7 minutes'
where position_id = tests.lifecycle_pos('NtLive');
select is(walltrack.enqueue_due_notifications(), 0, 'sent just now: nothing to say');
select is(walltrack.enqueue_due_notifications(now() + interval '6 minutes'), 1, 'six minutes later: order_unconfirmed');
select is((select severity from walltrack.notifications where event_type = 'order_unconfirmed'), 'important', 'it is important');
select is(walltrack.enqueue_due_notifications(now() + interval '7 minutes'), 0, 'once per order');

-- A job whose last run failed: once per streak; a success ends the streak.
insert into cron.job_run_details (jobid, runid, status, return_message, start_time, end_time)
select jobid, 900001, 'failed', 'ERROR: connection refused', now(), now() from cron.job where jobname = 'walltrack-price-monitor';
select is(walltrack.enqueue_due_notifications(), 1, 'a failed run writes job_failing');
select is((select severity || '|' || title from walltrack.notifications where event_type = 'job_failing'),
          'critical|Scheduled job failing: walltrack-price-monitor', 'critical, naming the job');
insert into cron.job_run_details (jobid, runid, status, return_message, start_time, end_time)
select jobid, 900002, 'failed', 'ERROR: connection refused', now(), now() from cron.job where jobname = 'walltrack-price-monitor';
select is(walltrack.enqueue_due_notifications(), 0, 'the same streak failing again writes nothing');

-- Webhook silence while wallets are watched: once per silence.
update walltrack.config set webhook_last_signal_at = now() - interval '2 hours';
update walltrack.wallets set created_at = now() - interval '1 day';
select is(walltrack.enqueue_due_notifications(), 1, 'two hours without a delivery: webhook_silent');
select is(walltrack.enqueue_due_notifications(now() + interval '1 hour'), 0, 'once per silence');
update walltrack.wallets set is_active = false;
update walltrack.config set webhook_last_signal_at = now() - interval '5 hours';
select is(walltrack.enqueue_due_notifications(), 0, 'no wallet watched: silence is expected');

select * from finish();
rollback;
