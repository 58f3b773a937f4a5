-- The outbox is written by the database where things happen: an entry filling opens
-- (position_opened), a stop loss fires an exit order (exit_fired), its fill books the exact PnL
-- (exit_filled, position_closed), a live order that fails is critical (order_failed), the breaker
-- trips and unlocks (breaker_tripped, breaker_unlocked); a leader paused through the hook. Each fact
-- is written once, however often its row is touched again.
begin;
create extension if not exists pgtap with schema extensions;
select plan(20);

select tests.risk_neutral_config();
delete from walltrack.notifications;

-- An entry fills: the position opens.
select tests.lifecycle_open_pending('NtA', 'NtA', 2.00, 1000);
update walltrack.orders set status = 'submitted', submitted_at = now() where position_id = tests.lifecycle_pos('NtA');
select is((select count(*)::int from walltrack.notifications), 0, 'an order submitted is no event');
update walltrack.orders set status = 'executed', executed_at = now(), amount_out = 1000, price_usd = 2.00, value_usd = 2000
where position_id = tests.lifecycle_pos('NtA');
select is((select event_type || '|' || severity || '|' || title from walltrack.notifications),
          'position_opened|info|Opened NtA (simulation)', 'the entry fill writes position_opened (info)');
select is((select details ->> 'entry_value_usd' from walltrack.notifications where event_type = 'position_opened'), '2000',
          'its details carry the exact figures as strings');

-- The price falls through the Default stop loss (20 %): one exit order, one exit_fired.
select is(tests.lifecycle_tick('NtA', 1.50) ->> 'exit_orders_created', '1', 'the tick creates the stop-loss order');
select is((select title from walltrack.notifications where event_type = 'exit_fired'), 'stop_loss exit fired: NtA (simulation)',
          'the exit order writes exit_fired, named by its reason');
select tests.lifecycle_tick('NtA', 1.40);
select is((select count(*)::int from walltrack.notifications where event_type = 'exit_fired'), 1, 'a later tick writes no second exit_fired');

-- The executor fills it at 1.50: 1000 x (1.50 - 2.00) = -500 USD, the position closes.
select tests.lifecycle_fill(tests.lifecycle_pos('NtA'), 1.50);
select is((select details ->> 'exit_pnl_usd' from walltrack.notifications where event_type = 'exit_filled'), '-500',
          'exit_filled carries the exit''s realized PnL, exact');
select is((select severity || '|' || title from walltrack.notifications where event_type = 'position_closed'),
          'important|Closed NtA (simulation, stop_loss): -500.00 USD', 'position_closed names the reason and the PnL');
select is((select details ->> 'realized_pnl_usd' from walltrack.notifications where event_type = 'position_closed'),
          (select realized_pnl_usd::text from walltrack.positions where id = tests.lifecycle_pos('NtA')),
          'the PnL told is the position''s own');
update walltrack.positions set updated_at = now() where id = tests.lifecycle_pos('NtA');
select is((select count(*)::int from walltrack.notifications where event_type in ('position_closed', 'exit_filled', 'position_opened')), 3,
          'touching the closed position again writes nothing more');

-- A partial exit: exit_filled with what is left, no close.
select tests.lifecycle_open_position('NtB', 'NtB', 1.00, 1000);
select tests.lifecycle_exit_order(tests.lifecycle_pos('NtB'), 'exit_manual', 400, 'executed', 1.25);
select is((select details ->> 'remaining_amount' || '|' || (details ->> 'exit_pnl_usd')::numeric from walltrack.notifications
            where event_type = 'exit_filled' and details ->> 'position_id' = tests.lifecycle_pos('NtB')::text), '600|100',
          'a partial exit: 400 sold at +0.25, 600 left');
select is((select count(*)::int from walltrack.notifications where event_type = 'position_closed' and details ->> 'position_id' = tests.lifecycle_pos('NtB')::text),
          0, 'and the position is not closed');

-- A live entry that fails after its retries: critical.
select tests.lifecycle_open_pending('NtC', 'NtC', 1.00, 100, 'Default', null, 'live');
update walltrack.orders set status = 'failed', error_code = 'swap_failed', error_message = 'Jupiter refused the swap'
where position_id = tests.lifecycle_pos('NtC');
select is((select severity || '|' || body from walltrack.notifications where event_type = 'order_failed'),
          'critical|After 0 attempt(s): swap_failed: Jupiter refused the swap', 'a failed live order is critical, with its error');
-- A failed simulated order is no operator emergency.
select tests.lifecycle_open_pending('NtD', 'NtD', 1.00, 100);
update walltrack.orders set status = 'failed', error_message = 'x' where position_id = tests.lifecycle_pos('NtD');
select is((select count(*)::int from walltrack.notifications where event_type = 'order_failed'), 1, 'a failed simulated order writes nothing');

-- The breaker trips, then the operator resets it.
select walltrack.activate_circuit_breaker('consecutive_losses', 'simulation');
select is((select severity || '|' || title from walltrack.notifications where event_type = 'breaker_tripped'),
          'critical|Circuit breaker tripped (simulation): consecutive_losses', 'an activation writes breaker_tripped (critical)');
select walltrack.reset_circuit_breaker();
select is((select severity || '|' || body from walltrack.notifications where event_type = 'breaker_unlocked'),
          'important|New simulation entries are allowed again (reset by the operator).', 'the reset writes breaker_unlocked');

-- The leader-pause hook: once per wallet and pause.
select isnt(walltrack.notify_leader_paused(tests.lifecycle_wallet('NtA'), '3 losses in a row', '2026-12-06 12:00+00'), null,
            'a pause writes leader_paused');
select is(walltrack.notify_leader_paused(tests.lifecycle_wallet('NtA'), '3 losses in a row', '2026-12-06 12:00+00'), null,
          'the same pause again writes nothing');
select is((select severity || '|' || title from walltrack.notifications where event_type = 'leader_paused'),
          'important|Leader paused: test NtA', 'leader_paused is important and names the leader');

-- Per-leader risk's pause events (a table of its own) reach the hook through its trigger function.
create temp table pause_events (wallet_id uuid, event_type text, trigger_reason text, pause_until timestamptz);
create trigger pause_events_notify after insert on pause_events
  for each row when (new.event_type = 'paused') execute function walltrack.notify_leader_pause_event();
insert into pause_events values (tests.lifecycle_wallet('NtB'), 'paused', 'consecutive_losses', '2026-12-06 16:00+00'),
                                (tests.lifecycle_wallet('NtB'), 'unpaused', 'manual', null);
select is((select body from walltrack.notifications where event_type = 'leader_paused' and details ->> 'reason' = 'consecutive_losses'),
          'No new entries from test NtB until 2026-12-06 16:00:00+00: consecutive_losses.', 'a pause event writes leader_paused; an unpause nothing');

select * from finish();
rollback;
