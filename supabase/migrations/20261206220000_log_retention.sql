-- Logs that grow with time alone are kept for config.log_retention_days (default 30), so a stack
-- left running for months keeps a bounded database: pg_cron's run history of the walltrack jobs
-- (about 11,500 rows a day at today's schedule), the calls the database made to the edge functions
-- (walltrack.edge_function_calls, one per call), the rejected webhook transactions and the refused
-- prices. Trading records (signals, orders, positions, fees, breaker and pause events, the audit
-- log, notifications) are never purged: they are the books. Supabase recommends the same for
-- cron.job_run_details; only the runs of walltrack jobs are deleted, never another job's history.
-- A daily job (walltrack-purge-logs, 03:23 UTC) runs walltrack.purge_old_logs.

alter table walltrack.config
  add column log_retention_days integer not null default 30
    constraint config_log_retention_days_check check (log_retention_days between 1 and 3650);
comment on column walltrack.config.log_retention_days is
  'Days kept of the logs that grow with time alone (walltrack jobs'' pg_cron runs, edge function calls, rejected transactions, refused prices); older rows are deleted daily by walltrack.purge_old_logs (default 30).';

create function walltrack.purge_old_logs(as_of timestamptz default pg_catalog.now())
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cutoff timestamptz;
  cron_runs integer;
  calls integer;
  rejected integer;
  refusals integer;
begin
  select as_of - pg_catalog.make_interval(days => c.log_retention_days) into strict cutoff from walltrack.config c;
  delete from cron.job_run_details d
  where d.end_time < cutoff
    and d.jobid in (select j.jobid from cron.job j where j.jobname like 'walltrack-%');
  get diagnostics cron_runs = row_count;
  delete from walltrack.edge_function_calls e where e.created_at < cutoff;
  get diagnostics calls = row_count;
  delete from walltrack.rejected_transactions r where r.created_at < cutoff;
  get diagnostics rejected = row_count;
  delete from walltrack.price_refusals p where p.created_at < cutoff;
  get diagnostics refusals = row_count;
  return pg_catalog.jsonb_build_object('before', cutoff, 'cron_runs', cron_runs, 'edge_function_calls', calls,
                                       'rejected_transactions', rejected, 'price_refusals', refusals);
end;
$$;
comment on function walltrack.purge_old_logs(timestamptz) is
  'The log retention rule: deletes what is older than config.log_retention_days of the walltrack jobs'' pg_cron runs (cron.job_run_details), walltrack.edge_function_calls, walltrack.rejected_transactions and walltrack.price_refusals; trading records are never touched. Daily job walltrack-purge-logs; returns the cutoff and the rows deleted per log.';
revoke execute on function walltrack.purge_old_logs(timestamptz) from public;

insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-purge-logs', '23 3 * * *', 'select walltrack.purge_old_logs()',
   'log retention: walltrack job runs, edge function calls, rejected transactions and refused prices older than log_retention_days');

select walltrack.schedule_jobs();

-- Rollback: delete from walltrack.job_schedule where jobname = 'walltrack-purge-logs'; select walltrack.schedule_jobs();
-- drop function walltrack.purge_old_logs(timestamptz); alter table walltrack.config drop column log_retention_days;
