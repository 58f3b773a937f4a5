-- A leader is paused after N losing closes in a row (config.leader_pause_after_losses, or the
-- wallet's own pause_after_losses), evaluated when one of its positions closes: a pause event
-- snapshots what was measured and the thresholds, its BUYs are filtered leader_paused while other
-- leaders are still copied and its open positions keep their exits. A breakeven close ends a run;
-- a close during the pause opens no second one; the pause ends by itself at pause_until (read at
-- decision time) or by hand (an unpaused event), and either is a fresh start for the count.
begin;
create extension if not exists pgtap with schema extensions;
select plan(21);

-- Fixtures: tests.risk_* and tests.signals_* from 000_test_helpers.test.sql; the risk wallet
-- 'WaRisk' is the signals' wallet 'Risk'.
set local client_min_messages = error;
do $$ begin perform tests.risk_neutral_config(); perform tests.signals_neutral_config(); end $$;
update walltrack.config set leader_pause_after_losses = 3, leader_pause_minutes = 240;

create function pg_temp.events() returns setof walltrack.leader_pause_events
language sql as $$
  select e.* from walltrack.leader_pause_events e join walltrack.wallets w on w.id = e.wallet_id
  where w.address = tests.addr('WaRisk') order by e.created_at, e.id
$$;

-- Two losses, a breakeven close, two more losses: never three in a row.
do $$
begin
  perform tests.risk_trade('L1', -10);
  perform tests.risk_trade('L2', -10);
  perform tests.risk_trade('Even', 0);
  perform tests.risk_trade('L3', -10);
  perform tests.risk_trade('L4', -10);
end
$$;
select is_empty($$select 1 from pg_temp.events()$$, 'two losses, a breakeven close, two losses: no pause');
select is((select consecutive_losses from walltrack.leader_loss_metrics(
            (select id from walltrack.wallets where address = tests.addr('WaRisk')), now(), 24)),
          2, 'the breakeven close ended the first run: 2 in a row');

-- An open position of the leader, held through the pause.
create temp table held as select tests.risk_open_position('Held') as id;
create temp table third as select tests.risk_trade('L5', -10) as id;
select results_eq(
  $$select event_type, trigger_reason, consecutive_losses, pause_after_losses_threshold, closed_position_id
    from pg_temp.events()$$,
  $$values ('paused'::text, 'consecutive_losses'::text, 3, 3, (select id from third))$$,
  'the third loss in a row pauses the leader, the event naming the close and the figures');
select ok((select pause_until = created_at + interval '240 minutes' from pg_temp.events()),
  'for leader_pause_minutes (240)');

-- Entries of the paused leader are refused; another leader's, and its exits, are not.
do $$
begin
  perform tests.signals_wallet('Other');
  perform tests.signals_token('P1');
  perform tests.signals_token('P2');
  perform tests.signals_signal('BUY', 'Risk', 'P1', 'PausedBuy');
  perform tests.signals_signal('BUY', 'Other', 'P2', 'OtherBuy');
  perform tests.signals_signal('SELL', 'Risk', 'Held', 'HeldSell');
end
$$;
create temp table summary as select tests.signals_process(array['PausedBuy', 'OtherBuy', 'HeldSell']) as result;
select is(tests.signals_outcome('PausedBuy'), 'leader_paused', 'the paused leader''s BUY is filtered leader_paused');
select is(tests.signals_outcome('OtherBuy'), 'opened', 'another leader''s BUY is still copied');
select is(tests.signals_outcome('HeldSell'), 'exit_order', 'the paused leader''s SELL still mirrors out of its open position');
select is((select result -> 'filtered' from summary), '{"leader_paused": 1}'::jsonb, 'the summary counts it');
select is((select (filtered_by_reason ->> 'leader_paused')::integer from walltrack.signal_funnel
           where day = (now() at time zone 'UTC')::date), 1, 'the funnel shows it by reason');

-- A close during the pause opens no second pause.
do $$ begin perform tests.risk_trade('L6', -10); end $$;
select is((select count(*)::integer from pg_temp.events()), 1, 'a loss during the pause opens no second pause');
select is(walltrack.evaluate_leader_pause((select id from walltrack.wallets where address = tests.addr('WaRisk'))),
  'paused', 'evaluating again says it is paused');

-- It ends by itself at pause_until: the rule reads the time it is asked about.
select is(walltrack.leader_risk_reason(w, c, 500, now() + interval '239 minutes'), 'leader_paused', '239 minutes on: still paused')
from walltrack.wallets w, walltrack.config c where w.address = tests.addr('WaRisk');
select is(walltrack.leader_risk_reason(w, c, 500, (select pause_until from pg_temp.events())), null,
  'at pause_until it is over, with no job to run')
from walltrack.wallets w, walltrack.config c where w.address = tests.addr('WaRisk');

-- The events are facts.
select throws_ok($$update walltrack.leader_pause_events set pause_until = now()$$, '23000', null,
  'a pause event cannot be changed');
select throws_ok($$delete from walltrack.leader_pause_events$$, '23000', null, 'nor deleted');

-- By hand: unpaused, its BUYs are copied again, and its count starts afresh.
create temp table unpause as select * from walltrack.unpause_leader(tests.addr('WaRisk'));
select is((select pause_event_id from unpause), (select id from pg_temp.events() where event_type = 'paused'),
  'unpausing records an unpaused event naming the pause');
do $$
begin
  perform tests.signals_token('P3');
  perform tests.signals_signal('BUY', 'Risk', 'P3', 'AfterBuy');
  perform tests.signals_process(array['AfterBuy']);
end
$$;
select is(tests.signals_outcome('AfterBuy'), 'opened', 'unpaused, the leader is copied again');
select is((select consecutive_losses from walltrack.leader_loss_metrics(
            (select id from walltrack.wallets where address = tests.addr('WaRisk')), now(), 24)),
          0, 'the unpause is a fresh start: the losses before it no longer count');
select throws_ok($$select walltrack.unpause_leader(tests.addr('WaRisk'))$$, 'P0002', null,
  'unpausing a leader that is not paused is refused');

-- The wallet's own threshold wins over config's.
do $$ begin perform walltrack.set_leader_limits(tests.addr('WaRisk'), '{"pause_after_losses": 1}'); end $$;
do $$ begin perform tests.risk_trade('L7', -10); end $$;
select is((select count(*)::integer from pg_temp.events() where event_type = 'paused'), 2,
  'with its own pause_after_losses of 1, one loss pauses it again');
select is((select pause_after_losses_threshold from pg_temp.events() order by created_at desc, id desc limit 1), 1,
  'and the event snapshots the wallet''s threshold');

select * from finish();
rollback;
