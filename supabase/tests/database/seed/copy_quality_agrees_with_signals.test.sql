-- Copy quality on the positions opened by a signal compares the entry with the leader's trade:
-- leader_price_usd is the signal's price_usd, the decision and fill delays run from the leader's
-- block time to the decision and to the entry fill, slippage vs the leader is measured on the
-- entry price, and simulated entries are exactly config.simulation_slippage_percent worse.
-- Positions opened by hand have no leader and no copy-quality figures.
begin;
create extension if not exists pgtap with schema extensions;
select plan(5);

select is_empty(
  $$ select p.id from walltrack.positions p join walltrack.signals s on s.id = p.signal_id
     where p.leader_price_usd is distinct from s.price_usd $$,
  'leader_price_usd = the signal''s price_usd');

select is_empty(
  $$ select p.id from walltrack.positions p join walltrack.signals s on s.id = p.signal_id
     where p.decision_delay_seconds is distinct from extract(epoch from (s.processed_at - s.leader_block_time))
        or p.fill_delay_seconds is distinct from extract(epoch from (p.entry_timestamp - s.leader_block_time)) $$,
  'decision and fill delays run from the leader''s block time to the decision and the fill');

select is_empty(
  $$ select id from walltrack.positions
     where signal_id is not null
       and slippage_vs_leader_percent is distinct from
           round((entry_price - leader_price_usd) / leader_price_usd * 100, 4) $$,
  'slippage_vs_leader_percent = (entry - leader) / leader x 100');

select is_empty(
  $$ select p.id from walltrack.positions p cross join walltrack.config c
     where p.signal_id is not null and p.mode = 'simulation'
       and p.slippage_vs_leader_percent <> c.simulation_slippage_percent $$,
  'simulated entries are exactly the simulation slippage worse than the leader');

select is_empty(
  $$ select id from walltrack.positions
     where signal_id is null
       and (leader_price_usd is not null or decision_delay_seconds is not null
            or fill_delay_seconds is not null or slippage_vs_leader_percent is not null) $$,
  'positions opened by hand carry no copy-quality figures');

select * from finish();
rollback;
