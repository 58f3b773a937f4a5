-- walltrack.scheduled_job_problem: a job whose last run failed (a run that never connected is
-- such a run) or that missed two of its intervals is a problem, in words; a job that just ran, or
-- a stack that just started, is fine. walltrack.cron_schedule_interval reads the schedules we use.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

select is(walltrack.cron_schedule_interval('* * * * *'), interval '1 minute', 'every minute');
select is(walltrack.cron_schedule_interval('*/5 * * * *'), interval '5 minutes', 'every 5 minutes');
select is(walltrack.cron_schedule_interval('0 0 * * *'), interval '1 day', 'daily at midnight');
select is(walltrack.cron_schedule_interval('30 seconds'), interval '30 seconds', 'every 30 seconds');
select is(walltrack.cron_schedule_interval('0 9 * * 1'), null, 'an unknown shape has no interval');

select is(walltrack.scheduled_job_problem(true, 'succeeded', '1 row', '2026-12-05 10:00:30+00', interval '1 minute',
                                          '2026-12-05 09:00+00', '2026-12-05 10:01:10+00'),
          null, 'ran 40 s ago, every minute: fine');
select is(walltrack.scheduled_job_problem(true, 'failed', 'connection failed', '2026-12-05 10:00:30+00', interval '1 minute',
                                          '2026-12-05 09:00+00', '2026-12-05 10:01:10+00'),
          'its last run failed: connection failed', 'a run that never connected is a failure, with its message');
select is(walltrack.scheduled_job_problem(true, 'succeeded', '1 row', '2026-12-05 10:00:00+00', interval '1 minute',
                                          '2026-12-05 09:00+00', '2026-12-05 10:02:01+00'),
          'no run since 2026-12-05 10:00:00+00, it runs every 00:01:00', 'two intervals without a run: late');
select is(walltrack.scheduled_job_problem(true, null, null, null, interval '1 minute',
                                          '2026-12-05 10:00+00', '2026-12-05 10:01:30+00'),
          null, 'never ran, but the server started 90 s ago: not late yet');
select is(walltrack.scheduled_job_problem(true, null, null, null, interval '1 minute',
                                          '2026-12-05 10:00+00', '2026-12-05 10:02:30+00'),
          'no run since the server started, it runs every 00:01:00', 'never ran in 150 s of an every-minute job: late');
select is(walltrack.scheduled_job_problem(false, 'succeeded', null, '2026-12-05 10:00+00', interval '1 minute',
                                          '2026-12-05 09:00+00', '2026-12-05 10:00:10+00'),
          'inactive', 'an inactive job is a problem');
select is(walltrack.scheduled_job_problem(true, 'succeeded', null, '2026-12-04 00:00+00', interval '1 day',
                                          '2026-12-01 00:00+00', '2026-12-05 10:00+00'),
          null, 'the daily job ran 34 h ago: not late (two days allowed)');

select * from finish();
rollback;
