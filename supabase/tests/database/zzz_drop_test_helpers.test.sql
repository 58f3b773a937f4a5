-- Runs last (pg_prove and `supabase test db` run files in sorted path order): drops the schema of
-- shared fixtures that 000_test_helpers.test.sql committed, so a test run leaves no drift in the
-- database it ran against. npm test checks the schema is gone.
begin;
create extension if not exists pgtap with schema extensions;
select plan(1);
set local client_min_messages = warning;
drop schema if exists tests cascade;
select hasnt_schema('tests', 'the pgTAP fixtures schema is gone');
select * from finish();
commit;
