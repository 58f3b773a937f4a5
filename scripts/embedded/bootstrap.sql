-- Embedded stack bootstrap: creates what the Supabase Postgres image provides and the migrations
-- rely on. Runs as the cluster superuser before the migrations, never inside one, and is safe to
-- run twice. Local only: hosted Supabase and `supabase start` already have all of this.
--
-- Everything here is owned by supabase_admin, as on Supabase, so `supabase db reset --remote`
-- keeps it (the CLI's reset drops only schemas not owned by supabase_admin).

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'supabase_admin') then
    create role supabase_admin superuser createdb createrole replication bypassrls login;
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
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;

-- extensions schema and the search_path the Supabase image gives postgres
create schema if not exists extensions authorization supabase_admin;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema extensions
  grant execute on functions to postgres, anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pg_stat_statements with schema extensions;
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
grant usage on schema vault to postgres, service_role;
revoke all on all tables in schema vault from public, anon, authenticated;
grant select on vault.decrypted_secrets to postgres, service_role;
grant select, insert, update, delete on vault.secrets to postgres, service_role;
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
language sql
security definer
set search_path = ''
as $$
  select net._enqueue('POST', net._with_params(url, params), headers,
                      pg_catalog.convert_to(coalesce(body, 'null'::jsonb)::text, 'UTF8'), timeout_milliseconds);
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
revoke all on schema net from public;
grant usage on schema net to postgres, service_role;
revoke all on all functions in schema net from public;
grant execute on function net.http_post(text, jsonb, jsonb, jsonb, integer) to postgres, service_role;
grant execute on function net.http_get(text, jsonb, jsonb, integer) to postgres, service_role;
grant execute on function net.http_delete(text, jsonb, jsonb, integer) to postgres, service_role;
grant select on net._http_response to postgres, service_role;
