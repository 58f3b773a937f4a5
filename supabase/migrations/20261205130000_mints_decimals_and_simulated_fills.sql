-- Adds three facts every rule reads instead of restating them: the wrapped SOL mint (the quote side
-- of every order), a mint's decimals (known or null, never guessed) and the simulated fill price.

-- Every order swaps a token against SOL, which Jupiter quotes as its wrapped mint.
create function walltrack.wsol_mint()
returns text
language sql
immutable
set search_path = ''
as $$
  select 'So11111111111111111111111111111111111111112'::text;
$$;
comment on function walltrack.wsol_mint() is
  'The wrapped SOL mint: the quote side of every WallTrack order.';
revoke execute on function walltrack.wsol_mint() from public;

-- Decimals come from a safety source or from a leader's balance changes (process_signals records
-- them on the token); a guess would size a swap wrong by powers of ten, so an unknown mint stays
-- null and each caller refuses or waits instead.
create function walltrack.token_decimals(token_id uuid)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  -- PL/pgSQL keeps this query's plan across the calls of a batch (see 20261205130300).
  return (select t.decimals::integer from walltrack.tokens t where t.id = token_decimals.token_id);
end;
$$;
comment on function walltrack.token_decimals(uuid) is
  'A token''s decimals as a source or a leader''s balance changes reported them; null when unknown (never guessed: a BUY is then filtered safety_check_unavailable, a simulated entry waits).';
revoke execute on function walltrack.token_decimals(uuid) from public;

-- Simulation pays simulation_slippage_percent against us: a buy fills above the observed price,
-- a sell below. Multiplying by 0.01 instead of dividing by 100 keeps the price exact.
create function walltrack.simulated_fill_price(observed_usd numeric, slippage_percent numeric, buying boolean)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.trim_scale(observed_usd * (100 + case when buying then slippage_percent else -slippage_percent end) * 0.01);
$$;
comment on function walltrack.simulated_fill_price(numeric, numeric, boolean) is
  'The USD price a simulated order fills at: the observed price moved against us by the slippage percent (up for a buy, down for a sell).';
revoke execute on function walltrack.simulated_fill_price(numeric, numeric, boolean) from public;
