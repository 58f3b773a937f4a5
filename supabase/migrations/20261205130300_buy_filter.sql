-- Adds the BUY filter as a named rule (walltrack.buy_filter_reason): the first reason not to
-- follow a leader's BUY, in the words an operator reads in signals.filter_reason. PL/pgSQL, as
-- every rule process_signals calls per signal: it decides each signal in a subtransaction of its
-- own, where a SQL function's query is planned again at every call (twice the batch's time). The
-- thresholds come from the config row the batch read once (`cfg`).

-- In order, first match wins:
--   wallet_inactive           the wallet is deactivated
--   stale_signal              the leader's transaction is older than max_signal_age_seconds
--   safety_check_unavailable  no fresh safety analysis (walltrack.safety_analysis_is_fresh), or the
--                             mint's decimals unknown (walltrack.token_decimals: never guessed)
--   safety_check_failed       safety score below safety_score_threshold
--   circuit_breaker           the breaker of the wallet's mode is active (walltrack.circuit_breaker_blocks:
--                             simulation and live each have their own)
--   duplicate                 an open position of this wallet in this token
--   cooldown                  the token's last position closed less than reentry_cooldown_minutes ago
--   exposure_limit            max_open_positions reached, or the size would exceed max_total_exposure_usd
--   position_too_small        size below min_position_size_usd, or so small that the token amount or
--                             the SOL paid rounds to zero
-- Null: the BUY is followed.
create function walltrack.buy_filter_reason(
  sig walltrack.signals, w walltrack.wallets, t walltrack.tokens, cfg walltrack.config, size_usd numeric,
  leader_usd numeric, sol_usd numeric, decided_at timestamptz)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  -- The exposure is read only for a BUY that passed every filter before it.
  return case
    when not w.is_active then 'wallet_inactive'
    when sig.leader_block_time < decided_at - pg_catalog.make_interval(secs => cfg.max_signal_age_seconds) then 'stale_signal'
    when t.id is null or not walltrack.safety_analysis_is_fresh(t.last_analyzed_at, decided_at)
      or walltrack.token_decimals(t.id) is null then 'safety_check_unavailable'
    when t.safety_score < cfg.safety_score_threshold then 'safety_check_failed'
    when walltrack.circuit_breaker_blocks(w.mode) then 'circuit_breaker'
    when exists (select 1 from walltrack.positions p
                 where p.wallet_id = sig.wallet_id and p.token_id = t.id and p.status = 'open') then 'duplicate'
    when exists (select 1 from walltrack.positions p
                 where p.token_id = t.id and p.status = 'closed'
                   and p.closed_at > decided_at - pg_catalog.make_interval(mins => cfg.reentry_cooldown_minutes))
      then 'cooldown'
    when (select e.open_positions >= cfg.max_open_positions or e.exposure_usd + size_usd > cfg.max_total_exposure_usd
          from walltrack.open_exposure() e) then 'exposure_limit'
    when size_usd < cfg.min_position_size_usd
      or pg_catalog.round(size_usd / leader_usd, walltrack.token_decimals(t.id)) <= 0
      or pg_catalog.round(size_usd / sol_usd, 9) <= 0 then 'position_too_small'
  end;
end;
$$;
comment on function walltrack.buy_filter_reason(walltrack.signals, walltrack.wallets, walltrack.tokens, walltrack.config, numeric, numeric, numeric, timestamptz) is
  'The BUY filter: the first reason not to follow a BUY (wallet_inactive, stale_signal, safety_check_unavailable, safety_check_failed, circuit_breaker, duplicate, cooldown, exposure_limit, position_too_small), or null to follow it.';
revoke execute on function walltrack.buy_filter_reason(walltrack.signals, walltrack.wallets, walltrack.tokens, walltrack.config, numeric, numeric, numeric, timestamptz) from public;
