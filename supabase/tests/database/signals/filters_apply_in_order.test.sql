-- The BUY rules apply in a fixed order and a signal gets the reason of the first rule it fails:
-- wallet_inactive, stale_signal, safety_check_unavailable, safety_check_failed, circuit_breaker,
-- duplicate, cooldown, exposure_limit, position_too_small. Signal k below fails rule k and every
-- rule after it, and passes every rule before it; so its reason must be rule k's.
begin;
create extension if not exists pgtap with schema extensions;
select plan(11);

-- Fixtures: tests.signals_* from 000_test_helpers.test.sql (addresses tests.addr, 'Test' + a tag).

-- Warnings of side effects outside this test's subject (e.g. an edge function not called for want
-- of Vault secrets) are not part of its output.
set local client_min_messages = error;

-- Global rules made neutral (tests.signals_neutral_config).
do $$ begin perform tests.signals_neutral_config(); end $$;

create temp table rules (k integer primary key, expected text not null);
insert into rules values
  (1, 'wallet_inactive'), (2, 'stale_signal'), (3, 'safety_check_unavailable'), (4, 'safety_check_failed'),
  (5, 'circuit_breaker'), (6, 'duplicate'), (7, 'cooldown'), (8, 'exposure_limit'), (9, 'position_too_small'),
  (10, 'opened');

-- Signal k: wallet Rule<k> buys token Rule<k>.
--   wallet inactive                  when k <= 1
--   leader transaction 400 s old     when k <= 2 (limit 300 s)
--   token analysis 2 h old (TTL 1 h) when k <= 3, scored 0.10 (threshold 0.60) when k <= 4
--   an open position of the wallet   when k <= 6
--   a position in the token closed 10 min ago (cooldown 60 min) when k <= 7
do $$
declare
  k integer;
begin
  for k in select r.k from rules r order by r.k loop
    perform tests.signals_wallet('Rule' || k, active => k > 1);
    perform tests.signals_token('Rule' || k, score => case when k <= 4 then 0.10 else 0.75 end,
                          analyzed_ago => case when k <= 3 then interval '2 hours' else interval '5 minutes' end);
    if k <= 6 then perform tests.signals_position('Rule' || k, 'Rule' || k); end if;
    if k <= 7 then perform tests.signals_position('Rule' || k, 'Rule' || k, closed_ago => '10 minutes'); end if;
    perform tests.signals_signal('BUY', 'Rule' || k, 'Rule' || k, 'Rule' || k,
                           block_age_seconds => case when k <= 2 then 400 else 5 end);
  end loop;
end
$$;

-- Signal k is decided alone, under global rules set for it:
--   the simulation circuit breaker active            when k <= 5
--   max_open_positions = the positions already open  when k <= 8
--   min_position_size_usd 600 > the 500 USD size     when k <= 9
do $$
declare
  k integer;
begin
  for k in select r.k from rules r order by r.k loop
    -- The simulation breaker (the wallets' mode) is opened before signal 1 and reset after 5.
    if k = 1 then perform walltrack.activate_circuit_breaker('manual', 'simulation'); end if;
    if k = 6 then perform walltrack.reset_circuit_breaker(); end if;
    update walltrack.config set
      max_open_positions = (select open_positions from walltrack.open_exposure()) + case when k <= 8 then 0 else 100 end,
      min_position_size_usd = case when k <= 9 then 600 else 10 end;
    perform tests.signals_process(array['Rule' || k]);
  end loop;
end
$$;

select is(tests.signals_outcome('Rule' || k), expected,
  format('signal %s fails rules %s..9 and gets %s', k, k, expected))
from rules where k <= 9
order by k;
select is(tests.signals_outcome('Rule10'), 'opened', 'signal 10 fails no rule and opens');

select ok(
  (select bool_and(s.processed_at is not null and s.processing_duration_ms is not null)
   from rules r join walltrack.signals s on s.id = tests.signals_sid('Rule' || r.k)),
  'every signal has processed_at and processing_duration_ms');

select * from finish();
rollback;
