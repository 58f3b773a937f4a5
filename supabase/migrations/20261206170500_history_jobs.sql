-- Adds the two jobs of the price history and leader copyability (issue 15) to the pg_cron schedule
-- (walltrack.job_schedule): the price history's retention every hour, the copyability of every
-- leader once a day after the performance refresh (00:00 UTC), which it reads.

insert into walltrack.job_schedule (jobname, schedule, command, purpose) values
  ('walltrack-compact-price-history', '17 * * * *', 'select walltrack.compact_price_history()',
   'price history retention: raw prices older than price_history_raw_days into one-minute candles, candles older than price_candle_days deleted'),
  ('walltrack-refresh-copyability', '5 0 * * *', 'select walltrack.refresh_copyability()',
   'leader copyability (retained edge, score, do not copy) into walltrack.performance, after the daily refresh');

select walltrack.schedule_jobs();
