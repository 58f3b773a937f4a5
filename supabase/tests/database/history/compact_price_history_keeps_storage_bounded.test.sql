-- The price history's retention rule (walltrack.compact_price_history): raw prices older than
-- config.price_history_raw_days (3) become one one-minute candle per token and minute, with the
-- exact open, high, low and close; simulated fills are dropped, not folded; candles older than
-- config.price_candle_days (30) are deleted (and the series of a token priced no more since); a
-- second run changes nothing.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Token 'TkC' observed at 12:00:05, 12:00:15 (a simulated fill), 12:00:25, 12:00:55 and 12:01:10
-- on 2026-11-01, and at 12:00 on 2026-11-04 (2 days before as_of: stays raw); a candle of
-- 2026-09-01 (older than 30 days before as_of).
insert into walltrack.price_history (series_id, observed_at, price_usd, source) values
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:00:05+00', 1.00, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:00:15+00', 0.50, 'simulated_fill'),
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:00:25+00', 1.30, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:00:35+00', 0.90, 'dexscreener'),
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:00:55+00', 1.10, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:01:10+00', 1.20, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkC')), '2026-11-04 12:00:00+00', 1.40, 'jupiter');
insert into walltrack.price_candles (series_id, minute, open_usd, high_usd, low_usd, close_usd, observations)
values (walltrack.price_series_id(tests.addr('TkC')), '2026-09-01 00:00+00', 1, 1, 1, 1, 1);

select is(walltrack.compact_price_history('2026-11-06 12:00:30+00'),
  '{"raw_folded": 6, "candles_written": 2, "candles_deleted": 1}'::jsonb,
  'six raw prices older than 3 days are folded into two candles; one candle older than 30 days is deleted');
select results_eq(
  $$select minute, open_usd, high_usd, low_usd, close_usd, observations from walltrack.price_candles join walltrack.price_series s on s.id = series_id
    where s.token_address = tests.addr('TkC') order by minute$$,
  $$values ('2026-11-01 12:00+00'::timestamptz, 1.00::numeric, 1.30::numeric, 0.90::numeric, 1.10::numeric, 4),
           ('2026-11-01 12:01+00'::timestamptz, 1.20::numeric, 1.20::numeric, 1.20::numeric, 1.20::numeric, 1)$$,
  'each minute keeps its first, highest, lowest and last market price (the simulated fill is left out)');
select results_eq(
  $$select observed_at, price_usd from walltrack.price_history join walltrack.price_series s on s.id = series_id where s.token_address = tests.addr('TkC')$$,
  $$values ('2026-11-04 12:00:00+00'::timestamptz, 1.40::numeric)$$,
  'the last 3 days stay raw');
select is(walltrack.compact_price_history('2026-11-06 12:00:30+00'),
  '{"raw_folded": 0, "candles_written": 0, "candles_deleted": 0}'::jsonb, 'a second run changes nothing');

-- A late observation of an already folded minute is merged into its candle.
insert into walltrack.price_history (series_id, observed_at, price_usd, source)
values (walltrack.price_series_id(tests.addr('TkC')), '2026-11-01 12:00:59+00', 2.00, 'leader_swap');
select is(walltrack.compact_price_history('2026-11-06 12:00:30+00') ->> 'candles_written', '1', 'the late minute is written again');
select results_eq(
  $$select open_usd, high_usd, low_usd, close_usd, observations from walltrack.price_candles join walltrack.price_series s on s.id = series_id
    where s.token_address = tests.addr('TkC') and minute = '2026-11-01 12:00+00'$$,
  $$values (1.00::numeric, 2.00::numeric, 0.90::numeric, 2.00::numeric, 5)$$,
  'merged: the open stays, the high and close move, one more observation');

select is((walltrack.price_history_status() - 'bytes' - 'raw_since' - 'last_price_at' - 'candles_since') @> '{"raw_days": 3, "candle_days": 30}'::jsonb
          and (walltrack.price_history_status() ->> 'candle_rows')::integer >= 2, true,
  'price_history_status reports the retention settings and the candles');

-- Months later: everything folded, every candle expired, and the token's series goes too.
do $$ begin perform walltrack.compact_price_history('2027-03-01 00:00+00'); end $$;
select is((select count(*)::integer from walltrack.price_series where token_address = tests.addr('TkC')), 0,
  'a token priced no more within price_candle_days loses its series, its candles gone');

select * from finish();
rollback;
