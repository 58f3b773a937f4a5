-- Adds the walltrack schema, the extensions every stack needs, the Solana domains and the
-- shared trigger function; closes the schema to anon and authenticated (service_role only).

-- pg_cron is on all three stacks (hosted, `supabase start`, embedded). pg_net is an extension on
-- Supabase; the embedded stack's bootstrap provides a stand-in `net` schema instead, so the
-- extension is created only where it exists (guarded, never forked).
create extension if not exists pg_cron;
do $$
begin
  if exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net with schema extensions;
  end if;
end
$$;

create schema if not exists walltrack;
comment on schema walltrack is
  'WallTrack: Solana copy-trading state and rules. Closed to anon/authenticated; used by service_role and the owner only.';

revoke all on schema walltrack from public;
grant usage on schema walltrack to service_role;

-- Objects created later in this schema are service_role's and nobody else's.
alter default privileges in schema walltrack revoke all on tables from public, anon, authenticated;
alter default privileges in schema walltrack revoke all on sequences from public, anon, authenticated;
alter default privileges in schema walltrack revoke execute on functions from public, anon, authenticated;
alter default privileges in schema walltrack grant select, insert, update, delete on tables to service_role;
alter default privileges in schema walltrack grant usage, select on sequences to service_role;
alter default privileges in schema walltrack grant execute on functions to service_role;

-- A Solana public key: base58 (no 0, O, I, l), 32 to 44 characters.
create domain walltrack.solana_address as text
  constraint solana_address_base58 check (value ~ '^[1-9A-HJ-NP-Za-km-z]{32,44}$');
comment on domain walltrack.solana_address is 'Solana public key: base58 alphabet, 32-44 characters.';

-- A transaction signature: 64 bytes in base58, 64 to 88 characters (88 in practice).
create domain walltrack.solana_signature as text
  constraint solana_signature_base58 check (value ~ '^[1-9A-HJ-NP-Za-km-z]{64,88}$');
comment on domain walltrack.solana_signature is 'Solana transaction signature: base58 alphabet, 64-88 characters.';

create function walltrack.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
comment on function walltrack.set_updated_at() is
  'Trigger function: stamps updated_at on every UPDATE so no writer has to remember it.';
revoke execute on function walltrack.set_updated_at() from public;

-- Rollback:
-- drop schema walltrack cascade;
