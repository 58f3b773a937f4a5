-- Embedded stack bootstrap: creates what the Supabase Postgres image provides and the migrations
-- rely on. Runs as supabase_admin (the cluster's superuser, as on Supabase) before the migrations,
-- never inside one, and is safe to run twice. Local only: hosted Supabase and `supabase start`
-- already have all of this.
--
-- Everything here is owned by supabase_admin, as on Supabase, so `supabase db reset --remote`
-- keeps it (the CLI's reset drops only schemas not owned by supabase_admin).
--
-- postgres is NOT a superuser (ADR-014): it gets the attributes and memberships Supabase's image
-- gives it, so a permission the hosted project refuses is refused here too. A cluster made by an
-- earlier version (postgres its superuser) is demoted here in place: no object or row is touched.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin superuser createdb createrole replication bypassrls login;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'postgres') then
    create role postgres login password 'postgres';
  end if;
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
end
$$;
alter role postgres nosuperuser createdb createrole replication bypassrls login;
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role, pg_monitor, pg_read_all_data, pg_signal_backend to postgres with admin option;
grant all on database postgres to postgres;
grant all on schema public to postgres;

-- extensions schema and the search_path the Supabase image gives postgres
create schema if not exists extensions authorization supabase_admin;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema extensions
  grant execute on functions to postgres, anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;
create extension if not exists pgtap with schema extensions;
create extension if not exists plpgsql_check with schema extensions;
update pg_catalog.pg_extension set extowner = 'supabase_admin'::regrole
 where extname in ('pgtap', 'plpgsql_check') and extowner <> 'supabase_admin'::regrole;
alter role postgres set search_path = "$user", public, extensions;
alter database postgres set search_path = "$user", public, extensions;

-- Vault stand-in: same names as supabase_vault (vault.secrets, vault.create_secret,
-- vault.decrypted_secrets), stored in plain text. Only for a machine you own.
create schema if not exists vault authorization supabase_admin;
create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text unique,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table vault.secrets owner to supabase_admin;
create or replace view vault.decrypted_secrets as
  select id, name, description, secret, secret as decrypted_secret, key_id, nonce, created_at, updated_at
  from vault.secrets;
alter view vault.decrypted_secrets owner to supabase_admin;
create or replace function vault.create_secret(
  new_secret text, new_name text default null, new_description text default '', new_key_id uuid default null)
returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into vault.secrets (secret, name, description, key_id)
  values (new_secret, new_name, coalesce(new_description, ''), new_key_id)
  returning id;
$$;
alter function vault.create_secret(text, text, text, uuid) owner to supabase_admin;
create or replace function vault.update_secret(
  secret_id uuid, new_secret text default null, new_name text default null,
  new_description text default null, new_key_id uuid default null)
returns void
language sql
security definer
set search_path = ''
as $$
  update vault.secrets
     set secret = coalesce(new_secret, secret), name = coalesce(new_name, name),
         description = coalesce(new_description, description), key_id = coalesce(new_key_id, key_id),
         updated_at = now()
   where id = secret_id;
$$;
alter function vault.update_secret(uuid, text, text, text, uuid) owner to supabase_admin;
revoke all on schema vault from public;
grant usage on schema vault to postgres with grant option;
grant usage on schema vault to service_role;
revoke all on all tables in schema vault from public, anon, authenticated;
-- As supabase_vault grants: read and delete; writes only through create_secret/update_secret.
revoke all on vault.secrets, vault.decrypted_secrets from postgres, service_role;
grant select, delete on vault.secrets, vault.decrypted_secrets to postgres with grant option;
grant select, delete on vault.secrets, vault.decrypted_secrets to service_role;
revoke all on function vault.create_secret(text, text, text, uuid) from public;
revoke all on function vault.update_secret(uuid, text, text, text, uuid) from public;
grant execute on function vault.create_secret(text, text, text, uuid) to postgres, service_role;
grant execute on function vault.update_secret(uuid, text, text, text, uuid) to postgres, service_role;

-- pg_net stand-in: pg_net's signatures and tables (net.http_request_queue, net._http_response).
-- The local runner's worker drains the queue, sends each request and records the response, as
-- pg_net's background worker does; a NOTIFY wakes it at once instead of waiting for its poll.
create schema if not exists net authorization supabase_admin;
create table if not exists net.http_request_queue (
  id bigserial primary key,
  method text not null check (method in ('GET', 'POST', 'DELETE')),
  url text not null,
  headers jsonb not null default '{}'::jsonb,
  body bytea,
  timeout_milliseconds integer not null default 5000
);
create table if not exists net._http_response (
  id bigint primary key,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
alter table net.http_request_queue owner to supabase_admin;
alter table net._http_response owner to supabase_admin;

create or replace function net._enqueue(
  method text, url text, headers jsonb, body bytea, timeout_milliseconds integer)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  request_id bigint;
begin
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values (method, url, coalesce(headers, '{}'::jsonb), body, timeout_milliseconds)
  returning id into request_id;
  perform pg_catalog.pg_notify('net_http_request_queue', request_id::text);
  return request_id;
end;
$$;

create or replace function net._with_params(url text, params jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when params is null or params = '{}'::jsonb then url
    else url || case when pg_catalog.strpos(url, '?') > 0 then '&' else '?' end
      || (select pg_catalog.string_agg(
                   pg_catalog.replace(pg_catalog.replace(key, '&', '%26'), '=', '%3D') || '='
                   || pg_catalog.replace(pg_catalog.replace(value, '&', '%26'), '=', '%3D'), '&')
          from pg_catalog.jsonb_each_text(params))
  end;
$$;

create or replace function net.http_post(
  url text,
  body jsonb default '{}'::jsonb,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
  timeout_milliseconds integer default 5000)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  content_type text;
begin
  -- pg_net's own checks: a POST is JSON (a missing Content-Type is added, any other refused) and
  -- has a body, so a call that works here works on Supabase.
  select value into content_type
    from pg_catalog.jsonb_each_text(coalesce(headers, '{}'::jsonb))
   where pg_catalog.lower(key) = 'content-type'
   limit 1;
  if content_type is null then
    headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
  elsif content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;
  if body is null then
    raise exception 'body must not be null';
  end if;
  return net._enqueue('POST', net._with_params(url, params), headers,
                      pg_catalog.convert_to(body::text, 'UTF8'), timeout_milliseconds);
end;
$$;

create or replace function net.http_get(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000)
returns bigint
language sql
security definer
set search_path = ''
as $$
  select net._enqueue('GET', net._with_params(url, params), headers, null, timeout_milliseconds);
$$;

create or replace function net.http_delete(
  url text,
  params jsonb default '{}'::jsonb,
  headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000)
returns bigint
language sql
security definer
set search_path = ''
as $$
  select net._enqueue('DELETE', net._with_params(url, params), headers, null, timeout_milliseconds);
$$;

alter function net._enqueue(text, text, jsonb, bytea, integer) owner to supabase_admin;
alter function net._with_params(text, jsonb) owner to supabase_admin;
alter function net.http_post(text, jsonb, jsonb, jsonb, integer) owner to supabase_admin;
alter function net.http_get(text, jsonb, jsonb, integer) owner to supabase_admin;
alter function net.http_delete(text, jsonb, jsonb, integer) owner to supabase_admin;
revoke all on all functions in schema net from public;
grant execute on function net.http_post(text, jsonb, jsonb, jsonb, integer) to postgres, service_role;
grant execute on function net.http_get(text, jsonb, jsonb, integer) to postgres, service_role;
grant execute on function net.http_delete(text, jsonb, jsonb, integer) to postgres, service_role;
-- As pg_net's own script does (sql/pg_net.sql): its tables belong to everyone, so postgres and
-- service_role read and write them on Supabase as here; Supabase restricts its functions only.
-- The stand-in's worker (scripts/embedded/net-worker.ts, connected as postgres) uses that, as
-- pg_net's background worker uses its own rights: takes requests off the queue, records responses.
grant usage on schema net to public;
grant all on all tables in schema net to public;
grant all on all sequences in schema net to public;

-- pg_cron as on Supabase: created by the superuser in schema pg_catalog, with the grants of
-- supabase/postgres's pg_cron after-create script. postgres may schedule jobs and read their runs,
-- but not write cron.job nor take a run id (inserting into cron.job_run_details without one is
-- refused: permission denied for sequence runid_seq). A cluster made by an earlier version has
-- pg_cron in public, owned by postgres: moved and handed over in place, jobs and history kept
-- (pg_cron keeps every object in schema cron, so its nominal extension schema holds nothing).
do $$
declare
  member record;
begin
  if not exists (select 1 from pg_extension where extname = 'pg_cron') then
    create extension pg_cron schema pg_catalog;
  end if;
  update pg_catalog.pg_extension
     set extnamespace = 'pg_catalog'::regnamespace, extowner = 'supabase_admin'::regrole
   where extname = 'pg_cron' and (extnamespace <> 'pg_catalog'::regnamespace or extowner <> 'supabase_admin'::regrole);
  for member in
    select d.classid::regclass::text as catalog, d.objid
      from pg_depend d join pg_extension e on e.oid = d.refobjid
     where e.extname = 'pg_cron' and d.deptype = 'e'
  loop
    if member.catalog = 'pg_namespace' and (select nspowner from pg_namespace where oid = member.objid) <> 'supabase_admin'::regrole then
      execute format('alter schema %s owner to supabase_admin', member.objid::regnamespace);
    elsif member.catalog = 'pg_class' and (select relowner from pg_class where oid = member.objid) <> 'supabase_admin'::regrole then
      execute format('alter %s %s owner to supabase_admin',
        case (select relkind from pg_class where oid = member.objid) when 'S' then 'sequence' when 'v' then 'view' else 'table' end,
        member.objid::regclass);
    elsif member.catalog = 'pg_proc' and (select proowner from pg_proc where oid = member.objid) <> 'supabase_admin'::regrole then
      execute format('alter routine %s owner to supabase_admin', member.objid::regprocedure);
    end if;
  end loop;
end
$$;
revoke all on all sequences in schema cron from postgres;
grant usage on schema cron to postgres with grant option;
grant all on all functions in schema cron to postgres with grant option;
alter default privileges for user supabase_admin in schema cron grant all on sequences to postgres with grant option;
alter default privileges for user supabase_admin in schema cron grant all on tables to postgres with grant option;
alter default privileges for user supabase_admin in schema cron grant all on functions to postgres with grant option;
grant all privileges on all tables in schema cron to postgres with grant option;
revoke all on table cron.job from postgres;
grant select on table cron.job to postgres with grant option;

-- What supautils does on Supabase for its "privileged extensions" (pg_cron, pgtap, plpgsql_check
-- here): postgres may drop and create them though they need a superuser. `supabase db reset
-- --remote` (run as postgres) drops every extension outside its keep list, these among them, and
-- the migrations then create pg_cron again; `supabase test db` and `db lint` create pgtap and
-- plpgsql_check. For a DROP EXTENSION by a role that is not a superuser the privileged extensions
-- are handed to it for that command (and handed back after); a CREATE EXTENSION by such a role
-- first has supabase_admin create the ones missing, as supautils would, so the `create extension
-- if not exists` finds them.
create or replace function extensions.walltrack_create_privileged_extensions()
returns void
language plpgsql
security definer
set search_path = ''
set client_min_messages = 'warning'
as $$
begin
  perform pg_catalog.set_config('walltrack.creating_privileged_extensions', 'on', true);
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    create extension pg_cron schema pg_catalog;
    -- supabase/postgres's pg_cron after-create grants
    revoke all on all sequences in schema cron from postgres;
    grant usage on schema cron to postgres with grant option;
    grant all on all functions in schema cron to postgres with grant option;
    grant all privileges on all tables in schema cron to postgres with grant option;
    revoke all on table cron.job from postgres;
    grant select on table cron.job to postgres with grant option;
  end if;
  create extension if not exists pgtap with schema extensions;
  create extension if not exists plpgsql_check with schema extensions;
  perform pg_catalog.set_config('walltrack.creating_privileged_extensions', 'off', true);
end;
$$;
comment on function extensions.walltrack_create_privileged_extensions() is
  'Embedded stack stand-in for supautils: creates, as supabase_admin, the privileged extensions that are missing (pg_cron in pg_catalog with Supabase''s grants, pgtap, plpgsql_check).';

create or replace function extensions.walltrack_privileged_extension_start()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (select rolsuper from pg_catalog.pg_roles where rolname = session_user)
     or pg_catalog.current_setting('walltrack.creating_privileged_extensions', true) = 'on' then
    return;
  end if;
  if tg_tag = 'DROP EXTENSION' then
    update pg_catalog.pg_extension set extowner = session_user::regrole
     where extname in ('pg_cron', 'pgtap', 'plpgsql_check');
  else
    perform extensions.walltrack_create_privileged_extensions();
  end if;
end;
$$;
comment on function extensions.walltrack_privileged_extension_start() is
  'Embedded stack stand-in for supautils, before CREATE/DROP EXTENSION by a non-superuser: creates the missing privileged extensions, or hands them to the dropping role for the one command.';

create or replace function extensions.walltrack_privileged_extension_end()
returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update pg_catalog.pg_extension set extowner = 'supabase_admin'::regrole
   where extname in ('pg_cron', 'pgtap', 'plpgsql_check') and extowner <> 'supabase_admin'::regrole;
end;
$$;
comment on function extensions.walltrack_privileged_extension_end() is
  'Embedded stack stand-in for supautils, after a DROP EXTENSION: hands the privileged extensions that remain back to supabase_admin.';
alter function extensions.walltrack_create_privileged_extensions() owner to supabase_admin;
alter function extensions.walltrack_privileged_extension_start() owner to supabase_admin;
alter function extensions.walltrack_privileged_extension_end() owner to supabase_admin;
revoke all on function extensions.walltrack_create_privileged_extensions() from public, postgres, anon, authenticated, service_role;
revoke all on function extensions.walltrack_privileged_extension_start() from public, postgres, anon, authenticated, service_role;
revoke all on function extensions.walltrack_privileged_extension_end() from public, postgres, anon, authenticated, service_role;
drop event trigger if exists walltrack_privileged_extension_start;
create event trigger walltrack_privileged_extension_start on ddl_command_start
  when tag in ('CREATE EXTENSION', 'DROP EXTENSION') execute function extensions.walltrack_privileged_extension_start();
drop event trigger if exists walltrack_privileged_extension_end;
create event trigger walltrack_privileged_extension_end on ddl_command_end
  when tag in ('DROP EXTENSION') execute function extensions.walltrack_privileged_extension_end();
alter event trigger walltrack_privileged_extension_start owner to supabase_admin;
alter event trigger walltrack_privileged_extension_end owner to supabase_admin;
select extensions.walltrack_create_privileged_extensions();
