-- Adds per-leader risk (issue 14): the global breaker stops every entry only once the whole book
-- is hurt, so one leader on a losing streak kept being copied until then. Each watched wallet may
-- now have its own cap on open positions and on USD exposure, and is paused for a while after N
-- losing closes in a row or a realized loss over a window. Settings live on the wallet, with
-- defaults in config; null on the wallet means the config default, null in config means no limit.
-- Pauses are append-only events that snapshot why (as circuit_breaker_events do); a pause ends by
-- itself at its pause_until (checked when a BUY is decided, so no job is needed) or by hand. Like
-- the breaker (ADR-004), a pause and the caps block entries only: open positions keep their exits.

alter table walltrack.config
  add column leader_max_open_positions integer
    constraint config_leader_max_open_positions_check check (leader_max_open_positions > 0),
  add column leader_max_exposure_usd numeric(20, 2)
    constraint config_leader_max_exposure_usd_check check (leader_max_exposure_usd > 0),
  add column leader_pause_after_losses integer
    constraint config_leader_pause_after_losses_check check (leader_pause_after_losses > 0),
  add column leader_loss_limit_usd numeric(20, 2)
    constraint config_leader_loss_limit_usd_check check (leader_loss_limit_usd > 0),
  add column leader_loss_window_hours integer not null default 24
    constraint config_leader_loss_window_hours_check check (leader_loss_window_hours between 1 and 720),
  add column leader_pause_minutes integer not null default 240
    constraint config_leader_pause_minutes_check check (leader_pause_minutes between 1 and 43200);
comment on column walltrack.config.leader_max_open_positions is
  'Default cap on one leader''s open positions (a wallet''s own max_open_positions wins); null: no cap. A BUY beyond it is filtered leader_max_positions.';
comment on column walltrack.config.leader_max_exposure_usd is
  'Default cap on the USD committed to one leader''s open positions (a wallet''s own max_exposure_usd wins); null: no cap. A BUY that would exceed it is filtered leader_exposure_limit.';
comment on column walltrack.config.leader_pause_after_losses is
  'Default number of losing closes in a row that pause a leader (a wallet''s own pause_after_losses wins); null: never.';
comment on column walltrack.config.leader_loss_limit_usd is
  'Default realized loss (USD) of one leader''s closes within leader_loss_window_hours that pauses it (a wallet''s own loss_limit_usd wins); null: never.';
comment on column walltrack.config.leader_loss_window_hours is
  'The window, in hours, over which a leader''s realized loss is compared with its loss limit (default 24).';
comment on column walltrack.config.leader_pause_minutes is
  'How long a leader pause lasts, in minutes (default 240); its BUYs are filtered leader_paused until then or an unpause by hand.';

alter table walltrack.wallets
  add column max_open_positions integer constraint wallets_max_open_positions_check check (max_open_positions > 0),
  add column max_exposure_usd numeric(20, 2) constraint wallets_max_exposure_usd_check check (max_exposure_usd > 0),
  add column pause_after_losses integer constraint wallets_pause_after_losses_check check (pause_after_losses > 0),
  add column loss_limit_usd numeric(20, 2) constraint wallets_loss_limit_usd_check check (loss_limit_usd > 0);
comment on column walltrack.wallets.max_open_positions is
  'This leader''s cap on open positions; null: config.leader_max_open_positions. Beyond it its BUYs are filtered leader_max_positions.';
comment on column walltrack.wallets.max_exposure_usd is
  'This leader''s cap on the USD committed to its open positions; null: config.leader_max_exposure_usd. A BUY that would exceed it is filtered leader_exposure_limit.';
comment on column walltrack.wallets.pause_after_losses is
  'Losing closes in a row that pause this leader; null: config.leader_pause_after_losses.';
comment on column walltrack.wallets.loss_limit_usd is
  'Realized loss (USD) within config.leader_loss_window_hours that pauses this leader; null: config.leader_loss_limit_usd.';

create table walltrack.leader_pause_events (
  id uuid primary key default gen_random_uuid(),
  wallet_id uuid not null constraint fk_leader_pause_events_wallets references walltrack.wallets (id) on delete restrict,
  event_type text not null constraint leader_pause_events_event_type_check check (event_type in ('paused', 'unpaused')),
  trigger_reason text not null constraint leader_pause_events_trigger_reason_check
    check (trigger_reason in ('consecutive_losses', 'loss_limit', 'manual')),
  -- An unpause names the pause it ends; a pause may name the close that tripped it.
  pause_event_id uuid constraint fk_leader_pause_events_pause references walltrack.leader_pause_events (id),
  closed_position_id uuid constraint fk_leader_pause_events_positions references walltrack.positions (id),
  -- What was measured, exact, and the thresholds of the moment.
  consecutive_losses integer constraint leader_pause_events_consecutive_losses_check check (consecutive_losses >= 0),
  window_realized_pnl_usd numeric,
  pause_after_losses_threshold integer,
  loss_limit_threshold_usd numeric(20, 2),
  loss_window_hours integer,
  pause_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint leader_pause_events_unpause_names_pause check ((event_type = 'unpaused') = (pause_event_id is not null)),
  constraint leader_pause_events_pause_has_end check (event_type = 'unpaused' or pause_until is not null),
  constraint leader_pause_events_unpause_is_manual check (event_type = 'paused' or trigger_reason = 'manual')
);

create index idx_leader_pause_events_wallet_id on walltrack.leader_pause_events (wallet_id, created_at desc);
create index idx_leader_pause_events_closed_position_id on walltrack.leader_pause_events (closed_position_id);
-- Each pause is ended by hand at most once.
create unique index uq_leader_pause_events_unpause on walltrack.leader_pause_events (pause_event_id)
  where pause_event_id is not null;

create function walltrack.protect_leader_pause_events()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'leader_pause_events is append-only: event % cannot be changed or deleted (unpause with walltrack.unpause_leader)', old.id
    using errcode = 'integrity_constraint_violation';
end;
$$;
comment on function walltrack.protect_leader_pause_events() is
  'Trigger function: leader pause events are facts; an update or delete is refused (a pause ends by time or by an unpaused event).';
revoke execute on function walltrack.protect_leader_pause_events() from public;

create trigger leader_pause_events_append_only before update or delete on walltrack.leader_pause_events
  for each row execute function walltrack.protect_leader_pause_events();
-- Every table keeps updated_at by the same trigger (none is ever run here: updates are refused).
create trigger leader_pause_events_set_updated_at before update on walltrack.leader_pause_events
  for each row execute function walltrack.set_updated_at();

alter table walltrack.leader_pause_events enable row level security;
revoke all on walltrack.leader_pause_events from anon, authenticated, service_role;
grant select, insert on walltrack.leader_pause_events to service_role;

comment on table walltrack.leader_pause_events is
  'Event Sourcing: append-only pauses of one leader (after consecutive losses or a loss over a window, or by hand) with what was measured and the thresholds of the moment, and the unpauses by hand. A pause blocks that leader''s entries until pause_until; its open positions keep their exits.';
comment on column walltrack.leader_pause_events.id is 'Primary key.';
comment on column walltrack.leader_pause_events.wallet_id is 'The leader (watched wallet) paused or unpaused.';
comment on column walltrack.leader_pause_events.event_type is 'paused or unpaused (by hand; a pause also ends by itself at pause_until).';
comment on column walltrack.leader_pause_events.trigger_reason is 'Why: consecutive_losses or loss_limit (pauses), manual (unpauses, and pauses by hand).';
comment on column walltrack.leader_pause_events.pause_event_id is 'For an unpause: the pause it ends.';
comment on column walltrack.leader_pause_events.closed_position_id is 'For an automatic pause: the close that tripped it.';
comment on column walltrack.leader_pause_events.consecutive_losses is 'The leader''s losing closes in a row at the moment (since its previous pause event).';
comment on column walltrack.leader_pause_events.window_realized_pnl_usd is 'The leader''s realized PnL over the loss window at the moment (since its previous pause event), exact.';
comment on column walltrack.leader_pause_events.pause_after_losses_threshold is 'The losses-in-a-row threshold in force (wallet or config).';
comment on column walltrack.leader_pause_events.loss_limit_threshold_usd is 'The loss limit in force (wallet or config).';
comment on column walltrack.leader_pause_events.loss_window_hours is 'config.leader_loss_window_hours at the moment.';
comment on column walltrack.leader_pause_events.pause_until is 'When the pause ends by itself (config.leader_pause_minutes after it).';
comment on column walltrack.leader_pause_events.created_at is 'When the event happened.';
comment on column walltrack.leader_pause_events.updated_at is 'Equal to created_at: the events are never updated (append-only).';

-- A leader's losses since its last pause event (a pause, or its end by hand, is a fresh start, so
-- the closes that tripped one never trip the next): losing closes in a row ending with the latest
-- (a breakeven close ends a run, as in the breaker), and the realized PnL of its closes within the
-- window. Both modes count: a leader losing in simulation is the same leader.
create function walltrack.leader_loss_metrics(
  leader uuid, at timestamptz, window_hours integer,
  out since timestamptz, out consecutive_losses integer, out window_realized_pnl_usd numeric)
language sql
stable
set search_path = ''
as $$
  with fresh_start as (
    select coalesce(max(e.created_at), '-infinity'::timestamptz) as at
    from walltrack.leader_pause_events e where e.wallet_id = leader
  ), closes as (
    select p.realized_pnl_usd as pnl, p.closed_at, p.id
    from walltrack.positions p, fresh_start f
    where p.wallet_id = leader and p.status = 'closed' and p.closed_at > f.at
  )
  select (select f.at from fresh_start f),
         (select count(*) filter (where s.pnl < 0 and not s.broken)::integer
            from (select c.pnl, bool_or(c.pnl >= 0) over (order by c.closed_at desc, c.id desc) as broken from closes c) s),
         (select coalesce(sum(c.pnl), 0) from closes c
           where c.closed_at > leader_loss_metrics.at - pg_catalog.make_interval(hours => window_hours));
$$;
comment on function walltrack.leader_loss_metrics(uuid, timestamptz, integer) is
  'A leader''s losses since its last pause event: losing closes in a row ending with the latest, and the exact realized PnL of its closes within the last window_hours.';
revoke execute on function walltrack.leader_loss_metrics(uuid, timestamptz, integer) from public;

-- A leader's pause in force at a moment: its latest pause whose end is still ahead and that no
-- unpause ended (all nulls when none). The one place that says what "paused" means.
create function walltrack.leader_pause_in_force(leader uuid, at timestamptz)
returns walltrack.leader_pause_events
language plpgsql
stable
set search_path = ''
as $$
declare
  pause walltrack.leader_pause_events;
begin
  -- PL/pgSQL keeps this query's plan across the calls of a batch (see 20261205130300).
  select e.* into pause from walltrack.leader_pause_events e
  where e.wallet_id = leader and e.event_type = 'paused' and e.pause_until > at
    and not exists (select 1 from walltrack.leader_pause_events u where u.pause_event_id = e.id)
  order by e.created_at desc limit 1;
  return pause;
end;
$$;
comment on function walltrack.leader_pause_in_force(uuid, timestamptz) is
  'The leader''s pause in force at `at` (pause_until after it, no unpause), or a row of nulls: while there is one its BUYs are filtered leader_paused. Expiry needs no job: it is read at decision time.';
revoke execute on function walltrack.leader_pause_in_force(uuid, timestamptz) from public;

-- One leader's open positions and the USD they commit, counted as walltrack.open_exposure counts
-- the whole book (filled cost, or the intended size of a pending entry).
create function walltrack.leader_exposure(leader uuid, out open_positions integer, out exposure_usd numeric)
language plpgsql
stable
set search_path = ''
as $$
begin
  select count(*)::integer, coalesce(sum(coalesce(p.entry_value_usd, o.value_usd, 0)), 0)
    into open_positions, exposure_usd
  from walltrack.positions p
  left join walltrack.orders o on o.position_id = p.id and o.order_type = 'entry'
  where p.wallet_id = leader and p.status = 'open';
end;
$$;
comment on function walltrack.leader_exposure(uuid) is
  'One leader''s open positions and the USD they commit (filled cost, or intended size of a pending entry).';
revoke execute on function walltrack.leader_exposure(uuid) from public;

-- The per-leader BUY filter, called by walltrack.buy_filter_reason after the global exposure limit.
-- In order, first match wins:
--   leader_paused          the leader has a pause in force (walltrack.leader_pause_in_force)
--   leader_max_positions   its open positions reached its cap (wallet, else config; null: none)
--   leader_exposure_limit  this entry would take its committed USD above its cap (reaching it is allowed)
create function walltrack.leader_risk_reason(w walltrack.wallets, cfg walltrack.config, size_usd numeric, decided_at timestamptz)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  max_positions integer := coalesce(w.max_open_positions, cfg.leader_max_open_positions);
  max_usd numeric := coalesce(w.max_exposure_usd, cfg.leader_max_exposure_usd);
  e record;
begin
  if (walltrack.leader_pause_in_force(w.id, decided_at)).id is not null then
    return 'leader_paused';
  end if;
  if max_positions is null and max_usd is null then
    return null;
  end if;
  select * into e from walltrack.leader_exposure(w.id);
  return case
    when e.open_positions >= max_positions then 'leader_max_positions'
    when e.exposure_usd + size_usd > max_usd then 'leader_exposure_limit'
  end;
end;
$$;
comment on function walltrack.leader_risk_reason(walltrack.wallets, walltrack.config, numeric, timestamptz) is
  'The per-leader BUY filter: leader_paused (a pause in force), leader_max_positions (its open positions at its cap), leader_exposure_limit (the entry would exceed its USD cap), or null. Caps are the wallet''s, else config''s; null is no cap.';
revoke execute on function walltrack.leader_risk_reason(walltrack.wallets, walltrack.config, numeric, timestamptz) from public;

-- Evaluates one leader after a close: already paused, nothing to do; otherwise pause it when its
-- losses in a row reach its threshold, or its loss over the window reaches its limit (compared
-- exactly). The wallet row lock (no key update: it does not wait for entries being opened, which
-- only share its key) serializes two closes of one leader, so they never open two pauses.
create function walltrack.evaluate_leader_pause(leader uuid, closed_position uuid default null)
returns text
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  w walltrack.wallets;
  losses_threshold integer;
  loss_limit numeric;
  m record;
  reason text;
  -- Stamped with the clock, not the transaction's start: the close that tripped it (stamped when
  -- it was filled) falls before the fresh start it makes. Read once: pause_until is exactly
  -- leader_pause_minutes after created_at.
  at timestamptz := pg_catalog.clock_timestamp();
begin
  select * into strict cfg from walltrack.config;
  select * into w from walltrack.wallets where id = leader for no key update;
  if w.id is null then
    return 'unknown_wallet';
  end if;
  if (walltrack.leader_pause_in_force(leader, pg_catalog.now())).id is not null then
    return 'paused';
  end if;
  losses_threshold := coalesce(w.pause_after_losses, cfg.leader_pause_after_losses);
  loss_limit := coalesce(w.loss_limit_usd, cfg.leader_loss_limit_usd);
  if losses_threshold is null and loss_limit is null then
    return 'ok';
  end if;
  select * into m from walltrack.leader_loss_metrics(leader, pg_catalog.now(), cfg.leader_loss_window_hours);
  reason := case
    when m.consecutive_losses >= losses_threshold then 'consecutive_losses'
    when -m.window_realized_pnl_usd >= loss_limit then 'loss_limit'
  end;
  if reason is null then
    return 'ok';
  end if;
  insert into walltrack.leader_pause_events (
    wallet_id, event_type, trigger_reason, closed_position_id, consecutive_losses, window_realized_pnl_usd,
    pause_after_losses_threshold, loss_limit_threshold_usd, loss_window_hours, pause_until, created_at, updated_at)
  values (leader, 'paused', reason, closed_position, m.consecutive_losses, m.window_realized_pnl_usd,
          losses_threshold, loss_limit, cfg.leader_loss_window_hours,
          at + pg_catalog.make_interval(mins => cfg.leader_pause_minutes), at, at);
  return reason;
end;
$$;
comment on function walltrack.evaluate_leader_pause(uuid, uuid) is
  'Pauses a leader for config.leader_pause_minutes when its losing closes in a row reach its pause_after_losses, or its realized loss within leader_loss_window_hours reaches its loss_limit_usd (wallet, else config), recording why; returns ok, paused (already), or the reason.';
revoke execute on function walltrack.evaluate_leader_pause(uuid, uuid) from public;

-- Runs on each close only (a row trigger with a WHEN clause: a statement trigger with transition
-- tables cannot filter on the status column, and would copy all 10,000 rows of every price tick).
create function walltrack.evaluate_leader_pause_on_close()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform walltrack.evaluate_leader_pause(new.wallet_id, new.id);
  return null;
exception when others then
  -- The fill that closed the position must stand whatever happens here.
  raise warning 'walltrack: leader pause evaluation failed on close of position %: %', new.id, sqlerrm;
  return null;
end;
$$;
comment on function walltrack.evaluate_leader_pause_on_close() is
  'Trigger function: evaluates the leader''s pause whenever one of its positions closes.';
revoke execute on function walltrack.evaluate_leader_pause_on_close() from public;

create trigger positions_evaluate_leader_pause
  after update of status on walltrack.positions
  for each row
  when (new.status = 'closed' and old.status <> 'closed')
  execute function walltrack.evaluate_leader_pause_on_close();

-- The operator's commands (npm run leader:limits, leader:pause, leader:unpause, risk:set).
create function walltrack.set_leader_limits(
  wallet_address text, settings jsonb)
returns walltrack.wallets
language plpgsql
set search_path = ''
as $$
declare
  allowed constant text[] := array['max_open_positions', 'max_exposure_usd', 'pause_after_losses', 'loss_limit_usd'];
  unknown text;
  updated walltrack.wallets;
begin
  select k into unknown from pg_catalog.jsonb_object_keys(settings) k where k <> all (allowed) limit 1;
  if unknown is not null then
    raise exception 'unknown leader limit %: one of %', unknown, pg_catalog.array_to_string(allowed, ', ')
      using errcode = 'P0001';
  end if;
  -- A key given as null puts the wallet back on the config default.
  update walltrack.wallets w set
    max_open_positions = case when settings ? 'max_open_positions' then (settings ->> 'max_open_positions')::integer else w.max_open_positions end,
    max_exposure_usd = case when settings ? 'max_exposure_usd' then (settings ->> 'max_exposure_usd')::numeric else w.max_exposure_usd end,
    pause_after_losses = case when settings ? 'pause_after_losses' then (settings ->> 'pause_after_losses')::integer else w.pause_after_losses end,
    loss_limit_usd = case when settings ? 'loss_limit_usd' then (settings ->> 'loss_limit_usd')::numeric else w.loss_limit_usd end
  where w.address = wallet_address
  returning * into updated;
  if updated.id is null then
    raise exception 'wallet % is not on the watchlist', wallet_address using errcode = 'P0002';
  end if;
  return updated;
end;
$$;
comment on function walltrack.set_leader_limits(text, jsonb) is
  'Sets a leader''s own limits from {max_open_positions, max_exposure_usd, pause_after_losses, loss_limit_usd} (a key set to null: back to the config default); the CHECK constraints refuse a bad value.';
revoke execute on function walltrack.set_leader_limits(text, jsonb) from public;

create function walltrack.pause_leader(wallet_address text, minutes integer default null)
returns walltrack.leader_pause_events
language plpgsql
set search_path = ''
as $$
declare
  w walltrack.wallets;
  cfg walltrack.config;
  event walltrack.leader_pause_events;
  at timestamptz := pg_catalog.clock_timestamp();
begin
  select * into strict cfg from walltrack.config;
  select * into w from walltrack.wallets where address = wallet_address for no key update;
  if w.id is null then
    raise exception 'wallet % is not on the watchlist', wallet_address using errcode = 'P0002';
  end if;
  if minutes is not null and minutes <= 0 then
    raise exception 'a pause lasts at least one minute, got %', minutes using errcode = 'P0001';
  end if;
  if (walltrack.leader_pause_in_force(w.id, pg_catalog.now())).id is not null then
    raise exception 'wallet % is already paused', wallet_address using errcode = 'P0001',
      hint = 'unpause it first to set another end';
  end if;
  insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason, pause_until, created_at, updated_at)
  values (w.id, 'paused', 'manual', at + pg_catalog.make_interval(mins => coalesce(minutes, cfg.leader_pause_minutes)), at, at)
  returning * into event;
  return event;
end;
$$;
comment on function walltrack.pause_leader(text, integer) is
  'Pauses a leader by hand for `minutes` (default config.leader_pause_minutes): its BUYs are filtered leader_paused, its open positions keep their exits.';
revoke execute on function walltrack.pause_leader(text, integer) from public;

create function walltrack.unpause_leader(wallet_address text)
returns walltrack.leader_pause_events
language plpgsql
set search_path = ''
as $$
declare
  w walltrack.wallets;
  pause walltrack.leader_pause_events;
  event walltrack.leader_pause_events;
  at timestamptz := pg_catalog.clock_timestamp();
begin
  select * into w from walltrack.wallets where address = wallet_address for no key update;
  if w.id is null then
    raise exception 'wallet % is not on the watchlist', wallet_address using errcode = 'P0002';
  end if;
  pause := walltrack.leader_pause_in_force(w.id, pg_catalog.now());
  if pause.id is null then
    raise exception 'wallet % is not paused', wallet_address using errcode = 'P0002';
  end if;
  insert into walltrack.leader_pause_events (wallet_id, event_type, trigger_reason, pause_event_id, created_at, updated_at)
  values (w.id, 'unpaused', 'manual', pause.id, at, at)
  returning * into event;
  return event;
end;
$$;
comment on function walltrack.unpause_leader(text) is
  'Ends a leader''s pause in force by hand (an unpaused event naming it; a fresh start for its loss metrics); an error when it is not paused.';
revoke execute on function walltrack.unpause_leader(text) from public;

-- Each leader's risk at a glance: its limits in force, open positions and exposure, and its pause.
create view walltrack.leader_risk with (security_invoker = true) as
select w.address, w.label, w.mode, w.is_active,
       coalesce(w.max_open_positions, c.leader_max_open_positions) as max_open_positions,
       coalesce(w.max_exposure_usd, c.leader_max_exposure_usd) as max_exposure_usd,
       coalesce(w.pause_after_losses, c.leader_pause_after_losses) as pause_after_losses,
       coalesce(w.loss_limit_usd, c.leader_loss_limit_usd) as loss_limit_usd,
       e.open_positions, e.exposure_usd,
       p.trigger_reason as paused_for, p.pause_until as paused_until
from walltrack.wallets w
cross join walltrack.config c
cross join lateral walltrack.leader_exposure(w.id) e
cross join lateral walltrack.leader_pause_in_force(w.id, pg_catalog.now()) p;
comment on view walltrack.leader_risk is
  'Per watched wallet: the limits in force (its own, else config''s; null: none), its open positions and committed USD, and the pause in force (why, until when).';
revoke all on walltrack.leader_risk from anon, authenticated;
grant select on walltrack.leader_risk to service_role;

-- For walltrack.status_summary (added by the lead at merge): the leaders paused now and those at a cap.
create function walltrack.leader_risk_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'paused', coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
                          'wallet', r.address, 'label', r.label, 'reason', r.paused_for, 'until', r.paused_until)
                          order by r.paused_until)
                        from walltrack.leader_risk r where r.paused_until is not null), '[]'::jsonb),
    'at_position_cap', (select count(*) from walltrack.leader_risk r where r.open_positions >= r.max_open_positions),
    'pauses_24h', (select count(*) from walltrack.leader_pause_events e
                   where e.event_type = 'paused' and e.created_at > pg_catalog.now() - interval '24 hours'));
$$;
comment on function walltrack.leader_risk_status() is
  'Per-leader risk for the status: {paused: [{wallet, label, reason, until}], at_position_cap (leaders at their open-positions cap), pauses_24h}.';
revoke execute on function walltrack.leader_risk_status() from public;
