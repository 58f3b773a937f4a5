-- A trade replayed over a known recorded path gives an exact, known PnL (walltrack.replay_trade,
-- walltrack.replay_signal), through the live rules. Default strategy: stop loss 20 %, trailing
-- stop 15 % armed at 1.5x, 50 % at 2x, 25 % at 3x, mirror exit on; slippage 1 % (each sale fills at
-- 0.99 x the price). Entry 1.00 USD x 1 (amounts are shares of the position):
--   1.50  trailing armed          2.00  level 1 sells 0.50 at 1.98    2.50  nothing
--   3.00  level 2 sells 0.25 at 2.97 (peak 3.00: trailing at 2.55)    2.60  nothing
--   2.40  trailing stop sells the 0.25 left at 2.376
-- proceeds 0.99 + 0.7425 + 0.594 = 2.3265 for a cost of 1.00: PnL ratio 1.3265.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

create temp table path (n integer, price numeric);
insert into path values (1, 1.50), (2, 2.00), (3, 2.50), (4, 3.00), (5, 2.60), (6, 2.40), (7, 5.00);
insert into walltrack.price_history (series_id, observed_at, price_usd, source)
select walltrack.price_series_id(tests.addr('TkR')), '2026-11-20 10:00+00'::timestamptz + make_interval(secs => n * 10), price, 'test' from path;
-- A simulated fill is no market price: left out of the path.
insert into walltrack.price_history (series_id, observed_at, price_usd, source)
values (walltrack.price_series_id(tests.addr('TkR')), '2026-11-20 10:00:15+00', 0.10, 'simulated_fill');

create temp table default_strategy as
select walltrack.effective_exit_strategy(id) as strategy from walltrack.exit_strategies where name = 'Default';

select results_eq(
  $$select exit_at, exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-21 10:00+00', 1)$$,
  $$values ('2026-11-20 10:00:20+00'::timestamptz, 'scaling'::text, 0.50::numeric, 1.98::numeric),
           ('2026-11-20 10:00:40+00'::timestamptz, 'scaling'::text, 0.25::numeric, 2.97::numeric),
           ('2026-11-20 10:01:00+00'::timestamptz, 'trailing_stop'::text, 0.25::numeric, 2.376::numeric)$$,
  'the known path: two levels then the trailing stop, each at its price less 1 %');
select is(
  (select sum(exit_amount * exit_price) / 1.00 - 1
   from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                               '2026-11-21 10:00+00', 1)),
  1.3265::numeric, 'PnL ratio exactly 1.3265');

select results_eq(
  $$select exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-20 10:00:35+00', 1)$$,
  $$values ('scaling'::text, 0.50::numeric, 1.98::numeric), ('open'::text, 0.50::numeric, 2.50::numeric)$$,
  'cut at 10:00:35: level 1 sold, the rest still held at the last price, 2.50');

select results_eq(
  $$select exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-21 10:00+00', 1, mirror_at => '2026-11-20 10:00:35+00')$$,
  $$values ('scaling'::text, 0.50::numeric, 1.98::numeric), ('mirror'::text, 0.50::numeric, 2.475::numeric)$$,
  'the leader sells at 10:00:35: the mirror exit sells the rest at the price then (2.50) less 1 %');

-- One-minute candles: in a minute whose low reaches the stop and whose high reaches level 1, the
-- replay assumes the worse: the stop loss, on everything, at the low.
insert into walltrack.price_candles (series_id, minute, open_usd, high_usd, low_usd, close_usd, observations) values
  (walltrack.price_series_id(tests.addr('TkK')), '2026-11-10 10:01+00', 1.00, 2.10, 0.75, 1.90, 9);
select results_eq(
  $$select exit_at, exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkK'), '2026-11-10 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-11 10:00+00', 0)$$,
  $$values ('2026-11-10 10:01+00'::timestamptz, 'stop_loss'::text, 1::numeric, 0.75::numeric)$$,
  'stop and target in one candle: the stop loss fires at the low (the worse)');

-- A BUY signal of the leader at 10:00:00 at 0.90 USD, bought 25 s later at the price in force then
-- (2.00, observed 10:00:20) plus 1 %: 2.02. After it 2.50, 3.00, 2.60, 2.40 arm nothing (below
-- 2.02 x 1.5 = 3.03) and stop nothing (above 2.02 x 0.8 = 1.616); 5.00 reaches level 1 (4.04),
-- which sells 0.50 at 4.95; the other 0.50 is held at 5.00 at the end.
-- PnL ratio (0.50 x 4.95 + 0.50 x 5.00) / 2.02 - 1.
do $$ begin perform tests.lifecycle_wallet('R'); end $$;
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, leader_block_time, raw_payload)
select w.id, tests.addr('TkR'), tests.sig('ReplayR'), 'BUY', 'So11111111111111111111111111111111111111112',
       tests.addr('TkR'), 1, 1000, 0.90, '2026-11-20 10:00+00', '{}'
from walltrack.wallets w where w.address = tests.addr('WaR');
select results_eq(
  $$select r.entry_at, r.entry_price, r.outcome, r.closed_at, r.exits
    from walltrack.signals s, walltrack.replay_signal(s, (select strategy from default_strategy), '2026-11-21 10:00+00', 25, 1) r
    where s.transaction_signature = tests.sig('ReplayR')$$,
  $$values ('2026-11-20 10:00:25+00'::timestamptz, 2.02::numeric, 'open'::text, null::timestamptz, 1)$$,
  'entered 25 s after the leader at the price then plus 1 %, one level sold, the rest still held at the end');
select is(
  (select round(r.pnl_ratio, 12) from walltrack.signals s,
     walltrack.replay_signal(s, (select strategy from default_strategy), '2026-11-21 10:00+00', 25, 1) r
   where s.transaction_signature = tests.sig('ReplayR')),
  round((0.50 * 4.95 + 0.50 * 5.00) / 2.02 - 1, 12), 'its PnL ratio is (0.50 x 4.95 + 0.50 x 5.00) / 2.02 - 1');
select results_eq(
  $$select r.entry_price, r.outcome, r.pnl_ratio
    from walltrack.signals s, walltrack.replay_signal(s, (select strategy from default_strategy), '2026-11-21 10:00+00', 0, 1) r
    where s.transaction_signature = tests.sig('ReplayR')$$,
  $$values (0.909::numeric, 'trailing_stop'::text, 2.3265 / 0.909 - 1)$$,
  'without latency: entered at the leader''s 0.90 plus 1 % = 0.909, then the known path''s three exits (2.3265)');

select * from finish();
rollback;
