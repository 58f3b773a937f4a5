-- Adds walltrack.audit_log, the append-only record of every change an operator (or anyone) makes
-- to what steers the money: config, exit strategies, wallets (and the per-leader settings on them),
-- token lists, position overrides, notification channels, and every manual breaker reset. Written by
-- triggers, so no path around the CLI escapes it; who changed what is the database's own word
-- (role, session user, application_name), and only the fields that changed are kept.

create table walltrack.audit_log (
  id bigint generated always as identity primary key,
  changed_at timestamptz not null default pg_catalog.clock_timestamp(),
  table_name text not null,
  row_id text not null,
  action text not null constraint audit_log_action_check check (action in ('insert', 'update', 'delete')),
  db_role text not null,
  session_user_name text not null,
  application_name text,
  old_values jsonb,
  new_values jsonb
);

create index idx_audit_log_changed_at on walltrack.audit_log (changed_at desc);
create index idx_audit_log_table_row on walltrack.audit_log (table_name, row_id);

comment on table walltrack.audit_log is
  'Append-only audit trail of configuration changes (config, exit strategies, wallets and per-leader settings, token lists, position overrides, notification channels, manual breaker resets), written by triggers: when, who, and only the changed fields. UPDATE, DELETE and TRUNCATE are refused for every role.';
comment on column walltrack.audit_log.id is 'Order of the changes (identity, never reused).';
comment on column walltrack.audit_log.changed_at is 'When the change was made (clock time of the statement''s row).';
comment on column walltrack.audit_log.table_name is 'The walltrack table changed (config, exit_strategies, wallets, token_lists, positions, notification_channels, circuit_breaker_events).';
comment on column walltrack.audit_log.row_id is 'The changed row''s key (id, mint or channel), as text.';
comment on column walltrack.audit_log.action is 'insert, update or delete.';
comment on column walltrack.audit_log.db_role is 'The role the change was made as: the SET ROLE in force (service_role through the API) or else the login role.';
comment on column walltrack.audit_log.session_user_name is 'The login role of the session (postgres for the CLI and the functions, authenticator behind the API).';
comment on column walltrack.audit_log.application_name is 'The client''s application_name (walltrack-cli for npm run commands, psql, postgres.js, ...), null when unset.';
comment on column walltrack.audit_log.old_values is 'The changed fields before the change (the whole row for a delete, null for an insert).';
comment on column walltrack.audit_log.new_values is 'The changed fields after the change (the whole row for an insert, null for a delete).';

-- Append-only for every role: no grant of UPDATE/DELETE/TRUNCATE to anyone (the schema's default
-- privileges would give service_role write rights), and a trigger for the owner too.
alter table walltrack.audit_log enable row level security;
revoke all on walltrack.audit_log from public, anon, authenticated, service_role;
grant select on walltrack.audit_log to service_role;

create function walltrack.refuse_audit_log_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'audit_log is append-only: % refused; a wrong entry is corrected by a new change, never by rewriting history', pg_catalog.lower(tg_op)
    using errcode = 'insufficient_privilege';
end;
$$;
comment on function walltrack.refuse_audit_log_change() is
  'Trigger function: refuses every UPDATE, DELETE and TRUNCATE of walltrack.audit_log, whoever asks (the table owner included).';
revoke execute on function walltrack.refuse_audit_log_change() from public;

create trigger audit_log_append_only before update or delete on walltrack.audit_log
  for each row execute function walltrack.refuse_audit_log_change();
create trigger audit_log_no_truncate before truncate on walltrack.audit_log
  for each statement execute function walltrack.refuse_audit_log_change();

-- The fields that differ between two versions of a row, minus those named (bookkeeping the system
-- itself moves: updated_at, sync stamps, live status), as {old: {...}, new: {...}}.
create function walltrack.changed_fields(old_row jsonb, new_row jsonb, ignored text[] default '{}')
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
           'old', coalesce(pg_catalog.jsonb_object_agg(o.key, o.value), '{}'::jsonb),
           'new', coalesce(pg_catalog.jsonb_object_agg(o.key, new_row -> o.key), '{}'::jsonb))
  from pg_catalog.jsonb_each(old_row) o
  where o.value is distinct from new_row -> o.key
    and not o.key = any (ignored);
$$;
comment on function walltrack.changed_fields(jsonb, jsonb, text[]) is
  'The fields whose values differ between two row versions, ignored names left out: {"old": {...}, "new": {...}}.';
revoke execute on function walltrack.changed_fields(jsonb, jsonb, text[]) from public;

-- SECURITY DEFINER so that the row can be written while no role holds INSERT on the log (nobody can
-- forge an entry by hand); the role in force is current_setting('role'), which a definer function
-- does not change, and otherwise the session's login role.
-- Trigger arguments: the key column, then the columns the system moves by itself (not audited).
create function walltrack.record_audit()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  key_column constant text := tg_argv[0];
  ignored constant text[] := tg_argv[1:];
  old_row jsonb := case when tg_op <> 'INSERT' then pg_catalog.to_jsonb(old) end;
  new_row jsonb := case when tg_op <> 'DELETE' then pg_catalog.to_jsonb(new) end;
  row_key constant text := coalesce(new_row, old_row) ->> key_column;
  diff jsonb;
begin
  if tg_op = 'UPDATE' then
    diff := walltrack.changed_fields(old_row, new_row, ignored);
    if diff -> 'new' = '{}'::jsonb then
      return null;
    end if;
    old_row := diff -> 'old';
    new_row := diff -> 'new';
  end if;
  insert into walltrack.audit_log (table_name, row_id, action, db_role, session_user_name, application_name, old_values, new_values)
  values (tg_table_name, row_key,
          pg_catalog.lower(tg_op),
          coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user::text),
          session_user::text,
          nullif(pg_catalog.current_setting('application_name', true), ''),
          old_row, new_row);
  return null;
end;
$$;
comment on function walltrack.record_audit() is
  'Trigger function: appends one audit_log row per changed row (key column and ignored columns as trigger arguments), with the role in force, the session user, application_name and only the changed fields; an update that changes only ignored columns is not recorded.';
revoke execute on function walltrack.record_audit() from public;

-- The system stamps its own status on the config row (every webhook delivery stamps
-- webhook_last_signal_at): a statement that moves one of those is the system's, not an operator's,
-- and the WHEN clause keeps the trigger off the ingest path. The same columns are ignored in a diff.
create trigger config_audit after update on walltrack.config
  for each row when (old.webhook_last_signal_at is not distinct from new.webhook_last_signal_at
                     and old.sol_usd_price_at is not distinct from new.sol_usd_price_at
                     and old.helius_last_sync_at is not distinct from new.helius_last_sync_at
                     and old.circuit_breaker_active is not distinct from new.circuit_breaker_active)
  execute function walltrack.record_audit(
    'id', 'updated_at', 'circuit_breaker_active', 'circuit_breaker_activated_at', 'webhook_last_signal_at',
    'sol_usd_price', 'sol_usd_price_at', 'helius_last_sync_at', 'helius_webhook_id', 'helius_webhook_url');
create trigger exit_strategies_audit after insert or update or delete on walltrack.exit_strategies
  for each row execute function walltrack.record_audit('id', 'updated_at');
-- The per-leader settings live on the wallet row: every column a person sets is audited, the
-- Helius sync bookkeeping is not.
create trigger wallets_audit after insert or update or delete on walltrack.wallets
  for each row execute function walltrack.record_audit(
    'id', 'updated_at', 'helius_sync_status', 'helius_synced_at', 'helius_sync_error');
create trigger token_lists_audit after insert or update or delete on walltrack.token_lists
  for each row execute function walltrack.record_audit('mint', 'updated_at');
-- Positions move on every price tick: only an override change (and the snapshot it recomputes) is a
-- change of configuration; the WHEN clause keeps the trigger off the hot path.
create trigger positions_override_audit after update of exit_strategy_override on walltrack.positions
  for each row when (old.exit_strategy_override is distinct from new.exit_strategy_override)
  execute function walltrack.record_audit(
    'id', 'updated_at', 'current_price', 'price_updated_at', 'exits_reevaluated_at', 'peak_price',
    'unrealized_pnl_usd', 'current_pnl_usd');
-- A breaker reset is the deactivation event the operator asked for (reason manual).
create trigger circuit_breaker_reset_audit after insert on walltrack.circuit_breaker_events
  for each row when (new.event_type = 'deactivated' and new.trigger_reason = 'manual')
  execute function walltrack.record_audit('id');

-- The audit trail as read: newest first, who in one word, the changed field names listed.
create view walltrack.audit_trail with (security_invoker = true) as
select a.id, a.changed_at, a.table_name, a.row_id, a.action,
       a.db_role || coalesce(' via ' || a.application_name, '') as changed_by,
       a.db_role, a.session_user_name, a.application_name,
       (select pg_catalog.array_agg(k order by k)
          from pg_catalog.jsonb_object_keys(coalesce(a.new_values, a.old_values)) k) as fields,
       a.old_values, a.new_values
from walltrack.audit_log a;
comment on view walltrack.audit_trail is
  'The audit log as read (npm run audit): each change with when, the table and row, who (role via application), the changed field names and their old and new values.';
revoke all on walltrack.audit_trail from public, anon, authenticated;
grant select on walltrack.audit_trail to service_role;
revoke insert, update, delete, truncate on walltrack.audit_trail from service_role;

-- Rollback:
-- drop view walltrack.audit_trail; drop table walltrack.audit_log cascade;
-- drop trigger config_audit on walltrack.config; (and the five other *_audit triggers)
-- drop function walltrack.record_audit(); drop function walltrack.changed_fields(jsonb, jsonb, text[]);
-- drop function walltrack.refuse_audit_log_change();
