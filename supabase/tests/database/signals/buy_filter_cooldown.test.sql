-- A BUY of a token whose last position closed less than config.reentry_cooldown_minutes ago is
-- filtered cooldown (the token is cooling down, whichever wallet held it); a close older than the
-- cooldown, or a cooldown of 0, lets it open.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (test addresses 'TestDecide' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral, whatever the seed left: breaker off, limits far above what is open,
-- fixed-percent sizing of 10000 x 5 % = 500.00 USD, 1 % simulated slippage, product thresholds.
update walltrack.config set
  circuit_breaker_active = false, circuit_breaker_activated_at = null,
  capital_usd = 10000, risk_per_trade_percent = 5, position_sizing_mode = 'fixed_percent',
  leader_size_fraction = 0.10, min_position_size_usd = 10, max_position_size_usd = 1000,
  max_open_positions = (select count(*) from walltrack.positions where status = 'open') + 100,
  max_total_exposure_usd = ceil((select exposure_usd from walltrack.open_exposure())) + 100000,
  reentry_cooldown_minutes = 60, simulation_slippage_percent = 1, default_slippage_percent = 3,
  order_max_retries = 3, max_signal_age_seconds = 300, safety_score_threshold = 0.60,
  token_cache_ttl_minutes = 60;

-- reentry_cooldown_minutes = 60 (fixtures).
do $$
begin
  perform tests.signals_wallet('Recent');
  perform tests.signals_wallet('Past');
  perform tests.signals_wallet('Other');
  perform tests.signals_wallet('Seller');
  perform tests.signals_wallet('Zero');
  perform tests.signals_wallet('Long');
  perform tests.signals_token('Recent');
  perform tests.signals_token('Past');
  perform tests.signals_token('Shared');
  perform tests.signals_token('Zero');
  perform tests.signals_token('Long');
  perform tests.signals_position('Recent', 'Recent', closed_ago => '59 minutes');
  perform tests.signals_position('Past', 'Past', closed_ago => '61 minutes');
  perform tests.signals_position('Seller', 'Shared', closed_ago => '30 minutes');
  perform tests.signals_position('Zero', 'Zero', closed_ago => '1 minute');
  perform tests.signals_position('Long', 'Long', closed_ago => '90 minutes');
  perform tests.signals_signal('BUY', 'Recent', 'Recent', 'Recent');
  perform tests.signals_signal('BUY', 'Past', 'Past', 'Past');
  perform tests.signals_signal('BUY', 'Other', 'Shared', 'Other');
  perform tests.signals_signal('BUY', 'Zero', 'Zero', 'Zero');
  perform tests.signals_signal('BUY', 'Long', 'Long', 'Long');
end
$$;

create temp table summary as select tests.signals_process(array['Recent', 'Past', 'Other']) as result;

select is(tests.signals_outcome('Recent'), 'cooldown', 're-entering 59 min after the close (cooldown 60 min): cooldown');
select is(tests.signals_outcome('Past'), 'opened', 're-entering 61 min after the close: opened');
select is(tests.signals_outcome('Other'), 'cooldown', 'a token another wallet exited 30 min ago: cooldown');
select is((select result -> 'filtered' from summary), '{"cooldown": 2}'::jsonb, 'the summary counts two');
select is_empty(
  $$ select 1 from walltrack.orders where signal_id in (tests.signals_sid('Recent'), tests.signals_sid('Other')) $$,
  'no order during the cooldown');

-- The cooldown comes from config.
update walltrack.config set reentry_cooldown_minutes = 0;
do $$ begin perform tests.signals_process(array['Zero']); end $$;
select is(tests.signals_outcome('Zero'), 'opened', 'cooldown 0: re-entering 1 min after the close opens');

update walltrack.config set reentry_cooldown_minutes = 120;
do $$ begin perform tests.signals_process(array['Long']); end $$;
select is(tests.signals_outcome('Long'), 'cooldown', 'cooldown 120 min: re-entering 90 min after the close is cooldown');
select ok((select processed_at is not null and processing_duration_ms is not null from walltrack.signals
           where id = tests.signals_sid('Long')), 'the filtered signal is processed, with its duration');

select * from finish();
rollback;
