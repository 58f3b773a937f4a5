-- Adds the dynamic priority fee (issue 14): a live swap asks Jupiter for a priority fee at a
-- priority level of the moment's fee market, capped by the operator (priorityLevelWithMaxLamports),
-- instead of one fixed number that lands badly in congestion; and each live order records the fee
-- its confirmed transaction actually paid. Jupiter's "auto" is not offered: its cap is Jupiter's,
-- not the operator's.

alter table walltrack.config
  add column priority_fee_mode text not null default 'dynamic'
    constraint config_priority_fee_mode_check check (priority_fee_mode in ('fixed', 'dynamic')),
  add column priority_fee_level text not null default 'veryHigh'
    constraint config_priority_fee_level_check check (priority_fee_level in ('medium', 'high', 'veryHigh')),
  -- At most 0.1 SOL a swap: a typo of a few zeros must not pay a fortune to land one swap.
  add column priority_fee_max_lamports bigint not null default 1000000
    constraint config_priority_fee_max_lamports_check check (priority_fee_max_lamports > 0 and priority_fee_max_lamports <= 100000000);
comment on column walltrack.config.priority_fee_mode is
  'How live swaps set their priority fee: dynamic (Jupiter estimates it at priority_fee_level, capped at priority_fee_max_lamports) or fixed (priority_fee_lamports).';
comment on column walltrack.config.priority_fee_level is
  'Dynamic priority fee: Jupiter''s priority level (medium, high, veryHigh) of recent fees on the swap''s accounts.';
comment on column walltrack.config.priority_fee_max_lamports is
  'Dynamic priority fee: the most a swap may pay, in lamports (at most 0.1 SOL).';
comment on column walltrack.config.priority_fee_lamports is
  'Fixed priority fee in lamports passed to Jupiter /swap for live orders when priority_fee_mode is fixed.';

alter table walltrack.orders
  add column network_fee_lamports bigint constraint orders_network_fee_lamports_check check (network_fee_lamports >= 0);
comment on column walltrack.orders.network_fee_lamports is
  'Live: the whole fee the confirmed transaction paid, in lamports (meta.fee: 5,000 per signature plus the priority fee).';
comment on column walltrack.orders.priority_fee_lamports is
  'Live: the priority fee Jupiter set when the swap was built, then what the confirmed transaction paid (meta.fee less 5,000 lamports per signature).';

-- The named rule: the prioritizationFeeLamports value of a Jupiter /swap request.
create function walltrack.priority_fee_request()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select case c.priority_fee_mode
           when 'fixed' then pg_catalog.to_jsonb(c.priority_fee_lamports)
           else pg_catalog.jsonb_build_object('priorityLevelWithMaxLamports', pg_catalog.jsonb_build_object(
                  'priorityLevel', c.priority_fee_level, 'maxLamports', c.priority_fee_max_lamports))
         end
  from walltrack.config c;
$$;
comment on function walltrack.priority_fee_request() is
  'The prioritizationFeeLamports of a live swap''s Jupiter /swap request: {"priorityLevelWithMaxLamports": {priorityLevel, maxLamports}} (dynamic) or the fixed lamports.';
revoke execute on function walltrack.priority_fee_request() from public;

-- Recorded while the order is still submitted, before its fill (an executed order never changes).
create function walltrack.record_order_fees(order_id uuid, network_fee_lamports bigint, priority_fee_lamports bigint)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.orders o
     set network_fee_lamports = record_order_fees.network_fee_lamports,
         priority_fee_lamports = record_order_fees.priority_fee_lamports
   where o.id = order_id and o.status = 'submitted';
  return found;
end;
$$;
comment on function walltrack.record_order_fees(uuid, bigint, bigint) is
  'Records the fees a confirmed live swap paid (meta.fee, and its priority part) on its submitted order, just before its fill; false when the order is not submitted.';
revoke execute on function walltrack.record_order_fees(uuid, bigint, bigint) from public;

-- A config change of the priority fee, validated by the CHECK constraints; null keeps a value.
create function walltrack.set_priority_fee(mode text default null, level text default null, max_lamports bigint default null,
                                           fixed_lamports bigint default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.config c
     set priority_fee_mode = coalesce(mode, c.priority_fee_mode),
         priority_fee_level = coalesce(level, c.priority_fee_level),
         priority_fee_max_lamports = coalesce(max_lamports, c.priority_fee_max_lamports),
         priority_fee_lamports = coalesce(fixed_lamports, c.priority_fee_lamports);
  return walltrack.priority_fee_request();
end;
$$;
comment on function walltrack.set_priority_fee(text, text, bigint, bigint) is
  'Sets the priority fee of live swaps (mode dynamic or fixed, level, cap, fixed lamports; null keeps a value) and returns the request Jupiter will get.';
revoke execute on function walltrack.set_priority_fee(text, text, bigint, bigint) from public;

-- Rollback:
-- drop function walltrack.set_priority_fee(text, text, bigint, bigint); drop function walltrack.record_order_fees(uuid, bigint, bigint);
-- drop function walltrack.priority_fee_request(); alter table walltrack.orders drop column network_fee_lamports;
-- alter table walltrack.config drop column priority_fee_mode, drop column priority_fee_level, drop column priority_fee_max_lamports;
