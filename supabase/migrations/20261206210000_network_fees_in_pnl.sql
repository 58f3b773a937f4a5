-- The network fees a live swap pays count in the PnL. A confirmed swap's fee (base fee plus
-- priority fee, meta.fee of the transaction) is SOL the wallet spent beside the swap: the fill's
-- amounts leave it out (walltrack.record_order_fees keeps it in lamports), so until now a live
-- position's realized PnL, the day's PnL the breaker reads and a leader's performance showed the
-- trade without what it cost to send it. Now:
--   orders.fee_usd      = network_fee_lamports x 10^-9 x the SOL/USD that valued the fill (exact:
--                         a product, no division);
--   positions.fees_usd  = the sum of fee_usd of its executed orders;
--   positions.realized_pnl_usd is net of them: each executed order's fee is realized when it is
--                         paid (the entry's at the entry, each exit's at its exit), in the same
--                         UPDATE as the fill, so an exit's notified PnL includes its own fee.
-- A swap that lands but fails on chain (slippage exceeded, say) pays its fee too and fills nothing:
-- walltrack.failed_swap_fees keeps one row per such transaction (its fee valued the same way),
-- deducted from the position when recorded (a failed entry's position, in error, then shows the
-- loss) and counted in the day's PnL at the time it was recorded.
-- A simulated fill pays no network fee (fee_usd null): simulation is unchanged.

alter table walltrack.orders
  add column fee_usd numeric constraint orders_fee_usd_check check (fee_usd >= 0 and fee_usd < 'Infinity');
comment on column walltrack.orders.fee_usd is
  'The network fee the confirmed swap paid (network_fee_lamports), in USD at the SOL/USD that valued its fill; null when no fee was paid (simulation).';

alter table walltrack.positions
  add column fees_usd numeric not null default 0 constraint positions_fees_usd_check check (fees_usd >= 0 and fees_usd < 'Infinity');
comment on column walltrack.positions.fees_usd is
  'Network fees in USD paid by the position''s executed orders (orders.fee_usd), already deducted from realized_pnl_usd.';

create table walltrack.failed_swap_fees (
  tx_signature walltrack.solana_signature primary key,
  order_id uuid not null constraint fk_failed_swap_fees_orders references walltrack.orders (id) on delete cascade,
  position_id uuid not null constraint fk_failed_swap_fees_positions references walltrack.positions (id) on delete cascade,
  mode text not null constraint failed_swap_fees_mode_check check (mode = 'live'),
  network_fee_lamports bigint not null constraint failed_swap_fees_network_fee_lamports_check check (network_fee_lamports > 0),
  priority_fee_lamports bigint not null
    constraint failed_swap_fees_priority_fee_lamports_check check (priority_fee_lamports between 0 and network_fee_lamports),
  sol_usd_price numeric not null constraint failed_swap_fees_sol_usd_price_check check (sol_usd_price > 0 and sol_usd_price < 'Infinity'),
  fee_usd numeric not null constraint failed_swap_fees_fee_usd_check check (fee_usd >= 0 and fee_usd < 'Infinity'),
  paid_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Every table keeps updated_at by the same trigger; these rows are never updated.
create trigger failed_swap_fees_set_updated_at before update on walltrack.failed_swap_fees
  for each row execute function walltrack.set_updated_at();
create index idx_failed_swap_fees_order_id on walltrack.failed_swap_fees (order_id);
create index idx_failed_swap_fees_position_id on walltrack.failed_swap_fees (position_id);
alter table walltrack.failed_swap_fees enable row level security;
revoke all on walltrack.failed_swap_fees from anon, authenticated, service_role;
grant select on walltrack.failed_swap_fees to service_role;
comment on table walltrack.failed_swap_fees is
  'Event log: the network fee of each live swap that landed but failed on chain (one row per transaction), valued at the SOL/USD of the moment and deducted from its position''s realized PnL (positions.fees_usd).';
comment on column walltrack.failed_swap_fees.tx_signature is 'The failed transaction.';
comment on column walltrack.failed_swap_fees.order_id is 'The order whose attempt it was.';
comment on column walltrack.failed_swap_fees.position_id is 'The position that paid it.';
comment on column walltrack.failed_swap_fees.mode is 'Always live: only a sent transaction pays a fee.';
comment on column walltrack.failed_swap_fees.network_fee_lamports is 'meta.fee of the failed transaction (base plus priority fee).';
comment on column walltrack.failed_swap_fees.priority_fee_lamports is 'Its priority part.';
comment on column walltrack.failed_swap_fees.sol_usd_price is 'The SOL/USD price that valued it (config.sol_usd_price when recorded).';
comment on column walltrack.failed_swap_fees.fee_usd is 'network_fee_lamports x 10^-9 x sol_usd_price, exact.';
comment on column walltrack.failed_swap_fees.paid_at is 'When it was recorded (the day''s PnL counts it then).';
comment on column walltrack.failed_swap_fees.updated_at is 'Equal to paid_at: a recorded fee is never updated.';

-- The fee of a live swap that landed but failed, once per transaction: recorded and deducted from
-- the position in one statement; a second report of the same transaction changes nothing. Returns
-- the fee in USD, or null when it was already recorded.
create function walltrack.record_failed_swap_fee(order_id uuid, tx_signature text, network_fee_lamports bigint,
                                                 priority_fee_lamports bigint)
returns numeric
language plpgsql
set search_path = ''
as $$
declare
  o walltrack.orders;
  sol_usd numeric;
  fee numeric;
begin
  select * into strict o from walltrack.orders where id = record_failed_swap_fee.order_id;
  select c.sol_usd_price into sol_usd from walltrack.config c;
  if sol_usd is null then
    raise exception 'no SOL/USD price recorded: cannot value the fee of transaction %', tx_signature using errcode = 'no_data_found';
  end if;
  fee := pg_catalog.trim_scale(record_failed_swap_fee.network_fee_lamports * 0.000000001 * sol_usd);
  insert into walltrack.failed_swap_fees (tx_signature, order_id, position_id, mode, network_fee_lamports, priority_fee_lamports,
                                         sol_usd_price, fee_usd)
  values (record_failed_swap_fee.tx_signature, o.id, o.position_id, o.mode, record_failed_swap_fee.network_fee_lamports,
          record_failed_swap_fee.priority_fee_lamports, sol_usd, fee)
  on conflict on constraint failed_swap_fees_pkey do nothing;
  if not found then
    return null;
  end if;
  update walltrack.positions p
     set fees_usd = p.fees_usd + fee, realized_pnl_usd = pg_catalog.trim_scale(p.realized_pnl_usd - fee)
   where p.id = o.position_id;
  return fee;
end;
$$;
comment on function walltrack.record_failed_swap_fee(uuid, text, bigint, bigint) is
  'Records the network fee of a live swap that landed but failed on chain (walltrack.failed_swap_fees, once per transaction) and deducts it from the order''s position (fees_usd, realized_pnl_usd); returns the fee in USD, null when already recorded.';
revoke execute on function walltrack.record_failed_swap_fee(uuid, text, bigint, bigint) from public;

-- As 20261121002300, and the fee valued with the fill.
create or replace function walltrack.record_order_fill(order_id uuid, fill jsonb)
returns void
language plpgsql
set search_path = ''
as $$
declare
  o walltrack.orders;
  sol_usd numeric;
  token_amount numeric;
  sol_amount numeric;
begin
  select * into strict o from walltrack.orders where id = order_id for update;
  select sol_usd_price into sol_usd from walltrack.config;
  token_amount := case when o.order_type = 'entry' then (fill ->> 'amount_out')::numeric else (fill ->> 'amount_in')::numeric end;
  sol_amount := case when o.order_type = 'entry' then (fill ->> 'amount_in')::numeric else (fill ->> 'amount_out')::numeric end;
  if sol_usd is null then
    raise exception 'no SOL/USD price recorded: cannot value the fill of order %', order_id using errcode = 'no_data_found';
  end if;
  update walltrack.orders
     set status = 'executed', executed_at = pg_catalog.clock_timestamp(), claimed_until = null,
         tx_signature = coalesce(fill ->> 'tx_signature', tx_signature),
         block_number = (fill ->> 'block_number')::bigint,
         amount_in = (fill ->> 'amount_in')::numeric,
         amount_out = (fill ->> 'amount_out')::numeric,
         price_usd = pg_catalog.trim_scale(pg_catalog.round(sol_amount * sol_usd / token_amount, 18)),
         value_usd = pg_catalog.trim_scale(sol_amount * sol_usd),
         fee_usd = pg_catalog.trim_scale(o.network_fee_lamports * 0.000000001 * sol_usd),
         slippage_actual_percent = case when amount_out_expected is not null
           then pg_catalog.round((amount_out_expected - (fill ->> 'amount_out')::numeric) / amount_out_expected * 100, 4) end
   where id = order_id;
end;
$$;
comment on function walltrack.record_order_fill(uuid, jsonb) is
  'Records a confirmed live swap: actual amounts, block, exact USD value (SOL moved x SOL/USD) and its unit price, the network fee in USD at the same SOL/USD (fee_usd, from network_fee_lamports recorded before), slippage against the quote; the order becomes executed and the accounting triggers update the position.';

-- As 20261121001300, and the entry's fee realized.
create or replace function walltrack.apply_entry_fill()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.positions p
     set entry_price = new.price_usd,
         entry_amount = new.amount_out,
         current_amount = new.amount_out,
         -- The order's exact value (for a live fill the SOL paid x SOL/USD), not amount x a rounded price.
         entry_value_usd = coalesce(new.value_usd, new.amount_out * new.price_usd),
         fees_usd = p.fees_usd + coalesce(new.fee_usd, 0),
         realized_pnl_usd = pg_catalog.trim_scale(p.realized_pnl_usd - coalesce(new.fee_usd, 0)),
         entry_timestamp = new.executed_at,
         entry_tx_signature = new.tx_signature,
         current_price = coalesce(p.current_price, new.price_usd),
         price_updated_at = coalesce(p.price_updated_at, new.executed_at),
         fill_delay_seconds = (
           select case when s.leader_block_time is not null
                       then greatest(0, extract(epoch from (new.executed_at - s.leader_block_time))) end
             from walltrack.signals s where s.id = p.signal_id),
         slippage_vs_leader_percent = case when p.leader_price_usd is not null
           then pg_catalog.round((new.price_usd - p.leader_price_usd) / p.leader_price_usd * 100, 4) end
   where p.id = new.position_id;
  return null;
end;
$$;
comment on function walltrack.apply_entry_fill() is
  'Trigger function: an executed entry order sets its position''s entry (price, amount, cost basis, time, signature) and copy quality (fill delay, slippage vs the leader); its network fee (fee_usd) is added to fees_usd and deducted from realized_pnl_usd.';

-- As 20261121002100, and the exit's fee realized.
create or replace function walltrack.apply_exit_fill()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update walltrack.positions p
     set current_amount = pg_catalog.trim_scale(p.current_amount - new.amount_in),
         exit_amount = pg_catalog.trim_scale(p.exit_amount + new.amount_in),
         fees_usd = p.fees_usd + coalesce(new.fee_usd, 0),
         realized_pnl_usd = pg_catalog.trim_scale(p.realized_pnl_usd + coalesce(new.value_usd, new.amount_in * new.price_usd) - case
           when p.current_amount = new.amount_in then p.entry_value_usd - (p.entry_amount - p.current_amount) * p.entry_price
           else new.amount_in * p.entry_price end - coalesce(new.fee_usd, 0)),
         -- From the executed exits themselves, not the rounded running average (which would drift).
         exit_price = (select pg_catalog.trim_scale(sum(o.amount_in * o.price_usd) / sum(o.amount_in))
                         from walltrack.orders o
                        where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed'),
         status = case when p.current_amount = new.amount_in then 'closed' else p.status end,
         closed_at = case when p.current_amount = new.amount_in then new.executed_at else p.closed_at end,
         exit_reason = case when p.current_amount = new.amount_in then walltrack.exit_reason_of(new.order_type)
                            else p.exit_reason end
   where p.id = new.position_id;
  return null;
end;
$$;
comment on function walltrack.apply_exit_fill() is
  'Trigger function: an executed exit order reduces its position (current and exit amounts, realized PnL net of its network fee, fees_usd, weighted exit price) and closes it when nothing remains.';

-- As 20261121003000, with two corrections: the network fees paid today are deducted (entries'
-- included), and the day's figure is now exactly what the positions realized. Each exit counts its
-- value less amount x entry_price; the exit that closes a position takes instead what remains of
-- the exact cost basis (walltrack.apply_exit_fill), which differs by the rounding residue of the
-- entry price, entry_value_usd - entry_amount x entry_price (a live fill's price has 18 places):
-- that residue is counted once, when the position closes (its closed_at is the closing fill's time).
create or replace function walltrack.realized_pnl_today_usd(since timestamptz default '-infinity', of_mode text default null)
returns numeric
language sql
stable
set search_path = ''
as $$
  with day as (
    select greatest(pg_catalog.date_trunc('day', pg_catalog.now() at time zone 'UTC') at time zone 'UTC', since) as start_at,
           since
  )
  select coalesce((select sum(case when o.order_type <> 'entry'
                                   then coalesce(o.value_usd, o.amount_in * o.price_usd) - o.amount_in * p.entry_price else 0 end
                              - coalesce(o.fee_usd, 0))
                   from walltrack.orders o join walltrack.positions p on p.id = o.position_id, day
                   where o.status = 'executed' and (of_mode is null or o.mode = of_mode)
                     and (o.order_type <> 'entry' or o.fee_usd is not null)
                     and o.executed_at >= day.start_at and o.executed_at > day.since), 0)
       - coalesce((select sum(p.entry_value_usd - p.entry_amount * p.entry_price)
                   from walltrack.positions p, day
                   where p.status = 'closed' and (of_mode is null or p.mode = of_mode)
                     and p.closed_at >= day.start_at and p.closed_at > day.since), 0)
       - coalesce((select sum(f.fee_usd)
                   from walltrack.failed_swap_fees f, day
                   where (of_mode is null or f.mode = of_mode) and f.paid_at >= day.start_at and f.paid_at > day.since), 0);
$$;
comment on function walltrack.realized_pnl_today_usd(timestamptz, text) is
  'Realized PnL in USD of the fills executed today (UTC) after `since`, of one mode or both (null), exactly as the positions realized it: each exit''s value less the cost of what it sold (the closing exit: what remains of the exact cost basis), less every network fee paid today (entries'' and failed swaps'' included). The breaker''s daily loss (its mode, since its last manual reset) and the status''s PnL of the day.';

-- Rollback: drop function walltrack.record_failed_swap_fee(uuid, text, bigint, bigint); drop table
-- walltrack.failed_swap_fees; create the three functions again as in 20261121001300, 20261121002100 and
-- 20261121003000 and record_order_fill as in 20261121002300; then
-- alter table walltrack.positions drop column fees_usd; alter table walltrack.orders drop column fee_usd;
