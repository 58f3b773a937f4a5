-- Adds the token lists (issue 17, and the "token allow and deny lists" of issue 14: one table, one
-- place in the decision). The deny list ships with the quote-like assets: stablecoins, liquid-
-- staking SOL tokens and wrapped majors. A leader moving SOL, USDC or USDT into one of them (or
-- out) is managing a treasury, not making the trade an operator follows them for; copied, it
-- became a position with scale-out levels at 2x that never fire, and it filled the funnel, the
-- leaderboard and the exposure limit. The operator adds and removes entries with the CLI
-- (`npm run token:deny|token:allow|token:remove|token:list`); a mint added with a quote-like kind
-- is treated as the shipped ones are, without a code change.
--
-- The mints are mainnet mints, each checked against at least two public sources (listed in the
-- README section "What is on the token lists"). Shipped by a migration, not seed.sql, so that
-- every stack has them.

create table walltrack.token_lists (
  mint walltrack.solana_address primary key,
  list text not null constraint token_lists_list_check check (list in ('deny', 'allow')),
  kind text not null constraint token_lists_kind_check
    check (kind in ('stablecoin', 'liquid_staking', 'wrapped_major', 'operator')),
  symbol text constraint token_lists_symbol_length check (char_length(symbol) between 1 and 20),
  note text constraint token_lists_note_length check (char_length(note) <= 500),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- A quote-like asset is never something to copy, so it cannot be on the allow list. SOL, USDC
-- and USDT are refused by the CLI (from mints.ts, where the mints are spelled once); listed
-- anyway, they would change nothing: the classifier never makes a quote a signal's token.
  constraint token_lists_allow_is_operator check (list = 'deny' or kind = 'operator')
);

create index idx_token_lists_list on walltrack.token_lists (list);

create trigger token_lists_set_updated_at before update on walltrack.token_lists
  for each row execute function walltrack.set_updated_at();

alter table walltrack.token_lists enable row level security;
revoke all on walltrack.token_lists from anon, authenticated;
grant select, insert, update, delete on walltrack.token_lists to service_role;

comment on table walltrack.token_lists is
  'The operator''s token lists: deny (quote-like assets shipped by the migration, and mints the operator keeps out) and allow (when not empty, only these mints are copied). Checked first in the decision (walltrack.token_list_reason).';
comment on column walltrack.token_lists.mint is 'The token''s mint address; one list per mint.';
comment on column walltrack.token_lists.list is 'deny: never entered (a quote-like kind: a conversion); allow: when the allow list is not empty, only these mints are entered.';
comment on column walltrack.token_lists.kind is 'stablecoin, liquid_staking or wrapped_major: a quote-like asset, whose swaps with SOL/USDC/USDT are conversions; operator: a mint the operator listed.';
comment on column walltrack.token_lists.symbol is 'The token''s ticker, for reading (not checked against any source).';
comment on column walltrack.token_lists.note is 'Why the mint is on the list.';
comment on column walltrack.token_lists.created_at is 'When the mint was added.';
comment on column walltrack.token_lists.updated_at is 'When the entry was last changed (trigger).';

insert into walltrack.token_lists (mint, list, kind, symbol, note) values
  ('2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo', 'deny', 'stablecoin', 'PYUSD', 'PayPal USD (Paxos), Token-2022'),
  ('USDSwr9ApdHk5bvJKMjzff41FfuX8bSxdKcR81vTwcA', 'deny', 'stablecoin', 'USDS', 'Sky Dollar (ex-Maker DAI)'),
  ('DEkqHyPN7GMRJ5cArtQFAWefqbZb33Hyf6s5iCwjEonT', 'deny', 'stablecoin', 'USDe', 'Ethena USDe'),
  ('Eh6XEPhSwoLv5wFApukmnaVSHQ6sAnoD9BmgmwQoN2sN', 'deny', 'stablecoin', 'sUSDe', 'Ethena staked USDe'),
  ('2u1tszSeqZ3qBWF3uNGPFc8TzMk2tdiwknnRMWGWjGWH', 'deny', 'stablecoin', 'USDG', 'Global Dollar (Paxos)'),
  ('A1KLoBrKBde8Ty9qtNQUtq3C2ortoC3u7twggz7sEto6', 'deny', 'stablecoin', 'USDY', 'Ondo US Dollar Yield'),
  ('HzwqbKZw8HxMN6bF2yFZNrht3c2iXXzpKcFu7uBEDKtr', 'deny', 'stablecoin', 'EURC', 'Circle euro coin'),
  ('mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So', 'deny', 'liquid_staking', 'mSOL', 'Marinade staked SOL'),
  ('J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn', 'deny', 'liquid_staking', 'JitoSOL', 'Jito staked SOL'),
  ('bSo13r4TkiE4KumL71LsHTPpL2euBYLFx6h9HP3piy1', 'deny', 'liquid_staking', 'bSOL', 'BlazeStake staked SOL'),
  ('jupSoLaHXQiZZTSfEWMTRRgpnyFm8f6sZdosWBjx93v', 'deny', 'liquid_staking', 'jupSOL', 'Jupiter staked SOL'),
  ('5oVNBeEEQvYi1cX3ir8Dx5n1P7pdxydbGF2X4TxVusJm', 'deny', 'liquid_staking', 'INF', 'Sanctum Infinity'),
  ('7dHbWXmci3dT8UFYWYZweBLXgycu7Y3iL6trKn1Y7ARj', 'deny', 'liquid_staking', 'stSOL', 'Lido staked SOL (winding down)'),
  ('he1iusmfkpAdwvxLNGV8Y1iSbj4rUy6yMhEA3fotn9A', 'deny', 'liquid_staking', 'hSOL', 'Helius staked SOL'),
  ('7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs', 'deny', 'wrapped_major', 'WETH', 'Ether (Wormhole Portal)'),
  ('3NZ9JMVBmGAqocybic2c7LQCJScmgsAZ6vQqTDzcqmJh', 'deny', 'wrapped_major', 'WBTC', 'Wrapped BTC (Wormhole Portal)'),
  ('cbbtcf3aa214zXHbiAZQwf4122FBYbraNdFqgw4iMij', 'deny', 'wrapped_major', 'cbBTC', 'Coinbase wrapped BTC');

alter table walltrack.signals drop constraint signals_filter_reason_check;
alter table walltrack.signals add constraint signals_filter_reason_check check (filter_reason in (
  'conversion', 'token_denied', 'token_not_allowed',
  'wallet_inactive', 'stale_signal', 'safety_check_failed', 'safety_check_unavailable', 'circuit_breaker',
  'duplicate', 'cooldown', 'exposure_limit', 'position_too_small', 'no_open_position',
  'mirror_exit_disabled', 'processing_error'));
comment on column walltrack.signals.filter_reason is 'Why the signal was not acted on: conversion (a swap between SOL/USDC/USDT and a quote-like asset of the deny list), token_denied, token_not_allowed, wallet_inactive, stale_signal, safety_check_failed, safety_check_unavailable, circuit_breaker, duplicate, cooldown, exposure_limit, position_too_small, no_open_position, mirror_exit_disabled, processing_error (the decision failed; the error is in the server log).';

-- The token lists as a named rule, checked before any other: the first reason not to act on a
-- signal because of its mint, or null. In order, first match wins:
--   conversion         the mint is on the deny list with a quote-like kind (stablecoin,
--                      liquid_staking, wrapped_major): the leader swapped SOL/USDC/USDT into it or
--                      out of it (a signal's quote is always one of those). BUY and SELL alike:
--                      never a position, never a mirror exit.
--   token_denied       a BUY of a mint the operator denied (kind operator)
--   token_not_allowed  a BUY while the allow list is not empty and the mint is not on it
-- A SELL of an operator-listed mint is not stopped here: a position opened before the mint was
-- listed still follows its leader out, as exits keep running whatever blocks entries.
create function walltrack.token_list_reason(sig walltrack.signals)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  entry walltrack.token_lists;
begin
  select * into entry from walltrack.token_lists l where l.mint = sig.token_address;
  return case
    when entry.list = 'deny' and entry.kind <> 'operator' then 'conversion'
    when sig.signal_type <> 'BUY' then null
    when entry.list = 'deny' then 'token_denied'
    when entry.list is null and exists (select 1 from walltrack.token_lists l where l.list = 'allow')
      then 'token_not_allowed'
  end;
end;
$$;
comment on function walltrack.token_list_reason(walltrack.signals) is
  'The token lists, checked first in the decision: conversion (a swap with a quote-like asset of the deny list, BUY or SELL), token_denied (a BUY of an operator-denied mint), token_not_allowed (a BUY of a mint off a non-empty allow list), or null.';
revoke execute on function walltrack.token_list_reason(walltrack.signals) from public;

-- Conversions counted on their own: they are neither trades followed nor trades refused.
create or replace view walltrack.signal_funnel with (security_invoker = true) as
with daily as (
  select (sig.webhook_received_at at time zone 'UTC')::date as day, sig.*
  from walltrack.signals sig
), reasons as (
  select day, pg_catalog.jsonb_object_agg(filter_reason, n) as by_reason
  from (select day, filter_reason, count(*) as n from daily where filtered group by day, filter_reason) x
  group by day
)
select d.day,
       count(*) as received,
       count(*) filter (where d.signal_type = 'BUY') as buys,
       count(*) filter (where d.signal_type = 'SELL') as sells,
       count(*) filter (where d.processed_at is null) as unprocessed,
       count(*) filter (where d.filtered) as filtered,
       coalesce(r.by_reason, '{}'::jsonb) as filtered_by_reason,
       count(*) filter (where d.position_created) as positions_opened,
       count(*) filter (where d.position_created and p.status = 'closed') as positions_closed,
       count(*) filter (where d.filter_reason = 'conversion') as conversions
from daily d
left join walltrack.positions p on p.id = d.position_id and d.position_created
left join reasons r on r.day = d.day
group by d.day, r.by_reason;
comment on view walltrack.signal_funnel is
  'Per UTC day: signals received (buys, sells), unprocessed, filtered (and by reason), positions opened and how many of those are closed, and conversions (swaps with a quote-like asset, also among the filtered).';

-- Decides a batch, oldest leader transaction first, each signal once. sol_usd is the SOL/USD price
-- of the moment (null when no source answered: SOL signals then wait for the sweeper, and BUYs too,
-- since an entry is sized in USD and paid in SOL). The recipe, each step a named rule:
--   first walltrack.token_list_reason (conversions, the operator's deny and allow lists)
--   BUY   walltrack.position_size_usd -> walltrack.buy_filter_reason -> walltrack.open_position
--   SELL  walltrack.mirror_exit
--   both  walltrack.record_signal_outcome
-- A signal whose decision fails is recorded processing_error (rolled back, logged) so one bad input
-- never stalls the batch. The config row is read once, unlocked: one batch, one configuration.
create or replace function walltrack.process_signals(
  signal_ids uuid[] default null, sol_usd numeric default null, sol_usd_source text default null,
  batch_limit integer default 500)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  s walltrack.signals;
  w walltrack.wallets;
  t walltrack.tokens;
  decided_at timestamptz;
  reason text;
  leader_usd numeric;
  size_usd numeric;
  mirror record;
  opened uuid;
  exits integer;
  deferred integer := 0;
  blocked jsonb := '{}'::jsonb; -- entries filtered circuit_breaker, by mode
  summary jsonb := pg_catalog.jsonb_build_object('processed', 0, 'opened', 0, 'exit_orders', 0,
                                                 'filtered', '{}'::jsonb);
begin
  select * into strict cfg from walltrack.config;
  for s in
    select * from walltrack.signals sig
    where sig.processed_at is null and (signal_ids is null or sig.id = any(signal_ids))
    order by coalesce(sig.leader_block_time, sig.webhook_received_at), sig.webhook_received_at, sig.id
    limit batch_limit
    for update skip locked
  loop
    -- No USD price yet and no SOL/USD to make one: wait for the next run.
    if ((s.price_usd is null or s.signal_type = 'BUY') and sol_usd is null) or coalesce(s.price_usd, s.price) is null then
      deferred := deferred + 1;
      continue;
    end if;
    decided_at := pg_catalog.clock_timestamp();
    leader_usd := pg_catalog.trim_scale(coalesce(s.price_usd, s.price * sol_usd));
    select * into w from walltrack.wallets where id = s.wallet_id;
    -- The leader's balance changes tell the mint's decimals: keep them where no source reported them.
    update walltrack.tokens tk set decimals = s.token_decimals
     where tk.address = s.token_address and tk.decimals is null and s.token_decimals is not null;
    select * into t from walltrack.tokens where address = s.token_address;
    reason := null; opened := null; exits := 0;

    begin
      reason := walltrack.token_list_reason(s);
      if reason is not null then
        null; -- a conversion or a listed mint: never a position, never a mirror exit
      elsif s.signal_type = 'BUY' then
        size_usd := walltrack.position_size_usd(s, cfg, sol_usd);
        reason := walltrack.buy_filter_reason(s, w, t, cfg, size_usd, leader_usd, sol_usd, decided_at);
        if reason is null then
          opened := walltrack.open_position(s, w, t, cfg, size_usd, leader_usd, sol_usd, decided_at);
          reason := case when opened is null then 'duplicate' end;
        end if;
      else
        mirror := walltrack.mirror_exit(s, leader_usd, decided_at);
        if mirror.waits then
          deferred := deferred + 1;
          continue;
        end if;
        exits := mirror.exit_orders;
        opened := mirror.position_id;
        reason := mirror.filter_reason;
      end if;
      perform walltrack.record_signal_outcome(s, t.id, reason, opened, leader_usd, sol_usd, sol_usd_source, decided_at);
    exception when others then
      -- A transient failure (serialization, deadlock, lock timeout) aborts the batch: decided next run.
      if sqlstate like '40%' or sqlstate = '55P03' then
        raise;
      end if;
      -- One signal that cannot be decided must not stall the batch (and the sweeper) forever: its
      -- partial work is rolled back and it is recorded as not acted on, with the error logged.
      raise warning 'walltrack: signal % could not be decided: %', s.id, sqlerrm;
      reason := 'processing_error'; opened := null; exits := 0;
      perform walltrack.record_signal_outcome(s, t.id, reason, null, leader_usd, sol_usd, sol_usd_source, decided_at);
    end;

    summary := summary
      || pg_catalog.jsonb_build_object(
           'processed', (summary ->> 'processed')::integer + 1,
           'opened', (summary ->> 'opened')::integer + (s.signal_type = 'BUY' and opened is not null)::integer,
           'exit_orders', (summary ->> 'exit_orders')::integer + exits);
    if reason = 'circuit_breaker' then
      blocked := blocked || pg_catalog.jsonb_build_object(w.mode, coalesce((blocked ->> w.mode)::integer, 0) + 1);
    end if;
    if reason is not null then
      summary := pg_catalog.jsonb_set(summary, array['filtered', reason],
        pg_catalog.to_jsonb(coalesce((summary -> 'filtered' ->> reason)::integer, 0) + 1));
    end if;
  end loop;
  -- Last, so the config row stays unlocked while the batch is decided (the price monitor and the breaker
  -- lock it), and config before the activation as the breaker takes them: else a deadlock at an unlock.
  if sol_usd is not null then
    update walltrack.config set sol_usd_price = sol_usd, sol_usd_price_at = pg_catalog.now();
  end if;
  if blocked <> '{}'::jsonb then
    update walltrack.circuit_breaker_events
       set new_positions_blocked = new_positions_blocked + (blocked ->> mode)::integer
     where event_type = 'activated' and deactivated_at is null and blocked ? mode;
  end if;
  return summary || pg_catalog.jsonb_build_object('deferred', deferred);
end;
$$;
comment on function walltrack.process_signals(uuid[], numeric, text, integer) is
  'Decides a batch of unprocessed signals in one call: BUYs filtered with a reason or sized and opened (simulation fills at once, live waits for the executor), SELLs mirrored as exit orders; returns {processed, opened, exit_orders, deferred, filtered: {reason: count}}.';
revoke execute on function walltrack.process_signals(uuid[], numeric, text, integer) from public;

-- The operator's commands on the lists (npm run token:deny, token:allow, token:remove). Listing a
-- mint again moves or updates its entry: a mint is on one list, with one kind.
create function walltrack.list_token(token_mint text, token_list text, token_kind text default 'operator',
                                     token_symbol text default null, token_note text default null)
returns text
language plpgsql
set search_path = ''
as $$
declare
  previous walltrack.token_lists;
begin
  if exists (select 1 from walltrack.wallets w where w.address = token_mint) then
    raise exception '% is a watched wallet, not a token mint', token_mint using errcode = 'P0001';
  end if;
  select * into previous from walltrack.token_lists l where l.mint = token_mint;
  insert into walltrack.token_lists (mint, list, kind, symbol, note)
  values (token_mint, token_list, token_kind, token_symbol, token_note)
  on conflict (mint) do update
    set list = excluded.list, kind = excluded.kind,
        symbol = coalesce(excluded.symbol, walltrack.token_lists.symbol),
        note = coalesce(excluded.note, walltrack.token_lists.note);
  return case when previous.mint is null then 'added'
              else format('moved from %s (%s)', previous.list, previous.kind) end;
end;
$$;
comment on function walltrack.list_token(text, text, text, text, text) is
  'Puts a mint on the deny or allow list with its kind (an entry already there is moved or updated); returns added or what it was before.';
revoke execute on function walltrack.list_token(text, text, text, text, text) from public;

create function walltrack.unlist_token(token_mint text)
returns walltrack.token_lists
language plpgsql
set search_path = ''
as $$
declare
  removed walltrack.token_lists;
begin
  delete from walltrack.token_lists l where l.mint = token_mint returning * into removed;
  if removed.mint is null then
    raise exception '% is on no token list', token_mint using errcode = 'P0002';
  end if;
  return removed;
end;
$$;
comment on function walltrack.unlist_token(text) is
  'Removes a mint from its token list (it is then copied like any token), returning the entry removed; an error when it was on none.';
revoke execute on function walltrack.unlist_token(text) from public;
