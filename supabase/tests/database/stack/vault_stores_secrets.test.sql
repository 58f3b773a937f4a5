-- Vault (the real extension on Supabase, the local stand-in on the embedded stack) stores a named
-- secret and gives it back decrypted, and is closed to anon and authenticated.
begin;
create extension if not exists pgtap with schema extensions;
select plan(4);

select isnt(vault.create_secret('https://example.supabase.co', 'walltrack_test_project_url', 'test'), null::uuid,
  'vault.create_secret returns the new secret''s id');
select is(
  (select decrypted_secret from vault.decrypted_secrets where name = 'walltrack_test_project_url'),
  'https://example.supabase.co',
  'vault.decrypted_secrets gives the secret back by name');

set local role anon;
select throws_ok($$select * from vault.decrypted_secrets$$, '42501', null, 'anon cannot read Vault');
reset role;
set local role authenticated;
select throws_ok($$select * from vault.decrypted_secrets$$, '42501', null, 'authenticated cannot read Vault');
reset role;

select * from finish();
rollback;
