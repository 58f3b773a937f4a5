-- walltrack.dispatch_notifications (the pg_cron job): writes what time reveals, then calls the
-- notification-dispatcher through pg_net only when a delivery is due for an enabled channel that is
-- not paused; otherwise it sends no request at all.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

select tests.cron_test_secrets();
delete from walltrack.notifications;
update walltrack.config set webhook_last_signal_at = now();
update walltrack.notification_channels set is_enabled = false, paused_until = null;
-- Yesterday's summary is due on a fresh day: write it now, so the job finds nothing by time.
select walltrack.enqueue_due_notifications();

select is(walltrack.dispatch_notifications(), null, 'no channel enabled: no call');

update walltrack.notification_channels set is_enabled = true, level = 'all' where channel = 'webhook';
select is(walltrack.dispatch_notifications(), null, 'a channel enabled, nothing pending: no call');

insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 't', 'b', 'test:due');
create temp table dispatched as select walltrack.dispatch_notifications() as request_id;
select is(tests.cron_call((select request_id from dispatched)), 'POST notification-dispatcher {"source": "cron"}',
          'a delivery due: the dispatcher is called with the service key');

update walltrack.notification_channels set paused_until = now() + interval '1 minute' where channel = 'webhook';
select is(walltrack.dispatch_notifications(), null, 'the channel paused by a 429: no call');

update walltrack.notification_channels set paused_until = null;
update walltrack.notification_deliveries set next_attempt_at = now() + interval '1 minute';
select is(walltrack.dispatch_notifications(), null, 'the delivery waits its backoff: no call');

select * from finish();
rollback;
