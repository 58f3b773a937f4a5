-- Adds opening a position as a named rule (walltrack.open_position): the position with its exit
-- strategy snapshotted (ADR-002) and its entry order, filled at once in simulation.

-- The entry spends size_usd / sol_usd SOL (lamports: 9 decimals) for size_usd / leader_usd tokens.
-- Simulation fills at once at walltrack.simulated_fill_price of the leader's price; live leaves the
-- order pending for the executor. Null when another decision opened this wallet's position in this
-- token a moment ago (the unique open position per wallet and token).
create function walltrack.open_position(
  sig walltrack.signals, w walltrack.wallets, t walltrack.tokens, cfg walltrack.config, size_usd numeric,
  leader_usd numeric, sol_usd numeric, decided_at timestamptz)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  decimals integer := walltrack.token_decimals(t.id);
  fill_price numeric;
  opened uuid;
begin
  fill_price := walltrack.simulated_fill_price(leader_usd, cfg.simulation_slippage_percent, true);
  begin
    insert into walltrack.positions (
      wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot,
      leader_price_usd, decision_delay_seconds, status)
    values (
      w.id, t.id, sig.id, w.mode, w.exit_strategy_id, walltrack.effective_exit_strategy(w.exit_strategy_id),
      leader_usd,
      case when sig.leader_block_time is not null
           then greatest(0, extract(epoch from (decided_at - sig.leader_block_time))) end,
      'open')
    returning id into opened;
  exception when unique_violation then
    return null;
  end;
  insert into walltrack.orders (
    wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
    amount_in, amount_out_expected, value_usd, slippage_requested_percent, max_retries, requested_at,
    status, submitted_at, executed_at, amount_out, price_usd, slippage_actual_percent)
  select w.id, t.id, opened, sig.id, 'entry', w.mode, walltrack.wsol_mint(), sig.token_address,
         pg_catalog.round(size_usd / sol_usd, 9),
         pg_catalog.round(size_usd / leader_usd, decimals),
         coalesce(fill.amount * fill.price, size_usd), cfg.default_slippage_percent, cfg.order_max_retries, decided_at,
         fill.status, fill.at, fill.at, fill.amount, fill.price,
         case when fill.amount is not null
           then pg_catalog.round((1 - leader_usd / fill_price) * 100, 4) end
  from (select case when w.mode = 'simulation' then 'executed' else 'pending' end as status,
               case when w.mode = 'simulation' then decided_at end as at,
               case when w.mode = 'simulation' then pg_catalog.round(size_usd / fill_price, decimals) end as amount,
               case when w.mode = 'simulation' then fill_price end as price) as fill;
  return opened;
end;
$$;
comment on function walltrack.open_position(walltrack.signals, walltrack.wallets, walltrack.tokens, walltrack.config, numeric, numeric, numeric, timestamptz) is
  'Opens the position a followed BUY calls for: the position (exit strategy snapshotted) and its entry order of size_usd, filled at once in simulation, pending in live; null when the wallet already opened one in this token.';
revoke execute on function walltrack.open_position(walltrack.signals, walltrack.wallets, walltrack.tokens, walltrack.config, numeric, numeric, numeric, timestamptz) from public;
