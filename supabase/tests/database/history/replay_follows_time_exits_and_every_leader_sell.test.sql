-- The replay follows the maximum hold and every SELL of the leader (20261206230000), exactly.
-- Default strategy: stop loss 20 %, trailing stop 15 % armed at 1.5x, 50 % at 2x, 25 % at 3x,
-- proportional mirror of the whole position (fallback full); slippage 1 % (each sale at 0.99 x).
-- Path TkR: 10:00:10 1.50, :20 2.00, :30 2.50, :40 3.00, :50 2.60, 10:01:00 2.40.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

insert into walltrack.price_history (series_id, observed_at, price_usd, source)
select walltrack.price_series_id(tests.addr('TkR')), '2026-11-20 10:00+00'::timestamptz + make_interval(secs => n * 10), price, 'test'
from (values (1, 1.50), (2, 2.00), (3, 2.50), (4, 3.00), (5, 2.60), (6, 2.40)) as path(n, price);
-- Path TkT, a slow climb: 10:00:30 1.10, 10:01:30 1.20, 10:02:30 1.30.
insert into walltrack.price_history (series_id, observed_at, price_usd, source)
select walltrack.price_series_id(tests.addr('TkT')), '2026-11-20 10:00:30+00'::timestamptz + make_interval(mins => n), price, 'test'
from (values (0, 1.10), (1, 1.20), (2, 1.30)) as path(n, price);

create temp table default_strategy as
select walltrack.effective_exit_strategy(id) as strategy from walltrack.exit_strategies where name = 'Default';

-- The maximum hold: two minutes after 10:00, everything at the price in force (1.20) less 1 %.
select results_eq(
  $$select exit_at, exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkT'), '2026-11-20 10:00+00', 1.00,
                                (select strategy || '{"max_hold_minutes": 2}' from default_strategy), '2026-11-21 10:00+00', 1)$$,
  $$values ('2026-11-20 10:02+00'::timestamptz, 'time'::text, 1::numeric, 1.188::numeric)$$,
  'max_hold_minutes 2: a time exit at 10:02, at the price then (1.20) less 1 %');
select results_eq(
  $$select exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkT'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-21 10:00+00', 1)$$,
  $$values ('open'::text, 1::numeric, 1.30::numeric)$$,
  'without it the position is still held at the end');

-- A price at the very instant of the maximum hold is judged by it, before any level (as live):
-- path TkU 10:01:00 2.50 reaches level 1, but the hold of one minute ends then: all of it, time.
insert into walltrack.price_history (series_id, observed_at, price_usd, source)
values (walltrack.price_series_id(tests.addr('TkU')), '2026-11-20 10:01+00', 2.50, 'test');
select results_eq(
  $$select exit_at, exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkU'), '2026-11-20 10:00+00', 1.00,
                                (select strategy || '{"max_hold_minutes": 1}' from default_strategy), '2026-11-21 10:00+00', 1)$$,
  $$values ('2026-11-20 10:01+00'::timestamptz, 'time'::text, 1::numeric, 2.475::numeric)$$,
  'a tick at the maximum hold: the time exit sells everything, no level fires');

-- A partial SELL after the last recorded price: the rest is still held, after that SELL.
select results_eq(
  $$select exit_at, exit_reason, exit_amount
    from walltrack.replay_trade(tests.addr('TkT'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-21 10:00+00', 1,
                                mirror_sells => '[{"at": "2026-11-20T10:05:00Z", "held_before_raw": 300, "held_after_raw": 200}]')$$,
  $$values ('2026-11-20 10:05+00'::timestamptz, 'mirror'::text, 0.333333333333333333::numeric),
           ('2026-11-20 10:05+00', 'open', 0.666666666666666667)$$,
  'a third sold at 10:05, two thirds still held, stamped no earlier than that SELL');

-- The leader sells a third of their bag (300 -> 200) at 10:00:25, after level 1 sold half: the
-- mirror sells a third of the half left, rounded down to 18 places; level 2 and the trailing stop
-- sell the rest.
select results_eq(
  $$select exit_at, exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-21 10:00+00', 1,
                                mirror_sells => '[{"at": "2026-11-20T10:00:25Z", "held_before_raw": 300, "held_after_raw": 200}]')$$,
  $$values ('2026-11-20 10:00:20+00'::timestamptz, 'scaling'::text, 0.50::numeric, 1.98::numeric),
           ('2026-11-20 10:00:25+00', 'mirror', 0.166666666666666666, 1.98),
           ('2026-11-20 10:00:40+00', 'scaling', 0.25, 2.97),
           ('2026-11-20 10:01:00+00', 'trailing_stop', 0.083333333333333334, 2.376)$$,
  'a proportional mirror of a partial SELL, then the rest by the other rules, every share accounted for');

-- The same SELL with its balances unknown: the fallback decides (full: the whole lot; none: nothing).
select results_eq(
  $$select exit_reason, exit_amount
    from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00, (select strategy from default_strategy),
                                '2026-11-21 10:00+00', 1, mirror_sells => '[{"at": "2026-11-20T10:00:25Z"}]')$$,
  $$values ('scaling'::text, 0.50::numeric), ('mirror', 0.50)$$,
  'unknown balances, fallback full: the whole lot left');
select is(
  (select count(*)::integer
   from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00,
                               (select strategy || '{"mirror_fallback": "none"}' from default_strategy), '2026-11-21 10:00+00', 1,
                               mirror_sells => '[{"at": "2026-11-20T10:00:25Z"}]') r where r.exit_reason = 'mirror'),
  0, 'unknown balances, fallback none: no mirror exit');

-- A full mirror of half the position (mirror_share_percent 50) at 10:00:05, before any price:
-- half at the entry price less 1 %; the other half goes on under the other rules.
select results_eq(
  $$select exit_reason, exit_amount, exit_price
    from walltrack.replay_trade(tests.addr('TkR'), '2026-11-20 10:00+00', 1.00,
                                (select strategy || '{"mirror_mode": "full", "mirror_share_percent": 50}' from default_strategy),
                                '2026-11-21 10:00+00', 1,
                                mirror_sells => '[{"at": "2026-11-20T10:00:05Z", "held_before_raw": 300, "held_after_raw": 200}]')
    limit 1$$,
  $$values ('mirror'::text, 0.5::numeric, 0.99::numeric)$$,
  'full mode sells the whole mirror lot (half the position) whatever the leader''s fraction');

-- replay_signal takes every SELL of the leader with its recorded balances: a BUY at 10:00 (0.90
-- USD, bought at 0.909), a SELL of a third at 10:00:25 (balances recorded), then the same rules:
-- level 1, the mirror third, level 2, the trailing stop. Before, the first SELL sold everything.
do $$ begin perform tests.lifecycle_wallet('R2'); end $$;
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, leader_block_time, raw_payload)
select w.id, tests.addr('TkR'), tests.sig(x.tag), x.kind, x.token_in, x.token_out, 1, 1000, 0.90, x.at, '{}'
from walltrack.wallets w,
     (values ('ReplayR2Buy', 'BUY', 'So11111111111111111111111111111111111111112', tests.addr('TkR'), '2026-11-20 10:00+00'::timestamptz),
             ('ReplayR2Sell', 'SELL', tests.addr('TkR'), 'So11111111111111111111111111111111111111112', '2026-11-20 10:00:25+00'))
       as x(tag, kind, token_in, token_out, at)
where w.address = tests.addr('WaR2');
insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source)
select id, 300, 200, 6, 'rpc_get_transaction' from walltrack.signals where transaction_signature = tests.sig('ReplayR2Sell');
select results_eq(
  $$select r.entry_price, r.outcome, r.closed_at, r.exits
    from walltrack.signals s, walltrack.replay_signal(s, (select strategy from default_strategy), '2026-11-21 10:00+00', 0, 1) r
    where s.transaction_signature = tests.sig('ReplayR2Buy')$$,
  $$values (0.909::numeric, 'trailing_stop'::text, '2026-11-20 10:01+00'::timestamptz, 4)$$,
  'replay_signal: the leader''s partial SELL is a partial mirror; four exits, closed by the trailing stop');
select is(
  (select r.pnl_ratio
   from walltrack.signals s, walltrack.replay_signal(s, (select strategy from default_strategy), '2026-11-21 10:00+00', 0, 1) r
   where s.transaction_signature = tests.sig('ReplayR2Buy')),
  (0.50 * 1.98 + 0.166666666666666666 * 1.98 + 0.25 * 2.97 + 0.083333333333333334 * 2.376) / 0.909 - 1,
  'its PnL ratio, exactly');

-- A SELL in the same second as the BUY (block times are whole seconds), received after it, is
-- mirrored as live: here the leader sold out at once, so everything goes at the entry.
do $$ begin perform tests.lifecycle_wallet('R3'); end $$;
insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                               amount_in, amount_out, price_usd, leader_block_time, webhook_received_at, raw_payload)
select w.id, tests.addr('TkR'), tests.sig(x.tag), x.kind, x.token_in, x.token_out, 1, 1000, 0.90, '2026-11-20 10:00+00', x.received, '{}'
from walltrack.wallets w,
     (values ('ReplayR3Buy', 'BUY', 'So11111111111111111111111111111111111111112', tests.addr('TkR'), '2026-11-20 10:00:01+00'::timestamptz),
             ('ReplayR3Sell', 'SELL', tests.addr('TkR'), 'So11111111111111111111111111111111111111112', '2026-11-20 10:00:02+00'))
       as x(tag, kind, token_in, token_out, received)
where w.address = tests.addr('WaR3');
insert into walltrack.leader_sell_balances (signal_id, held_before_raw, held_after_raw, token_decimals, source)
select id, 300, 0, 6, 'rpc_get_transaction' from walltrack.signals where transaction_signature = tests.sig('ReplayR3Sell');
select results_eq(
  $$select r.outcome, r.closed_at, r.exits
    from walltrack.signals s, walltrack.replay_signal(s, (select strategy from default_strategy), '2026-11-21 10:00+00', 0, 1) r
    where s.transaction_signature = tests.sig('ReplayR3Buy')$$,
  $$values ('mirror'::text, '2026-11-20 10:00+00'::timestamptz, 1)$$,
  'a same-second SELL received after the BUY is its mirror exit');

select * from finish();
rollback;
