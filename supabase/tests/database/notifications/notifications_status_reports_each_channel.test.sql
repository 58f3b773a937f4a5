-- walltrack.notifications_status(): per channel whether it is on, its level, what waits (and since
-- when), what failed, the last delivery, the last error and a 429 pause; and the last 24 hours'
-- count. The lead wires it into status_summary; service_role may call it.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

delete from walltrack.notifications;
update walltrack.notification_channels set is_enabled = (channel <> 'discord'), level = 'all', paused_until = null;
insert into walltrack.notifications (event_type, severity, title, body, dedupe_key, created_at) values
  ('exit_fired', 'info', 'a', 'b', 'status:a', now() - interval '10 minutes'),
  ('exit_fired', 'info', 'b', 'b', 'status:b', now() - interval '5 minutes');
update walltrack.notification_deliveries d set status = 'delivered', delivered_at = now() - interval '1 minute'
  from walltrack.notifications n where n.id = d.notification_id and n.dedupe_key = 'status:a' and d.channel = 'webhook';
update walltrack.notification_deliveries d set status = 'failed', last_error = 'telegram: Unauthorized', last_attempt_at = now()
  from walltrack.notifications n where n.id = d.notification_id and n.dedupe_key = 'status:a' and d.channel = 'telegram';
update walltrack.notification_channels set paused_until = now() + interval '30 seconds' where channel = 'telegram';

select is(jsonb_object_keys_sorted, '{discord,telegram,webhook}', 'one entry per channel')
from (select array_agg(k order by k)::text as jsonb_object_keys_sorted from jsonb_object_keys(walltrack.notifications_status() -> 'channels') k) s;
select is(walltrack.notifications_status() -> 'channels' -> 'discord' -> 'enabled', 'false'::jsonb, 'a channel off says so');
select is((walltrack.notifications_status() -> 'channels' -> 'webhook' ->> 'pending')::int, 1, 'the webhook has one pending');
select is((walltrack.notifications_status() -> 'channels' -> 'webhook' ->> 'oldest_pending_at')::timestamptz, now() - interval '5 minutes',
          'since the oldest pending notification');
select is((walltrack.notifications_status() -> 'channels' -> 'webhook' ->> 'last_delivered_at')::timestamptz, now() - interval '1 minute',
          'and its last delivery');
select is((walltrack.notifications_status() -> 'channels' -> 'telegram' ->> 'failed')::int, 1, 'telegram has one failed');
select is(walltrack.notifications_status() -> 'channels' -> 'telegram' ->> 'last_error', 'telegram: Unauthorized', 'with the error');
select is((walltrack.notifications_status() -> 'channels' -> 'telegram' ->> 'paused_until')::timestamptz, now() + interval '30 seconds',
          'and the pause a 429 asked for');

set local role service_role;
select is((walltrack.notifications_status() ->> 'notifications_24h')::int, 2, 'service_role reads it: two notifications today');
reset role;

select * from finish();
rollback;
