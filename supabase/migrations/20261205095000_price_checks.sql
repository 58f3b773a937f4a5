-- Adds the checks a price passes before it moves money (issue 12): a price from an outside source
-- must be a finite, positive decimal no larger than a billion USD (walltrack.sane_usd_price), and a
-- move beyond config.price_jump_multiple of the last accepted price is applied only once a second
-- observation within config.price_jump_window_minutes confirms it. Every refusal is kept in
-- walltrack.price_refusals, where the operator sees it (and npm run status counts it). The money
-- columns refuse Infinity and NaN, as the last line: PostgreSQL's numeric holds both, and NaN sorts
-- above every number, so `> 0` alone lets them through.

alter table walltrack.config
  add column price_jump_multiple numeric not null default 10
    constraint config_price_jump_multiple_check check (price_jump_multiple > 1),
  add column price_jump_window_minutes integer not null default 15
    constraint config_price_jump_window_minutes_check check (price_jump_window_minutes > 0);
comment on column walltrack.config.price_jump_multiple is
  'A new price at least this multiple of the last accepted one (or at most its inverse) is a jump: applied only once a second observation confirms it (default 10: x10 up or /10 down).';
comment on column walltrack.config.price_jump_window_minutes is
  'How long a jump waits for its confirmation (a second observation on the same side of the multiple): an older unconfirmed jump confirms nothing.';

alter table walltrack.positions
  add constraint positions_prices_are_finite check (
    entry_price < 'Infinity' and current_price < 'Infinity' and peak_price < 'Infinity'
    and exit_price < 'Infinity' and leader_price_usd < 'Infinity'),
  add constraint positions_pnl_is_finite check (
    unrealized_pnl_usd > '-Infinity' and unrealized_pnl_usd < 'Infinity'
    and realized_pnl_usd > '-Infinity' and realized_pnl_usd < 'Infinity'
    and current_pnl_usd > '-Infinity' and current_pnl_usd < 'Infinity');
alter table walltrack.orders
  add constraint orders_amounts_are_finite check (
    amount_in < 'Infinity' and amount_out < 'Infinity' and amount_out_expected < 'Infinity'
    and price_usd < 'Infinity' and value_usd < 'Infinity');

create table walltrack.price_refusals (
  id uuid primary key default gen_random_uuid(),
  token_address text not null constraint price_refusals_token_address_length check (char_length(token_address) <= 64),
  source text not null constraint price_refusals_source_length check (char_length(source) between 1 and 32),
  observed text constraint price_refusals_observed_length check (char_length(observed) <= 100),
  observed_usd numeric,
  last_price_usd numeric,
  reason text not null constraint price_refusals_reason_check check (reason in (
    'not_a_number', 'not_positive', 'absurd', 'unconfirmed_jump')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint price_refusals_jump_has_prices check (
    reason <> 'unconfirmed_jump' or coalesce(observed_usd > 0 and last_price_usd > 0, false))
);

-- A jump's confirmation looks up the token's latest unconfirmed jump.
create index idx_price_refusals_token_address_created_at on walltrack.price_refusals (token_address, created_at desc);
create index idx_price_refusals_created_at on walltrack.price_refusals (created_at desc);

create trigger price_refusals_set_updated_at before update on walltrack.price_refusals
  for each row execute function walltrack.set_updated_at();

-- An event log: rows are added and may be purged, never rewritten.
alter table walltrack.price_refusals enable row level security;
revoke all on walltrack.price_refusals from anon, authenticated, service_role;
grant select, insert, delete on walltrack.price_refusals to service_role;

comment on table walltrack.price_refusals is
  'Event log: prices the price monitor refused, each with its reason (not a finite number, not positive, absurd, or a jump awaiting confirmation). A refused price is never applied to a position, so it can neither move PnL nor trigger an exit.';
comment on column walltrack.price_refusals.id is 'Primary key.';
comment on column walltrack.price_refusals.token_address is 'The mint the price was for (WSOL for SOL/USD).';
comment on column walltrack.price_refusals.source is 'Where it came from: jupiter or dexscreener (sol_usd for the SOL/USD of a price run).';
comment on column walltrack.price_refusals.observed is 'What the source sent, as text, cut at 100 characters.';
comment on column walltrack.price_refusals.observed_usd is 'The observed price as a number when it was one (jumps); null otherwise.';
comment on column walltrack.price_refusals.last_price_usd is 'The last accepted price of the token at the time (jumps).';
comment on column walltrack.price_refusals.reason is 'not_a_number (Infinity, NaN, text), not_positive, absurd (above a billion USD), unconfirmed_jump (beyond config.price_jump_multiple of the last accepted price, awaiting a second observation).';
comment on column walltrack.price_refusals.created_at is 'When the price was refused.';
comment on column walltrack.price_refusals.updated_at is 'When the row was last updated (trigger; the log is not updated by WallTrack).';

-- Why an observed USD price cannot be used, or null when it can: a plain or exponent decimal
-- (Infinity, NaN and text are not), positive, at most a billion USD. Text in, so that nothing a
-- source sends can make the cast fail.
create function walltrack.price_refusal_reason(observed text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when observed is null or observed !~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?\s*$' then 'not_a_number'
    when observed::numeric <= 0 then 'not_positive'
    when observed::numeric > 1000000000 then 'absurd'
  end;
$$;
comment on function walltrack.price_refusal_reason(text) is
  'Why an observed USD price cannot be used: not_a_number (Infinity, NaN, text), not_positive, absurd (above a billion USD); null when it is a sane price.';
revoke execute on function walltrack.price_refusal_reason(text) from public;

-- The observed price as a number when it is sane, else null.
create function walltrack.sane_usd_price(observed text)
returns numeric
language sql
immutable
set search_path = ''
as $$
  select case when walltrack.price_refusal_reason(observed) is null then pg_catalog.trim_scale(observed::numeric) end;
$$;
comment on function walltrack.sane_usd_price(text) is
  'An observed USD price as a number when walltrack.price_refusal_reason finds nothing wrong with it; null otherwise.';
revoke execute on function walltrack.sane_usd_price(text) from public;

-- Whether a new price is a jump from the last accepted one: beyond `multiple` either way.
create function walltrack.price_jump(last_price numeric, new_price numeric, multiple numeric)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select coalesce(new_price >= last_price * multiple or new_price * multiple <= last_price, false);
$$;
comment on function walltrack.price_jump(numeric, numeric, numeric) is
  'True when new_price is at least multiple x last_price or at most last_price / multiple (false without a last price).';
revoke execute on function walltrack.price_jump(numeric, numeric, numeric) from public;
