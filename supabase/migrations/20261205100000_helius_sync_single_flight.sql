-- Adds a lease and an exponential backoff to the Helius address sync (issue 9): concurrent runs
-- created extra Helius webhooks (each kept the secret and the addresses), and a failing sync was
-- retried on every call and every 5 minutes. One sync at a time holds a lease on the config row,
-- claimed in one statement (works through a transaction pooler, holds no session lock across the
-- HTTP calls) and expiring on its own if the runtime dies; each failure doubles the wait before
-- the next attempt (1 minute, 2, 4, ... capped at 1 hour), a success resets it.

alter table walltrack.config
  add column helius_sync_lease uuid,
  add column helius_sync_lease_until timestamptz,
  add column helius_sync_failures integer not null default 0 check (helius_sync_failures >= 0),
  add column helius_sync_next_attempt_at timestamptz,
  add column helius_sync_last_error text,
  add constraint config_helius_sync_lease_has_expiry check ((helius_sync_lease is null) = (helius_sync_lease_until is null));
comment on column walltrack.config.helius_sync_lease is
  'Token of the Helius sync running now (null: none); only its holder may record the outcome.';
comment on column walltrack.config.helius_sync_lease_until is
  'When the running sync''s lease expires: a runtime that died mid-sync blocks the next one only until then.';
comment on column walltrack.config.helius_sync_failures is
  'Helius syncs failed in a row since the last success: drives the backoff (walltrack.helius_sync_backoff).';
comment on column walltrack.config.helius_sync_next_attempt_at is
  'No Helius sync (pg_cron or direct call) before this time after a failure; null when the last sync succeeded.';
comment on column walltrack.config.helius_sync_last_error is
  'Why the last Helius sync failed (never an API key); null after a success.';

-- The wait after the n-th failure in a row: 1 minute doubling, capped at 1 hour. Immutable and
-- named so the rule reads in one place (ADR-016).
create function walltrack.helius_sync_backoff(failures integer)
returns interval
language sql
immutable
set search_path = ''
as $$
  select case when failures <= 0 then interval '0'
              else least(interval '1 minute' * pg_catalog.power(2, least(failures - 1, 6)), interval '1 hour') end;
$$;
comment on function walltrack.helius_sync_backoff(integer) is
  'Backoff of the Helius sync after n failures in a row: 1 minute, doubling, capped at 1 hour; none after 0.';
revoke execute on function walltrack.helius_sync_backoff(integer) from public;

-- {claimed: true, lease, plan} when this caller may sync now; otherwise {claimed: false, reason:
-- nothing_pending | running | backing_off, failures, next_attempt_at}. One UPDATE of the singleton:
-- concurrent callers queue on its row lock and, once the first commits, see its lease and stop.
create function walltrack.claim_helius_sync(lease_for interval default interval '2 minutes')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  token uuid := pg_catalog.gen_random_uuid();
  state walltrack.config;
  pending boolean;
begin
  if lease_for is null or lease_for <= interval '0' or lease_for > interval '1 hour' then
    raise exception 'lease_for must be between 0 and 1 hour, got %', lease_for
      using errcode = 'invalid_parameter_value', hint = 'pass the longest time one sync may take (its HTTP timeouts and a margin)';
  end if;
  update walltrack.config
     set helius_sync_lease = token, helius_sync_lease_until = pg_catalog.now() + lease_for
   where coalesce(helius_sync_lease_until, '-infinity') <= pg_catalog.now()
     and coalesce(helius_sync_next_attempt_at, '-infinity') <= pg_catalog.now()
     and exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error'));
  if found then
    return pg_catalog.jsonb_build_object('claimed', true, 'lease', token, 'plan', walltrack.helius_sync_plan());
  end if;
  select * into state from walltrack.config;
  pending := exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error'));
  return pg_catalog.jsonb_build_object(
    'claimed', false,
    'reason', case when not pending then 'nothing_pending'
                   when state.helius_sync_lease_until > pg_catalog.now() then 'running'
                   else 'backing_off' end,
    'failures', state.helius_sync_failures,
    'next_attempt_at', state.helius_sync_next_attempt_at);
end;
$$;
comment on function walltrack.claim_helius_sync(interval) is
  'Claims the single-flight lease of the Helius sync when a wallet is pending, no sync runs and no backoff holds; returns the lease and the plan, or why not.';
revoke execute on function walltrack.claim_helius_sync(interval) from public;

-- outcome as walltrack.record_helius_sync takes it. Only the lease's holder records (a holder whose
-- lease expired and was claimed again by another sync records nothing: false); the failure count
-- and the next attempt follow the outcome, and the lease is released.
create function walltrack.finish_helius_sync(lease uuid, outcome jsonb)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  failed boolean := outcome ? 'error';
begin
  update walltrack.config
     set helius_sync_lease = null, helius_sync_lease_until = null,
         helius_sync_failures = case when failed then helius_sync_failures + 1 else 0 end,
         helius_sync_next_attempt_at = case when failed
                                            then pg_catalog.now() + walltrack.helius_sync_backoff(helius_sync_failures + 1) end,
         helius_sync_last_error = case when failed then outcome ->> 'error' end
   where helius_sync_lease = lease;
  if not found then
    return false;
  end if;
  perform walltrack.record_helius_sync(outcome);
  return true;
end;
$$;
comment on function walltrack.finish_helius_sync(uuid, jsonb) is
  'Records a Helius sync''s outcome for the holder of the lease only, counts the failure (backoff) or resets it, and releases the lease; false when the lease is not held.';
revoke execute on function walltrack.finish_helius_sync(uuid, jsonb) from public;

-- The pg_cron job no longer asks while a sync runs or a backoff holds: no request, no credits.
create or replace function walltrack.sync_helius_addresses()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error'))
     or exists (select 1 from walltrack.config
                 where helius_sync_next_attempt_at > pg_catalog.now() or helius_sync_lease_until > pg_catalog.now()) then
    return null;
  end if;
  return walltrack.invoke_edge_function('helius-sync', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.sync_helius_addresses() is
  'pg_cron job (every 5 minutes): asks the helius-sync function to push the watchlist when a wallet is pending (or its last sync failed), unless a sync runs or its backoff holds.';
