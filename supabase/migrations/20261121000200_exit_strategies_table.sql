-- Adds walltrack.exit_strategies, the catalog of reusable exit templates (stop loss, trailing stop,
-- scale-out levels, mirror exit), and the three product templates Default, Conservative, Aggressive.

-- Scale-out levels are an ordered JSON array [{"multiplier": 2, "sell_percent": 50}, ...]:
-- multipliers strictly increasing and above 1, percents of the ORIGINAL amount in (0, 100],
-- summing to at most 100. What the levels leave unsold "rides" until stop loss, trailing stop,
-- mirror or manual exit.
create function walltrack.scaling_levels_are_valid(levels jsonb)
returns boolean
language sql
immutable
set search_path = ''
as $$
  -- At most 10 levels (one tick creates at most one order per level), each an object holding
  -- multiplier and sell_percent and nothing else.
  select pg_catalog.jsonb_typeof(levels) = 'array'
    and pg_catalog.jsonb_array_length(case when pg_catalog.jsonb_typeof(levels) = 'array' then levels else '[]'::jsonb end) <= 10
    and coalesce((
      -- coalesce: an element that is not an object with both keys gives null, which bool_and
      -- would skip; it must count as invalid.
      select pg_catalog.bool_and(coalesce(
               pg_catalog.jsonb_typeof(l.value) = 'object'
           and l.value - 'multiplier' - 'sell_percent' = '{}'::jsonb
           and pg_catalog.jsonb_typeof(l.value -> 'multiplier') = 'number'
           and pg_catalog.jsonb_typeof(l.value -> 'sell_percent') = 'number'
           and (l.value ->> 'multiplier')::numeric > 1
           and (l.value ->> 'sell_percent')::numeric > 0
           and (l.value ->> 'sell_percent')::numeric <= 100
           and (l.ordinality = 1
                or (l.value ->> 'multiplier')::numeric
                   > (levels -> (l.ordinality::integer - 2) ->> 'multiplier')::numeric), false))
         and pg_catalog.sum((l.value ->> 'sell_percent')::numeric) <= 100
      from pg_catalog.jsonb_array_elements(
             case when pg_catalog.jsonb_typeof(levels) = 'array' then levels else '[]'::jsonb end
           ) with ordinality as l(value, ordinality)
    ), true);
$$;
comment on function walltrack.scaling_levels_are_valid(jsonb) is
  'True when a scale-out level array is well formed: at most 10 levels, each {multiplier, sell_percent} and no other key, numeric multipliers > 1 strictly increasing, sell percents in (0,100] summing to at most 100.';
revoke execute on function walltrack.scaling_levels_are_valid(jsonb) from public;

create table walltrack.exit_strategies (
  id uuid primary key default gen_random_uuid(),
  name text not null constraint uq_exit_strategies_name unique check (length(btrim(name)) > 0),
  description text,
  stop_loss_percent numeric(5, 2) not null check (stop_loss_percent > 0 and stop_loss_percent < 100),
  trailing_stop_enabled boolean not null default true,
  trailing_stop_percent numeric(5, 2) check (trailing_stop_percent > 0 and trailing_stop_percent < 100),
  trailing_activation_multiplier numeric(8, 4) not null default 1.5 check (trailing_activation_multiplier >= 1),
  scaling_levels jsonb not null default '[]'::jsonb
    constraint exit_strategies_scaling_levels_valid check (walltrack.scaling_levels_are_valid(scaling_levels)),
  mirror_exit_enabled boolean not null default true,
  is_default boolean not null default false,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint exit_strategies_trailing_percent_when_enabled
    check (not trailing_stop_enabled or trailing_stop_percent is not null),
  constraint exit_strategies_default_is_active check (not is_default or is_active)
);

-- At most one default template.
create unique index uq_exit_strategies_is_default on walltrack.exit_strategies (is_default) where is_default;

create trigger exit_strategies_set_updated_at before update on walltrack.exit_strategies
  for each row execute function walltrack.set_updated_at();

alter table walltrack.exit_strategies enable row level security;
revoke all on walltrack.exit_strategies from anon, authenticated;
grant select, insert, update, delete on walltrack.exit_strategies to service_role;

insert into walltrack.exit_strategies
  (name, description, stop_loss_percent, trailing_stop_enabled, trailing_stop_percent,
   trailing_activation_multiplier, scaling_levels, mirror_exit_enabled, is_default)
values
  ('Default', 'Balanced: sell 50% at 2x, 25% at 3x, let 25% ride; follow the leader out.',
   20, true, 15, 1.5,
   '[{"multiplier": 2, "sell_percent": 50}, {"multiplier": 3, "sell_percent": 25}]', true, true),
  ('Conservative', 'Take profit early: 33% at 1.5x, 33% at 2x, 34% at 3x; tight stops.',
   15, true, 10, 1.3,
   '[{"multiplier": 1.5, "sell_percent": 33}, {"multiplier": 2, "sell_percent": 33}, {"multiplier": 3, "sell_percent": 34}]',
   true, false),
  ('Aggressive', 'Let winners run: 25% at 3x, 25% at 5x, 50% rides; wide stops; ignores the leader''s sells.',
   30, true, 20, 2.0,
   '[{"multiplier": 3, "sell_percent": 25}, {"multiplier": 5, "sell_percent": 25}]', false, false);

comment on table walltrack.exit_strategies is
  'Catalog Pattern: reusable exit-strategy templates referenced by wallets and snapshotted on positions; per-position overrides live on positions.exit_strategy_override (ADR-002).';
comment on column walltrack.exit_strategies.id is 'Primary key.';
comment on column walltrack.exit_strategies.name is 'Unique human name of the template (Default, Conservative, Aggressive, ...).';
comment on column walltrack.exit_strategies.description is 'What the template is for, in a sentence.';
comment on column walltrack.exit_strategies.stop_loss_percent is 'Stop loss: exit the remaining amount when price <= entry x (1 - this/100).';
comment on column walltrack.exit_strategies.trailing_stop_enabled is 'Whether the trailing stop is used at all.';
comment on column walltrack.exit_strategies.trailing_stop_percent is 'Trailing stop: once armed, exit the remaining amount when price <= peak x (1 - this/100).';
comment on column walltrack.exit_strategies.trailing_activation_multiplier is 'Activation threshold of the trailing stop: armed once price >= entry x this.';
comment on column walltrack.exit_strategies.scaling_levels is 'Scale-out levels, ordered: [{"multiplier": m, "sell_percent": p}]; each fires once when price >= entry x m and sells p% of the original amount; the unsold rest rides.';
comment on column walltrack.exit_strategies.mirror_exit_enabled is 'Mirror exit: sell the position when the source wallet sells the token.';
comment on column walltrack.exit_strategies.is_default is 'The template new wallets get when none is named; at most one row is true.';
comment on column walltrack.exit_strategies.is_active is 'Inactive templates stay for history but are not offered for new wallets.';
comment on column walltrack.exit_strategies.created_at is 'When the row was created.';
comment on column walltrack.exit_strategies.updated_at is 'When the row was last updated (trigger).';

-- Rollback:
-- drop table walltrack.exit_strategies cascade; drop function walltrack.scaling_levels_are_valid(jsonb);
