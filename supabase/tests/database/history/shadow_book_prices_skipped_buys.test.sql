-- The shadow book: the tokens of BUY signals that were filtered or not taken keep being priced for
-- config.shadow_book_hours (walltrack.shadow_book_tokens, which the price monitor prices once a run,
-- and monitor_prices runs for them even with no position open), and walltrack.shadow_book gives each
-- skipped BUY its would-have PnL under its wallet's exit strategy, walltrack.shadow_book_by_filter
-- what each filter saved or cost per leader. Sizing: fixed 5 % of 10,000 USD = 500 USD; no slippage;
-- SOL at 150 USD. Default strategy (stop loss 20 %, 50 % at 2x):
--   'Sa' (token 'Sa', safety score 0.10: safety_check_failed), leader at 2.5 SOL / 5,000,000 =
--        0.000075 USD; then 0.00015 (2x: level 1 sells half) and 0.00006 (stop loss: the rest):
--        0.5 x 2 + 0.5 x 0.8 - 1 = +0.4 -> +200.00 USD: the filter cost 200.00
--   'Sb' (wallet inactive: wallet_inactive), token 'Sb' at 0.000075, then 0.00006 (stop loss):
--        -0.2 -> -100.00 USD: the filter saved 100.00
--   'Sc' a BUY 25 hours old (stale_signal): out of the 24 h window, not priced any more.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

do $$ begin
  perform tests.cron_test_secrets();
  -- Nothing else in this transaction: no open position, no other skipped signal.
  delete from walltrack.wallets;
  update walltrack.config set capital_usd = 10000, risk_per_trade_percent = 5, position_sizing_mode = 'fixed_percent',
                              max_position_size_usd = 100000, simulation_slippage_percent = 0, circuit_breaker_active = false;
  perform tests.signals_wallet('Sa');
  perform tests.signals_wallet('Sb', active => false);
  perform tests.signals_token('Sa', score => 0.10);
  perform tests.signals_token('Sb');
  perform tests.signals_token('Sc');
  perform tests.signals_signal('BUY', 'Sa', 'Sa', 'ShadowA');
  perform tests.signals_signal('BUY', 'Sb', 'Sb', 'ShadowB');
  perform tests.signals_signal('BUY', 'Sa', 'Sc', 'ShadowC', block_age_seconds => 90000);
  perform tests.signals_process(array['ShadowA', 'ShadowB', 'ShadowC'], 150);
end $$;

select results_eq(
  $$select tests.signals_outcome(t) from unnest(array['ShadowA', 'ShadowB', 'ShadowC']) t$$,
  $$values ('safety_check_failed'::text), ('wallet_inactive'::text), ('stale_signal'::text)$$,
  'three skipped BUYs');
select is(walltrack.shadow_book_tokens(), array[tests.addr('TkSa'), tests.addr('TkSb')],
  'the shadow book prices the tokens of the skipped BUYs of the last 24 hours');
select is(walltrack.open_position_tokens(), '{}'::text[], 'no position is open: the monitor prices only them');
select isnt(walltrack.monitor_prices(), null::bigint, 'monitor_prices asks the price monitor to run for them');

-- The recorded prices after each signal (the leader's block was 5 s before now()).
insert into walltrack.price_history (series_id, observed_at, price_usd, source) values
  (walltrack.price_series_id(tests.addr('TkSa')), now() - interval '4 seconds', 0.00015, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkSa')), now() - interval '3 seconds', 0.00006, 'jupiter'),
  (walltrack.price_series_id(tests.addr('TkSb')), now() - interval '3 seconds', 0.00006, 'jupiter');

select results_eq(
  $$select filter_reason, exit_strategy, leader_price_usd, would_have_entry_usd, would_have_outcome,
           would_have_pnl_percent, would_have_pnl_usd
    from walltrack.shadow_book order by filter_reason$$,
  $$values ('safety_check_failed'::text, 'Default'::text, 0.000075::numeric, 0.000075::numeric, 'stop_loss'::text, 40.0000::numeric, 200.00::numeric),
           ('stale_signal'::text, 'Default'::text, 0.000075::numeric, 0.000075::numeric, 'open'::text, 0.0000::numeric, 0.00::numeric),
           ('wallet_inactive'::text, 'Default'::text, 0.000075::numeric, 0.000075::numeric, 'stop_loss'::text, -20.0000::numeric, -100.00::numeric)$$,
  'each skipped BUY with what it would have made or lost');
select results_eq(
  $$select filter_reason, wallet_address::text, skipped_buys, would_have_won, would_have_lost, would_have_pnl_usd, filter_saved_usd
    from walltrack.shadow_book_by_filter order by filter_reason$$,
  $$values ('safety_check_failed'::text, tests.addr('WaSa'), 1::bigint, 1::bigint, 0::bigint, 200.00::numeric, -200.00::numeric),
           ('stale_signal'::text, tests.addr('WaSa'), 1::bigint, 0::bigint, 0::bigint, 0.00::numeric, 0.00::numeric),
           ('wallet_inactive'::text, tests.addr('WaSb'), 1::bigint, 0::bigint, 1::bigint, -100.00::numeric, 100.00::numeric)$$,
  'what each filter saved or cost, per leader');

update walltrack.config set shadow_book_hours = 1;
select is(cardinality(walltrack.shadow_book_tokens()), 2, 'the window is configurable: 1 hour still holds both');
select is(walltrack.shadow_book_status() - 'skipped_buys_24h',
  '{"tokens_priced": 2, "window_hours": 1}'::jsonb, 'shadow_book_status reports the tokens priced and the window');
select is((walltrack.shadow_book_status() ->> 'skipped_buys_24h')::integer, 3, 'and the BUYs skipped in 24 hours');

select * from finish();
rollback;
