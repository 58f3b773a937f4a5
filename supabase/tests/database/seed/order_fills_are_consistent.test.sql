-- Each order's numbers agree: an entry spends SOL for the token and an exit the reverse; a fill's
-- value is its token amount x price_usd and its slippage is measured against what was expected;
-- amounts respect the decimals; an entry spends the sized USD in SOL at the signal's SOL/USD; a
-- simulated entry fills at once at the leader's price plus config.simulation_slippage_percent
-- (as walltrack.process_signals fills it); and every SOL leg implies a plausible SOL/USD.
begin;
create extension if not exists pgtap with schema extensions;
select plan(8);

select is_empty(
  $$ select o.id from walltrack.orders o join walltrack.tokens t on t.id = o.token_id
     where (o.order_type = 'entry'
            and (o.token_in <> 'So11111111111111111111111111111111111111112' or o.token_out <> t.address))
        or (o.order_type <> 'entry'
            and (o.token_in <> t.address or o.token_out <> 'So11111111111111111111111111111111111111112')) $$,
  'entries swap SOL for the token, exits the token for SOL');

select is_empty(
  $$ select id, value_usd from walltrack.orders
     where status = 'executed'
       and value_usd <> case when order_type = 'entry' then amount_out else amount_in end * price_usd $$,
  'a fill''s value_usd = its token amount x price_usd');

select is_empty(
  $$ select id, slippage_actual_percent from walltrack.orders
     where status = 'executed'
       and slippage_actual_percent is distinct from
           round((amount_out_expected - amount_out) / amount_out_expected * 100, 4) $$,
  'slippage_actual_percent = (expected - received) / expected x 100');

select is_empty(
  $$ select o.id from walltrack.orders o join walltrack.tokens t on t.id = o.token_id
     where (case when o.order_type = 'entry' then o.amount_out else o.amount_in end) * 10 ^ t.decimals
           <> trunc((case when o.order_type = 'entry' then o.amount_out else o.amount_in end) * 10 ^ t.decimals)
        or (case when o.order_type = 'entry' then o.amount_in else o.amount_out end) * 1000000000
           <> trunc((case when o.order_type = 'entry' then o.amount_in else o.amount_out end) * 1000000000)
        or (case when o.order_type = 'entry' then o.amount_out_expected end) * 10 ^ t.decimals
           <> trunc((case when o.order_type = 'entry' then o.amount_out_expected end) * 10 ^ t.decimals)
        or (case when o.order_type <> 'entry' then o.amount_out_expected end) * 1000000000
           <> trunc((case when o.order_type <> 'entry' then o.amount_out_expected end) * 1000000000) $$,
  'token amounts respect the token''s decimals, SOL amounts are whole lamports');

select is_empty(
  $$ select o.id from walltrack.orders o
     join walltrack.signals s on s.id = o.signal_id
     cross join walltrack.config c
     where o.order_type = 'entry'
       and o.amount_in <> round(c.capital_usd * c.risk_per_trade_percent / 100 / s.sol_usd_price, 9) $$,
  'an entry spends the sized USD in SOL at the signal''s SOL/USD');

select is_empty(
  $$ select o.id from walltrack.orders o
     join walltrack.signals s on s.id = o.signal_id
     join walltrack.tokens t on t.id = o.token_id
     cross join walltrack.config c
     where o.order_type = 'entry' and o.mode = 'simulation'
       and (o.price_usd <> s.price_usd * (1 + c.simulation_slippage_percent / 100)
            or o.amount_out <> round(c.capital_usd * c.risk_per_trade_percent / 100 / o.price_usd, t.decimals)
            or o.amount_out_expected <> round(c.capital_usd * c.risk_per_trade_percent / 100 / s.price_usd, t.decimals)
            or o.executed_at <> o.requested_at or o.requested_at <> s.processed_at) $$,
  'simulated entries fill at the decision, at the leader''s price plus the simulation slippage');

select is_empty(
  $$ select o.id from walltrack.orders o cross join walltrack.config c
     where o.order_type = 'entry' and o.mode = 'live' and o.status = 'executed'
       and o.value_usd <> c.capital_usd * c.risk_per_trade_percent / 100 $$,
  'live entries bought exactly the sized USD');

select is_empty(
  $$ select id, sol_usd from (
       select id,
              case when order_type = 'entry' then value_usd / amount_in
                   when status = 'executed' then value_usd / amount_out
                   else value_usd / amount_out_expected end as sol_usd
       from walltrack.orders
       where value_usd is not null
     ) x
     where sol_usd not between 150 and 250 $$,
  'every SOL leg implies a SOL/USD between $150 and $250');

select * from finish();
rollback;
