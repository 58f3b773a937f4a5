-- The leases, runs, failures and backoff the capture reconciliation and the Helius sync stamp on the
-- config row are the system's bookkeeping: not in walltrack.audit_log. An operator's capture
-- setting on the same row is (20261206150300).
begin;
create extension if not exists pgtap with schema extensions;
select plan(3);

create temp table mark as select coalesce(max(id), 0) as last_id from walltrack.audit_log;
create temp view recent as select * from walltrack.audit_log where id > (select last_id from mark);

-- A reconciliation run claimed, then finished with a failure and its backoff (as claim_capture_run
-- and finish_capture_run write them); a Helius sync likewise.
update walltrack.config set capture_lease = gen_random_uuid(), capture_lease_until = now() + interval '2 minutes',
                            capture_last_run_at = now();
update walltrack.config set capture_lease = null, capture_lease_until = null, capture_failures = capture_failures + 1,
                            capture_next_attempt_at = now() + interval '1 minute', capture_last_error = 'HTTP 429',
                            capture_last_report = '{"wallets": 1}';
select is((select count(*)::int from recent), 0, 'a capture run''s lease, failure, backoff and report are not recorded');

update walltrack.config set helius_sync_lease = gen_random_uuid(), helius_sync_lease_until = now() + interval '2 minutes';
update walltrack.config set helius_sync_lease = null, helius_sync_lease_until = null, helius_sync_failures = helius_sync_failures + 1,
                            helius_sync_next_attempt_at = now() + interval '1 minute', helius_sync_last_error = 'HTTP 500';
select is((select count(*)::int from recent), 0, 'nor a Helius sync''s lease and backoff');

update walltrack.config set delivery_mode = 'poll', capture_last_run_at = now();
select is((select action || '|' || old_values::text || '|' || new_values::text from recent),
          'update|{"delivery_mode": "webhook"}|{"delivery_mode": "poll"}', 'the operator''s delivery mode is, alone');

select * from finish();
rollback;
