-- Opening a position as a rule of its own (walltrack.open_position): the position with its exit
-- strategy snapshotted, its entry order paying size / SOL-USD SOL; simulation fills at once at the
-- leader's price moved up by simulation_slippage_percent (walltrack.simulated_fill_price), live
-- waits for the executor; a second open position of the wallet in the token is refused (null).
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).
set local client_min_messages = error;
do $$ begin perform tests.signals_neutral_config(); end $$;

do $$
begin
  perform tests.signals_wallet('Open');
  perform tests.signals_wallet('OpenLive', wallet_mode => 'live');
  perform tests.signals_token('Open');
  perform tests.signals_signal('BUY', 'Open', 'Open', 'Open');
  perform tests.signals_signal('BUY', 'OpenLive', 'Open', 'OpenLive');
end
$$;

-- 500 USD at a leader price of 0.000075 USD and SOL at 150 USD.
create function pg_temp.open(tag text) returns uuid
language sql as $$
  select walltrack.open_position(s, w, t, c, 500, 0.000075, 150, now())
  from walltrack.config c, walltrack.signals s
  join walltrack.wallets w on w.id = s.wallet_id
  join walltrack.tokens t on t.address = s.token_address
  where s.id = tests.signals_sid(tag)
$$;

create temp table opened as select pg_temp.open('Open') as sim, pg_temp.open('OpenLive') as live;
create function pg_temp.entry(pos uuid) returns walltrack.orders
language sql stable as $$ select * from walltrack.orders where position_id = pos and order_type = 'entry' $$;

select is(
  (select exit_strategy_snapshot from walltrack.positions where id = (select sim from opened)),
  (select walltrack.effective_exit_strategy(exit_strategy_id) from walltrack.wallets where address = tests.addr('WaOpen')),
  'the position snapshots the wallet''s effective exit strategy');
select is((pg_temp.entry((select sim from opened))).amount_in, 3.333333333, 'the entry pays round(500 / 150, 9) SOL');
select is((pg_temp.entry((select sim from opened))).price_usd, 0.00007575,
  'simulation fills at 0.000075 moved up 1 %: 0.00007575');
select is((pg_temp.entry((select sim from opened))).amount_out, 6600660.066007,
  'for round(500 / 0.00007575, 6) tokens');
select is((select entry_amount from walltrack.positions where id = (select sim from opened)), 6600660.066007,
  'the fill is the position''s entry at once');

select is((pg_temp.entry((select live from opened))).status, 'pending', 'live: the entry waits for the executor');
select is((pg_temp.entry((select live from opened))).value_usd, 500::numeric, 'valued at the intended size meanwhile');

select is(pg_temp.open('Open'), null, 'a second open position of the wallet in the token is refused: null');

select * from finish();
rollback;
