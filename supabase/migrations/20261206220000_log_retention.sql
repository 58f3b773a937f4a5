-- Logs that grow with time alone are kept for config.log_retention_days (default 30), so a stack
-- left running for months keeps a bounded database: pg_cron's run history of the walltrack jobs
-- (about 11,500 rows a day at today's schedule), the rejected webhook transactions and the refused
-- prices. (The calls the database makes to the edge functions are already trimmed to 7 days as they
-- are recorded, walltrack.record_edge_function_outcomes.) Trading records (signals, orders,
-- positions, fees, breaker and pause events, the audit log, notifications) are never purged: they
-- are the books. Supabase recommends the same for cron.job_run_details; only the runs of walltrack
-- jobs are deleted, never another job's history, and never a job's latest success (a job failing
-- for longer than the retention still says since when, and is notified once).
-- A daily job (walltrack-purge-logs, 03:23 UTC) runs walltrack.purge_old_logs.

alter table walltrack.config
  add column log_retention_days integer not null default 30
    constraint config_log_retention_days_check check (log_retention_days between 1 and 3650);
comment on column walltrack.config.log_retention_days is
  'Days kept of the logs that grow with time alone (walltrack jobs'' pg_cron runs but each job''s latest success, rejected transactions, refused prices); older rows are deleted daily by walltrack.purge_old_logs (default 30).';

create function walltrack.purge_old_logs(as_of timestamptz default pg_catalog.now())
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cutoff timestamptz;
  cron_runs integer;
  rejected integer;
  refusals integer;
begin
  select as_of - pg_catalog.make_interval(days => c.log_retention_days) into strict cutoff from walltrack.config c;
  -- A run cut off by a crash has no end_time: its start dates it.
  delete from cron.job_run_details d
  where coalesce(d.end_time, d.start_time) < cutoff
    and d.jobid in (select j.jobid from cron.job j where j.jobname like 'walltrack-%')
    and (d.status <> 'succeeded'
         or exists (select 1 from cron.job_run_details n
                    where n.jobid = d.jobid and n.status = 'succeeded' and n.end_time > d.end_time));
  get diagnostics cron_runs = row_count;
  delete from walltrack.rejected_transactions r where r.created_at < cutoff;
  get diagnostics rejected = row_count;
  delete from walltrack.price_refusals p where p.created_at < cutoff;
  get diagnostics refusals = row_count;
  return pg_catalog.jsonb_build_object('before', cutoff, 'cron_runs', cron_runs,
                                       'rejected_transactions', rejected, 'price_refusals', refusals);
end;
$$;
comment on function walltrack.purge_old_logs(timestamptz) is
  'The log retention rule: deletes what is older than config.log_retention_days of the walltrack jobs'' pg_cron runs (cron.job_run_details; each job''s latest success is kept), walltrack.rejected_transactions and walltrack.price_refusals; trading records are never touched. Daily job walltrack-purge-logs; returns the cutoff and the rows deleted per log.';
revoke execute on function walltrack.purge_old_logs(timestamptz) from public;

insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-purge-logs', '23 3 * * *', 'select walltrack.purge_old_logs()',
   'log retention: walltrack job runs (each job''s latest success kept), rejected transactions and refused prices older than log_retention_days');

select walltrack.schedule_jobs();

-- Rollback: delete from walltrack.job_schedule where jobname = 'walltrack-purge-logs'; select walltrack.schedule_jobs();
-- drop function walltrack.purge_old_logs(timestamptz); alter table walltrack.config drop column log_retention_days;
