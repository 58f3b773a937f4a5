-- The pg_cron schedule as data: one row per WallTrack job in walltrack.job_schedule, and
-- walltrack.schedule_jobs() (run by this migration and by every `npm start`) makes cron.job match
-- it: each job (re)scheduled by name, a walltrack-% job no row names any more unscheduled. A
-- feature that needs a job adds a row in its own migration instead of redefining the function, so
-- two features never compete for one definition.

create table walltrack.job_schedule (
  jobname text primary key constraint job_schedule_jobname_check check (jobname ~ '^walltrack-[a-z0-9-]+$'),
  -- A shape whose interval is known, so its health can be judged. Not 'N seconds': the embedded
  -- stack's pg_cron (1.4) refuses it, and a job must run the same everywhere.
  schedule text not null
    constraint job_schedule_schedule_check check (walltrack.cron_schedule_interval(schedule) is not null
                                                  and schedule !~ 'second'),
  command text not null constraint job_schedule_command_check check (command ~ '^select walltrack\.[a-z_]+\(.*\)$'),
  purpose text not null constraint job_schedule_purpose_length check (char_length(purpose) between 1 and 300),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger job_schedule_set_updated_at before update on walltrack.job_schedule
  for each row execute function walltrack.set_updated_at();

alter table walltrack.job_schedule enable row level security;
-- Read-only to the application: the schedule changes with a migration, never at run time.
revoke all on walltrack.job_schedule from anon, authenticated, service_role;
grant select on walltrack.job_schedule to service_role;

comment on table walltrack.job_schedule is
  'Every WallTrack pg_cron job as designed: name, schedule, command, purpose. walltrack.schedule_jobs() makes cron.job match it.';
comment on column walltrack.job_schedule.jobname is 'The pg_cron job name (walltrack-...).';
comment on column walltrack.job_schedule.schedule is 'The pg_cron schedule: ''* * * * *'', ''*/N * * * *'', hourly or daily at a fixed time (walltrack.cron_schedule_interval knows its interval, so its health can be judged; no seconds: pg_cron 1.4 of the embedded stack refuses them).';
comment on column walltrack.job_schedule.command is 'The one walltrack function the job calls; each does nothing when there is nothing to do.';
comment on column walltrack.job_schedule.purpose is 'What the job is for, in words.';
comment on column walltrack.job_schedule.created_at is 'When the job was added to the design.';
comment on column walltrack.job_schedule.updated_at is 'When its row last changed (trigger).';

insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-signal-sweeper', '* * * * *', 'select walltrack.sweep_unprocessed_signals()', 'signals recorded but never processed (crash safety)'),
  ('walltrack-order-executor', '* * * * *', 'select walltrack.sweep_pending_orders()', 'orders due (new, or waiting for a retry)'),
  ('walltrack-price-monitor', '* * * * *', 'select walltrack.monitor_prices()', 'reprice open positions (PnL, exits)'),
  ('walltrack-circuit-breaker', '* * * * *', 'select walltrack.evaluate_circuit_breakers()', 'backstop evaluation and the unlock at unlock_at'),
  ('walltrack-helius-sync', '*/5 * * * *', 'select walltrack.sync_helius_addresses()', 'push the watchlist to Helius, only when pending'),
  ('walltrack-refresh-performance', '0 0 * * *', 'select walltrack.refresh_performance()', 'the daily performance rows (ADR-003)');

create or replace function walltrack.schedule_jobs()
returns setof text
language plpgsql
set search_path = ''
as $$
begin
  perform cron.unschedule(j.jobid)
  from cron.job j
  where j.jobname like 'walltrack-%'
    and not exists (select 1 from walltrack.job_schedule s where s.jobname = j.jobname);
  perform cron.schedule(s.jobname, s.schedule, s.command) from walltrack.job_schedule s;
  return query select jobname::text from cron.job where jobname like 'walltrack-%' order by jobname;
end;
$$;
comment on function walltrack.schedule_jobs() is
  'Makes cron.job match walltrack.job_schedule: every row (re)scheduled by name, every other walltrack-% job unscheduled; idempotent. Returns the job names.';
revoke execute on function walltrack.schedule_jobs() from public;

select walltrack.schedule_jobs();
