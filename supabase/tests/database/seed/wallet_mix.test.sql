-- The 5 wallets have the story's mix: 3 simulation and 2 live; 2 on the Default exit strategy,
-- 1 on Conservative, 2 on Aggressive; discovery metrics in the story's ranges (simulation: win
-- rate 60-75 % over 50-200 observed trades; live: 20-50 trades), each win rate being a whole
-- number of wins out of the trades observed.
begin;
create extension if not exists pgtap with schema extensions;
select plan(7);

select results_eq(
  $$ select mode, count(*)::integer from walltrack.wallets group by mode order by mode $$,
  $$ values ('live', 2), ('simulation', 3) $$,
  'wallets: 2 live and 3 simulation');

select results_eq(
  $$ select es.name, count(*)::integer
     from walltrack.wallets w
     join walltrack.exit_strategies es on es.id = w.exit_strategy_id
     group by es.name
     order by es.name $$,
  $$ values ('Aggressive', 2), ('Conservative', 1), ('Default', 2) $$,
  'wallets: 2 Default, 1 Conservative, 2 Aggressive');

select is_empty(
  $$ select address, initial_win_rate_percent, initial_trades_observed
     from walltrack.wallets
     where mode = 'simulation'
       and (initial_win_rate_percent is null or initial_win_rate_percent not between 60 and 75
            or initial_trades_observed is null or initial_trades_observed not between 50 and 200) $$,
  'simulation wallets: initial win rate 60-75 % over 50-200 observed trades');

select is_empty(
  $$ select address, initial_win_rate_percent, initial_trades_observed
     from walltrack.wallets
     where mode = 'live'
       and (initial_win_rate_percent is null or initial_trades_observed is null
            or initial_trades_observed not between 20 and 50) $$,
  'live wallets: a baseline win rate over 20-50 observed trades');

select is_empty(
  $$ select address, initial_win_rate_percent, initial_trades_observed
     from walltrack.wallets
     where round(round(initial_win_rate_percent * initial_trades_observed / 100)
                 / initial_trades_observed * 100, 2) <> initial_win_rate_percent $$,
  'every initial win rate is a whole number of wins out of the trades observed');

select is_empty(
  $$ select address from walltrack.wallets
     where not is_active or helius_sync_status <> 'synced' or helius_synced_at is null
        or discovery_notes is null or label is null $$,
  'every wallet is active, synced with the Helius webhook, labelled and explained');

select is(
  (select count(distinct discovery_source) from walltrack.wallets), 4::bigint,
  'wallets come from 4 different discovery sources');

select * from finish();
rollback;
