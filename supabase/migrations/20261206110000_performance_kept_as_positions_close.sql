-- The daily refresh gets lean (issue 13): what needs every close in order (streaks, drawdown) or
-- every value sorted (copy quality's medians) is kept up to date as positions change, so
-- walltrack.refresh_performance reads one row per wallet instead of sorting every close it ever
-- had. Only the rolling windows (signals and positions of the last 24 h / 7 d / 30 d), which move
-- with the clock, are still counted by the daily pass.
--
--   walltrack.performance_close_totals   one row per wallet: its closed positions folded in close
--                                         order (closed_at, then id): counts, sums, best/worst,
--                                         running PnL and peak, drawdown, the run in progress
--   walltrack.performance_copy_values     per wallet, how many positions have each fill delay and
--                                         each slippage against the leader (medians without a sort)
--
-- Both are maintained by statement-level triggers on walltrack.positions (set-based: a statement
-- closing a thousand positions folds them in one query). A close that comes after the wallet's
-- latest one (the usual case: closed_at is the closing transaction's time) is folded onto the
-- wallet's state; anything else (a close dated before the latest, a closed position changed,
-- reopened or deleted, a new capital) rebuilds that wallet's row from its positions, so the state
-- is always exactly what folding every close in order gives. walltrack.performance_recomputed()
-- keeps today's definitions computed from scratch (the oracle of the tests and the bench) and
-- walltrack.performance_drift() names any figure that differs from it.

create table walltrack.performance_close_totals (
  wallet_id uuid primary key
    constraint fk_performance_close_totals_wallets references walltrack.wallets (id) on delete cascade,
  closes bigint not null default 0,
  wins bigint not null default 0,
  losses bigint not null default 0,
  breakeven bigint not null default 0,
  pnl_sum numeric,
  cost_sum numeric,
  win_sum numeric,
  loss_sum numeric,
  best_usd numeric,
  worst_usd numeric,
  best_percent numeric,
  worst_percent numeric,
  cumulative numeric not null default 0,
  peak numeric not null default 0,
  max_drawdown_usd numeric,
  max_drawdown_ratio numeric,
  capital_usd numeric,
  last_closed_at timestamptz,
  last_position_id uuid,
  last_outcome text constraint performance_close_totals_outcome_check check (last_outcome in ('W', 'L', 'B')),
  last_run_length bigint not null default 0,
  max_win_streak bigint not null default 0,
  max_loss_streak bigint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint performance_close_totals_outcomes_add_up check (wins + losses + breakeven = closes)
);
alter table walltrack.performance_close_totals enable row level security;
revoke all on walltrack.performance_close_totals from anon, authenticated;
grant select, insert, update, delete on walltrack.performance_close_totals to service_role;
comment on table walltrack.performance_close_totals is
  'Each wallet''s closed positions folded in close order (closed_at, then id), kept by triggers on walltrack.positions; walltrack.refresh_performance reads it instead of sorting every close.';
comment on column walltrack.performance_close_totals.wallet_id is 'Wallet whose closed positions are folded.';
comment on column walltrack.performance_close_totals.closes is 'Closed positions folded.';
comment on column walltrack.performance_close_totals.wins is 'Of which realized PnL > 0.';
comment on column walltrack.performance_close_totals.losses is 'Of which realized PnL < 0.';
comment on column walltrack.performance_close_totals.breakeven is 'Of which realized PnL = 0.';
comment on column walltrack.performance_close_totals.pnl_sum is 'Sum of realized PnL (null without closes).';
comment on column walltrack.performance_close_totals.cost_sum is 'Sum of entry_value_usd of the closed positions.';
comment on column walltrack.performance_close_totals.win_sum is 'Sum of realized PnL of the wins (null without wins).';
comment on column walltrack.performance_close_totals.loss_sum is 'Sum of realized PnL of the losses (null without losses).';
comment on column walltrack.performance_close_totals.best_usd is 'Highest realized PnL of one close.';
comment on column walltrack.performance_close_totals.worst_usd is 'Lowest realized PnL of one close.';
comment on column walltrack.performance_close_totals.best_percent is 'Highest realized PnL / entry cost x 100 of one close, unrounded.';
comment on column walltrack.performance_close_totals.worst_percent is 'Lowest realized PnL / entry cost x 100 of one close, unrounded.';
comment on column walltrack.performance_close_totals.cumulative is 'Cumulative realized PnL after the latest close.';
comment on column walltrack.performance_close_totals.peak is 'Running peak of the cumulative PnL (starting at 0) after the latest close.';
comment on column walltrack.performance_close_totals.max_drawdown_usd is 'Largest peak - cumulative over every close.';
comment on column walltrack.performance_close_totals.max_drawdown_ratio is 'Largest (peak - cumulative) / (capital + peak) x 100 over every close, unrounded and uncapped.';
comment on column walltrack.performance_close_totals.capital_usd is 'config.capital_usd the ratio was computed with (a new capital rebuilds the row).';
comment on column walltrack.performance_close_totals.last_closed_at is 'closed_at of the latest close folded.';
comment on column walltrack.performance_close_totals.last_position_id is 'id of the latest close folded (the tie-break of close order).';
comment on column walltrack.performance_close_totals.last_outcome is 'Outcome of the latest close: W win, L loss, B breakeven.';
comment on column walltrack.performance_close_totals.last_run_length is 'Closes in a row with last_outcome, ending with the latest.';
comment on column walltrack.performance_close_totals.max_win_streak is 'Longest run of consecutive wins.';
comment on column walltrack.performance_close_totals.max_loss_streak is 'Longest run of consecutive losses.';
comment on column walltrack.performance_close_totals.created_at is 'When the row was created.';
comment on column walltrack.performance_close_totals.updated_at is 'When the row was last folded or rebuilt (trigger).';
create trigger performance_close_totals_set_updated_at before update on walltrack.performance_close_totals
  for each row execute function walltrack.set_updated_at();

create table walltrack.performance_copy_values (
  wallet_id uuid not null
    constraint fk_performance_copy_values_wallets references walltrack.wallets (id) on delete cascade,
  measure text not null constraint performance_copy_values_measure_check check (measure in ('fill_delay', 'slippage')),
  value numeric not null,
  positions bigint not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (wallet_id, measure, value)
);
alter table walltrack.performance_copy_values enable row level security;
revoke all on walltrack.performance_copy_values from anon, authenticated;
grant select, insert, update, delete on walltrack.performance_copy_values to service_role;
comment on table walltrack.performance_copy_values is
  'Per wallet, how many of its positions (any status) have each fill_delay_seconds and each slippage_vs_leader_percent, kept by triggers on walltrack.positions: exact medians by walking the counts in value order, without sorting every position.';
comment on column walltrack.performance_copy_values.wallet_id is 'Wallet whose positions are counted.';
comment on column walltrack.performance_copy_values.measure is 'fill_delay (positions.fill_delay_seconds) or slippage (positions.slippage_vs_leader_percent).';
comment on column walltrack.performance_copy_values.value is 'One value of the measure.';
comment on column walltrack.performance_copy_values.positions is 'Positions of the wallet with that value (rows reaching 0 are deleted).';
comment on column walltrack.performance_copy_values.created_at is 'When the value was first counted.';
comment on column walltrack.performance_copy_values.updated_at is 'When the count last changed (trigger).';
create trigger performance_copy_values_set_updated_at before update on walltrack.performance_copy_values
  for each row execute function walltrack.set_updated_at();

-- Locks the close totals of the wallets given, in wallet order (two statements never deadlock on
-- them), creating the missing rows; a row folded with another capital than today's is zeroed
-- (its drawdown ratio depends on the capital), so the fold rebuilds it.
create function walltrack.lock_performance_close_totals(wallets uuid[])
returns void
language plpgsql
set search_path = ''
as $$
begin
  -- Only wallets that still exist: a wallet's cascade deletes its positions after the wallet.
  insert into walltrack.performance_close_totals (wallet_id)
  select w.id from walltrack.wallets w where w.id = any(wallets)
  on conflict (wallet_id) do nothing;
  perform 1 from walltrack.performance_close_totals t
   where t.wallet_id = any(wallets) order by t.wallet_id for update;
  perform walltrack.reset_performance_close_totals(array(
    select t.wallet_id from walltrack.performance_close_totals t
     where t.wallet_id = any(wallets) and t.closes > 0
       and t.capital_usd is distinct from (select c.capital_usd from walltrack.config c)));
end;
$$;
comment on function walltrack.lock_performance_close_totals(uuid[]) is
  'Locks (creating if missing) the close totals of the wallets given and zeroes those folded with another capital; walltrack.fold_performance_closes then folds what they miss.';
revoke execute on function walltrack.lock_performance_close_totals(uuid[]) from public;

-- Zeroes the close totals of the wallets given: the next fold rebuilds them from every close.
create function walltrack.reset_performance_close_totals(wallets uuid[])
returns void
language sql
set search_path = ''
as $$
  update walltrack.performance_close_totals t
     set closes = 0, wins = 0, losses = 0, breakeven = 0, pnl_sum = null, cost_sum = null, win_sum = null,
         loss_sum = null, best_usd = null, worst_usd = null, best_percent = null, worst_percent = null,
         cumulative = 0, peak = 0, max_drawdown_usd = null, max_drawdown_ratio = null, capital_usd = null,
         last_closed_at = null, last_position_id = null, last_outcome = null, last_run_length = 0,
         max_win_streak = 0, max_loss_streak = 0
   where t.wallet_id = any(wallets) and t.closes > 0;
$$;
comment on function walltrack.reset_performance_close_totals(uuid[]) is
  'Zeroes the close totals of the wallets given, so that walltrack.fold_performance_closes rebuilds them from every close.';
revoke execute on function walltrack.reset_performance_close_totals(uuid[]) from public;

-- Folds into each wallet's state its closed positions that come after its latest folded close,
-- in close order, computing every figure as refresh_performance did over the whole history:
-- running sum and peak (the peak starts at 0) for the drawdown, runs of equal outcomes for the
-- streaks. A zeroed state gets every close: a rebuild is the same fold.
create function walltrack.fold_performance_closes(wallets uuid[])
returns void
language sql
set search_path = ''
as $$
  with capital as (
    select c.capital_usd from walltrack.config c
  ), batch as (
    select p.wallet_id, p.closed_at, p.id, p.realized_pnl_usd as pnl, p.entry_value_usd as cost,
           p.realized_pnl_usd / nullif(p.entry_value_usd, 0) * 100 as pnl_percent,
           case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end as outcome,
           s.cumulative as state_cumulative, s.peak as state_peak, s.last_outcome as state_outcome,
           s.last_run_length as state_run_length
    from walltrack.performance_close_totals s
    join walltrack.positions p on p.wallet_id = s.wallet_id
    where s.wallet_id = any(wallets)
      and p.status = 'closed'
      and (s.last_closed_at is null
           or p.closed_at > s.last_closed_at
           or (p.closed_at = s.last_closed_at and p.id > s.last_position_id))
  ), ordered as (
    select b.*,
           b.state_cumulative + sum(b.pnl) over w as cumulative,
           case when b.outcome is distinct from coalesce(lag(b.outcome) over w, b.state_outcome) then 1 else 0 end as run_start,
           row_number() over w as n,
           count(*) over (partition by b.wallet_id) as batch_size
    from batch b
    window w as (partition by b.wallet_id order by b.closed_at, b.id)
  ), marked as (
    select o.*,
           sum(o.run_start) over w as run_id, -- 0: the run in progress before this batch goes on
           greatest(o.state_peak, max(o.cumulative) over w) as peak
    from ordered o
    window w as (partition by o.wallet_id order by o.closed_at, o.id) -- the same order: no second sort
  ), runs as (
    select wallet_id, run_id, outcome,
           count(*) + case when run_id = 0 then max(state_run_length) else 0 end as length
    from marked group by wallet_id, run_id, outcome
  ), streaks as (
    select wallet_id,
           max(length) filter (where outcome = 'W') as max_win,
           max(length) filter (where outcome = 'L') as max_loss,
           (pg_catalog.array_agg(outcome order by run_id desc))[1] as last_outcome,
           (pg_catalog.array_agg(length order by run_id desc))[1] as last_length
    from runs group by wallet_id
  ), totals as (
    select wallet_id,
           count(*) as closes,
           count(*) filter (where outcome = 'W') as wins,
           count(*) filter (where outcome = 'L') as losses,
           count(*) filter (where outcome = 'B') as breakeven,
           sum(pnl) as pnl_sum, sum(cost) as cost_sum,
           sum(pnl) filter (where outcome = 'W') as win_sum,
           sum(pnl) filter (where outcome = 'L') as loss_sum,
           max(pnl) as best_usd, min(pnl) as worst_usd,
           max(pnl_percent) as best_percent, min(pnl_percent) as worst_percent,
           max(peak - cumulative) as max_drawdown_usd,
           max((peak - cumulative) / nullif((select capital_usd from capital) + peak, 0) * 100) as max_drawdown_ratio,
           (pg_catalog.array_agg(cumulative) filter (where n = batch_size))[1] as cumulative,
           (pg_catalog.array_agg(peak) filter (where n = batch_size))[1] as peak,
           (pg_catalog.array_agg(closed_at) filter (where n = batch_size))[1] as last_closed_at,
           (pg_catalog.array_agg(id) filter (where n = batch_size))[1] as last_position_id
    from marked group by wallet_id
  )
  update walltrack.performance_close_totals s
     set closes = s.closes + t.closes,
         wins = s.wins + t.wins,
         losses = s.losses + t.losses,
         breakeven = s.breakeven + t.breakeven,
         -- A sum stays null until there is something to add, as sum() over no rows.
         pnl_sum = coalesce(s.pnl_sum + t.pnl_sum, s.pnl_sum, t.pnl_sum),
         cost_sum = coalesce(s.cost_sum + t.cost_sum, s.cost_sum, t.cost_sum),
         win_sum = coalesce(s.win_sum + t.win_sum, s.win_sum, t.win_sum),
         loss_sum = coalesce(s.loss_sum + t.loss_sum, s.loss_sum, t.loss_sum),
         best_usd = greatest(s.best_usd, t.best_usd),
         worst_usd = least(s.worst_usd, t.worst_usd),
         best_percent = greatest(s.best_percent, t.best_percent),
         worst_percent = least(s.worst_percent, t.worst_percent),
         cumulative = t.cumulative,
         peak = t.peak,
         max_drawdown_usd = greatest(s.max_drawdown_usd, t.max_drawdown_usd),
         max_drawdown_ratio = greatest(s.max_drawdown_ratio, t.max_drawdown_ratio),
         capital_usd = (select capital_usd from capital),
         last_closed_at = t.last_closed_at,
         last_position_id = t.last_position_id,
         last_outcome = k.last_outcome,
         last_run_length = k.last_length,
         max_win_streak = greatest(s.max_win_streak, coalesce(k.max_win, 0)),
         max_loss_streak = greatest(s.max_loss_streak, coalesce(k.max_loss, 0))
    from totals t join streaks k on k.wallet_id = t.wallet_id
   where s.wallet_id = t.wallet_id;
$$;
comment on function walltrack.fold_performance_closes(uuid[]) is
  'Folds into each given wallet''s close totals its closed positions after the latest one folded, in close order (closed_at, id), every figure as walltrack.performance_recomputed() defines it. Call walltrack.lock_performance_close_totals first.';
revoke execute on function walltrack.fold_performance_closes(uuid[]) from public;

-- The three triggers below share one shape: the wallets whose closes changed are locked, those
-- whose history changed (not only grew at its end) are zeroed, all are folded; then the copy
-- values move by what the statement changed. Transition tables are only visible to the trigger
-- function itself, hence three functions.

-- Positions inserted: their closes are folded (a close dated before its wallet's latest rebuilds
-- the wallet), their copy values counted.
create function walltrack.performance_track_inserted_positions()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  touched uuid[] := array(select distinct n.wallet_id from new_rows n where n.status = 'closed');
begin
  if touched <> '{}' then
    perform walltrack.lock_performance_close_totals(touched);
    perform walltrack.reset_performance_close_totals(array(
      select n.wallet_id from new_rows n join walltrack.performance_close_totals s on s.wallet_id = n.wallet_id
       where n.status = 'closed'
         and (n.closed_at < s.last_closed_at or (n.closed_at = s.last_closed_at and n.id <= s.last_position_id))));
    perform walltrack.fold_performance_closes(touched);
  end if;
  insert into walltrack.performance_copy_values as v (wallet_id, measure, value, positions)
  select n.wallet_id, d.measure, d.value, count(*)
  from new_rows n
  cross join lateral (values ('fill_delay', n.fill_delay_seconds::numeric), ('slippage', n.slippage_vs_leader_percent)) d(measure, value)
  where d.value is not null
  group by n.wallet_id, d.measure, d.value
  on conflict (wallet_id, measure, value) do update set positions = v.positions + excluded.positions;
  return null;
end;
$$;
comment on function walltrack.performance_track_inserted_positions() is
  'Trigger function (after insert on positions, per statement): folds the new closes into walltrack.performance_close_totals and counts the new copy values in walltrack.performance_copy_values.';
revoke execute on function walltrack.performance_track_inserted_positions() from public;

-- Positions updated: a position that becomes closed after its wallet's latest close is folded; a
-- close that changes (reopened, another PnL, cost, time or wallet) or a new close dated before
-- the latest rebuilds its wallet. A price tick changes none of these: its rows are skipped by
-- the first filter (closed on neither side).
create function walltrack.performance_track_updated_positions()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  touched uuid[];
  changed_history uuid[];
  copy_touched uuid[];
begin
  -- Closes that changed: closed on either side, and not the same close on both (a price tick
  -- has no row closed on either side and ends here).
  with changed as (
    select o.wallet_id as old_wallet, n.wallet_id as new_wallet
    from (select * from old_rows where status = 'closed') o
    full join (select * from new_rows where status = 'closed') n on n.id = o.id
    where o.id is null or n.id is null
       or (o.wallet_id, o.closed_at, o.realized_pnl_usd, o.entry_value_usd)
          is distinct from (n.wallet_id, n.closed_at, n.realized_pnl_usd, n.entry_value_usd)
  )
  select array(select old_wallet from changed where old_wallet is not null
               union select new_wallet from changed where new_wallet is not null),
         array(select old_wallet from changed where old_wallet is not null)
    into touched, changed_history;
  if touched <> '{}' then
    perform walltrack.lock_performance_close_totals(touched);
    -- New closes dated at or before their wallet's latest (read once the state is locked).
    perform walltrack.reset_performance_close_totals(changed_history || array(
      select n.wallet_id
      from (select * from new_rows where status = 'closed') n
      join walltrack.performance_close_totals s on s.wallet_id = n.wallet_id
      where (n.closed_at < s.last_closed_at or (n.closed_at = s.last_closed_at and n.id <= s.last_position_id))
        and not exists (select 1 from old_rows o
                        where o.id = n.id and o.status = 'closed' and o.wallet_id = n.wallet_id
                          and o.closed_at = n.closed_at and o.realized_pnl_usd = n.realized_pnl_usd
                          and o.entry_value_usd = n.entry_value_usd)));
    perform walltrack.fold_performance_closes(touched);
  end if;

  with moved as (
    select o.wallet_id as old_wallet, o.fill_delay_seconds::numeric as old_delay, o.slippage_vs_leader_percent as old_slippage,
           n.wallet_id as new_wallet, n.fill_delay_seconds::numeric as new_delay, n.slippage_vs_leader_percent as new_slippage
    from old_rows o join new_rows n on n.id = o.id
    where (o.wallet_id, o.fill_delay_seconds, o.slippage_vs_leader_percent)
          is distinct from (n.wallet_id, n.fill_delay_seconds, n.slippage_vs_leader_percent)
  ), delta as (
    select d.wallet_id, d.measure, d.value, sum(d.delta) as delta
    from moved m
    cross join lateral (values (m.old_wallet, 'fill_delay', m.old_delay, -1), (m.old_wallet, 'slippage', m.old_slippage, -1),
                               (m.new_wallet, 'fill_delay', m.new_delay, 1), (m.new_wallet, 'slippage', m.new_slippage, 1))
      d(wallet_id, measure, value, delta)
    where d.value is not null
    group by d.wallet_id, d.measure, d.value
    having sum(d.delta) <> 0
  ), counted as (
    insert into walltrack.performance_copy_values as v (wallet_id, measure, value, positions)
    select wallet_id, measure, value, delta from delta
    on conflict (wallet_id, measure, value) do update set positions = v.positions + excluded.positions
    returning v.wallet_id
  )
  select array(select distinct wallet_id from counted) into copy_touched;
  if copy_touched <> '{}' then
    delete from walltrack.performance_copy_values v where v.wallet_id = any(copy_touched) and v.positions = 0;
  end if;
  return null;
end;
$$;
comment on function walltrack.performance_track_updated_positions() is
  'Trigger function (after update on positions, per statement): folds new closes after their wallet''s latest, rebuilds the close totals of a wallet whose closes changed otherwise, and moves changed copy values.';
revoke execute on function walltrack.performance_track_updated_positions() from public;

-- Positions deleted: a wallet that lost a close is rebuilt; their copy values are taken away.
create function walltrack.performance_track_deleted_positions()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  touched uuid[] := array(select distinct o.wallet_id from old_rows o where o.status = 'closed');
  copy_touched uuid[];
begin
  if touched <> '{}' then
    perform walltrack.lock_performance_close_totals(touched);
    perform walltrack.reset_performance_close_totals(touched);
    perform walltrack.fold_performance_closes(touched);
  end if;
  with counted as (
    update walltrack.performance_copy_values v set positions = v.positions - d.removed
    from (select o.wallet_id, x.measure, x.value, count(*) as removed
          from old_rows o
          cross join lateral (values ('fill_delay', o.fill_delay_seconds::numeric), ('slippage', o.slippage_vs_leader_percent)) x(measure, value)
          where x.value is not null
          group by o.wallet_id, x.measure, x.value) d
    where v.wallet_id = d.wallet_id and v.measure = d.measure and v.value = d.value
    returning v.wallet_id
  )
  select array(select distinct wallet_id from counted) into copy_touched;
  if copy_touched <> '{}' then
    delete from walltrack.performance_copy_values v where v.wallet_id = any(copy_touched) and v.positions = 0;
  end if;
  return null;
end;
$$;
comment on function walltrack.performance_track_deleted_positions() is
  'Trigger function (after delete on positions, per statement): rebuilds the close totals of the wallets that lost a close and takes the deleted positions'' copy values away.';
revoke execute on function walltrack.performance_track_deleted_positions() from public;

-- Positions truncated: nothing is left to count.
create function walltrack.performance_track_truncated_positions()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  delete from walltrack.performance_close_totals;
  delete from walltrack.performance_copy_values;
  return null;
end;
$$;
comment on function walltrack.performance_track_truncated_positions() is
  'Trigger function (after truncate on positions): empties walltrack.performance_close_totals and walltrack.performance_copy_values.';
revoke execute on function walltrack.performance_track_truncated_positions() from public;

create trigger positions_track_performance_insert after insert on walltrack.positions
  referencing new table as new_rows for each statement execute function walltrack.performance_track_inserted_positions();
create trigger positions_track_performance_update after update on walltrack.positions
  referencing old table as old_rows new table as new_rows for each statement execute function walltrack.performance_track_updated_positions();
create trigger positions_track_performance_delete after delete on walltrack.positions
  referencing old table as old_rows for each statement execute function walltrack.performance_track_deleted_positions();
create trigger positions_track_performance_truncate after truncate on walltrack.positions
  for each statement execute function walltrack.performance_track_truncated_positions();

-- A new capital changes every drawdown ratio: every wallet is rebuilt at once.
create function walltrack.performance_track_capital()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  wallets uuid[] := array(select t.wallet_id from walltrack.performance_close_totals t where t.closes > 0);
begin
  perform walltrack.lock_performance_close_totals(wallets);
  perform walltrack.fold_performance_closes(wallets);
  return null;
end;
$$;
comment on function walltrack.performance_track_capital() is
  'Trigger function (after config.capital_usd changes): rebuilds every wallet''s close totals (the drawdown ratio is relative to capital).';
revoke execute on function walltrack.performance_track_capital() from public;

create trigger config_track_performance_capital after update of capital_usd on walltrack.config
  for each row when (new.capital_usd is distinct from old.capital_usd)
  execute function walltrack.performance_track_capital();

-- Rebuilds both tables from every position: after positions were written with triggers off (a
-- restore with session_replication_role = replica), or to check them (performance_drift after a
-- refresh tells the same without writing). Returns the wallets with closes.
create function walltrack.rebuild_performance_totals()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  wallets uuid[];
begin
  lock table walltrack.performance_close_totals, walltrack.performance_copy_values in exclusive mode;
  delete from walltrack.performance_close_totals;
  delete from walltrack.performance_copy_values;
  wallets := array(select distinct p.wallet_id from walltrack.positions p where p.status = 'closed');
  perform walltrack.lock_performance_close_totals(wallets);
  perform walltrack.fold_performance_closes(wallets);
  insert into walltrack.performance_copy_values (wallet_id, measure, value, positions)
  select p.wallet_id, d.measure, d.value, count(*)
  from walltrack.positions p
  cross join lateral (values ('fill_delay', p.fill_delay_seconds::numeric), ('slippage', p.slippage_vs_leader_percent)) d(measure, value)
  where d.value is not null
  group by p.wallet_id, d.measure, d.value;
  return pg_catalog.cardinality(wallets);
end;
$$;
comment on function walltrack.rebuild_performance_totals() is
  'Rebuilds walltrack.performance_close_totals and walltrack.performance_copy_values from every position (after writes with triggers off); returns the wallets with closes.';
revoke execute on function walltrack.rebuild_performance_totals() from public;

-- Positions opened in the windows: a range scan instead of every position ever opened.
create index idx_positions_created_at on walltrack.positions (created_at);

-- Today's definitions, computed from every position (the body refresh_performance had until
-- this migration, without its write): the oracle the maintained state is checked against.
create function walltrack.performance_recomputed()
returns table (wallet_id uuid, total_positions bigint, winning_positions bigint, losing_positions bigint,
  breakeven_positions bigint, win_rate numeric, total_pnl_usd numeric, total_pnl_percent numeric, average_win_usd numeric,
  average_loss_usd numeric, profit_ratio numeric, profit_factor numeric, expectancy_usd numeric, max_drawdown_usd numeric,
  max_drawdown_percent numeric, signal_count_24h bigint, signal_count_7d bigint, signal_count_30d bigint,
  positions_24h bigint, positions_7d bigint, positions_30d bigint, best_trade_pnl_usd numeric,
  best_trade_pnl_percent numeric, worst_trade_pnl_usd numeric, worst_trade_pnl_percent numeric,
  current_win_streak bigint, current_loss_streak bigint, max_win_streak bigint, max_loss_streak bigint,
  median_copy_delay_seconds numeric, median_slippage_vs_leader_percent numeric)
language sql
stable
set search_path = ''
as $$
  -- One sort of the closed positions (wallet, close order) serves every per-close metric: the
  -- running sum and peak (drawdown), and run boundaries (a close whose outcome differs from the one
  -- before starts a run: streaks).
  with ordered as (
    select p.wallet_id, p.closed_at, p.id, p.realized_pnl_usd as pnl, p.entry_value_usd as cost,
           p.realized_pnl_usd / nullif(p.entry_value_usd, 0) * 100 as pnl_percent,
           case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end as outcome,
           sum(p.realized_pnl_usd) over w as cumulative,
           case when (case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end)
                     is distinct from lag(case when p.realized_pnl_usd > 0 then 'W' when p.realized_pnl_usd < 0 then 'L' else 'B' end) over w
                then 1 else 0 end as run_start,
           row_number() over w as n
    from walltrack.positions p
    where p.status = 'closed'
    window w as (partition by p.wallet_id order by p.closed_at, p.id)
  ), marked as (
    select o.*,
           sum(o.run_start) over w as run_id,
           greatest(0, max(o.cumulative) over w) as peak
    from ordered o
    window w as (partition by o.wallet_id order by o.closed_at, o.id) -- the same order: no second sort
  ), runs as (
    select wallet_id, outcome, count(*) as length, max(n) as last_n
    from marked group by wallet_id, run_id, outcome
  ), streaks as (
    select r.wallet_id,
           coalesce(max(r.length) filter (where r.outcome = 'W'), 0) as max_win_streak,
           coalesce(max(r.length) filter (where r.outcome = 'L'), 0) as max_loss_streak,
           coalesce(max(r.length) filter (where r.outcome = 'W' and r.last_n = t.total), 0) as current_win_streak,
           coalesce(max(r.length) filter (where r.outcome = 'L' and r.last_n = t.total), 0) as current_loss_streak
    from runs r
    join (select wallet_id, max(last_n) as total from runs group by wallet_id) t on t.wallet_id = r.wallet_id
    group by r.wallet_id
  ), totals as (
    select wallet_id,
           count(*) as total,
           count(*) filter (where outcome = 'W') as wins,
           count(*) filter (where outcome = 'L') as losses,
           count(*) filter (where outcome = 'B') as breakeven,
           sum(pnl) as total_pnl,
           sum(cost) as total_cost,
           avg(pnl) filter (where outcome = 'W') as average_win,
           avg(pnl) filter (where outcome = 'L') as average_loss,
           sum(pnl) filter (where outcome = 'W') as gross_profit,
           -sum(pnl) filter (where outcome = 'L') as gross_loss,
           max(pnl) as best_usd, min(pnl) as worst_usd,
           max(pnl_percent) as best_percent, min(pnl_percent) as worst_percent,
           max(peak - cumulative) as max_drawdown_usd,
           least(100, max((peak - cumulative) / nullif((select capital_usd from walltrack.config) + peak, 0) * 100)) as max_drawdown_percent
    from marked group by wallet_id
  ), windows as (
    select w.id as wallet_id,
           coalesce(sig.s24, 0) as s24, coalesce(sig.s7, 0) as s7, coalesce(sig.s30, 0) as s30,
           coalesce(pos.p24, 0) as p24, coalesce(pos.p7, 0) as p7, coalesce(pos.p30, 0) as p30,
           pos.median_delay, pos.median_slippage
    from walltrack.wallets w
    left join (
      select wallet_id,
             count(*) filter (where webhook_received_at > pg_catalog.now() - interval '24 hours') as s24,
             count(*) filter (where webhook_received_at > pg_catalog.now() - interval '7 days') as s7,
             count(*) as s30
      from walltrack.signals where webhook_received_at > pg_catalog.now() - interval '30 days'
      group by wallet_id) sig on sig.wallet_id = w.id
    left join (
      -- One scan of every position: opened in the windows, and copy quality (medians over filled ones).
      select wallet_id,
             count(*) filter (where created_at > pg_catalog.now() - interval '24 hours') as p24,
             count(*) filter (where created_at > pg_catalog.now() - interval '7 days') as p7,
             count(*) filter (where created_at > pg_catalog.now() - interval '30 days') as p30,
             -- Exact medians of numerics (percentile_cont would compute in floating point).
             walltrack.median(pg_catalog.array_agg(fill_delay_seconds order by fill_delay_seconds)
                              filter (where fill_delay_seconds is not null)) as median_delay,
             walltrack.median(pg_catalog.array_agg(slippage_vs_leader_percent order by slippage_vs_leader_percent)
                              filter (where slippage_vs_leader_percent is not null)) as median_slippage
      from walltrack.positions
      group by wallet_id) pos on pos.wallet_id = w.id
  ), computed as (
    select w.wallet_id,
           coalesce(t.total, 0) as total_positions,
           coalesce(t.wins, 0) as winning_positions,
           coalesce(t.losses, 0) as losing_positions,
           coalesce(t.breakeven, 0) as breakeven_positions,
           coalesce(pg_catalog.round(t.wins * 100.0 / nullif(t.total, 0), 2), 0) as win_rate,
           coalesce(t.total_pnl, 0) as total_pnl_usd,
           coalesce(pg_catalog.round(t.total_pnl / nullif(t.total_cost, 0) * 100, 4), 0) as total_pnl_percent,
           coalesce(pg_catalog.trim_scale(t.average_win), 0) as average_win_usd,
           coalesce(pg_catalog.trim_scale(t.average_loss), 0) as average_loss_usd,
           -- The columns are unconstrained numeric: a tiny loss beside big wins, or one trade worth
           -- 1e8 % of its cost, is stored as it is and never overflows the refresh of every wallet.
           case when t.losses > 0 then pg_catalog.round(coalesce(t.average_win, 0) / -t.average_loss, 4) end as profit_ratio,
           case when t.losses > 0 then pg_catalog.round(coalesce(t.gross_profit, 0) / t.gross_loss, 4) end as profit_factor,
           pg_catalog.trim_scale(t.total_pnl / nullif(t.total, 0)) as expectancy_usd,
           coalesce(t.max_drawdown_usd, 0) as max_drawdown_usd,
           coalesce(pg_catalog.round(t.max_drawdown_percent, 4), 0) as max_drawdown_percent,
           w.s24, w.s7, w.s30, w.p24, w.p7, w.p30,
           t.best_usd, pg_catalog.round(t.best_percent, 4) as best_percent,
           t.worst_usd, pg_catalog.round(t.worst_percent, 4) as worst_percent,
           coalesce(k.current_win_streak, 0) as current_win_streak,
           coalesce(k.current_loss_streak, 0) as current_loss_streak,
           coalesce(k.max_win_streak, 0) as max_win_streak,
           coalesce(k.max_loss_streak, 0) as max_loss_streak,
           w.median_delay, w.median_slippage
    from windows w
    left join totals t on t.wallet_id = w.wallet_id
    left join streaks k on k.wallet_id = w.wallet_id
  )
  select wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate,
         total_pnl_usd, total_pnl_percent, average_win_usd, average_loss_usd, profit_ratio, profit_factor,
         expectancy_usd, max_drawdown_usd, max_drawdown_percent, s24, s7, s30, p24, p7, p30, best_usd,
         best_percent, worst_usd, worst_percent, current_win_streak, current_loss_streak, max_win_streak,
         max_loss_streak, median_delay, median_slippage
  from computed;
$$;
comment on function walltrack.performance_recomputed() is
  'Every wallet''s performance figures computed from scratch from every position with the definitions of walltrack.refresh_performance (20261121003100), without writing: the reference the kept state is checked against (walltrack.performance_drift).';
revoke execute on function walltrack.performance_recomputed() from public;

-- Every figure of walltrack.performance that differs from a computation from scratch, compared
-- as numbers (a row missing on either side shows as nulls). Empty right after a refresh.
create function walltrack.performance_drift()
returns table (wallet_id uuid, metric text, stored numeric, recomputed numeric)
language sql
stable
set search_path = ''
as $$
  select coalesce(p.wallet_id, r.wallet_id), m.metric, m.stored, m.recomputed
  from walltrack.performance p
  full join walltrack.performance_recomputed() r on r.wallet_id = p.wallet_id
  cross join lateral (values ('total_positions', p.total_positions::numeric, r.total_positions::numeric),
                       ('winning_positions', p.winning_positions::numeric, r.winning_positions::numeric),
                       ('losing_positions', p.losing_positions::numeric, r.losing_positions::numeric),
                       ('breakeven_positions', p.breakeven_positions::numeric, r.breakeven_positions::numeric),
                       ('win_rate', p.win_rate::numeric, r.win_rate::numeric),
                       ('total_pnl_usd', p.total_pnl_usd::numeric, r.total_pnl_usd::numeric),
                       ('total_pnl_percent', p.total_pnl_percent::numeric, r.total_pnl_percent::numeric),
                       ('average_win_usd', p.average_win_usd::numeric, r.average_win_usd::numeric),
                       ('average_loss_usd', p.average_loss_usd::numeric, r.average_loss_usd::numeric),
                       ('profit_ratio', p.profit_ratio::numeric, r.profit_ratio::numeric),
                       ('profit_factor', p.profit_factor::numeric, r.profit_factor::numeric),
                       ('expectancy_usd', p.expectancy_usd::numeric, r.expectancy_usd::numeric),
                       ('max_drawdown_usd', p.max_drawdown_usd::numeric, r.max_drawdown_usd::numeric),
                       ('max_drawdown_percent', p.max_drawdown_percent::numeric, r.max_drawdown_percent::numeric),
                       ('signal_count_24h', p.signal_count_24h::numeric, r.signal_count_24h::numeric),
                       ('signal_count_7d', p.signal_count_7d::numeric, r.signal_count_7d::numeric),
                       ('signal_count_30d', p.signal_count_30d::numeric, r.signal_count_30d::numeric),
                       ('positions_24h', p.positions_24h::numeric, r.positions_24h::numeric),
                       ('positions_7d', p.positions_7d::numeric, r.positions_7d::numeric),
                       ('positions_30d', p.positions_30d::numeric, r.positions_30d::numeric),
                       ('best_trade_pnl_usd', p.best_trade_pnl_usd::numeric, r.best_trade_pnl_usd::numeric),
                       ('best_trade_pnl_percent', p.best_trade_pnl_percent::numeric, r.best_trade_pnl_percent::numeric),
                       ('worst_trade_pnl_usd', p.worst_trade_pnl_usd::numeric, r.worst_trade_pnl_usd::numeric),
                       ('worst_trade_pnl_percent', p.worst_trade_pnl_percent::numeric, r.worst_trade_pnl_percent::numeric),
                       ('current_win_streak', p.current_win_streak::numeric, r.current_win_streak::numeric),
                       ('current_loss_streak', p.current_loss_streak::numeric, r.current_loss_streak::numeric),
                       ('max_win_streak', p.max_win_streak::numeric, r.max_win_streak::numeric),
                       ('max_loss_streak', p.max_loss_streak::numeric, r.max_loss_streak::numeric),
                       ('median_copy_delay_seconds', p.median_copy_delay_seconds::numeric, r.median_copy_delay_seconds::numeric),
                       ('median_slippage_vs_leader_percent', p.median_slippage_vs_leader_percent::numeric, r.median_slippage_vs_leader_percent::numeric)) m(metric, stored, recomputed)
  where m.stored is distinct from m.recomputed or p.wallet_id is null or r.wallet_id is null;
$$;
comment on function walltrack.performance_drift() is
  'Each figure of walltrack.performance that differs from walltrack.performance_recomputed() (as numbers), with both values; empty when the refresh is exact.';
revoke execute on function walltrack.performance_drift() from public;

-- The daily refresh, lean: one row per wallet from the kept state, the windows counted.
create or replace function walltrack.refresh_performance()
returns integer
language sql
set search_path = ''
as $$
  -- Everything per close comes from the state kept as positions change; only the windows move
  -- with the clock and are counted here.
  with medians as (
    -- The exact median (as walltrack.median) from value counts walked in value order: the values
    -- at ranks (n + 1) / 2 and n / 2 + 1, their mean.
    select c.wallet_id,
           pg_catalog.trim_scale((min(c.value) filter (where c.measure = 'fill_delay' and c.upto >= (c.total + 1) / 2)
                                  + min(c.value) filter (where c.measure = 'fill_delay' and c.upto >= c.total / 2 + 1)) / 2)
             as median_delay,
           pg_catalog.trim_scale((min(c.value) filter (where c.measure = 'slippage' and c.upto >= (c.total + 1) / 2)
                                  + min(c.value) filter (where c.measure = 'slippage' and c.upto >= c.total / 2 + 1)) / 2)
             as median_slippage
    from (select v.wallet_id, v.measure, v.value,
                 (sum(v.positions) over (partition by v.wallet_id, v.measure order by v.value))::bigint as upto,
                 (sum(v.positions) over (partition by v.wallet_id, v.measure))::bigint as total
          from walltrack.performance_copy_values v) c
    group by c.wallet_id
  ), windows as (
    select w.id as wallet_id,
           coalesce(sig.s24, 0) as s24, coalesce(sig.s7, 0) as s7, coalesce(sig.s30, 0) as s30,
           coalesce(pos.p24, 0) as p24, coalesce(pos.p7, 0) as p7, coalesce(pos.p30, 0) as p30
    from walltrack.wallets w
    left join (
      select wallet_id,
             count(*) filter (where webhook_received_at > pg_catalog.now() - interval '24 hours') as s24,
             count(*) filter (where webhook_received_at > pg_catalog.now() - interval '7 days') as s7,
             count(*) as s30
      from walltrack.signals where webhook_received_at > pg_catalog.now() - interval '30 days'
      group by wallet_id) sig on sig.wallet_id = w.id
    left join (
      select wallet_id,
             count(*) filter (where created_at > pg_catalog.now() - interval '24 hours') as p24,
             count(*) filter (where created_at > pg_catalog.now() - interval '7 days') as p7,
             count(*) as p30
      from walltrack.positions where created_at > pg_catalog.now() - interval '30 days'
      group by wallet_id) pos on pos.wallet_id = w.id
  ), computed as (
    select w.wallet_id,
           coalesce(t.closes, 0) as total_positions,
           coalesce(t.wins, 0) as winning_positions,
           coalesce(t.losses, 0) as losing_positions,
           coalesce(t.breakeven, 0) as breakeven_positions,
           coalesce(pg_catalog.round(t.wins * 100.0 / nullif(t.closes, 0), 2), 0) as win_rate,
           coalesce(t.pnl_sum, 0) as total_pnl_usd,
           coalesce(pg_catalog.round(t.pnl_sum / nullif(t.cost_sum, 0) * 100, 4), 0) as total_pnl_percent,
           -- avg() is sum / count (numeric division): the same figure from the kept sums.
           coalesce(pg_catalog.trim_scale(t.win_sum / nullif(t.wins, 0)), 0) as average_win_usd,
           coalesce(pg_catalog.trim_scale(t.loss_sum / nullif(t.losses, 0)), 0) as average_loss_usd,
           case when t.losses > 0 then pg_catalog.round(coalesce(t.win_sum / nullif(t.wins, 0), 0) / -(t.loss_sum / t.losses), 4) end
             as profit_ratio,
           case when t.losses > 0 then pg_catalog.round(coalesce(t.win_sum, 0) / -t.loss_sum, 4) end as profit_factor,
           pg_catalog.trim_scale(t.pnl_sum / nullif(t.closes, 0)) as expectancy_usd,
           coalesce(t.max_drawdown_usd, 0) as max_drawdown_usd,
           -- least() ignores a null: only a wallet with closes has a ratio to cap.
           coalesce(pg_catalog.round(case when t.closes > 0 then least(100, t.max_drawdown_ratio) end, 4), 0)
             as max_drawdown_percent,
           w.s24, w.s7, w.s30, w.p24, w.p7, w.p30,
           t.best_usd, pg_catalog.round(t.best_percent, 4) as best_percent,
           t.worst_usd, pg_catalog.round(t.worst_percent, 4) as worst_percent,
           case when t.last_outcome = 'W' then t.last_run_length else 0 end as current_win_streak,
           case when t.last_outcome = 'L' then t.last_run_length else 0 end as current_loss_streak,
           coalesce(t.max_win_streak, 0) as max_win_streak,
           coalesce(t.max_loss_streak, 0) as max_loss_streak,
           m.median_delay, m.median_slippage
    from windows w
    left join walltrack.performance_close_totals t on t.wallet_id = w.wallet_id
    left join medians m on m.wallet_id = w.wallet_id
  ), written as (
    insert into walltrack.performance as perf (
      wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate,
      total_pnl_usd, total_pnl_percent, average_win_usd, average_loss_usd, profit_ratio, profit_factor,
      expectancy_usd, max_drawdown_usd, max_drawdown_percent, signal_count_24h, signal_count_7d,
      signal_count_30d, positions_24h, positions_7d, positions_30d, best_trade_pnl_usd,
      best_trade_pnl_percent, worst_trade_pnl_usd, worst_trade_pnl_percent, current_win_streak,
      current_loss_streak, max_win_streak, max_loss_streak, median_copy_delay_seconds,
      median_slippage_vs_leader_percent, last_calculated_at)
    select wallet_id, total_positions, winning_positions, losing_positions, breakeven_positions, win_rate,
           total_pnl_usd, total_pnl_percent, average_win_usd, average_loss_usd, profit_ratio, profit_factor,
           expectancy_usd, max_drawdown_usd, max_drawdown_percent, s24, s7, s30, p24, p7, p30, best_usd,
           best_percent, worst_usd, worst_percent, current_win_streak, current_loss_streak, max_win_streak,
           max_loss_streak, median_delay, median_slippage, pg_catalog.now()
    from computed
    on conflict on constraint uq_performance_wallet_id do update set
      total_positions = excluded.total_positions, winning_positions = excluded.winning_positions,
      losing_positions = excluded.losing_positions, breakeven_positions = excluded.breakeven_positions,
      win_rate = excluded.win_rate, total_pnl_usd = excluded.total_pnl_usd,
      total_pnl_percent = excluded.total_pnl_percent, average_win_usd = excluded.average_win_usd,
      average_loss_usd = excluded.average_loss_usd, profit_ratio = excluded.profit_ratio,
      profit_factor = excluded.profit_factor, expectancy_usd = excluded.expectancy_usd,
      max_drawdown_usd = excluded.max_drawdown_usd, max_drawdown_percent = excluded.max_drawdown_percent,
      signal_count_24h = excluded.signal_count_24h, signal_count_7d = excluded.signal_count_7d,
      signal_count_30d = excluded.signal_count_30d, positions_24h = excluded.positions_24h,
      positions_7d = excluded.positions_7d, positions_30d = excluded.positions_30d,
      best_trade_pnl_usd = excluded.best_trade_pnl_usd, best_trade_pnl_percent = excluded.best_trade_pnl_percent,
      worst_trade_pnl_usd = excluded.worst_trade_pnl_usd, worst_trade_pnl_percent = excluded.worst_trade_pnl_percent,
      current_win_streak = excluded.current_win_streak, current_loss_streak = excluded.current_loss_streak,
      max_win_streak = excluded.max_win_streak, max_loss_streak = excluded.max_loss_streak,
      median_copy_delay_seconds = excluded.median_copy_delay_seconds,
      median_slippage_vs_leader_percent = excluded.median_slippage_vs_leader_percent,
      last_calculated_at = excluded.last_calculated_at
    returning 1
  )
  select count(*)::integer from written;
$$;
comment on function walltrack.refresh_performance() is
  'Writes every wallet''s performance row in one statement from the state kept as positions change (walltrack.performance_close_totals, walltrack.performance_copy_values) and the rolling windows counted now; the same figures as walltrack.performance_recomputed(). pg_cron runs it at 00:00 UTC.';
revoke execute on function walltrack.refresh_performance() from public;

-- The state of the positions already there.
select walltrack.rebuild_performance_totals();

-- For status_summary (the lead wires it in): when performance was last refreshed, and whether the
-- kept closes still account for every closed position (a restore with triggers off breaks that;
-- the answer then names the repair). A count, not the full check (walltrack.performance_drift).
create function walltrack.performance_status()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
           'last_refresh_at', (select max(p.last_calculated_at) from walltrack.performance p),
           'wallets_with_closes', (select count(*) from walltrack.performance_close_totals t where t.closes > 0),
           'closes_kept', k.kept,
           'closed_positions', k.closed,
           'kept_totals_match', k.kept = k.closed,
           'repair', case when k.kept <> k.closed then 'select walltrack.rebuild_performance_totals()' end)
  from (select (select coalesce(sum(t.closes), 0) from walltrack.performance_close_totals t) as kept,
               (select count(*) from walltrack.positions p where p.status = 'closed') as closed) k;
$$;
comment on function walltrack.performance_status() is
  'Performance at a glance (jsonb): last refresh, wallets with closes, closes kept against closed positions, and the repair to run when they differ.';
revoke execute on function walltrack.performance_status() from public;
