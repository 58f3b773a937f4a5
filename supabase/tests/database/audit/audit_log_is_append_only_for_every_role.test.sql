-- walltrack.audit_log is append-only for every role: service_role (what the API and the dashboard
-- use) can read it but neither insert, update, delete nor truncate; the owner (postgres) is refused
-- by trigger too. An entry can only come from the audit triggers: nobody forges one by hand.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

update walltrack.config set capital_usd = capital_usd + 1;
create temp table one as select max(id) as id from walltrack.audit_log;
grant select on one to service_role;

set local role service_role;
select ok((select count(*) > 0 from walltrack.audit_log), 'service_role reads the audit log');
select throws_ok($$update walltrack.audit_log set new_values = '{}' where id = (select id from one)$$, '42501', null,
                 'UPDATE is refused to service_role');
select throws_ok($$delete from walltrack.audit_log where id = (select id from one)$$, '42501', null, 'DELETE is refused to service_role');
select throws_ok($$truncate walltrack.audit_log$$, '42501', null, 'TRUNCATE is refused to service_role');
select throws_ok($$insert into walltrack.audit_log (table_name, row_id, action, db_role, session_user_name) values ('config', 'x', 'update', 'me', 'me')$$,
                 '42501', null, 'a forged INSERT is refused to service_role');
reset role;

select throws_ok($$update walltrack.audit_log set db_role = 'someone else' where id = (select id from one)$$, '42501',
                 'audit_log is append-only: update refused; a wrong entry is corrected by a new change, never by rewriting history',
                 'UPDATE is refused to the owner, by trigger');
select throws_ok($$delete from walltrack.audit_log where id = (select id from one)$$, '42501', null, 'DELETE is refused to the owner');
select throws_ok($$truncate walltrack.audit_log$$, '42501', null, 'TRUNCATE is refused to the owner');

set local role anon;
select throws_ok($$select * from walltrack.audit_log$$, '42501', null, 'anon cannot read it');
reset role;
set local role authenticated;
select throws_ok($$select * from walltrack.audit_trail$$, '42501', null, 'authenticated cannot read the view');
reset role;

select * from finish();
rollback;
