-- Every signal's outcome is the one walltrack.process_signals' rules give, checked against the
-- data as it stood when the signal was processed: safety_check_failed only on tokens below the
-- threshold, circuit_breaker only while an activation was open, duplicate only when the wallet
-- already held the token, and a position only when no rule applied (safe token, breaker off, no
-- open position in the token, no close inside the cooldown, exposure within the limits, fresh).
begin;
create extension if not exists pgtap with schema extensions;
select plan(9);

-- A position is open at t from its creation until it closes.
create temp table position_spans as
select id, wallet_id, token_id, entry_value_usd, created_at as opened_at,
       coalesce(closed_at, 'infinity'::timestamptz) as closed_at
from walltrack.positions;

create temp table breaker_windows as
select created_at as from_at, coalesce(deactivated_at, 'infinity'::timestamptz) as to_at
from walltrack.circuit_breaker_events
where event_type = 'activated';

select is_empty(
  $$ select s.id, t.symbol, t.safety_score
     from walltrack.signals s
     join walltrack.tokens t on t.id = s.token_id
     cross join walltrack.config c
     where s.filter_reason = 'safety_check_failed' and t.safety_score >= c.safety_score_threshold $$,
  'safety_check_failed only on tokens scored below the threshold');

select is_empty(
  $$ select s.id, s.filter_reason, t.symbol
     from walltrack.signals s
     join walltrack.tokens t on t.id = s.token_id
     cross join walltrack.config c
     where s.filter_reason is distinct from 'safety_check_failed' and t.safety_score < c.safety_score_threshold $$,
  'every unsafe token''s signal was stopped by the safety check first');

select is_empty(
  $$ select s.id from walltrack.signals s
     where s.filter_reason = 'circuit_breaker'
       and not exists (select 1 from breaker_windows b where s.processed_at between b.from_at and b.to_at) $$,
  'circuit_breaker only while an activation was open');

select is_empty(
  $$ select s.id, s.filter_reason from walltrack.signals s
     where s.filter_reason is distinct from 'circuit_breaker'
       and s.filter_reason is distinct from 'safety_check_failed'
       and exists (select 1 from breaker_windows b where s.processed_at between b.from_at and b.to_at) $$,
  'no safe token''s signal got past an open breaker');

select is_empty(
  $$ select s.id from walltrack.signals s
     where s.filter_reason = 'duplicate'
       and not exists (select 1 from position_spans p
                       where p.wallet_id = s.wallet_id and p.token_id = s.token_id
                         and s.processed_at >= p.opened_at and s.processed_at < p.closed_at) $$,
  'duplicate only when the wallet already held an open position in the token');

select is_empty(
  $$ select s.id from walltrack.signals s
     where s.position_created
       and exists (select 1 from position_spans p
                   where p.id <> s.position_id and p.wallet_id = s.wallet_id and p.token_id = s.token_id
                     and s.processed_at >= p.opened_at and s.processed_at < p.closed_at) $$,
  'no position opened while the wallet already held the token');

select is_empty(
  $$ select s.id from walltrack.signals s
     cross join walltrack.config c
     where s.position_created
       and exists (select 1 from walltrack.positions p
                   where p.token_id = s.token_id and p.status = 'closed'
                     and p.closed_at <= s.processed_at
                     and p.closed_at > s.processed_at - make_interval(mins => c.reentry_cooldown_minutes)) $$,
  'no position opened inside the re-entry cooldown of a close in the same token');

select is_empty(
  $$ select s.id, x.open_positions, x.exposure_usd
     from walltrack.signals s
     cross join walltrack.config c
     cross join lateral (
       select count(*) as open_positions, coalesce(sum(p.entry_value_usd), 0) as exposure_usd
       from position_spans p
       where p.id <> s.position_id and s.processed_at >= p.opened_at and s.processed_at < p.closed_at
     ) x
     where s.position_created
       and (x.open_positions >= c.max_open_positions
            or x.exposure_usd + c.capital_usd * c.risk_per_trade_percent / 100 > c.max_total_exposure_usd) $$,
  'every position opened within the open-positions and exposure limits');

select is_empty(
  $$ select s.id from walltrack.signals s cross join walltrack.config c
     where s.processed_at - s.leader_block_time > make_interval(secs => c.max_signal_age_seconds)
        or exists (select 1 from walltrack.wallets w where w.id = s.wallet_id and not w.is_active) $$,
  'no signal was stale or from an inactive wallet when processed');

select * from finish();
rollback;
