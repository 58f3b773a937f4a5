-- The 12 positions have the story's mix: 6 open (3 simulation, 3 live) with PnL between -5 % and
-- +10 %, 6 closed (4 wins of +10 % to +200 %, 2 losses of -5 % to -20 %); 10 opened by a signal,
-- 2 by hand; each in its wallet's mode and exit strategy, sized by the config, and open positions
-- in one token priced by the same monitor tick.
begin;
create extension if not exists pgtap with schema extensions;
select plan(10);

select results_eq(
  $$ select mode, count(*)::integer from walltrack.positions where status = 'open' group by mode order by mode $$,
  $$ values ('live', 3), ('simulation', 3) $$,
  '6 open positions: 3 simulation, 3 live');

select results_eq(
  $$ select status, count(*)::integer from walltrack.positions group by status order by status $$,
  $$ values ('closed', 6), ('open', 6) $$,
  '6 closed and 6 open positions, none in error');

select results_eq(
  $$ select case when realized_pnl_usd > 0 then 'win' when realized_pnl_usd < 0 then 'loss' else 'breakeven' end,
            count(*)::integer
     from walltrack.positions
     where status = 'closed'
     group by 1
     order by 1 $$,
  $$ values ('loss', 2), ('win', 4) $$,
  'closed positions: 4 wins and 2 losses');

select is_empty(
  $$ select id, current_pnl_usd / entry_value_usd * 100 as pnl_percent
     from walltrack.positions
     where status = 'open'
       and (entry_value_usd is null or current_pnl_usd / entry_value_usd * 100 not between -5 and 10) $$,
  'every open position has a PnL between -5 % and +10 % of its entry');

select is_empty(
  $$ select id, realized_pnl_usd / entry_value_usd * 100 as pnl_percent
     from walltrack.positions
     where status = 'closed'
       and ((realized_pnl_usd > 0 and realized_pnl_usd / entry_value_usd * 100 not between 10 and 200)
            or (realized_pnl_usd < 0 and realized_pnl_usd / entry_value_usd * 100 not between -20 and -5)) $$,
  'wins made +10 % to +200 %, losses -5 % to -20 % (the story''s realism bands)');

select results_eq(
  $$ select signal_id is not null as from_signal, count(*)::integer
     from walltrack.positions group by 1 order by 1 $$,
  $$ values (false, 2), (true, 10) $$,
  '10 positions were opened by a signal, 2 by hand');

select is_empty(
  $$ select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
     where p.mode <> w.mode or p.exit_strategy_id <> w.exit_strategy_id $$,
  'every position runs in its wallet''s mode and exit strategy');

select is_empty(
  $$ select p.id, p.entry_value_usd
     from walltrack.positions p cross join walltrack.config c
     where p.signal_id is not null
       and abs(p.entry_value_usd - c.capital_usd * c.risk_per_trade_percent / 100) > 0.000001 $$,
  'positions opened by a signal are sized capital x risk_per_trade_percent (to the token''s decimals)');

select is_empty(
  $$ select a.id, b.id from walltrack.positions a
     join walltrack.positions b on b.token_id = a.token_id and b.id > a.id
     where a.status = 'open' and b.status = 'open'
       and (a.current_price <> b.current_price or a.price_updated_at <> b.price_updated_at) $$,
  'open positions in the same token share the price monitor''s last price');

select is(
  (select count(distinct wallet_id) from walltrack.positions), 5::bigint,
  'positions are spread over all 5 wallets');

select * from finish();
rollback;
