-- A wallet without any closed position gets a row of zeros from walltrack.refresh_performance
-- (and nulls where a ratio or an extreme has no meaning), whatever its row said before:
--   Z  no position, no signal; its row was stale (3 closed, +50 USD, ...): now all zeros
--   O  a position open (filled) 2 h ago, one whose entry never filled (error) 1 h ago, two signals
--      in the last hour: no closed position either, only its rolling windows count, and its copy
--      quality, taken over every filled position (the open one: 3 s, 1 %)
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures (temporary functions, gone at rollback). Test addresses are base58 and cannot clash
-- with real ones: 'TestPerf' + a tag (0 O I l, outside base58, become o o i L), padded with 'z'
-- to 44 characters for an address, 88 for a transaction signature.
create function pg_temp.addr(tag text) returns text
language sql immutable as $$ select rpad('TestPerf' || translate(tag, '0OIl', 'ooiL'), 44, 'z') $$;

create function pg_temp.sig(tag text) returns text
language sql immutable as $$ select rpad('TestPerfSig' || translate(tag, '0OIl', 'ooiL'), 88, 'z') $$;

-- Wallet 'Wa<tag>', labelled 'test perf <tag>', following the Default template.
create function pg_temp.wallet(tag text) returns uuid
language sql as $$
  insert into walltrack.wallets (address, label, exit_strategy_id)
  select pg_temp.addr('Wa' || tag), 'test perf ' || tag, id from walltrack.exit_strategies where name = 'Default'
  returning id
$$;

-- The id of wallet 'Wa<tag>'.
create function pg_temp.wid(tag text) returns uuid
language sql stable as $$ select id from walltrack.wallets where address = pg_temp.addr('Wa' || tag) $$;

-- A position of wallet 'Wa<wallet_tag>' in its own token 'Tk<tag>', created (and entered at 1.00
-- for cost USD) `created_ago` before now, with the copy-quality figures given. With `closed_ago`
-- it was sold whole that long ago for realized PnL = pnl; without, it is still open.
create function pg_temp.position(wallet_tag text, tag text, cost numeric, created_ago interval,
                                 closed_ago interval default null, pnl numeric default 0,
                                 fill_delay numeric default null, slippage numeric default null,
                                 pos_id uuid default null)
returns uuid
language sql as $$
  with token as (
    insert into walltrack.tokens (address, symbol, decimals) values (pg_temp.addr('Tk' || tag), tag, 6) returning id
  )
  insert into walltrack.positions (
    id, wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd, entry_timestamp,
    current_amount, exit_price, exit_amount, realized_pnl_usd, exit_reason, closed_at, status,
    leader_price_usd, fill_delay_seconds, slippage_vs_leader_percent, created_at)
  select coalesce(pos_id, gen_random_uuid()), w.id, token.id, 'simulation', w.exit_strategy_id, 1.00, cost, cost,
         now() - created_ago,
         case when closed_ago is null then cost else 0 end,
         case when closed_ago is not null then 1 + pnl / cost end,
         case when closed_ago is null then 0 else cost end,
         case when closed_ago is not null then pnl else 0 end,
         case when closed_ago is not null then 'manual' end,
         now() - closed_ago,
         case when closed_ago is null then 'open' else 'closed' end,
         1.00, fill_delay, slippage, now() - created_ago
  from walltrack.wallets w, token
  where w.address = pg_temp.addr('Wa' || wallet_tag)
  returning id
$$;

-- A BUY signal of wallet 'Wa<wallet_tag>' received `received_ago` before now.
create function pg_temp.signal(wallet_tag text, tag text, received_ago interval) returns uuid
language sql as $$
  insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                 amount_in, amount_out, webhook_received_at, raw_payload)
  select w.id, pg_temp.addr('TkSig' || tag), pg_temp.sig(tag), 'BUY', 'So11111111111111111111111111111111111111112',
         pg_temp.addr('TkSig' || tag), 1, 1000, now() - received_ago, '{}'
  from walltrack.wallets w where w.address = pg_temp.addr('Wa' || wallet_tag)
  returning id
$$;

-- Capital 10,000: the base of max_drawdown_percent.
update walltrack.config set capital_usd = 10000;

do $$
begin
  perform pg_temp.wallet('Z');
  perform pg_temp.wallet('O');
  perform pg_temp.position('O', 'Open', 500, '2 hours', fill_delay => 3.0, slippage => 1.0);
  perform pg_temp.signal('O', 'S1', '30 minutes');
  perform pg_temp.signal('O', 'S2', '50 minutes');
end
$$;
insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, status, created_at)
select w.id, t.id, 'simulation', w.exit_strategy_id, 'error', now() - interval '1 hour'
from walltrack.wallets w, walltrack.tokens t
where w.address = pg_temp.addr('WaO') and t.address = pg_temp.addr('TkOpen');
insert into walltrack.performance (
  wallet_id, total_positions, winning_positions, losing_positions, win_rate, total_pnl_usd, total_pnl_percent,
  average_win_usd, average_loss_usd, profit_ratio, profit_factor, expectancy_usd, max_drawdown_usd,
  max_drawdown_percent, signal_count_24h, signal_count_7d, signal_count_30d, positions_24h, positions_7d,
  positions_30d, best_trade_pnl_usd, best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent,
  current_win_streak, max_win_streak, max_loss_streak, median_copy_delay_seconds,
  median_slippage_vs_leader_percent, last_calculated_at)
values (pg_temp.wid('Z'), 3, 2, 1, 66.67, 50, 10, 40, -30, 1.3333, 2.6667, 16.67, 30, 0.3, 1, 2, 3, 1, 2, 3,
        40, 40, -30, -30, 1, 1, 1, 2.5, 0.5, now() - interval '1 day');

select is(walltrack.refresh_performance(), (select count(*)::integer from walltrack.wallets), 'the refresh runs');

select results_eq(
  $$select total_positions, winning_positions, losing_positions, breakeven_positions, win_rate, total_pnl_usd,
           total_pnl_percent, average_win_usd, average_loss_usd, expectancy_usd, max_drawdown_usd, max_drawdown_percent
    from walltrack.performance where wallet_id = pg_temp.wid('Z')$$,
  $$values (0, 0, 0, 0, 0.00::numeric, 0::numeric, 0.0000::numeric, 0::numeric, 0::numeric, null::numeric,
            0::numeric, 0.0000::numeric)$$,
  'Z: no closed position, zero counts and PnL, no expectancy, no drawdown (the stale values are gone)');
select results_eq(
  $$select w.label, pf.profit_ratio, pf.profit_factor from walltrack.performance pf
    join walltrack.wallets w on w.id = pf.wallet_id
    where pf.wallet_id in (pg_temp.wid('O'), pg_temp.wid('Z')) order by w.label$$,
  $$values ('test perf O'::text, null::numeric, null::numeric), ('test perf Z', null, null)$$,
  'Z and O: no profit ratio nor factor without a closed position (the stale ratios are gone)');
select results_eq(
  $$select signal_count_24h, signal_count_7d, signal_count_30d, positions_24h, positions_7d, positions_30d,
           best_trade_pnl_usd, best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent,
           current_win_streak, current_loss_streak, max_win_streak, max_loss_streak,
           median_copy_delay_seconds, median_slippage_vs_leader_percent, last_calculated_at
    from walltrack.performance where wallet_id = pg_temp.wid('Z')$$,
  $$values (0, 0, 0, 0, 0, 0, null::numeric, null::numeric, null::numeric, null::numeric, 0, 0, 0, 0,
            null::numeric, null::numeric, now())$$,
  'Z: no signal, no position, no best or worst trade, no streak, no copy figure; calculated now');
select results_eq(
  $$select total_positions, winning_positions, losing_positions, breakeven_positions, win_rate, total_pnl_usd,
           total_pnl_percent, average_win_usd, average_loss_usd, expectancy_usd,
           max_drawdown_usd, max_drawdown_percent, best_trade_pnl_usd, worst_trade_pnl_usd,
           current_win_streak, current_loss_streak, max_win_streak, max_loss_streak
    from walltrack.performance where wallet_id = pg_temp.wid('O')$$,
  $$values (0, 0, 0, 0, 0.00::numeric, 0::numeric, 0.0000::numeric, 0::numeric, 0::numeric, null::numeric,
            0::numeric, 0.0000::numeric, null::numeric, null::numeric, 0, 0, 0, 0)$$,
  'O: open and failed positions are not closed ones: zeros as for Z');
select results_eq(
  $$select signal_count_24h, signal_count_7d, signal_count_30d, positions_24h, positions_7d, positions_30d
    from walltrack.performance where wallet_id = pg_temp.wid('O')$$,
  $$values (2, 2, 2, 2, 2, 2)$$,
  'O: its rolling windows count its two signals and both positions opened');
select results_eq(
  $$select median_copy_delay_seconds, median_slippage_vs_leader_percent
    from walltrack.performance where wallet_id = pg_temp.wid('O')$$,
  $$values (3.000::numeric, 1.0000::numeric)$$,
  'O: copy quality is over every filled position, the open one included (the unfilled one has no figure)');
select is((select count(*)::integer from walltrack.performance where wallet_id in (pg_temp.wid('Z'), pg_temp.wid('O'))),
  2, 'one row each');

select * from finish();
rollback;
