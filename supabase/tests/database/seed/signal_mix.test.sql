-- The 20 signals have the story's mix: 10 filtered (5 safety_check_failed, 3 circuit_breaker,
-- 2 duplicate) and 10 that created a position, every one processed, spread over all 5 wallets
-- and the last 7 days.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

create temp table seed_time as select max(updated_at) as at from walltrack.wallets;

select results_eq(
  $$ select signal_type, count(*)::integer from walltrack.signals group by signal_type $$,
  $$ values ('BUY', 20) $$,
  'all 20 signals are BUYs (the mix is about entries)');

select results_eq(
  $$ select filter_reason, count(*)::integer
     from walltrack.signals
     where filtered
     group by filter_reason
     order by filter_reason $$,
  $$ values ('circuit_breaker', 3), ('duplicate', 2), ('safety_check_failed', 5) $$,
  '10 filtered: 5 safety_check_failed, 3 circuit_breaker, 2 duplicate');

select is(
  (select count(*) from walltrack.signals
   where position_created and position_id is not null and not filtered and filter_reason is null),
  10::bigint,
  '10 signals created a position');

select is(
  (select count(distinct position_id) from walltrack.signals where position_created),
  10::bigint,
  'the 10 position-creating signals opened 10 different positions');

select is_empty(
  $$ select id from walltrack.signals
     where processed_at is null or processing_duration_ms is null or token_id is null
        or price_usd is null or sol_usd_price is null or price_source is null $$,
  'every signal is processed, with its timing, token analysis and USD pricing');

select is_empty(
  $$ select id from walltrack.signals
     where filtered and (position_created or position_id is not null) $$,
  'no filtered signal links to a position');

select is(
  (select count(distinct wallet_id) from walltrack.signals), 5::bigint,
  'signals come from all 5 wallets');

select is_empty(
  $$ select s.id, s.webhook_received_at
     from walltrack.signals s cross join seed_time t
     where s.webhook_received_at not between t.at - interval '7 days' and t.at $$,
  'every signal was received within the 7 days before the seed ran');

select * from finish();
rollback;
