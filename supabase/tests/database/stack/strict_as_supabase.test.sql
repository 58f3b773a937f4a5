-- The embedded stack is as strict as Supabase (ADR-014): postgres is not a superuser and has the
-- grants Supabase gives it; pg_cron lives in pg_catalog; the Vault and pg_net stand-ins refuse what
-- supabase_vault and pg_net refuse. A permission the hosted project refuses fails here first.
begin;
create extension if not exists pgtap with schema extensions;
select plan(15);

select is((select rolsuper from pg_roles where rolname = 'postgres'), false, 'postgres is not a superuser');
select is((select rolsuper from pg_roles where rolname = 'supabase_admin'), true, 'supabase_admin is the superuser');
select ok((select rolcreaterole and rolcreatedb and rolreplication and rolbypassrls and rolcanlogin from pg_roles where rolname = 'postgres'),
  'postgres has createrole, createdb, replication, bypassrls and login, as on Supabase');
select ok(pg_has_role('postgres', 'pg_read_all_data', 'member') and pg_has_role('postgres', 'service_role', 'member')
          and pg_has_role('postgres', 'anon', 'member') and pg_has_role('postgres', 'authenticated', 'member'),
  'postgres is a member of pg_read_all_data, anon, authenticated and service_role');
select is((select extnamespace::regnamespace::text from pg_extension where extname = 'pg_cron'), 'pg_catalog',
  'pg_cron is in schema pg_catalog, as on Supabase');
select is((select extowner::regrole::text from pg_extension where extname = 'pg_cron'), 'supabase_admin',
  'pg_cron belongs to supabase_admin');
select throws_ok($$insert into cron.job (schedule, command) values ('* * * * *', 'select 1')$$, '42501', null,
  'postgres cannot write cron.job directly (only through cron.schedule)');
select lives_ok($$select count(*) from cron.job_run_details$$, 'postgres reads cron.job_run_details');

select throws_ok($$insert into vault.secrets (name, secret) values ('walltrack_test_direct', 'x')$$, '42501', null,
  'postgres cannot insert into vault.secrets (supabase_vault: only vault.create_secret)');
select lives_ok($$select vault.create_secret('x', 'walltrack_test_strict', 'test')$$, 'vault.create_secret works for postgres');
select throws_ok($$update vault.secrets set secret = 'y' where name = 'walltrack_test_strict'$$, '42501', null,
  'postgres cannot update vault.secrets (supabase_vault: only vault.update_secret)');
select lives_ok($$delete from vault.secrets where name = 'walltrack_test_strict'$$, 'postgres may delete a secret');

select throws_ok($$select net.http_post('http://127.0.0.1:9/x', '{}'::jsonb, headers => '{"Content-Type": "text/plain"}'::jsonb)$$,
  'P0001', 'Content-Type header must be "application/json"', 'net.http_post refuses a non-JSON Content-Type, as pg_net does');
create temp table posted as
  select net.http_post('http://127.0.0.1:9/x', '{}'::jsonb, headers => '{"Authorization": "Bearer k"}'::jsonb) as id;
select is(
  (select q.headers ->> 'Content-Type' from net.http_request_queue q join posted p on p.id = q.id),
  'application/json', 'net.http_post adds the JSON Content-Type to headers that lack one, as pg_net does');
select ok(has_table_privilege('public', 'net._http_response', 'select, insert, update, delete')
          and has_table_privilege('public', 'net.http_request_queue', 'select, insert, update, delete'),
  'pg_net''s tables are everyone''s, as pg_net''s own script grants them (Supabase restricts its functions only)');

select * from finish();
rollback;
