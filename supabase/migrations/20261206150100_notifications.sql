-- Adds the notifications outbox: events are written by the database where they happen (set-based
-- triggers on positions, orders and breaker events, and one scan run by pg_cron for what is found by
-- time: orders unconfirmed too long, failing jobs, webhook silence, the daily summary), routed to the
-- channels (Telegram, Discord, a signed JSON webhook) whose level admits them, and delivered by the
-- notification-dispatcher edge function with leases (exactly once per channel), a rate limit and
-- retries with backoff. Credentials stay in the functions' environment: no table holds one.

-- Channels: what each sends and how fast; the secrets (bot token, webhook URLs) are env only.
create table walltrack.notification_channels (
  channel text primary key constraint notification_channels_channel_check check (channel in ('telegram', 'discord', 'webhook')),
  is_enabled boolean not null default false,
  level text not null default 'important' constraint notification_channels_level_check check (level in ('all', 'important', 'critical')),
  rate_limit_per_minute integer not null default 20 check (rate_limit_per_minute between 1 and 600),
  max_attempts integer not null default 10 check (max_attempts between 1 and 100),
  paused_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table walltrack.notification_channels is
  'Where notifications go: one row per channel (telegram, discord, webhook) with whether it is on, its level, rate limit and attempts. Credentials are never here: TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID, DISCORD_WEBHOOK_URL, WALLTRACK_WEBHOOK_URL and WALLTRACK_WEBHOOK_SECRET live in the functions'' environment.';
comment on column walltrack.notification_channels.channel is 'telegram (Bot API sendMessage), discord (channel webhook) or webhook (generic JSON POST signed with HMAC-SHA256).';
comment on column walltrack.notification_channels.is_enabled is 'Whether new notifications are routed to this channel (its credentials must also be set in the functions'' environment).';
comment on column walltrack.notification_channels.level is 'all: every event; important: important and critical events; critical: critical events only.';
comment on column walltrack.notification_channels.rate_limit_per_minute is 'At most this many sends to the channel in any minute (Telegram allows about 20 a minute in a group; Discord webhooks about 30).';
comment on column walltrack.notification_channels.max_attempts is 'Attempts before a delivery the channel refuses (4xx other than 429) is marked failed; outages (network errors, 5xx, 429) never use them up, so nothing is lost while a channel is down.';
comment on column walltrack.notification_channels.paused_until is 'Set from a 429''s retry_after: nothing is sent to the channel before then.';
comment on column walltrack.notification_channels.created_at is 'When the channel row was created.';
comment on column walltrack.notification_channels.updated_at is 'When the channel row was last changed (trigger).';

create trigger notification_channels_set_updated_at before update on walltrack.notification_channels
  for each row execute function walltrack.set_updated_at();
create trigger notification_channels_audit after insert or update or delete on walltrack.notification_channels
  for each row execute function walltrack.record_audit('channel', 'updated_at', 'paused_until');

alter table walltrack.notification_channels enable row level security;
revoke all on walltrack.notification_channels from anon, authenticated;
grant select, update on walltrack.notification_channels to service_role;

insert into walltrack.notification_channels (channel, level) values
  ('telegram', 'important'), ('discord', 'important'), ('webhook', 'all');

-- The outbox.
create table walltrack.notifications (
  id uuid primary key default gen_random_uuid(),
  event_type text not null constraint notifications_event_type_check check (event_type in (
    'position_opened', 'exit_fired', 'exit_filled', 'position_closed', 'order_failed', 'order_unconfirmed',
    'breaker_tripped', 'breaker_unlocked', 'leader_paused', 'job_failing', 'webhook_silent', 'daily_summary')),
  severity text not null constraint notifications_severity_check check (severity in ('info', 'important', 'critical')),
  title text not null check (char_length(title) between 1 and 200),
  body text not null check (char_length(body) <= 3000),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  dedupe_key text not null constraint uq_notifications_dedupe_key unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index idx_notifications_created_at on walltrack.notifications (created_at desc);
create trigger notifications_set_updated_at before update on walltrack.notifications
  for each row execute function walltrack.set_updated_at();
comment on table walltrack.notifications is
  'Outbox: one row per event worth telling the operator (position opened, exit fired and filled, position closed, live order failed or unconfirmed, breaker tripped and unlocked, leader paused, job failing, webhook silent, daily summary), written where it happens; delivered per channel through notification_deliveries.';
comment on column walltrack.notifications.id is 'The notification''s id; also the X-WallTrack-Delivery header of the signed webhook, for the receiver''s own de-duplication.';
comment on column walltrack.notifications.event_type is 'What happened (see the check constraint for the list).';
comment on column walltrack.notifications.severity is 'info (level all), important (levels all and important) or critical (every level).';
comment on column walltrack.notifications.title is 'One line saying what happened.';
comment on column walltrack.notifications.body is 'The facts, in plain text (amounts exact, USD rounded to cents).';
comment on column walltrack.notifications.details is 'The event''s ids and figures as JSON (amounts as strings, exact), sent as is by the webhook channel.';
comment on column walltrack.notifications.dedupe_key is 'One notification per fact (e.g. position_closed:<id>): a trigger or scan that runs twice adds nothing.';
comment on column walltrack.notifications.created_at is 'When the event was recorded.';
comment on column walltrack.notifications.updated_at is 'When the row last changed (trigger); a notification is written once and not rewritten.';

alter table walltrack.notifications enable row level security;
revoke all on walltrack.notifications from anon, authenticated;
grant select on walltrack.notifications to service_role;

create table walltrack.notification_deliveries (
  notification_id uuid not null constraint fk_notification_deliveries_notifications
    references walltrack.notifications (id) on delete cascade,
  channel text not null constraint fk_notification_deliveries_channels
    references walltrack.notification_channels (channel) on delete cascade,
  status text not null default 'pending'
    constraint notification_deliveries_status_check check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  next_attempt_at timestamptz not null default now(),
  claim_token uuid,
  claimed_until timestamptz,
  last_attempt_at timestamptz,
  last_status_code integer,
  last_error text check (char_length(last_error) <= 500),
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint pk_notification_deliveries primary key (notification_id, channel),
  constraint notification_deliveries_delivered_has_time check ((status = 'delivered') = (delivered_at is not null))
);
-- The dispatcher's queue per channel.
create index idx_notification_deliveries_due on walltrack.notification_deliveries (channel, next_attempt_at)
  where status = 'pending';
create index idx_notification_deliveries_channel_attempt on walltrack.notification_deliveries (channel, last_attempt_at desc);
create trigger notification_deliveries_set_updated_at before update on walltrack.notification_deliveries
  for each row execute function walltrack.set_updated_at();
comment on table walltrack.notification_deliveries is
  'One row per notification and channel: pending until the channel accepted it (delivered) or refused it max_attempts times (failed); claimed under a lease so that each is sent by one dispatcher at a time, and recorded only by the holder of the claim.';
comment on column walltrack.notification_deliveries.notification_id is 'The notification delivered.';
comment on column walltrack.notification_deliveries.channel is 'The channel it goes to.';
comment on column walltrack.notification_deliveries.status is 'pending (to send, or to retry at next_attempt_at), delivered, or failed (refused max_attempts times; walltrack.retry_failed_notifications puts it back).';
comment on column walltrack.notification_deliveries.attempts is 'Sends tried so far.';
comment on column walltrack.notification_deliveries.next_attempt_at is 'Not sent before this time (backoff after a failure, or the channel''s retry_after).';
comment on column walltrack.notification_deliveries.claim_token is 'The token of the dispatcher run that claimed it; only that run may record the outcome.';
comment on column walltrack.notification_deliveries.claimed_until is 'The claim''s lease: another run may claim it only after this time.';
comment on column walltrack.notification_deliveries.last_attempt_at is 'When it was last claimed for sending (the rate limit counts these).';
comment on column walltrack.notification_deliveries.last_status_code is 'The HTTP status of the last attempt (null for a network error).';
comment on column walltrack.notification_deliveries.last_error is 'What the channel answered on the last failed attempt (its description, never a credential).';
comment on column walltrack.notification_deliveries.delivered_at is 'When the channel accepted it.';
comment on column walltrack.notification_deliveries.created_at is 'When the delivery was routed.';
comment on column walltrack.notification_deliveries.updated_at is 'When the delivery last changed (trigger).';

alter table walltrack.notification_deliveries enable row level security;
revoke all on walltrack.notification_deliveries from anon, authenticated;
grant select on walltrack.notification_deliveries to service_role;

-- Config: the thresholds of the events found by time.
alter table walltrack.config
  add column notify_webhook_silence_minutes integer not null default 60 check (notify_webhook_silence_minutes > 0),
  add column notify_order_unconfirmed_minutes integer not null default 5 check (notify_order_unconfirmed_minutes > 0);
comment on column walltrack.config.notify_webhook_silence_minutes is
  'A webhook_silent notification when no Helius delivery arrived for this many minutes while wallets are watched.';
comment on column walltrack.config.notify_order_unconfirmed_minutes is
  'An order_unconfirmed notification when a live order is still submitted (sent, not confirmed) after this many minutes.';

-- Which severities a channel level lets through.
create function walltrack.notification_level_admits(level text, severity text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case level
    when 'all' then true
    when 'important' then severity in ('important', 'critical')
    when 'critical' then severity = 'critical'
    else false
  end;
$$;
comment on function walltrack.notification_level_admits(text, text) is
  'Whether a channel level admits a severity: all admits every one, important admits important and critical, critical only critical.';
revoke execute on function walltrack.notification_level_admits(text, text) from public;

-- Routing: each new notification gets a delivery per enabled channel whose level admits it.
create function walltrack.route_notifications()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into walltrack.notification_deliveries (notification_id, channel)
  select n.id, c.channel
  from new_notifications n
  join walltrack.notification_channels c on c.is_enabled and walltrack.notification_level_admits(c.level, n.severity);
  return null;
end;
$$;
comment on function walltrack.route_notifications() is
  'Trigger function: routes the statement''s new notifications to every enabled channel whose level admits their severity (one pending delivery each).';
revoke execute on function walltrack.route_notifications() from public;

create trigger notifications_route after insert on walltrack.notifications
  referencing new table as new_notifications
  for each statement execute function walltrack.route_notifications();

-- How to name things in a message.
create function walltrack.short_address(address text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when char_length(address) > 12 then pg_catalog.left(address, 4) || '..' || pg_catalog.right(address, 4) else address end;
$$;
comment on function walltrack.short_address(text) is 'An address as a person reads it in a message: the first and last four characters.';
revoke execute on function walltrack.short_address(text) from public;

create function walltrack.usd(amount numeric)
returns text
language sql
immutable
set search_path = ''
as $$
  select case when amount is null then 'n/a'
              else pg_catalog.to_char(pg_catalog.round(amount, 2), 'FMS999999999999990.00') || ' USD' end;
$$;
comment on function walltrack.usd(numeric) is 'A USD amount as a message shows it: signed, rounded to cents (the exact figure is in details).';
revoke execute on function walltrack.usd(numeric) from public;

-- Positions: opened (entry filled), each exit filled (with its realized PnL), closed.
create function walltrack.notify_position_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select e.event_type, e.severity, e.title, e.body, e.details, e.dedupe_key
  from old_positions o
  join new_positions n on n.id = o.id
    -- A price tick updates every open position: only the rows that changed state go further.
    and ((o.entry_price is null and n.entry_price is not null) or n.exit_amount > o.exit_amount
         or (n.status = 'closed' and o.status <> 'closed'))
  join walltrack.tokens t on t.id = n.token_id
  join walltrack.wallets w on w.id = n.wallet_id
  cross join lateral (
    select coalesce(t.symbol, walltrack.short_address(t.address)) as token,
           coalesce(w.label, walltrack.short_address(w.address)) as leader
  ) names
  cross join lateral (
    select 'position_opened' as event_type, 'info' as severity,
           pg_catalog.format('Opened %s (%s)', names.token, n.mode) as title,
           pg_catalog.format('Copied %s: %s %s at %s USD, %s.', names.leader, pg_catalog.trim_scale(n.entry_amount), names.token,
                             pg_catalog.trim_scale(n.entry_price), walltrack.usd(n.entry_value_usd)) as body,
           pg_catalog.jsonb_build_object('position_id', n.id, 'mode', n.mode, 'token', t.address, 'wallet', w.address,
             'entry_price', n.entry_price::text, 'entry_amount', n.entry_amount::text, 'entry_value_usd', n.entry_value_usd::text) as details,
           'position_opened:' || n.id as dedupe_key
    where o.entry_price is null and n.entry_price is not null
    union all
    select 'exit_filled', 'important',
           pg_catalog.format('Exit filled %s (%s): %s', names.token, n.mode, walltrack.usd(n.realized_pnl_usd - o.realized_pnl_usd)),
           pg_catalog.format('Sold %s %s (%s of the position left); realized PnL of this exit %s, of the position %s.',
                             pg_catalog.trim_scale(n.exit_amount - o.exit_amount), names.token, pg_catalog.trim_scale(n.current_amount),
                             walltrack.usd(n.realized_pnl_usd - o.realized_pnl_usd), walltrack.usd(n.realized_pnl_usd)),
           pg_catalog.jsonb_build_object('position_id', n.id, 'mode', n.mode, 'token', t.address, 'wallet', w.address,
             'sold_amount', (n.exit_amount - o.exit_amount)::text, 'exit_pnl_usd', (n.realized_pnl_usd - o.realized_pnl_usd)::text,
             'realized_pnl_usd', n.realized_pnl_usd::text, 'remaining_amount', n.current_amount::text),
           'exit_filled:' || n.id || ':' || n.exit_amount
    where n.exit_amount > o.exit_amount
    union all
    select 'position_closed', 'important',
           pg_catalog.format('Closed %s (%s, %s): %s', names.token, n.mode, n.exit_reason, walltrack.usd(n.realized_pnl_usd)),
           pg_catalog.format('Position copied from %s closed by %s: entry %s USD, exit %s USD, realized PnL %s.', names.leader,
                             n.exit_reason, pg_catalog.trim_scale(n.entry_price), coalesce(pg_catalog.trim_scale(n.exit_price)::text, 'n/a'),
                             walltrack.usd(n.realized_pnl_usd)),
           pg_catalog.jsonb_build_object('position_id', n.id, 'mode', n.mode, 'token', t.address, 'wallet', w.address,
             'exit_reason', n.exit_reason, 'entry_price', n.entry_price::text, 'exit_price', n.exit_price::text,
             'realized_pnl_usd', n.realized_pnl_usd::text),
           'position_closed:' || n.id
    where n.status = 'closed' and o.status <> 'closed'
  ) e
  on conflict (dedupe_key) do nothing;
  return null;
end;
$$;
comment on function walltrack.notify_position_changes() is
  'Trigger function (statement, transition tables): writes position_opened when an entry fills, exit_filled with the exit''s realized PnL when an exit fills, position_closed with the realized PnL when a position closes.';
revoke execute on function walltrack.notify_position_changes() from public;

create trigger positions_notify after update on walltrack.positions
  referencing old table as old_positions new table as new_positions
  for each statement execute function walltrack.notify_position_changes();

-- Orders: an exit fired (order created), a live order failed.
create function walltrack.notify_order_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
    select 'exit_fired', 'info',
           pg_catalog.format('%s exit fired: %s (%s)', walltrack.exit_reason_of(n.order_type), coalesce(t.symbol, walltrack.short_address(t.address)), n.mode),
           pg_catalog.format('Selling %s %s%s.', pg_catalog.trim_scale(n.amount_in), coalesce(t.symbol, walltrack.short_address(t.address)),
                             case when n.scaling_level is not null then pg_catalog.format(' (level %s, %s %%)', n.scaling_level, pg_catalog.trim_scale(n.scaling_percent)) else '' end),
           pg_catalog.jsonb_build_object('order_id', n.id, 'position_id', n.position_id, 'mode', n.mode, 'order_type', n.order_type,
             'token', t.address, 'amount', n.amount_in::text),
           'exit_fired:' || n.id
    from new_orders n
    join walltrack.tokens t on t.id = n.token_id
    where n.order_type <> 'entry'
    on conflict (dedupe_key) do nothing;
  else
    insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
    select 'order_failed', 'critical',
           pg_catalog.format('Live %s order failed: %s', n.order_type, coalesce(t.symbol, walltrack.short_address(t.address))),
           pg_catalog.format('After %s attempt(s): %s%s', n.retry_count, coalesce(n.error_code || ': ', ''), pg_catalog.left(n.error_message, 500)),
           pg_catalog.jsonb_build_object('order_id', n.id, 'position_id', n.position_id, 'order_type', n.order_type,
             'token', t.address, 'error_code', n.error_code),
           'order_failed:' || n.id
    from old_orders o
    join new_orders n on n.id = o.id
    join walltrack.tokens t on t.id = n.token_id
    where n.mode = 'live' and n.status = 'failed' and o.status <> 'failed'
    on conflict (dedupe_key) do nothing;
  end if;
  return null;
end;
$$;
comment on function walltrack.notify_order_changes() is
  'Trigger function (statement, transition tables): writes exit_fired for every exit order created and order_failed for every live order that failed.';
revoke execute on function walltrack.notify_order_changes() from public;

create trigger orders_notify_insert after insert on walltrack.orders
  referencing new table as new_orders
  for each statement execute function walltrack.notify_order_changes();
create trigger orders_notify_update after update on walltrack.orders
  referencing old table as old_orders new table as new_orders
  for each statement execute function walltrack.notify_order_changes();

-- The breaker: tripped (activation) and unlocked (deactivation, by time or by the operator).
create function walltrack.notify_breaker_events()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select case when e.event_type = 'activated' then 'breaker_tripped' else 'breaker_unlocked' end,
         case when e.event_type = 'activated' then 'critical' else 'important' end,
         case when e.event_type = 'activated'
              then pg_catalog.format('Circuit breaker tripped (%s): %s', e.mode, e.trigger_reason)
              else pg_catalog.format('Circuit breaker unlocked (%s): %s', e.mode, e.trigger_reason) end,
         case when e.event_type = 'activated'
              then pg_catalog.format('New %s entries are blocked until %s; open positions keep their exits. Drawdown %s %%, win rate %s %%, consecutive losses %s, PnL today %s.',
                                     e.mode, coalesce(e.unlock_at::text, 'a manual reset'), coalesce(pg_catalog.round(e.current_drawdown_percent, 2)::text, 'n/a'),
                                     coalesce(pg_catalog.round(e.current_win_rate, 2)::text, 'n/a'), coalesce(e.consecutive_losses::text, 'n/a'),
                                     walltrack.usd(e.daily_realized_pnl_usd))
              else pg_catalog.format('New %s entries are allowed again (%s).', e.mode,
                                     case e.trigger_reason when 'manual' then 'reset by the operator' else 'unlock time reached' end) end,
         pg_catalog.jsonb_build_object('event_id', e.id, 'mode', e.mode, 'reason', e.trigger_reason, 'unlock_at', e.unlock_at,
           'drawdown_percent', e.current_drawdown_percent::text, 'win_rate', e.current_win_rate::text,
           'consecutive_losses', e.consecutive_losses, 'daily_realized_pnl_usd', e.daily_realized_pnl_usd::text),
         'breaker:' || e.id
  from new_events e
  on conflict (dedupe_key) do nothing;
  return null;
end;
$$;
comment on function walltrack.notify_breaker_events() is
  'Trigger function (statement, transition table): writes breaker_tripped (critical) for an activation and breaker_unlocked for a deactivation.';
revoke execute on function walltrack.notify_breaker_events() from public;

create trigger circuit_breaker_events_notify after insert on walltrack.circuit_breaker_events
  referencing new table as new_events
  for each statement execute function walltrack.notify_breaker_events();

-- The hook for per-leader risk: whatever pauses a leader calls this (one line), once per pause.
create function walltrack.notify_leader_paused(wallet_id uuid, reason text, paused_until timestamptz default null)
returns uuid
language sql
set search_path = ''
as $$
  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select 'leader_paused', 'important',
         pg_catalog.format('Leader paused: %s', coalesce(w.label, walltrack.short_address(w.address))),
         pg_catalog.format('No new entries from %s %s: %s.', coalesce(w.label, walltrack.short_address(w.address)),
                           coalesce('until ' || paused_until::text, 'until resumed'), reason),
         pg_catalog.jsonb_build_object('wallet_id', w.id, 'wallet', w.address, 'reason', reason, 'paused_until', paused_until),
         'leader_paused:' || w.id || ':' || coalesce(paused_until, pg_catalog.now())::text
  from walltrack.wallets w
  where w.id = notify_leader_paused.wallet_id
  on conflict (dedupe_key) do nothing
  returning id;
$$;
comment on function walltrack.notify_leader_paused(uuid, text, timestamptz) is
  'Writes a leader_paused notification for a wallet (the hook per-leader risk calls when it pauses a leader); once per wallet and pause end; returns its id, null when already written.';
revoke execute on function walltrack.notify_leader_paused(uuid, text, timestamptz) from public;

-- The trigger function for per-leader risk's pause events (walltrack.leader_pause_events, branch
-- leader-risk): attached with one line once that table is on main,
--   create trigger leader_pause_events_notify after insert on walltrack.leader_pause_events
--     for each row when (new.event_type = 'paused') execute function walltrack.notify_leader_pause_event();
create function walltrack.notify_leader_pause_event()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.event_type = 'paused' then
    perform walltrack.notify_leader_paused(new.wallet_id, new.trigger_reason, new.pause_until);
  end if;
  return null;
end;
$$;
comment on function walltrack.notify_leader_pause_event() is
  'Trigger function for a table of leader pause events (wallet_id, event_type, trigger_reason, pause_until): a paused event writes leader_paused through walltrack.notify_leader_paused.';
revoke execute on function walltrack.notify_leader_pause_event() from public;

-- What is found by time, once per fact: live orders unconfirmed too long, failing jobs (once per
-- failure streak), webhook silence while wallets are watched (once per silence), and yesterday's
-- summary (once per UTC day). Returns how many notifications it wrote.
create function walltrack.enqueue_due_notifications(as_of timestamptz default now())
returns integer
language plpgsql
set search_path = ''
as $$
declare
  settings record;
  written integer := 0;
  added integer;
  summary_day date := (as_of at time zone 'UTC')::date - 1;
  day_start timestamptz := summary_day::timestamp at time zone 'UTC';
  day_end timestamptz := (summary_day + 1)::timestamp at time zone 'UTC';
begin
  select notify_webhook_silence_minutes, notify_order_unconfirmed_minutes, webhook_last_signal_at
    into settings from walltrack.config;

  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select 'order_unconfirmed', 'important',
         pg_catalog.format('Live %s order unconfirmed: %s', o.order_type, coalesce(t.symbol, walltrack.short_address(t.address))),
         pg_catalog.format('Sent %s, still not confirmed (transaction %s).', o.submitted_at, coalesce(o.tx_signature, 'unknown')),
         pg_catalog.jsonb_build_object('order_id', o.id, 'position_id', o.position_id, 'tx_signature', o.tx_signature, 'submitted_at', o.submitted_at),
         'order_unconfirmed:' || o.id
  from walltrack.orders o
  join walltrack.tokens t on t.id = o.token_id
  where o.status = 'submitted' and o.mode = 'live'
    and o.submitted_at < as_of - pg_catalog.make_interval(mins => settings.notify_order_unconfirmed_minutes)
  on conflict (dedupe_key) do nothing;
  get diagnostics added = row_count;
  written := written + added;

  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select 'job_failing', 'critical',
         pg_catalog.format('Scheduled job failing: %s', h.jobname),
         pg_catalog.format('%s failed %s time(s) since its last success (%s): %s', h.jobname, h.failures_since_success,
                           coalesce(h.last_success_at::text, 'never'), pg_catalog.left(coalesce(h.last_message, 'no message'), 500)),
         pg_catalog.jsonb_build_object('jobname', h.jobname, 'failures_since_success', h.failures_since_success, 'last_success_at', h.last_success_at),
         'job_failing:' || h.jobname || ':' || coalesce(h.last_success_at::text, 'never')
  from walltrack.cron_job_health h
  where h.last_status = 'failed'
  on conflict (dedupe_key) do nothing;
  get diagnostics added = row_count;
  written := written + added;

  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select 'webhook_silent', 'critical',
         pg_catalog.format('No webhook delivery for %s minutes', pg_catalog.floor(extract(epoch from as_of - s.since) / 60)),
         pg_catalog.format('%s wallet(s) are watched and Helius has delivered nothing since %s: check the webhook (npm run status) and Helius.',
                           s.watched, s.since),
         pg_catalog.jsonb_build_object('since', s.since, 'watched_wallets', s.watched),
         'webhook_silent:' || s.since
  from (select pg_catalog.count(*) as watched,
               greatest(settings.webhook_last_signal_at, pg_catalog.min(w.created_at)) as since
          from walltrack.wallets w where w.is_active) s
  where s.watched > 0
    and s.since < as_of - pg_catalog.make_interval(mins => settings.notify_webhook_silence_minutes)
  on conflict (dedupe_key) do nothing;
  get diagnostics added = row_count;
  written := written + added;

  -- The job runs every minute: the day's summary is looked for once it exists, not recomputed.
  if exists (select 1 from walltrack.notifications where dedupe_key = 'daily_summary:' || summary_day) then
    return written;
  end if;
  insert into walltrack.notifications (event_type, severity, title, body, details, dedupe_key)
  select 'daily_summary', 'important',
         pg_catalog.format('Daily summary %s: %s realized', summary_day, walltrack.usd(coalesce(sum(d.realized), 0))),
         coalesce(pg_catalog.string_agg(pg_catalog.format('%s: %s opened, %s closed (%s won), realized %s, %s open now.',
                    d.mode, d.opened, d.closed, d.won, walltrack.usd(d.realized), d.open_now), ' ' order by d.mode), 'No trading.')
           || case when exists (select 1 from walltrack.config where circuit_breaker_active) then ' The circuit breaker is active.' else '' end,
         pg_catalog.jsonb_build_object('day', summary_day, 'by_mode', coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'mode', d.mode, 'opened', d.opened, 'closed', d.closed, 'won', d.won, 'realized_pnl_usd', d.realized::text, 'open_now', d.open_now)
           order by d.mode), '[]'::jsonb)),
         'daily_summary:' || summary_day
  from (
    select m.mode,
           (select pg_catalog.count(*) from walltrack.positions p where p.mode = m.mode
              and p.entry_timestamp >= day_start and p.entry_timestamp < day_end) as opened,
           (select pg_catalog.count(*) from walltrack.positions p where p.mode = m.mode and p.status = 'closed'
              and p.closed_at >= day_start and p.closed_at < day_end) as closed,
           (select pg_catalog.count(*) from walltrack.positions p where p.mode = m.mode and p.status = 'closed'
              and p.closed_at >= day_start and p.closed_at < day_end and p.realized_pnl_usd > 0) as won,
           (select coalesce(pg_catalog.sum(p.realized_pnl_usd), 0) from walltrack.positions p where p.mode = m.mode and p.status = 'closed'
              and p.closed_at >= day_start and p.closed_at < day_end) as realized,
           (select pg_catalog.count(*) from walltrack.positions p where p.mode = m.mode and p.status = 'open') as open_now
    from (values ('simulation'), ('live')) m(mode)
  ) d
  where d.opened > 0 or d.closed > 0 or d.open_now > 0 or d.mode = 'simulation'
  on conflict (dedupe_key) do nothing;
  get diagnostics added = row_count;
  return written + added;
end;
$$;
comment on function walltrack.enqueue_due_notifications(timestamptz) is
  'Writes the notifications found by time, each once: order_unconfirmed (live order submitted longer than config.notify_order_unconfirmed_minutes), job_failing (once per failure streak of a walltrack job), webhook_silent (no delivery for config.notify_webhook_silence_minutes while wallets are watched, once per silence) and daily_summary (yesterday, UTC, once). Returns how many it wrote.';
revoke execute on function walltrack.enqueue_due_notifications(timestamptz) from public;

-- Backoff after a failed send: 15 s, 30 s, 1 min, ... capped at 15 minutes.
create function walltrack.notification_backoff(attempts integer)
returns interval
language sql
immutable
set search_path = ''
as $$
  select least(interval '15 minutes', interval '15 seconds' * power(2, greatest(attempts, 1) - 1));
$$;
comment on function walltrack.notification_backoff(integer) is
  'How long a delivery waits after its n-th failed attempt: 15 s doubling each time, at most 15 minutes (a channel''s 429 retry_after, when longer, wins).';
revoke execute on function walltrack.notification_backoff(integer) from public;

-- Claims what is due for the channels the dispatcher holds credentials for, within each channel's
-- rate limit, under a lease. The channel row is locked while claiming, so that two dispatchers at
-- once never exceed the rate limit together; rows are skipped, not waited for, when locked.
create function walltrack.claim_notification_deliveries(
  channels text[], lease_for interval default interval '2 minutes', as_of timestamptz default now())
returns table (notification_id uuid, channel text, claim_token uuid, attempts integer, event_type text, severity text,
               title text, body text, details jsonb, created_at timestamptz)
language plpgsql
set search_path = ''
as $$
declare
  c record;
  token uuid := gen_random_uuid();
  room integer;
begin
  for c in
    select ch.channel, ch.rate_limit_per_minute from walltrack.notification_channels ch
    where ch.channel = any (channels) and ch.is_enabled and (ch.paused_until is null or ch.paused_until <= as_of)
    order by ch.channel
    for update skip locked
  loop
    select c.rate_limit_per_minute - pg_catalog.count(*) into room
    from walltrack.notification_deliveries d
    where d.channel = c.channel and d.last_attempt_at > as_of - interval '1 minute';
    continue when room <= 0;
    return query
    with due as (
      select d.notification_id, d.channel
      from walltrack.notification_deliveries d
      join walltrack.notifications n on n.id = d.notification_id
      where d.channel = c.channel and d.status = 'pending' and d.next_attempt_at <= as_of
        and (d.claimed_until is null or d.claimed_until <= as_of)
      order by n.created_at, n.id
      limit room
      for update of d skip locked
    ), claimed as (
      update walltrack.notification_deliveries d
         set claim_token = token, claimed_until = as_of + lease_for, last_attempt_at = as_of, attempts = d.attempts + 1
        from due
       where d.notification_id = due.notification_id and d.channel = due.channel
      returning d.notification_id, d.channel, d.claim_token, d.attempts
    )
    select cl.notification_id, cl.channel, cl.claim_token, cl.attempts, n.event_type, n.severity, n.title, n.body, n.details, n.created_at
    from claimed cl join walltrack.notifications n on n.id = cl.notification_id
    order by n.created_at, n.id;
  end loop;
end;
$$;
comment on function walltrack.claim_notification_deliveries(text[], interval, timestamptz) is
  'Claims the pending deliveries due for the given channels (enabled, not paused by a 429), oldest first, at most each channel''s rate limit per minute, under a lease and one claim token; counts the attempt. Returns what to send.';
revoke execute on function walltrack.claim_notification_deliveries(text[], interval, timestamptz) from public;

-- Records what each channel answered, for the holder of the claim only: delivered; or pending again
-- after a backoff (or the channel's retry_after, which also pauses the whole channel); or failed once
-- a refusal (not an outage) has used up the channel's attempts.
-- results: [{notification_id, channel, claim_token, ok, status_code?, error?, retryable, retry_after_seconds?}]
create function walltrack.record_notification_deliveries(results jsonb, as_of timestamptz default now())
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  delivered integer;
  retrying integer;
  failed integer;
begin
  with r as (
    select (x ->> 'notification_id')::uuid as notification_id, x ->> 'channel' as channel, (x ->> 'claim_token')::uuid as claim_token,
           coalesce((x ->> 'ok')::boolean, false) as ok, (x ->> 'status_code')::integer as status_code,
           pg_catalog.left(x ->> 'error', 500) as error, coalesce((x ->> 'retryable')::boolean, true) as retryable,
           (x ->> 'retry_after_seconds')::numeric as retry_after
    from pg_catalog.jsonb_array_elements(results) x
  ), updated as (
    update walltrack.notification_deliveries d
       set status = case when r.ok then 'delivered'
                         when not r.retryable and d.attempts >= ch.max_attempts then 'failed'
                         else 'pending' end,
           delivered_at = case when r.ok then as_of end,
           next_attempt_at = case when r.ok then d.next_attempt_at
                                  else as_of + greatest(walltrack.notification_backoff(d.attempts),
                                                     coalesce(pg_catalog.make_interval(secs => r.retry_after::double precision), interval '0')) end,
           last_status_code = r.status_code,
           last_error = case when r.ok then null else coalesce(r.error, 'failed') end,
           claim_token = null,
           claimed_until = null
      from r, walltrack.notification_channels ch
     where d.notification_id = r.notification_id and d.channel = r.channel and d.claim_token = r.claim_token
       and d.status = 'pending' and ch.channel = d.channel
    returning d.status, d.channel, r.retry_after
  ), paused as (
    update walltrack.notification_channels ch
       set paused_until = greatest(coalesce(ch.paused_until, as_of), as_of + pg_catalog.make_interval(secs => p.retry_after::double precision))
      from (select u.channel, max(u.retry_after) as retry_after from updated u where u.retry_after > 0 group by u.channel) p
     where ch.channel = p.channel
  )
  select pg_catalog.count(*) filter (where status = 'delivered'), pg_catalog.count(*) filter (where status = 'pending'),
         pg_catalog.count(*) filter (where status = 'failed')
    into delivered, retrying, failed
  from updated;
  return pg_catalog.jsonb_build_object('delivered', delivered, 'retrying', retrying, 'failed', failed,
                                       'ignored', pg_catalog.jsonb_array_length(results) - delivered - retrying - failed);
end;
$$;
comment on function walltrack.record_notification_deliveries(jsonb, timestamptz) is
  'Records the outcome of claimed deliveries for the holder of the claim only (a stale claim changes nothing): delivered; pending again after the backoff or retry_after (a retry_after pauses the channel too); failed when a refusal has used up max_attempts. Returns {delivered, retrying, failed, ignored}.';
revoke execute on function walltrack.record_notification_deliveries(jsonb, timestamptz) from public;

-- The operator's way back after fixing a channel's credentials.
create function walltrack.retry_failed_notifications(channel text)
returns integer
language sql
set search_path = ''
as $$
  with requeued as (
    update walltrack.notification_deliveries d
       set status = 'pending', attempts = 0, next_attempt_at = pg_catalog.now(), last_error = null
     where d.channel = retry_failed_notifications.channel and d.status = 'failed'
    returning 1
  )
  select pg_catalog.count(*)::integer from requeued;
$$;
comment on function walltrack.retry_failed_notifications(text) is
  'Puts a channel''s failed deliveries back to pending with fresh attempts (after its credentials were fixed); returns how many.';
revoke execute on function walltrack.retry_failed_notifications(text) from public;

-- The pg_cron job: write what time reveals, then call the dispatcher only when something is due.
create function walltrack.dispatch_notifications()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  perform walltrack.enqueue_due_notifications();
  if not exists (
    select 1 from walltrack.notification_deliveries d
    join walltrack.notification_channels c on c.channel = d.channel
    where d.status = 'pending' and d.next_attempt_at <= pg_catalog.now()
      and (d.claimed_until is null or d.claimed_until <= pg_catalog.now())
      and c.is_enabled and (c.paused_until is null or c.paused_until <= pg_catalog.now())) then
    return null;
  end if;
  return walltrack.invoke_edge_function('notification-dispatcher', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.dispatch_notifications() is
  'The notification job (pg_cron, every minute): writes the notifications found by time, then calls the notification-dispatcher edge function when a delivery is due; null when nothing is.';
revoke execute on function walltrack.dispatch_notifications() from public;

-- Per channel: what waits, what failed, what went out (for npm run status and the dashboard).
create function walltrack.notifications_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'channels', coalesce(pg_catalog.jsonb_object_agg(c.channel, pg_catalog.jsonb_build_object(
      'enabled', c.is_enabled,
      'level', c.level,
      'pending', (select pg_catalog.count(*) from walltrack.notification_deliveries d where d.channel = c.channel and d.status = 'pending'),
      'failed', (select pg_catalog.count(*) from walltrack.notification_deliveries d where d.channel = c.channel and d.status = 'failed'),
      'oldest_pending_at', (select pg_catalog.min(n.created_at) from walltrack.notification_deliveries d
                              join walltrack.notifications n on n.id = d.notification_id
                             where d.channel = c.channel and d.status = 'pending'),
      'last_delivered_at', (select pg_catalog.max(d.delivered_at) from walltrack.notification_deliveries d where d.channel = c.channel),
      'last_error', (select d.last_error from walltrack.notification_deliveries d
                      where d.channel = c.channel and d.last_error is not null order by d.last_attempt_at desc nulls last limit 1),
      'paused_until', c.paused_until)), '{}'::jsonb),
    'notifications_24h', (select pg_catalog.count(*) from walltrack.notifications n where n.created_at > pg_catalog.now() - interval '24 hours'))
  from walltrack.notification_channels c;
$$;
comment on function walltrack.notifications_status() is
  'Notifications at a glance: per channel whether it is on, its level, pending and failed deliveries, the oldest pending, the last delivery, the last error and a 429 pause; and how many notifications the last 24 hours wrote.';
revoke execute on function walltrack.notifications_status() from public;
grant execute on function walltrack.notifications_status() to service_role;

-- Recent notifications and where each went (the dashboard reads this).
create view walltrack.recent_notifications with (security_invoker = true) as
select n.id, n.created_at, n.event_type, n.severity, n.title, n.body, n.details,
       coalesce(pg_catalog.jsonb_object_agg(d.channel, d.status) filter (where d.channel is not null), '{}'::jsonb) as deliveries
from walltrack.notifications n
left join walltrack.notification_deliveries d on d.notification_id = n.id
where n.created_at > pg_catalog.now() - interval '7 days'
group by n.id;
comment on view walltrack.recent_notifications is
  'The notifications of the last 7 days, each with its delivery status per channel ({"telegram": "delivered", ...}; {} when no channel was enabled).';
revoke all on walltrack.recent_notifications from public, anon, authenticated;
grant select on walltrack.recent_notifications to service_role;
revoke insert, update, delete, truncate on walltrack.recent_notifications from service_role;

-- Rollback:
-- drop view walltrack.recent_notifications; drop table walltrack.notification_deliveries, walltrack.notifications,
-- walltrack.notification_channels cascade; alter table walltrack.config drop column notify_webhook_silence_minutes,
-- drop column notify_order_unconfirmed_minutes; drop the functions above and the triggers positions_notify,
-- orders_notify_insert, orders_notify_update, circuit_breaker_events_notify.
