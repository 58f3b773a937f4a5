-- The log retention rule (walltrack.purge_old_logs): what is older than config.log_retention_days
-- of the walltrack jobs' pg_cron runs, the rejected transactions and the refused prices is
-- deleted; the same logs within the retention stay, another job's runs stay, a job's latest
-- success stays however old, and the books (signals, orders, positions) are never touched.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);
set local client_min_messages = error;

update walltrack.config set log_retention_days = 30;
select cron.schedule('zz-operator-own-job', '0 4 * * *', 'select 1');
-- A walltrack job that never fires here (February 31st): its runs are only this test's.
select cron.schedule('walltrack-zz-purge-probe', '0 0 31 2 *', 'select 1');

-- Runs of a walltrack job and of the operator's own job, 31 days old and 29 days old. A run id is
-- given: postgres may write pg_cron's history but not take an id from its sequence.
insert into cron.job_run_details (runid, jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select 900000000 + n, j.jobid, 1, 'postgres', 'postgres', j.command, 'succeeded', '1 row',
       now() - make_interval(days => d) - interval '1 second', now() - make_interval(days => d)
from cron.job j
cross join (values (31, 0), (29, 1)) as a(d, n2)
cross join lateral (select case when j.jobname = 'zz-operator-own-job' then 10 else 0 end + a.n2 as n) k
where j.jobname in ('walltrack-signal-sweeper', 'zz-operator-own-job');

-- The probe: its only success is 40 days old, a failure 35 days old; and a run of the sweeper cut
-- off by a crash 31 days ago (no end_time).
insert into cron.job_run_details (runid, jobid, job_pid, database, username, command, status, return_message, start_time, end_time)
select 900000000 + x.n, j.jobid, 1, 'postgres', 'postgres', j.command, x.status, '', now() - x.age, case when x.ended then now() - x.age end
from cron.job j
join (values ('walltrack-zz-purge-probe', 20, 'succeeded', interval '40 days', true),
             ('walltrack-zz-purge-probe', 21, 'failed', interval '35 days', true),
             ('walltrack-signal-sweeper', 2, 'running', interval '31 days', false)) as x(jobname, n, status, age, ended)
  on x.jobname = j.jobname;
insert into walltrack.rejected_transactions (transaction_signature, position_in_delivery, reason, payload_excerpt, webhook_received_at, created_at)
values ('PurgeOld', 0, 'test', '{}', now() - interval '31 days', now() - interval '31 days'),
       ('PurgeNew', 0, 'test', '{}', now() - interval '29 days', now() - interval '29 days');
insert into walltrack.price_refusals (token_address, source, observed, reason, created_at)
values ('PurgeOld', 'jupiter', 'NaN', 'not_a_number', now() - interval '31 days'),
       ('PurgeNew', 'jupiter', 'NaN', 'not_a_number', now() - interval '29 days');

create temp table books_before as
  select (select count(*) from walltrack.signals) as signals, (select count(*) from walltrack.orders) as orders,
         (select count(*) from walltrack.positions) as positions;
create temp table purged as select walltrack.purge_old_logs() as report;

select is((select (report ->> 'cron_runs')::int >= 3 and (report ->> 'rejected_transactions')::int >= 1
                  and (report ->> 'price_refusals')::int >= 1 from purged),
  true, 'each log lost its rows past the retention, and says how many');
select results_eq(
  $$select runid::int from cron.job_run_details where runid between 900000000 and 900000010 order by runid$$,
  $$values (900000001), (900000010)$$,
  'the walltrack job''s 31-day-old run and its run cut off by a crash are gone, its 29-day-old run stays, and another job''s runs stay');
select results_eq(
  $$select runid::int from cron.job_run_details where runid between 900000011 and 900000030 order by runid$$,
  $$values (900000011), (900000020)$$,
  'another job''s runs stay; the probe''s only success stays though 40 days old, its older-than-retention failure goes');
select is((select array_agg(transaction_signature) from walltrack.rejected_transactions where transaction_signature like 'Purge%'),
  array['PurgeNew'], 'a rejected transaction likewise');
select is((select array_agg(token_address) from walltrack.price_refusals where token_address like 'Purge%'),
  array['PurgeNew'], 'a refused price likewise');
select is((select (select count(*) from walltrack.signals) = signals and (select count(*) from walltrack.orders) = orders
                  and (select count(*) from walltrack.positions) = positions from books_before),
  true, 'the books are untouched');

select * from finish();
rollback;
