-- Adds the price monitor's polling interval (issue 13): within each scheduled run (pg_cron every
-- minute, walltrack.monitor_prices) the price-monitor function polls the open positions' tokens
-- every price_monitor_interval_seconds until its wall-clock budget (PRICE_MONITOR_BUDGET_MS) is
-- spent or nothing is open. A loop inside the run rather than a pg_cron 'N seconds' schedule: that
-- syntax needs pg_cron 1.5 (Debian's PostgreSQL 15 ships 1.4), each run would be an HTTP call
-- through pg_net and an edge-function invocation (8,640 a day), and a run slower than its interval
-- would overlap the next; one run a minute keeps its connection and HTTP keep-alive, answers pg_net
-- after its first poll, and a lost run costs one minute at most. Also walltrack.exits_status(),
-- the exits block for status.

alter table walltrack.config
  add column price_monitor_interval_seconds integer not null default 10
    constraint config_price_monitor_interval_seconds_check check (price_monitor_interval_seconds between 1 and 60);
comment on column walltrack.config.price_monitor_interval_seconds is
  'How often the price monitor polls the open positions'' tokens within each scheduled run (1 to 60 s, default 10): the delay from a price move to its exit is at most about this long.';

-- What the operator asks about exits: how often prices are polled, how fresh the open positions'
-- prices are and from which source, leader swaps applied, time exits due and done.
create function walltrack.exits_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'price_monitor_interval_seconds', (select c.price_monitor_interval_seconds from walltrack.config c),
    'swap_price_max_age_seconds', (select c.swap_price_max_age_seconds from walltrack.config c),
    'open_positions_by_price_source', (
      select coalesce(pg_catalog.jsonb_object_agg(s.source, s.positions), '{}'::jsonb)
      from (select coalesce(p.price_source, 'none') as source, count(*) as positions
            from walltrack.positions p where p.status = 'open' group by 1) s),
    'oldest_price_age_seconds', (
      select pg_catalog.floor(extract(epoch from pg_catalog.now() - min(p.price_updated_at)))::bigint
      from walltrack.positions p where p.status = 'open' and p.entry_amount is not null),
    'past_max_hold', (
      select count(*) from walltrack.positions p
      where p.status = 'open' and walltrack.max_hold_reached(p, walltrack.position_strategy(p), pg_catalog.now())),
    'time_exits_24h', (
      select count(*) from walltrack.orders o
      where o.order_type = 'exit_time' and o.requested_at > pg_catalog.now() - interval '24 hours'));
$$;
comment on function walltrack.exits_status() is
  'Exits at a glance: the monitor''s polling interval, the swap-price age limit, open positions by the source of their price, the oldest price''s age, positions past their maximum hold, time exits in 24 h.';
revoke execute on function walltrack.exits_status() from public;
