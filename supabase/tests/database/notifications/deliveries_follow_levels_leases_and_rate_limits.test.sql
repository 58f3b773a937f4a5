-- Routing and delivery bookkeeping: each notification goes to every enabled channel whose level
-- admits its severity; a claim holds a lease (no second dispatcher gets the same delivery) and only
-- its holder records; a delivered row is never sent again; each channel's rate limit caps the sends
-- of a minute; a 429's retry_after pauses the channel; an outage never uses up attempts while a
-- refusal does, until failed; retry_failed_notifications puts failures back.
begin;
create extension if not exists pgtap with schema extensions;
select plan(28);

delete from walltrack.notifications;
update walltrack.notification_channels set is_enabled = true, paused_until = null, rate_limit_per_minute = 20, max_attempts = 2;
update walltrack.notification_channels set level = 'all' where channel = 'webhook';
update walltrack.notification_channels set level = 'important' where channel = 'discord';
update walltrack.notification_channels set level = 'critical' where channel = 'telegram';

select ok(walltrack.notification_level_admits('all', 'info') and walltrack.notification_level_admits('important', 'critical')
          and not walltrack.notification_level_admits('important', 'info') and not walltrack.notification_level_admits('critical', 'important'),
          'levels: all admits everything, important admits important and critical, critical only critical');

insert into walltrack.notifications (event_type, severity, title, body, dedupe_key, created_at) values
  ('exit_fired', 'info', 'i', 'info', 'test:i', now() - interval '3 seconds'),
  ('position_closed', 'important', 'm', 'important', 'test:m', now() - interval '2 seconds'),
  ('breaker_tripped', 'critical', 'c', 'critical', 'test:c', now() - interval '1 second');
select is((select string_agg(d.channel || ':' || n.dedupe_key, ',' order by d.channel, n.created_at)
             from walltrack.notification_deliveries d join walltrack.notifications n on n.id = d.notification_id),
          'discord:test:m,discord:test:c,telegram:test:c,webhook:test:i,webhook:test:m,webhook:test:c',
          'each notification is routed to the channels whose level admits it');
insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 'i', 'b', 'test:i')
  on conflict (dedupe_key) do nothing;
select is((select count(*)::int from walltrack.notifications where dedupe_key = 'test:i'), 1, 'a fact is written once (dedupe_key)');

update walltrack.notification_channels set is_enabled = false where channel = 'discord';
insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('breaker_tripped', 'critical', 'c2', 'b', 'test:c2');
select is((select count(*)::int from walltrack.notification_deliveries d join walltrack.notifications n on n.id = d.notification_id
            where n.dedupe_key = 'test:c2' and d.channel = 'discord'), 0, 'a disabled channel gets nothing new');
delete from walltrack.notifications where dedupe_key = 'test:c2';
update walltrack.notification_channels set is_enabled = true where channel = 'discord';

-- Claims.
create temp table first_claim as select * from walltrack.claim_notification_deliveries(array['webhook', 'discord']);
select is((select string_agg(channel || ':' || title, ',' order by channel, created_at) from first_claim), 'discord:m,discord:c,webhook:i,webhook:m,webhook:c',
          'a claim hands out what is due for the channels asked, oldest first');
select is((select count(distinct claim_token)::int from first_claim), 1, 'one claim token per run');
select is((select count(*)::int from walltrack.claim_notification_deliveries(array['webhook', 'discord'])), 0,
          'under the lease, a second dispatcher gets nothing');
select is((select attempts from first_claim limit 1), 1, 'the claim counts the attempt');

-- Only the holder records.
select is(walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', channel,
            'claim_token', gen_random_uuid(), 'ok', true)) from first_claim)) ->> 'ignored', '5', 'another token records nothing');
select is(walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', channel,
            'claim_token', claim_token, 'ok', true, 'status_code', 200)) from first_claim where channel = 'webhook')),
          '{"failed": 0, "ignored": 0, "retrying": 0, "delivered": 3}'::jsonb, 'the holder records its deliveries');
select is(walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', channel,
            'claim_token', claim_token, 'ok', true)) from first_claim where channel = 'webhook')) ->> 'ignored', '3',
          'recording the same deliveries twice changes nothing');
select is((select count(*)::int from walltrack.claim_notification_deliveries(array['webhook'], interval '2 minutes', now() + interval '1 hour')), 0,
          'a delivered notification is never claimed again, even after its lease');

-- The lease expires: another run claims with a new token; the first run's late answer is ignored.
create temp table second_claim as
  select * from walltrack.claim_notification_deliveries(array['discord'], interval '2 minutes', now() + interval '3 minutes');
select is((select count(*)::int from second_claim), 2, 'after the lease, the discord deliveries are claimed again');
select is(walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', channel,
            'claim_token', claim_token, 'ok', true)) from first_claim where channel = 'discord')) ->> 'ignored', '2',
          'the expired claim''s answer is ignored');

-- A 429 with retry_after: pending again, not before retry_after, and the channel paused.
select is(walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', channel,
            'claim_token', claim_token, 'ok', false, 'status_code', 429, 'error', 'discord: You are being rate limited.', 'retryable', true,
            'retry_after_seconds', 64.57)) from second_claim), now()) ->> 'retrying', '2', 'a 429 leaves the deliveries pending');
select ok((select bool_and(next_attempt_at >= now() + interval '64.57 seconds') from walltrack.notification_deliveries where channel = 'discord'),
          'not before retry_after');
select ok((select paused_until = now() + interval '64.57 seconds' from walltrack.notification_channels where channel = 'discord'),
          'the whole channel waits retry_after');
select is((select count(*)::int from walltrack.claim_notification_deliveries(array['discord'], interval '2 minutes', now() + interval '30 seconds')), 0,
          'nothing is claimed for a paused channel');

-- Outages never use up attempts (max_attempts is 2 here); refusals do.
create temp table telegram_claims (n integer, notification_id uuid, claim_token uuid);
do $$
begin
  for i in 1..4 loop
    insert into telegram_claims select i, notification_id, claim_token
      from walltrack.claim_notification_deliveries(array['telegram'], interval '2 minutes', now() + i * interval '1 hour');
    perform walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', 'telegram',
              'claim_token', claim_token, 'ok', false, 'status_code', 502, 'error', 'telegram: Bad Gateway', 'retryable', true))
              from telegram_claims where n = i), now() + i * interval '1 hour');
  end loop;
end $$;
select is((select status || '|' || attempts || '|' || last_error from walltrack.notification_deliveries where channel = 'telegram'),
          'pending|4|telegram: Bad Gateway', 'four outages: still pending, nothing lost');
select ok((select next_attempt_at > now() + interval '4 hours' from walltrack.notification_deliveries where channel = 'telegram'),
          'with a backoff after each');
select is(walltrack.notification_backoff(1), interval '15 seconds', 'backoff: 15 s after the first failure');
select is(walltrack.notification_backoff(3), interval '60 seconds', 'doubling');
select is(walltrack.notification_backoff(20), interval '15 minutes', 'at most 15 minutes');

insert into telegram_claims select 5, notification_id, claim_token
  from walltrack.claim_notification_deliveries(array['telegram'], interval '2 minutes', now() + interval '6 hours');
select is(walltrack.record_notification_deliveries((select jsonb_agg(jsonb_build_object('notification_id', notification_id, 'channel', 'telegram',
            'claim_token', claim_token, 'ok', false, 'status_code', 400, 'error', 'telegram: Bad Request: chat not found', 'retryable', false))
            from telegram_claims where n = 5), now() + interval '6 hours') ->> 'failed', '1',
          'a refusal once attempts are used up: failed');
select is((walltrack.notifications_status() -> 'channels' -> 'telegram' ->> 'failed')::int, 1, 'notifications_status counts it');
select is(walltrack.retry_failed_notifications('telegram'), 1, 'retry_failed_notifications puts it back');
select is((select status || '|' || attempts from walltrack.notification_deliveries where channel = 'telegram'), 'pending|0', 'pending, with fresh attempts');

-- The rate limit: 2 a minute, 3 due.
update walltrack.notification_channels set rate_limit_per_minute = 2 where channel = 'telegram';
insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values
  ('job_failing', 'critical', 'j1', 'b', 'test:j1'), ('job_failing', 'critical', 'j2', 'b', 'test:j2');
select is((select count(*)::int from walltrack.claim_notification_deliveries(array['telegram'], interval '2 minutes', now() + interval '7 hours')), 2,
          'at most rate_limit_per_minute sends are claimed in a minute');

select * from finish();
rollback;
