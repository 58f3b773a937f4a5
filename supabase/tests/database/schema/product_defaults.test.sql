-- The product defaults the migrations install: the config row (capital 10,000 USD, risk per trade
-- 5 %, safety threshold 0.60, circuit breaker at 15 % drawdown), the column defaults that produce
-- it, and the three exit-strategy templates (the Default one: stop loss 20 %, trailing stop 15 %).
begin;
create extension if not exists pgtap with schema extensions;
select plan(21);

-- config: the single row and the defaults it was inserted from

select is((select count(*) from walltrack.config), 1::bigint, 'config holds exactly one row');

select is((select capital_usd from walltrack.config), 10000::numeric, 'capital is 10,000 USD');
select is((select risk_per_trade_percent from walltrack.config), 5::numeric, 'risk per trade is 5 %');
select is((select safety_score_threshold from walltrack.config), 0.60, 'token safety threshold is 0.60');
select is((select max_drawdown_percent from walltrack.config), 15::numeric,
          'the circuit breaker activates at 15 % drawdown');

select col_default_is('walltrack', 'config', 'capital_usd', '10000', 'capital_usd defaults to 10000');
select col_default_is('walltrack', 'config', 'risk_per_trade_percent', '5', 'risk_per_trade_percent defaults to 5');
select col_default_is('walltrack', 'config', 'safety_score_threshold', '0.60',
                      'safety_score_threshold defaults to 0.60');
-- Stop loss and trailing stop are the exit strategies' alone: config keeps no default that nothing reads.
select hasnt_column('walltrack', 'config', 'stop_loss_percent', 'config has no stop_loss_percent (the strategies carry it)');
select hasnt_column('walltrack', 'config', 'trailing_stop_percent', 'config has no trailing_stop_percent (the strategies carry it)');
select col_default_is('walltrack', 'config', 'max_drawdown_percent', '15', 'max_drawdown_percent defaults to 15');

-- exit strategies: the three templates

select set_has(
  $$select name from walltrack.exit_strategies$$,
  $$values ('Default'), ('Conservative'), ('Aggressive')$$,
  'the Default, Conservative and Aggressive exit strategies exist'
);

select results_eq(
  $$select stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, scaling_levels,
           mirror_exit_enabled, is_default, is_active
    from walltrack.exit_strategies where name = 'Default'$$,
  $$values (20::numeric, true, 15::numeric,
            '[{"multiplier": 2, "sell_percent": 50}, {"multiplier": 3, "sell_percent": 25}]'::jsonb,
            true, true, true)$$,
  'Default: SL 20 %, trailing 15 %, 50 % at 2x, 25 % at 3x, mirror on, the default'
);

select results_eq(
  $$select stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, scaling_levels,
           mirror_exit_enabled, is_default, is_active
    from walltrack.exit_strategies where name = 'Conservative'$$,
  $$values (15::numeric, true, 10::numeric,
            '[{"multiplier": 1.5, "sell_percent": 33}, {"multiplier": 2, "sell_percent": 33},
              {"multiplier": 3, "sell_percent": 34}]'::jsonb,
            true, false, true)$$,
  'Conservative: SL 15 %, trailing 10 %, 33 % at 1.5x, 33 % at 2x, 34 % at 3x, mirror on'
);

select results_eq(
  $$select stop_loss_percent, trailing_stop_enabled, trailing_stop_percent, scaling_levels,
           mirror_exit_enabled, is_default, is_active
    from walltrack.exit_strategies where name = 'Aggressive'$$,
  $$values (30::numeric, true, 20::numeric,
            '[{"multiplier": 3, "sell_percent": 25}, {"multiplier": 5, "sell_percent": 25}]'::jsonb,
            false, false, true)$$,
  'Aggressive: SL 30 %, trailing 20 %, 25 % at 3x, 25 % at 5x, mirror off'
);

-- Mirror exits (issue 14): the templates that follow the leader follow proportionally, all of the
-- position, and sell it all when the fraction is unknown; live swaps price their priority fee.
select results_eq(
  $$select name, mirror_mode, mirror_share_percent, mirror_fallback from walltrack.exit_strategies
    where name in ('Default', 'Conservative', 'Aggressive') order by name$$,
  $$values ('Aggressive'::text, 'off'::text, 100::numeric, 'full'::text), ('Conservative', 'proportional', 100, 'full'),
           ('Default', 'proportional', 100, 'full')$$,
  'Default and Conservative mirror proportionally (share 100 %, fallback full); Aggressive does not mirror'
);
select is(walltrack.priority_fee_request(),
  '{"priorityLevelWithMaxLamports": {"priorityLevel": "veryHigh", "maxLamports": 1000000}}'::jsonb,
  'live swaps ask Jupiter for a veryHigh priority fee capped at 1,000,000 lamports');

-- What the levels leave unsold rides: 100 - the sum of the sell percents.
select is(
  (select 100 - sum((l ->> 'sell_percent')::numeric)
   from walltrack.exit_strategies, jsonb_array_elements(scaling_levels) as l
   where name = strategy),
  rides,
  format('%s lets %s %% ride', strategy, rides)
)
from (values ('Default', 25::numeric), ('Conservative', 0::numeric), ('Aggressive', 50::numeric))
  as t(strategy, rides)
order by strategy;

select is(
  array(select name from walltrack.exit_strategies where is_default order by name),
  array['Default'],
  'Default is the one default exit strategy'
);

select * from finish();
rollback;
