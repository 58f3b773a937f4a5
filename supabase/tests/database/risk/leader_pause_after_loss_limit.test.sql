-- A leader is paused when the realized loss of its closes within config.leader_loss_window_hours
-- reaches its loss limit (config.leader_loss_limit_usd, or the wallet's loss_limit_usd), compared
-- exactly: a close older than the window does not count, 99.99 of a 100.00 limit does not pause,
-- 100.00 does. Wins inside the window count against the losses.
begin;
create extension if not exists pgtap with schema extensions;
select plan(6);

set local client_min_messages = error;
do $$ begin perform tests.risk_neutral_config(); perform tests.signals_neutral_config(); end $$;
update walltrack.config set leader_loss_limit_usd = 100, leader_loss_window_hours = 24;

create function pg_temp.pauses() returns setof walltrack.leader_pause_events
language sql as $$
  select e.* from walltrack.leader_pause_events e join walltrack.wallets w on w.id = e.wallet_id
  where w.address = tests.addr('WaRisk') and e.event_type = 'paused'
$$;

do $$
begin
  perform tests.risk_trade('Old', -500, now() - interval '25 hours');
  perform tests.risk_trade('Win', 20, now() - interval '3 hours');
  perform tests.risk_trade('Loss1', -70, now() - interval '2 hours');
end
$$;
select is_empty($$select 1 from pg_temp.pauses()$$, 'a loss older than the window does not count: -50 within it, no pause');

do $$ begin perform tests.risk_trade('Loss2', -49.99); end $$;
select is_empty($$select 1 from pg_temp.pauses()$$, '-99.99 within the window, below a 100.00 limit: no pause');
select is((select window_realized_pnl_usd from walltrack.leader_loss_metrics(
            (select id from walltrack.wallets where address = tests.addr('WaRisk')), now(), 24)),
          -99.99, 'the window''s realized PnL is exact');

do $$ begin perform tests.risk_trade('Loss3', -0.01); end $$;
select results_eq(
  $$select trigger_reason, window_realized_pnl_usd, loss_limit_threshold_usd, loss_window_hours from pg_temp.pauses()$$,
  $$values ('loss_limit'::text, -100.00::numeric, 100.00::numeric, 24)$$,
  'reaching the 100.00 limit exactly pauses the leader, the event snapshotting the loss and the limit');

-- The wallet's own limit wins: a second leader with a limit of 10 and config's 100.
do $$
begin
  insert into walltrack.wallets (address, label, exit_strategy_id, loss_limit_usd)
  select tests.addr('WaOwnLimit'), 'own limit', id, 10 from walltrack.exit_strategies where name = 'Default';
  insert into walltrack.tokens (address, symbol, decimals) values (tests.addr('TkOwn'), 'OWN', 6);
  insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price,
                                   entry_amount, entry_value_usd, entry_timestamp, current_amount, status)
  select w.id, t.id, 'simulation', w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id), 1, 100, 100,
         now() - interval '1 hour', 100, 'open'
  from walltrack.wallets w, walltrack.tokens t where w.address = tests.addr('WaOwnLimit') and t.address = tests.addr('TkOwn');
  perform tests.risk_sell((select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
                           where w.address = tests.addr('WaOwnLimit')), 100, 0.9);
end
$$;
select is((select e.trigger_reason from walltrack.leader_pause_events e join walltrack.wallets w on w.id = e.wallet_id
           where w.address = tests.addr('WaOwnLimit')), 'loss_limit',
  'a leader with its own loss_limit_usd of 10 is paused by a 10.00 loss');
select is((select e.loss_limit_threshold_usd from walltrack.leader_pause_events e join walltrack.wallets w on w.id = e.wallet_id
           where w.address = tests.addr('WaOwnLimit')), 10.00, 'with its own limit snapshotted');

select * from finish();
rollback;
