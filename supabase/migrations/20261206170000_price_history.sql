-- Adds the price history (issue 15): every price WallTrack applies or observes (the monitor's
-- prices, leader swaps that reach walltrack.apply_prices, fills) is kept per token with its time
-- and source, so that skipped signals (the shadow book) and the replay of recorded signals through
-- exit templates run on the prices that really were. Kept compactly: no row when the token's price
-- did not change since its last row; raw observations for config.price_history_raw_days, then one
-- one-minute open/high/low/close candle per token and minute for config.price_candle_days, then
-- nothing (walltrack.compact_price_history). Everything is written by ONE function,
-- walltrack.record_price_history, called from one line of apply_prices and from the fill trigger.

alter table walltrack.config
  add column price_history_raw_days integer not null default 3
    constraint config_price_history_raw_days_check check (price_history_raw_days between 1 and 90),
  add column price_candle_days integer not null default 30
    constraint config_price_candle_days_check check (price_candle_days between 1 and 3650),
  add column shadow_book_hours integer not null default 24
    constraint config_shadow_book_hours_check check (shadow_book_hours between 1 and 720),
  add constraint config_candles_outlive_raw_prices check (price_candle_days >= price_history_raw_days);
comment on column walltrack.config.price_history_raw_days is
  'Days every raw price observation is kept (walltrack.price_history); older ones are folded into one-minute candles (default 3).';
comment on column walltrack.config.price_candle_days is
  'Days the one-minute candles are kept (walltrack.price_candles); older ones are deleted, which bounds the storage of the price history (default 30).';
comment on column walltrack.config.shadow_book_hours is
  'Hours the token of a BUY signal that was filtered or not taken keeps being priced after the signal (the shadow book, default 24).';

-- One series per token priced: the history's rows name it by a 4-byte id rather than its 44-byte
-- address (bench case 9: 115 bytes a raw row on disk, table and index, instead of 242), and it holds the token's
-- last market price, so "did the price change" is one key lookup. The token is its address, not
-- walltrack.tokens: a skipped signal's token may never have been analysed, and an address the
-- monitor was handed may be malformed (bounded, never refused here).
create table walltrack.price_series (
  id integer generated always as identity primary key,
  token_address text not null constraint uq_price_series_token_address unique
    constraint price_series_token_address_length check (char_length(token_address) between 1 and 64),
  last_price_usd numeric constraint price_series_last_price_usd_check check (last_price_usd > 0 and last_price_usd < 'Infinity'),
  last_observed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger price_series_set_updated_at before update on walltrack.price_series
  for each row execute function walltrack.set_updated_at();

alter table walltrack.price_series enable row level security;
revoke all on walltrack.price_series from anon, authenticated, service_role;
grant select, insert, update, delete on walltrack.price_series to service_role;

comment on table walltrack.price_series is
  'One row per token the price history knows: its id in walltrack.price_history and walltrack.price_candles, and its last market price (simulated fills aside), which decides whether a new price is a change.';
comment on column walltrack.price_series.id is 'The token''s id in the price history (4 bytes a row instead of the address).';
comment on column walltrack.price_series.token_address is 'Mint of the token priced.';
comment on column walltrack.price_series.last_price_usd is 'The latest market price kept for the token (simulated fills aside): a new price equal to it adds no row.';
comment on column walltrack.price_series.last_observed_at is 'When that latest price was observed.';
comment on column walltrack.price_series.created_at is 'When the token was first priced.';
comment on column walltrack.price_series.updated_at is 'Last change of the row (trigger).';

-- The series of a token, made on first use.
create function walltrack.price_series_id(token_address text)
returns integer
language sql
set search_path = ''
as $$
  with made as (
    insert into walltrack.price_series (token_address) values (price_series_id.token_address)
    on conflict (token_address) do nothing
    returning id
  )
  select id from made
  union all
  select s.id from walltrack.price_series s where s.token_address = price_series_id.token_address
  limit 1;
$$;
comment on function walltrack.price_series_id(text) is
  'The id of a token''s price series (walltrack.price_series), made on first use.';
revoke execute on function walltrack.price_series_id(text) from public;

create table walltrack.price_history (
  series_id integer not null constraint fk_price_history_price_series references walltrack.price_series (id) on delete cascade,
  observed_at timestamptz not null,
  price_usd numeric not null constraint price_history_price_usd_check check (price_usd > 0 and price_usd < 'Infinity'),
  source text not null constraint price_history_source_length check (char_length(source) between 1 and 32),
  constraint price_history_pkey primary key (series_id, observed_at)
);
-- Rows arrive in time order: a BRIN index finds what compaction folds for a few pages.
create index idx_price_history_observed_at on walltrack.price_history using brin (observed_at);

alter table walltrack.price_history enable row level security;
revoke all on walltrack.price_history from anon, authenticated, service_role;
grant select, insert, delete on walltrack.price_history to service_role;

comment on table walltrack.price_history is
  'Event log: every price WallTrack applied or observed, per token (walltrack.price_series), with its time and source (jupiter, dexscreener, a leader swap, fill for a live fill, simulated_fill); a row only when the price changed. Kept config.price_history_raw_days, then folded into walltrack.price_candles.';
comment on column walltrack.price_history.series_id is 'The token (walltrack.price_series).';
comment on column walltrack.price_history.observed_at is 'When the price was observed (or the fill executed).';
comment on column walltrack.price_history.price_usd is 'The USD price per token, exact as applied.';
comment on column walltrack.price_history.source is 'Where the price came from: the monitor''s source (jupiter, dexscreener), a leader swap, fill (live) or simulated_fill (a simulated fill, moved by the slippage model; not a market price, left out of replayed paths).';

create table walltrack.price_candles (
  series_id integer not null constraint fk_price_candles_price_series references walltrack.price_series (id) on delete cascade,
  minute timestamptz not null constraint price_candles_minute_is_whole check (minute = pg_catalog.date_trunc('minute', minute)),
  open_usd numeric not null,
  high_usd numeric not null,
  low_usd numeric not null,
  close_usd numeric not null,
  observations integer not null constraint price_candles_observations_check check (observations > 0),
  constraint price_candles_pkey primary key (series_id, minute),
  constraint price_candles_prices_are_ordered check (
    low_usd > 0 and high_usd < 'Infinity' and low_usd <= least(open_usd, close_usd) and high_usd >= greatest(open_usd, close_usd))
);
create index idx_price_candles_minute on walltrack.price_candles using brin (minute);

alter table walltrack.price_candles enable row level security;
revoke all on walltrack.price_candles from anon, authenticated, service_role;
grant select, insert, update, delete on walltrack.price_candles to service_role;

comment on table walltrack.price_candles is
  'One-minute open/high/low/close of walltrack.price_history older than config.price_history_raw_days (walltrack.compact_price_history), kept config.price_candle_days. Simulated fills are left out.';
comment on column walltrack.price_candles.series_id is 'The token (walltrack.price_series).';
comment on column walltrack.price_candles.minute is 'Start of the minute (UTC, whole minute).';
comment on column walltrack.price_candles.open_usd is 'First price observed in the minute.';
comment on column walltrack.price_candles.high_usd is 'Highest price observed in the minute.';
comment on column walltrack.price_candles.low_usd is 'Lowest price observed in the minute.';
comment on column walltrack.price_candles.close_usd is 'Last price observed in the minute.';
comment on column walltrack.price_candles.observations is 'How many raw observations the minute folds.';

-- prices: [{"mint", "usd", "source", "at"}] as apply_prices takes them ("at" optional: now), plus
-- entries the caller already refused ("refused": reason), which are not prices and are skipped.
-- A price that is not sane, or that apply_prices refused during this statement as an unconfirmed
-- jump (the refusal it just recorded), is not a price either. A market price equal to the token's
-- last one (walltrack.price_series) gets no row; a simulated fill is an event, not the market's
-- price: it is always kept and moves no last price. clock_timestamp: ticks within one transaction
-- keep their order. Returns how many rows were added.
create function walltrack.record_price_history(prices jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  entries jsonb := case when pg_catalog.jsonb_typeof(prices) = 'array' then prices else '[]'::jsonb end;
  added integer;
begin
  -- The series first, in a statement of their own: the next one must see them.
  insert into walltrack.price_series (token_address)
  select distinct x.mint
  from pg_catalog.jsonb_to_recordset(entries) as x(mint text, usd text, refused text)
  where x.refused is null and x.mint is not null and char_length(x.mint) between 1 and 64
    and walltrack.sane_usd_price(x.usd) is not null
  on conflict (token_address) do nothing;

  with incoming as (
    select distinct on (x.mint) x.mint, walltrack.sane_usd_price(x.usd) as usd,
           pg_catalog.left(coalesce(x.source, 'unknown'), 32) as source,
           coalesce(x."at", pg_catalog.clock_timestamp()) as observed_at
    from pg_catalog.jsonb_to_recordset(entries) as x(mint text, usd text, source text, refused text, "at" timestamptz)
    where x.refused is null and x.mint is not null and char_length(x.mint) between 1 and 64
    order by x.mint, x."at" desc nulls last
  ), fresh as (
    select i.*, s.id as series_id
    from incoming i join walltrack.price_series s on s.token_address = i.mint
    where i.usd is not null
      and (i.source = 'simulated_fill' or i.usd is distinct from s.last_price_usd)
      and not exists (select 1 from walltrack.price_refusals r
                      where r.token_address = i.mint and r.created_at >= pg_catalog.statement_timestamp()
                        and r.reason = 'unconfirmed_jump' and r.observed_usd = i.usd)
  ), moved as (
    update walltrack.price_series s set last_price_usd = f.usd, last_observed_at = f.observed_at
    from fresh f
    where s.id = f.series_id and f.source <> 'simulated_fill'
      and (s.last_observed_at is null or f.observed_at >= s.last_observed_at)
  )
  insert into walltrack.price_history (series_id, observed_at, price_usd, source)
  select f.series_id, f.observed_at, f.usd, f.source from fresh f
  on conflict (series_id, observed_at) do nothing;
  get diagnostics added = row_count;
  return added;
end;
$$;
comment on function walltrack.record_price_history(jsonb) is
  'The one writer of walltrack.price_history: keeps each sane, accepted price of [{mint, usd, source, at}] with its time and source, and none when the token''s market price did not change (walltrack.price_series). Called by apply_prices (every observed price) and the fill trigger. Returns the rows added.';
revoke execute on function walltrack.record_price_history(jsonb) from public;

-- Fills are prices too: a live fill is what the market paid, a simulated one what the slippage
-- model made of the observed price (recorded, and left out of replayed paths).
create function walltrack.record_fill_price()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform walltrack.record_price_history(pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object(
    'mint', t.address, 'usd', new.price_usd::text,
    'source', case when new.mode = 'live' then 'fill' else 'simulated_fill' end,
    'at', coalesce(new.executed_at, pg_catalog.clock_timestamp()))))
  from walltrack.tokens t where t.id = new.token_id;
  return null;
end;
$$;
comment on function walltrack.record_fill_price() is
  'Trigger function: an executed order''s USD price goes to the price history (walltrack.record_price_history), source fill (live) or simulated_fill.';
revoke execute on function walltrack.record_fill_price() from public;

create trigger orders_record_fill_price_on_insert
  after insert on walltrack.orders
  for each row
  when (new.status = 'executed' and new.price_usd is not null)
  execute function walltrack.record_fill_price();
create trigger orders_record_fill_price_on_update
  after update of status on walltrack.orders
  for each row
  when (new.status = 'executed' and old.status <> 'executed' and new.price_usd is not null)
  execute function walltrack.record_fill_price();

-- The retention rule: raw rows older than price_history_raw_days (cut at a whole minute, so a
-- minute is folded whole, once) become one candle per token and minute, merged into a candle
-- already there (a late observation); candles older than price_candle_days are deleted, and so are
-- the series no price has reached since. Simulated fills are dropped rather than folded: they are
-- no market price. Scheduled hourly; safe to run twice. Returns {raw_folded, candles_written,
-- candles_deleted}.
create function walltrack.compact_price_history(as_of timestamptz default pg_catalog.now())
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  folded integer;
  written integer;
  expired integer;
begin
  select * into strict cfg from walltrack.config;
  with moved as (
    delete from walltrack.price_history h
    where h.observed_at < pg_catalog.date_trunc('minute', as_of - pg_catalog.make_interval(days => cfg.price_history_raw_days))
    returning h.*
  ), minutes as (
    select m.series_id, pg_catalog.date_trunc('minute', m.observed_at) as minute,
           (pg_catalog.array_agg(m.price_usd order by m.observed_at))[1] as open_usd,
           pg_catalog.max(m.price_usd) as high_usd, pg_catalog.min(m.price_usd) as low_usd,
           (pg_catalog.array_agg(m.price_usd order by m.observed_at desc))[1] as close_usd,
           count(*)::integer as observations
    from moved m where m.source <> 'simulated_fill'
    group by 1, 2
  ), written_candles as (
    insert into walltrack.price_candles as c (series_id, minute, open_usd, high_usd, low_usd, close_usd, observations)
    select * from minutes
    on conflict (series_id, minute) do update
      set high_usd = greatest(c.high_usd, excluded.high_usd), low_usd = least(c.low_usd, excluded.low_usd),
          close_usd = excluded.close_usd, observations = c.observations + excluded.observations
    returning 1
  )
  select (select count(*) from moved), (select count(*) from written_candles) into folded, written;
  delete from walltrack.price_candles c
  where c.minute < as_of - pg_catalog.make_interval(days => cfg.price_candle_days);
  get diagnostics expired = row_count;
  delete from walltrack.price_series s
  where coalesce(s.last_observed_at, s.created_at) < as_of - pg_catalog.make_interval(days => cfg.price_candle_days)
    and not exists (select 1 from walltrack.price_history h where h.series_id = s.id);
  return pg_catalog.jsonb_build_object('raw_folded', folded, 'candles_written', written, 'candles_deleted', expired);
end;
$$;
comment on function walltrack.compact_price_history(timestamptz) is
  'The price history''s retention rule: raw prices older than config.price_history_raw_days become one-minute open/high/low/close candles (walltrack.price_candles), candles older than config.price_candle_days are deleted (and the series priced no more since). Hourly job; returns {raw_folded, candles_written, candles_deleted}.';
revoke execute on function walltrack.compact_price_history(timestamptz) from public;

-- For the lead's status_summary: how much history there is and how old.
create function walltrack.price_history_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'raw_rows', (select count(*) from walltrack.price_history),
    'tokens', (select count(*) from walltrack.price_series),
    'raw_since', (select pg_catalog.min(h.observed_at) from walltrack.price_history h),
    'last_price_at', (select pg_catalog.max(h.observed_at) from walltrack.price_history h),
    'candle_rows', (select count(*) from walltrack.price_candles),
    'candles_since', (select pg_catalog.min(c.minute) from walltrack.price_candles c),
    'bytes', pg_catalog.pg_total_relation_size('walltrack.price_history') + pg_catalog.pg_total_relation_size('walltrack.price_candles')
             + pg_catalog.pg_total_relation_size('walltrack.price_series'),
    'raw_days', (select c.price_history_raw_days from walltrack.config c),
    'candle_days', (select c.price_candle_days from walltrack.config c));
$$;
comment on function walltrack.price_history_status() is
  'The price history at a glance (jsonb): raw rows, tokens priced, since when, the last price''s time, candles, bytes on disk, retention settings. For status_summary.';
revoke execute on function walltrack.price_history_status() from public;

-- apply_prices as in 20261206100000_swap_prices (exits: each price's source on the position), plus
-- one line: every price it accepted goes to the price history.
create or replace function walltrack.apply_prices(prices jsonb, sol_usd numeric default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  orders_before bigint;
  repriced integer;
  refused integer;
  sol_refusal text := walltrack.price_refusal_reason(sol_usd::text);
begin
  select * into strict cfg from walltrack.config;
  select count(*) into orders_before from walltrack.orders where order_type <> 'entry';
  with observed as (
    select x.mint, coalesce(x.source, 'unknown') as source, coalesce(x.observed, x.usd) as observed,
           walltrack.sane_usd_price(x.usd) as usd,
           coalesce(x.refused, walltrack.price_refusal_reason(x.usd)) as reason,
           t.id as token_id,
           last.current_price as last_price
    from pg_catalog.jsonb_to_recordset(prices) as x(mint text, usd text, source text, observed text, refused text)
    left join walltrack.tokens t on t.address = x.mint
    -- The token's last accepted price: its most recently repriced open position's.
    left join lateral (
      select p.current_price from walltrack.positions p
      where p.token_id = t.id and p.status = 'open' and p.current_price is not null
      order by p.price_updated_at desc nulls last limit 1) last on true
  ), judged as (
    select o.*,
           case
             when o.reason is not null then o.reason
             when walltrack.price_jump(o.last_price, o.usd, cfg.price_jump_multiple)
                  -- Confirmed by the token's latest refusal when it was a jump to the same side
                  -- from the same accepted price, within the window.
                  and not exists (
                    select 1 from (select r.* from walltrack.price_refusals r where r.token_address = o.mint
                                   order by r.created_at desc, r.id desc limit 1) r
                    where r.reason = 'unconfirmed_jump' and r.last_price_usd = o.last_price
                      and r.created_at > pg_catalog.clock_timestamp() - pg_catalog.make_interval(mins => cfg.price_jump_window_minutes)
                      and (r.observed_usd > o.last_price) = (o.usd > o.last_price))
               then 'unconfirmed_jump'
           end as refusal
    from observed o
  ), recorded as (
    -- clock_timestamp: observations within one transaction keep their order.
    insert into walltrack.price_refusals (token_address, source, observed, observed_usd, last_price_usd, reason, created_at)
    select pg_catalog.left(j.mint, 64), pg_catalog.left(j.source, 32), pg_catalog.left(j.observed, 100),
           j.usd, case when j.refusal = 'unconfirmed_jump' then j.last_price end, j.refusal, pg_catalog.clock_timestamp()
    from judged j where j.refusal is not null and j.mint is not null
    returning 1
  ), repriced_positions as (
    update walltrack.positions p
       set current_price = j.usd, price_updated_at = pg_catalog.now(), price_source = pg_catalog.left(j.source, 32)
      from judged j
     where j.refusal is null and p.token_id = j.token_id and p.status = 'open' and p.current_price is distinct from j.usd
    returning p.id
  )
  select (select count(*) from repriced_positions), (select count(*) from recorded) into repriced, refused;
  perform walltrack.record_price_history(prices);
  -- Config last: an exit fill locks its position then config (the breaker), so the same order here
  -- cannot deadlock with it. A SOL/USD that is not a sane price keeps the last one.
  if sol_usd is not null and sol_refusal is null then
    update walltrack.config set sol_usd_price = sol_usd, sol_usd_price_at = pg_catalog.now();
  elsif sol_usd is not null then
    insert into walltrack.price_refusals (token_address, source, observed, reason)
    values (walltrack.wsol_mint(), 'sol_usd', pg_catalog.left(sol_usd::text, 100), sol_refusal);
    refused := refused + 1;
  end if;
  return pg_catalog.jsonb_build_object(
    'positions_repriced', repriced,
    'exit_orders_created', (select count(*) from walltrack.orders where order_type <> 'entry') - orders_before,
    'tokens_priced', (select count(*) from pg_catalog.jsonb_array_elements(prices) e where e ->> 'refused' is null),
    'prices_refused', refused);
end;
$$;
comment on function walltrack.apply_prices(jsonb, numeric) is
  'Writes observed USD prices to every open position of each token in one statement, with their source (the triggers recompute PnL and create exit orders) and records SOL/USD; a price that is not finite, positive and sane, or a jump beyond config.price_jump_multiple not yet confirmed by a second observation, is refused and recorded in price_refusals instead. Returns {positions_repriced, exit_orders_created, tokens_priced, prices_refused}.';
revoke execute on function walltrack.apply_prices(jsonb, numeric) from public;
