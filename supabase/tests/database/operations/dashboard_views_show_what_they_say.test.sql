-- The dashboard's own views (npm run dashboard) show what they say:
--   equity_curve                    per mode, each close adds its realized PnL to the ones before it,
--                                   in close order; open positions are not on it. Closes after
--                                   every other (tomorrow, the day after): simulation +10.5 then
--                                   -3.25 on top of what the mock data closed, live +7.
--   circuit_breaker_state           one row per mode; the live breaker tripped (max_drawdown, unlock in
--                                   an hour) shows active with that reason and unlock time, next to the
--                                   thresholds of config and the metrics of circuit_breaker_metrics.
--   open_position_scale_out_levels  a position entered at 0.0004 with levels 2x (50 %, fired) and
--                                   3.5x (25 %): triggers 0.0008 and 0.0014; a position not filled
--                                   yet: no trigger price; a closed one: no row.
begin;
create extension if not exists pgtap with schema extensions;
select plan(12);

set local client_min_messages = error;

-- A position of wallet 'Wa<wallet_tag>' in its own token 'Tk<tag>' (mode given), entered at
-- entry_price (null: not filled) for 1,000 tokens; closed at `closed_at` with `pnl` when given.
create function pg_temp.position(wallet_tag text, tag text, position_mode text, entry_price numeric,
                                 closed_at timestamptz default null, pnl numeric default 0,
                                 override jsonb default null, fired smallint[] default '{}')
returns uuid
language sql as $$
  with token as (
    insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('Tk' || tag), tag, 6) returning id
  )
  insert into walltrack.positions (
    wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, exit_strategy_override,
    entry_price, entry_amount, entry_value_usd, entry_timestamp, entry_tx_signature, current_amount, current_price, scaling_levels_fired,
    exit_price, exit_amount, realized_pnl_usd, exit_reason, closed_at, status)
  select w.id, token.id, position_mode, w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id),
         override, entry_price, case when entry_price is not null then 1000 end, entry_price * 1000,
         case when entry_price is not null then now() - interval '1 day' end,
         case when entry_price is not null then tests.sig(tag) end,
         case when closed_at is null and entry_price is not null then 1000 else 0 end, entry_price, fired,
         case when closed_at is not null then entry_price + pnl / 1000 end,
         case when closed_at is not null then 1000 else 0 end,
         case when closed_at is not null then pnl else 0 end,
         case when closed_at is not null then 'manual' end, closed_at,
         case when closed_at is null then 'open' else 'closed' end
  from walltrack.wallets w, token
  where w.address = tests.addr('Wa' || wallet_tag)
  returning id
$$;

create temp table before_closes as
select mode, coalesce(sum(realized_pnl_usd), 0) as pnl from walltrack.positions where status = 'closed' group by mode;

do $$ begin perform tests.operations_wallet('Dash'); end $$;
create temp table p as
select pg_temp.position('Dash', 'EqS1', 'simulation', 1, now() + interval '1 day', 10.5) as s1,
       pg_temp.position('Dash', 'EqS2', 'simulation', 1, now() + interval '2 days', -3.25) as s2,
       pg_temp.position('Dash', 'EqL1', 'live', 1, now() + interval '1 day', 7) as l1,
       pg_temp.position('Dash', 'EqOpen', 'simulation', 1) as still_open,
       pg_temp.position('Dash', 'Lv', 'simulation', 0.0004,
                        override => '{"scaling_levels": [{"multiplier": 2, "sell_percent": 50}, {"multiplier": 3.5, "sell_percent": 25}]}',
                        fired => '{1}') as levels,
       pg_temp.position('Dash', 'LvWait', 'simulation', null,
                        override => '{"scaling_levels": [{"multiplier": 2, "sell_percent": 50}]}') as waiting;

-- equity_curve
select is((select cumulative_pnl_usd from walltrack.equity_curve where position_id = (select s1 from p)),
          (select pnl from before_closes where mode = 'simulation') + 10.5,
          'equity_curve: a close adds its realized PnL to every earlier close of its mode');
select is((select cumulative_pnl_usd from walltrack.equity_curve where position_id = (select s2 from p)),
          (select pnl from before_closes where mode = 'simulation') + 7.25,
          'equity_curve: the next close adds its own (a loss takes away), exactly');
select is((select cumulative_pnl_usd from walltrack.equity_curve where position_id = (select l1 from p)),
          coalesce((select pnl from before_closes where mode = 'live'), 0) + 7,
          'equity_curve: live closes add up on their own, never with simulation''s');
select ok(not exists (select 1 from walltrack.equity_curve where position_id = (select still_open from p)),
          'equity_curve: an open position is not on it');

-- circuit_breaker_state
update walltrack.config set max_drawdown_percent = 12.5;
insert into walltrack.circuit_breaker_events (event_type, trigger_reason, mode, unlock_at)
values ('activated', 'max_drawdown', 'live', now() + interval '1 hour');
select is(array(select mode from walltrack.circuit_breaker_state order by mode), array['live', 'simulation'],
          'circuit_breaker_state: one row per mode');
select results_eq(
  $$select is_active, reason, unlock_at, max_drawdown_percent from walltrack.circuit_breaker_state where mode = 'live'$$,
  $$values (true, 'max_drawdown'::text, now() + interval '1 hour', 12.50::numeric(5, 2))$$,
  'circuit_breaker_state: the tripped live breaker is active with its reason, unlock time and the threshold of config');
select is((select is_active from walltrack.circuit_breaker_state where mode = 'simulation'),
          exists (select 1 from walltrack.circuit_breaker_events where mode = 'simulation'
                  and event_type = 'activated' and deactivated_at is null),
          'circuit_breaker_state: simulation''s breaker is its own');
select results_eq(
  $$select current_drawdown_percent, daily_realized_pnl_usd, consecutive_losses, current_win_rate, open_positions
    from walltrack.circuit_breaker_state where mode = 'simulation'$$,
  $$select current_drawdown_percent, daily_realized_pnl_usd, consecutive_losses, current_win_rate, open_positions
    from walltrack.circuit_breaker_metrics('simulation')$$,
  'circuit_breaker_state: the metrics are the breaker rule''s own (circuit_breaker_metrics)');

-- open_position_scale_out_levels
select results_eq(
  $$select level, multiplier, sell_percent, trigger_price, fired from walltrack.open_position_scale_out_levels
    where position_id = (select levels from p) order by level$$,
  $$values (1::smallint, 2::numeric, 50::numeric, 0.0008::numeric, true), (2::smallint, 3.5, 25, 0.0014, false)$$,
  'open_position_scale_out_levels: each level of the effective strategy, its trigger price (entry x multiplier) and whether it fired');
select is((select trigger_price from walltrack.open_position_scale_out_levels where position_id = (select waiting from p)),
          null, 'open_position_scale_out_levels: no trigger price before the entry fill');
select ok(not exists (select 1 from walltrack.open_position_scale_out_levels where position_id = (select s1 from p)),
          'open_position_scale_out_levels: a closed position has no level to fire');
select is((select count(*) from walltrack.open_position_scale_out_levels o
           join walltrack.positions x on x.id = o.position_id where x.status = 'open'
           and o.position_id = (select still_open from p)),
          (select pg_catalog.jsonb_array_length(walltrack.position_strategy(x) -> 'scaling_levels')::bigint
           from walltrack.positions x where x.id = (select still_open from p)),
          'open_position_scale_out_levels: without an override, the levels of the position''s template');

select * from finish();
rollback;
