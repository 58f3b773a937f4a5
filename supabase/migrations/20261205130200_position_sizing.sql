-- Adds position sizing as a named rule (walltrack.position_size_usd), read by the BUY filter (the
-- exposure limit and the minimum size) and by the opening of the position. Like every decision
-- rule it reads the config row the batch read once (process_signals), so one batch is decided
-- under one configuration.

-- fixed_percent: capital x risk_per_trade_percent; follow_leader: the leader's USD size (its SOL
-- through sol_usd, a stablecoin at 1) x leader_size_fraction. Either is capped by
-- max_position_size_usd and rounded to cents.
create function walltrack.position_size_usd(sig walltrack.signals, cfg walltrack.config, sol_usd numeric)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
begin
  return pg_catalog.round(least(
           case cfg.position_sizing_mode
             when 'fixed_percent' then cfg.capital_usd * cfg.risk_per_trade_percent * 0.01
             else sig.amount_in * case when sig.token_in = walltrack.wsol_mint() then sol_usd else 1 end
                  * cfg.leader_size_fraction
           end,
           cfg.max_position_size_usd), 2);
end;
$$;
comment on function walltrack.position_size_usd(walltrack.signals, walltrack.config, numeric) is
  'Position sizing: the USD size of the entry a BUY signal would open (fixed_percent of capital or follow_leader fraction of the leader''s size, capped by max_position_size_usd, in cents).';
revoke execute on function walltrack.position_size_usd(walltrack.signals, walltrack.config, numeric) from public;
