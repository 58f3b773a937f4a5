-- npm run replay's figures (walltrack.replay_report) on two known trades of leader 'WaP', no latency,
-- no slippage. Positions entered at the leader's 1.00 USD: T1 of 1,000 tokens (1,000 USD), prices
-- 2.00 then 0.70; T2 of 500 tokens (500 USD), price 0.50 (it ends first).
--   Default      (stop 0.80, 50 % at 2x)        T1: 0.5 x 2.00 + 0.5 x 0.70 - 1 = +0.35 -> +350   T2: -0.5 -> -250
--   Conservative (stop 0.85, 33 % at 1.5x and 2x, 34 % at 3x)
--                                               T1: 0.66 x 2.00 + 0.34 x 0.70 - 1 = +0.558 -> +558   T2: -250
--   Aggressive   (stop 0.70, levels at 3x, 5x)  T1: stop at 0.70 -> -300                           T2: -250
-- The positions themselves made 0 (no price applied to them). Drawdown runs in the order trades end.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

do $$ begin
  perform tests.lifecycle_open_position('P', 'P1', 1.00, 1000);
  perform tests.lifecycle_open_position('P', 'P2', 1.00, 500);
end $$;
insert into walltrack.price_history (series_id, observed_at, price_usd, source) values
  (walltrack.price_series_id(tests.addr('TkP1')), now() - interval '8 seconds', 2.00, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkP1')), now() - interval '6 seconds', 0.70, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkP2')), now() - interval '7 seconds', 0.50, 'jupiter');

select results_eq(
  $$select exit_strategy, trades, wins, win_rate_percent, pnl_usd, profit_factor, max_drawdown_usd, actual_pnl_usd, difference_usd
    from walltrack.replay_report(null, '1 day', tests.addr('WaP'), 0, 0) where wallet_address is null$$,
  $$values ('Aggressive'::text, 2::bigint, 0::bigint, 0.00::numeric, -550.00::numeric, null::numeric, 550.00::numeric, 0.00::numeric, -550.00::numeric),
           ('Conservative'::text, 2::bigint, 1::bigint, 50.00::numeric, 308.00::numeric, 2.2320::numeric, 250.00::numeric, 0.00::numeric, 308.00::numeric),
           ('Default'::text, 2::bigint, 1::bigint, 50.00::numeric, 100.00::numeric, 1.4000::numeric, 250.00::numeric, 0.00::numeric, 100.00::numeric)$$,
  'per template over every leader: trades, wins, win rate, PnL, profit factor, drawdown, actual and difference');
select results_eq(
  $$select exit_strategy, wallet_address, wallet_label, trades, pnl_usd
    from walltrack.replay_report('Default', '1 day', tests.addr('WaP'), 0, 0)$$,
  $$values ('Default'::text, null::text, null::text, 2::bigint, 100.00::numeric),
           ('Default'::text, tests.addr('WaP'), 'test P'::text, 2::bigint, 100.00::numeric)$$,
  'one template: its row over all leaders and one per leader');

-- With 30 s of latency the entry is 30 s after the leader's block (10 s ago): after every recorded
-- price, so nothing is replayed.
select is((select count(*)::integer from walltrack.replay_report('Default', '1 day', tests.addr('WaP'), 30, 0)), 0,
  'an entry after the end of the path is no trade');
-- Slippage 1 %: bought at 1.01, level 1 is at 2.02, which 2.00 no longer reaches: T1 is stopped out
-- whole at 0.70 less 1 % = 0.693, T2 at 0.495.
select is((select pnl_usd from walltrack.replay_report('Default', '1 day', tests.addr('WaP'), 0, 1) where wallet_address is null),
  round(1000 * (0.693 / 1.01 - 1) + 500 * (0.495 / 1.01 - 1), 2),
  'slippage moves each fill against us (and here the level out of reach): -568.81');

select throws_ok($$select * from walltrack.replay_report('Nope')$$, 'P0002', 'no exit strategy named Nope',
  'an unknown template is refused by name');
select throws_ok($$select * from walltrack.replay_report(null, '1 day', null, -1)$$, '22023', null,
  'a negative latency is refused');

select * from finish();
rollback;
