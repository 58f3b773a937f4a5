-- Adds the pg_cron job walltrack-notification-dispatcher (every minute) as a row of
-- walltrack.job_schedule: walltrack.dispatch_notifications writes what time reveals (unconfirmed
-- live orders, failing jobs, webhook silence, the daily summary) and calls the
-- notification-dispatcher edge function only when a delivery is due.
insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-notification-dispatcher', '* * * * *', 'select walltrack.dispatch_notifications()',
   'notifications found by time, then deliver what is due to Telegram, Discord and the webhook (only when due)');

select walltrack.schedule_jobs();
