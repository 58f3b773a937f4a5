-- walltrack.schedule_jobs (re)schedules every WallTrack pg_cron job by name and is safe to run
-- twice: the signal sweeper runs every minute, once.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

-- Start from no sweeper job at all.
do $$ begin perform cron.unschedule(jobid) from cron.job where jobname = 'walltrack-signal-sweeper'; end $$;

select ok('walltrack-signal-sweeper' = any(array(select walltrack.schedule_jobs())),
  'schedule_jobs schedules walltrack-signal-sweeper and names it');
select ok('walltrack-signal-sweeper' = any(array(select walltrack.schedule_jobs())), 'running it again is fine');
select is((select count(*)::integer from cron.job where jobname = 'walltrack-signal-sweeper'), 1,
  'the job exists once');
select is(
  (select array[schedule, command] from cron.job where jobname = 'walltrack-signal-sweeper'),
  array['* * * * *', 'select walltrack.sweep_unprocessed_signals()'],
  'every minute, it sweeps unprocessed signals');
select is(
  array(select walltrack.schedule_jobs()),
  array(select jobname::text from cron.job where jobname like 'walltrack-%' order by jobname),
  'schedule_jobs returns the WallTrack job names');

select * from finish();
rollback;
