-- Adds walltrack.circuit_breaker_events, the append-only log of circuit-breaker activations and
-- deactivations with the metrics and thresholds of the moment (ADR-004).

create table walltrack.circuit_breaker_events (
  id uuid primary key default gen_random_uuid(),
  event_type text not null
    constraint circuit_breaker_events_event_type_check check (event_type in ('activated', 'deactivated')),
  trigger_reason text not null constraint circuit_breaker_events_trigger_reason_check check (trigger_reason in (
    'max_drawdown', 'min_win_rate', 'consecutive_losses', 'daily_loss_limit', 'manual', 'unlock_time_reached')),
  -- Each mode has its own breaker: a simulated result never changes whether live entries are
  -- blocked, nor the reverse. The default only serves hand-written events (tests, the seed).
  mode text not null default 'simulation' constraint circuit_breaker_events_mode_check check (mode in ('simulation', 'live')),
  -- A deactivation names the activation it ends.
  activation_event_id uuid constraint fk_circuit_breaker_events_activation
    references walltrack.circuit_breaker_events (id),

  -- Metrics snapshot, exact: any value a metric can take is storable (a drawdown of 1,000 % or more
  -- must never make an activation fail, which would leave the breaker off).
  current_drawdown_percent numeric,
  current_win_rate numeric check (current_win_rate between 0 and 100),
  consecutive_losses integer check (consecutive_losses >= 0),
  daily_realized_pnl_usd numeric,

  -- Thresholds snapshot (config at the moment)
  max_drawdown_threshold numeric(5, 2),
  min_win_rate_threshold numeric(5, 2),
  consecutive_loss_threshold integer,
  daily_loss_limit_threshold numeric(20, 2),

  -- Impact
  new_positions_blocked integer not null default 0 check (new_positions_blocked >= 0),
  open_positions_at_activation integer check (open_positions_at_activation >= 0),

  unlock_at timestamptz,
  deactivated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),

  constraint circuit_breaker_events_deactivation_names_activation check (
    (event_type = 'deactivated') = (activation_event_id is not null)),
  constraint circuit_breaker_events_stamp_only_on_activation check (
    event_type = 'activated' or deactivated_at is null),
  constraint circuit_breaker_events_deactivation_reason check (
    event_type = 'activated' or trigger_reason in ('manual', 'unlock_time_reached'))
);

create index idx_circuit_breaker_events_created_at on walltrack.circuit_breaker_events (created_at desc);
create index idx_circuit_breaker_events_activation_event_id on walltrack.circuit_breaker_events (activation_event_id);
-- At most one open activation per mode: two evaluations at once can never open two events.
create unique index uq_circuit_breaker_events_open_activation on walltrack.circuit_breaker_events (mode)
  where event_type = 'activated' and deactivated_at is null;
-- Each activation is ended by at most one deactivation.
create unique index uq_circuit_breaker_events_deactivation on walltrack.circuit_breaker_events (activation_event_id)
  where activation_event_id is not null;

create function walltrack.protect_circuit_breaker_events()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  mutable constant text[] := array['deactivated_at', 'new_positions_blocked', 'updated_at'];
begin
  if tg_op = 'DELETE' then
    raise exception 'circuit_breaker_events is append-only: event % cannot be deleted', old.id
      using errcode = 'integrity_constraint_violation';
  end if;
  if (pg_catalog.to_jsonb(new) - mutable) is distinct from (pg_catalog.to_jsonb(old) - mutable) then
    raise exception 'circuit_breaker_events is append-only: only the deactivation stamp and the blocked counter of event % may change', old.id
      using errcode = 'integrity_constraint_violation';
  end if;
  if old.deactivated_at is not null and new.deactivated_at is distinct from old.deactivated_at then
    raise exception 'activation % was already deactivated at %', old.id, old.deactivated_at
      using errcode = 'integrity_constraint_violation';
  end if;
  if new.new_positions_blocked < old.new_positions_blocked then
    raise exception 'new_positions_blocked of event % only counts up', old.id
      using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;
comment on function walltrack.protect_circuit_breaker_events() is
  'Trigger function: events are append-only; only the activation''s deactivation stamp (once) and its blocked-entries counter (upward) may change.';
revoke execute on function walltrack.protect_circuit_breaker_events() from public;

create trigger circuit_breaker_events_append_only before update or delete on walltrack.circuit_breaker_events
  for each row execute function walltrack.protect_circuit_breaker_events();
create trigger circuit_breaker_events_set_updated_at before update on walltrack.circuit_breaker_events
  for each row execute function walltrack.set_updated_at();

alter table walltrack.circuit_breaker_events enable row level security;
revoke all on walltrack.circuit_breaker_events from anon, authenticated, service_role;
grant select, insert, update on walltrack.circuit_breaker_events to service_role;

comment on table walltrack.circuit_breaker_events is
  'Event Sourcing: append-only audit trail of circuit-breaker activations and deactivations, each with the metrics and config thresholds of that moment. The breaker blocks new positions only; open ones keep their exits (ADR-004).';
comment on column walltrack.circuit_breaker_events.id is 'Primary key.';
comment on column walltrack.circuit_breaker_events.event_type is 'activated or deactivated.';
comment on column walltrack.circuit_breaker_events.trigger_reason is 'Why: max_drawdown, min_win_rate, consecutive_losses, daily_loss_limit (activations); manual or unlock_time_reached (deactivations, and manual activations).';
comment on column walltrack.circuit_breaker_events.mode is 'The breaker this event belongs to: simulation or live. Each measures the closes of its own mode only and blocks the entries of its own mode only.';
comment on column walltrack.circuit_breaker_events.activation_event_id is 'For a deactivation: the activation it ends.';
comment on column walltrack.circuit_breaker_events.current_drawdown_percent is 'Drawdown of equity (capital + realized PnL) from its peak at the moment, in percent, unrounded (the comparison with the threshold is exact).';
comment on column walltrack.circuit_breaker_events.current_win_rate is 'Win rate over the lookback window at the moment, in percent, unrounded (the comparison with the threshold is exact).';
comment on column walltrack.circuit_breaker_events.consecutive_losses is 'Consecutive losing closes at the moment.';
comment on column walltrack.circuit_breaker_events.daily_realized_pnl_usd is 'Realized PnL of the current UTC day at the moment.';
comment on column walltrack.circuit_breaker_events.max_drawdown_threshold is 'config.max_drawdown_percent at the moment.';
comment on column walltrack.circuit_breaker_events.min_win_rate_threshold is 'config.min_win_rate_percent at the moment.';
comment on column walltrack.circuit_breaker_events.consecutive_loss_threshold is 'config.max_consecutive_losses at the moment.';
comment on column walltrack.circuit_breaker_events.daily_loss_limit_threshold is 'config.daily_loss_limit_usd at the moment.';
comment on column walltrack.circuit_breaker_events.new_positions_blocked is 'Entries refused (filtered circuit_breaker) while this activation was open.';
comment on column walltrack.circuit_breaker_events.open_positions_at_activation is 'Open positions when the breaker activated (they keep their exits).';
comment on column walltrack.circuit_breaker_events.unlock_at is 'When an activation unlocks by itself (config.circuit_breaker_unlock_minutes after it); null means manual reset only.';
comment on column walltrack.circuit_breaker_events.deactivated_at is 'For an activation: when it ended; null while it is active.';
comment on column walltrack.circuit_breaker_events.created_at is 'When the event happened.';
comment on column walltrack.circuit_breaker_events.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.circuit_breaker_events cascade; drop function walltrack.protect_circuit_breaker_events();
