-- The circuit breaker trips on consecutive losing closes ending with the latest one, in close
-- order (closed_at, then id for closes at the same instant); a win or a breakeven close ends a
-- run. Threshold 3:
--   L -100, L -100, W +50, L -100, L -100   run of 2 (the win ended the first run)
--   B 0                                      run of 0 (a breakeven ends it too)
--   W7 +50 and L8 -100 at the same instant  L8 has the larger id: it is the later one, run of 1
--                                            (taken in the order they were filled, W7 last, it
--                                            would be 0)
--   L -100                                   run of 2
--   L -100                                   run of 3: it trips (with the tie the other way it
--                                            would be 2)
-- The other triggers are out of reach.
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- Fixtures: tests.risk_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Whatever the seed left: the breaker off, every trigger out of reach; the test brings its own.
do $$ begin perform tests.risk_neutral_config(); end $$;

update walltrack.config set max_consecutive_losses = 3;
select tests.risk_fresh_start(now() - interval '1 hour');

do $$
begin
  perform tests.risk_trade('L1', -100);
  perform tests.risk_trade('L2', -100);
  perform tests.risk_trade('W3', 50);
  perform tests.risk_trade('L4', -100);
  perform tests.risk_trade('L5', -100);
end
$$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics('simulation')), 2,
  'L L W L L: the win ended the first run, 2 in a row');
select is((select circuit_breaker_active from walltrack.config), false, 'below 3 the breaker stays off');

do $$ begin perform tests.risk_trade('B6', 0); end $$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics('simulation')), 0, 'a breakeven close ends the run');

-- Two closes at the same instant: the loss (larger id) is filled first, the win second.
do $$
declare
  at constant timestamptz := clock_timestamp();
  win uuid := tests.risk_open_position('W7', pos_id => 'c0ffee00-0000-4000-8000-00000000f007');
  loss uuid := tests.risk_open_position('L8', pos_id => 'c0ffee00-0000-4000-8000-00000000f008');
begin
  perform tests.risk_sell(loss, 1000, 0.90, at);
  perform tests.risk_sell(win, 1000, 1.05, at);
end
$$;
select is((select count(distinct closed_at)::integer from walltrack.positions
           where id in ('c0ffee00-0000-4000-8000-00000000f007', 'c0ffee00-0000-4000-8000-00000000f008')),
  1, 'W7 and L8 closed at the same instant');
select is((select consecutive_losses from walltrack.circuit_breaker_metrics('simulation')), 1,
  'at the same instant the larger id is the later close: L8 ends a run of 1');

do $$ begin perform tests.risk_trade('L9', -100); end $$;
select is((select consecutive_losses from walltrack.circuit_breaker_metrics('simulation')), 2, 'one more loss: 2');
select is((select circuit_breaker_active from walltrack.config), false, 'still below 3');

do $$ begin perform tests.risk_trade('L10', -100); end $$;
select is((select circuit_breaker_active from walltrack.config), true, 'the third loss in a row trips the breaker');
select results_eq(
  $$select trigger_reason, consecutive_losses, consecutive_loss_threshold from tests.risk_open_activation()$$,
  $$values ('consecutive_losses'::text, 3, 3)$$,
  'the activation: consecutive_losses, 3 against the threshold 3');

select * from finish();
rollback;
