-- Adds what the order-executor edge function calls: claim orders under a lease (for update skip
-- locked, so two executors never take one order), fill simulation orders in SQL, record a live
-- submission, fill or failure (retry with backoff, failed after max_retries, the position left
-- consistent), and the two ways the executor is invoked: right after orders are created and by
-- a pg_cron sweeper, both through net.http_post.

-- How long an executor holds an order, defined once: claim_orders leases for it, a submission
-- extends by it, and the order-executor function reads it with its claims so that it never starts
-- an order it could not finish within it.
create function walltrack.order_lease()
returns interval
language sql
immutable
set search_path = ''
as $$
  select interval '5 minutes';
$$;
comment on function walltrack.order_lease() is
  'How long an executor holds an order it claimed or submitted: long enough for one run to act on it, short enough that a crashed run delays the order little.';
revoke execute on function walltrack.order_lease() from public;

-- claims: [{id, order_type, mode, token_in, token_out, amount_in, token_decimals, lease, slippage_bps,
--           retry_count, max_retries, tx_signature, last_valid_block_height, swap_in_doubt, wallet_mode,
--           live_trading_enabled, priority_fee_lamports, sol_usd_price}]
-- amount_in of an exit is capped at what the position still holds (an earlier exit may have sold).
-- `lease` is the claim's token: a submission, a failure or a deferral is recorded only while the
-- lease is still this one (a submission returns the extended lease, the token from then on).
-- The executor's order of service: 0 live orders (money moves), 1 simulated exits (positions
-- leave), 2 simulated entries.
create function walltrack.claim_priority(mode text, order_type text)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case when mode = 'live' then 0 when order_type <> 'entry' then 1 else 2 end;
$$;
comment on function walltrack.claim_priority(text, text) is
  'The executor''s order of service: live orders (0), then simulated exits (1), then simulated entries (2); the oldest first within each.';
revoke execute on function walltrack.claim_priority(text, text) from public;

create function walltrack.claim_orders(batch_limit integer default 20, lease interval default walltrack.order_lease())
returns jsonb
language sql
set search_path = ''
as $$
  with claimable as (
    select o.id from walltrack.orders o
    where o.status in ('pending', 'submitted')
      and coalesce(o.next_retry_at, '-infinity') <= pg_catalog.now()
      and coalesce(o.claimed_until, '-infinity') < pg_catalog.now()
    -- Live orders first, then exits, then simulated entries; the oldest first within each: a
    -- backlog of simulated work never starves a live order or an exit.
    order by walltrack.claim_priority(o.mode, o.order_type), o.next_retry_at nulls first, o.requested_at
    limit batch_limit
    for update skip locked
  ), claimed as (
    update walltrack.orders o set claimed_until = pg_catalog.now() + lease
    from claimable c where o.id = c.id
    returning o.*
  )
  select coalesce(pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
           'id', c.id, 'order_type', c.order_type, 'mode', c.mode, 'token_in', c.token_in, 'token_out', c.token_out,
           -- Amounts travel as decimal strings: a JSON number would lose digits in TypeScript.
           'amount_in', (case when c.order_type = 'entry' then c.amount_in else least(c.amount_in, p.current_amount) end)::text,
           'amount_out_expected', c.amount_out_expected::text,
           -- Never guessed: null (and the live order refused) when no source knows the mint's decimals.
           'token_decimals', coalesce(t.decimals, s.token_decimals, es.token_decimals),
           'lease', c.claimed_until,
           'slippage_bps', (c.slippage_requested_percent * 100)::integer,
           'retry_count', c.retry_count, 'max_retries', c.max_retries, 'tx_signature', c.tx_signature,
           'last_valid_block_height', c.last_valid_block_height, 'swap_in_doubt', walltrack.swap_in_doubt(c.status, c.error_code),
           'wallet_mode', w.mode, 'live_trading_enabled', cfg.live_trading_enabled,
           'priority_fee_lamports', cfg.priority_fee_lamports, 'sol_usd_price', cfg.sol_usd_price::text)
         order by c.requested_at), '[]'::jsonb)
  from claimed c
  join walltrack.wallets w on w.id = c.wallet_id
  join walltrack.tokens t on t.id = c.token_id
  left join walltrack.positions p on p.id = c.position_id
  left join walltrack.signals s on s.id = c.signal_id
  left join walltrack.signals es on es.id = p.signal_id
  cross join walltrack.config cfg;
$$;
comment on function walltrack.claim_orders(integer, interval) is
  'Claims up to batch_limit due orders (pending, or submitted awaiting a retry) under a lease (walltrack.order_lease() unless another is asked), live orders first, then exits, then simulated entries (walltrack.claim_priority), skipping locked and leased ones, and returns what the executor needs for each.';
revoke execute on function walltrack.claim_orders(integer, interval) from public;

-- Simulation fills: an exit sells min(amount, what remains) at the position's latest observed price
-- moved against us by simulation_slippage_percent; a pending simulation entry buys at its latest
-- (or leader's) price moved up (walltrack.simulated_fill_price). SOL amounts use
-- config.sol_usd_price. Nothing left to sell cancels; an entry in a mint of unknown decimals waits.
-- Each order stands alone: an exit whose SOL proceeds round to 0 (a token worth next to nothing)
-- is filled with zero proceeds and says so (error_code zero_proceeds), and any other error fails
-- that order's attempt (walltrack.record_order_failure) without touching the rest of the batch.
create function walltrack.fill_simulated_orders(order_ids uuid[])
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  cfg walltrack.config;
  o walltrack.orders;
  p walltrack.positions;
  decimals integer;
  price numeric;
  sold numeric;
  proceeds numeric;
  filled integer := 0;
  cancelled integer := 0;
  deferred integer := 0;
  failed integer := 0;
begin
  select * into strict cfg from walltrack.config;
  for o in
    select * from walltrack.orders
    where id = any(order_ids) and mode = 'simulation' and status in ('pending', 'submitted')
    order by requested_at
    for update
  loop
    begin
      select * into p from walltrack.positions where id = o.position_id for update;
      decimals := walltrack.token_decimals(o.token_id);
      if cfg.sol_usd_price is null or coalesce(p.current_price, p.leader_price_usd) is null then
        perform walltrack.defer_order(o.id, 'no_price', 'no observed price to simulate the fill at yet', 60);
        deferred := deferred + 1;
        continue;
      end if;
      if o.order_type = 'entry' and decimals is null then
        perform walltrack.defer_order(o.id, 'unknown_decimals', 'the mint''s decimals are unknown: the tokens bought cannot be counted', 60);
        deferred := deferred + 1;
        continue;
      end if;
      if o.order_type = 'entry' then
        price := walltrack.simulated_fill_price(coalesce(p.current_price, p.leader_price_usd), cfg.simulation_slippage_percent, true);
        if o.status = 'pending' then
          update walltrack.orders set status = 'submitted', submitted_at = pg_catalog.now() where id = o.id;
        end if;
        update walltrack.orders
           set status = 'executed', executed_at = pg_catalog.clock_timestamp(), claimed_until = null, price_usd = price,
               amount_out = pg_catalog.round(o.amount_in * cfg.sol_usd_price / price, decimals),
               value_usd = pg_catalog.round(o.amount_in * cfg.sol_usd_price / price, decimals) * price,
               slippage_actual_percent = cfg.simulation_slippage_percent
         where id = o.id;
        filled := filled + 1;
        continue;
      end if;
      sold := least(o.amount_in, p.current_amount);
      if p.status <> 'open' or sold <= 0 then
        update walltrack.orders set status = 'cancelled', claimed_until = null,
               error_code = 'nothing_to_sell', error_message = 'the position holds nothing more to sell'
         where id = o.id;
        cancelled := cancelled + 1;
        continue;
      end if;
      price := walltrack.simulated_fill_price(p.current_price, cfg.simulation_slippage_percent, false);
      proceeds := pg_catalog.round(sold * price / cfg.sol_usd_price, 9);
      if o.status = 'pending' then
        update walltrack.orders set status = 'submitted', submitted_at = pg_catalog.now() where id = o.id;
      end if;
      update walltrack.orders
         set status = 'executed', executed_at = pg_catalog.clock_timestamp(), claimed_until = null,
             amount_in = sold, price_usd = price, value_usd = sold * price, amount_out = proceeds,
             slippage_actual_percent = cfg.simulation_slippage_percent,
             error_code = case when proceeds = 0 then 'zero_proceeds' end,
             error_message = case when proceeds = 0
               then pg_catalog.format('worthless: %s tokens at %s USD bring less than half a lamport; sold for 0 SOL', sold, price) end
       where id = o.id;
      filled := filled + 1;
    exception when others then
      -- A transient failure (serialization, deadlock, lock timeout) aborts the batch: retried whole.
      if sqlstate like '40%' or sqlstate = '55P03' then
        raise;
      end if;
      -- The order's own changes are rolled back; its failed attempt is counted (after max_retries it
      -- fails for good) and the next order is filled.
      perform walltrack.record_order_failure(o.id, 'simulation_fill_error', pg_catalog.left(sqlerrm, 500));
      failed := failed + 1;
    end;
  end loop;
  return pg_catalog.jsonb_build_object('filled', filled, 'cancelled', cancelled, 'deferred', deferred, 'failed', failed);
end;
$$;
comment on function walltrack.fill_simulated_orders(uuid[]) is
  'Fills simulation orders at the latest observed price moved by the slippage model (exits capped at what remains; nothing left cancels; proceeds that round to 0 SOL fill with zero proceeds, error_code zero_proceeds), each order alone: an error fails that order''s attempt, not the batch. Returns {filled, cancelled, deferred, failed}.';
revoke execute on function walltrack.fill_simulated_orders(uuid[]) from public;

-- A live swap is about to be sent: pending -> submitted (or a re-submission after an expired
-- blockhash). Recorded only while the caller still holds the claim (`lease`) and the order carries
-- the signature the caller saw (null, or the expired one): otherwise another executor owns it and
-- nothing may be sent. The lease is extended over the confirmation: returns the new lease (the
-- caller's token from now on), or null when nothing was recorded.
create function walltrack.record_order_submission(order_id uuid, submission jsonb)
returns timestamptz
language plpgsql
set search_path = ''
as $$
declare
  new_lease timestamptz;
begin
  update walltrack.orders
     set status = 'submitted',
         submitted_at = pg_catalog.now(),
         claimed_until = pg_catalog.now() + walltrack.order_lease(),
         tx_signature = submission ->> 'tx_signature',
         jupiter_quote_id = submission ->> 'quote_id',
         jupiter_route = submission -> 'route',
         priority_fee_lamports = (submission ->> 'priority_fee_lamports')::bigint,
         last_valid_block_height = (submission ->> 'last_valid_block_height')::bigint,
         amount_in = coalesce((submission ->> 'amount_in')::numeric, amount_in),
         amount_out_expected = coalesce((submission ->> 'amount_out_expected')::numeric, amount_out_expected)
   where id = order_id and status in ('pending', 'submitted')
     and claimed_until = (submission ->> 'lease')::timestamptz
     and tx_signature is not distinct from (submission ->> 'replaces_signature')
  returning claimed_until into new_lease;
  return new_lease;
end;
$$;
comment on function walltrack.record_order_submission(uuid, jsonb) is
  'Records a live swap about to be sent (signature, Jupiter quote and route, priority fee, amounts), only while the caller''s lease and the signature it saw still hold; the order becomes submitted and its lease is extended by walltrack.order_lease(). Returns the extended lease, or null when not recorded.';
revoke execute on function walltrack.record_order_submission(uuid, jsonb) from public;

-- A live swap confirmed: its actual amounts; its USD value is exact (ADR-009): the SOL that moved x
-- config.sol_usd_price, never a rounded unit price times the tokens. price_usd, that value per
-- token rounded to 18 places, is for reading and for the entry price; the position's cost basis
-- and realized PnL come from value_usd.
create function walltrack.record_order_fill(order_id uuid, fill jsonb)
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
         slippage_actual_percent = case when amount_out_expected is not null
           then pg_catalog.round((amount_out_expected - (fill ->> 'amount_out')::numeric) / amount_out_expected * 100, 4) end
   where id = order_id;
end;
$$;
comment on function walltrack.record_order_fill(uuid, jsonb) is
  'Records a confirmed live swap: actual amounts, block, exact USD value (SOL moved x SOL/USD) and its unit price, slippage against the quote; the order becomes executed and the accounting triggers update the position.';
revoke execute on function walltrack.record_order_fill(uuid, jsonb) from public;

-- An attempt failed. Retried later (backoff: retry_after_seconds when the API said so, else
-- 5 s x 2^retry_count) until max_retries; then, or at once when final, the order fails. A failed
-- entry leaves its position in status error without amounts; a failed scale-out level may fire again.
create function walltrack.record_order_failure(
  order_id uuid, error_code text, error_message text,
  retry_after_seconds integer default null, final boolean default false, lease timestamptz default null)
returns text
language plpgsql
set search_path = ''
as $$
declare
  o walltrack.orders;
begin
  select * into strict o from walltrack.orders where id = order_id for update;
  -- An executor whose lease ran out no longer owns the order: another may have sent a swap since.
  if lease is not null and o.claimed_until is distinct from lease then
    return 'lease_lost';
  end if;
  if final or o.retry_count + 1 >= o.max_retries then
    update walltrack.orders
       set status = 'failed', retry_count = least(o.retry_count + 1, o.max_retries), claimed_until = null,
           error_code = record_order_failure.error_code, error_message = record_order_failure.error_message
     where id = order_id;
    if o.order_type = 'entry' then
      update walltrack.positions set status = 'error' where id = o.position_id and entry_amount is null;
    elsif o.order_type = 'exit_scaling' then
      update walltrack.positions set scaling_levels_fired = pg_catalog.array_remove(scaling_levels_fired, o.scaling_level)
       where id = o.position_id;
    end if;
    return 'failed';
  end if;
  update walltrack.orders
     set retry_count = o.retry_count + 1, claimed_until = null,
         next_retry_at = pg_catalog.now() + pg_catalog.make_interval(
           secs => coalesce(retry_after_seconds, 5 * power(2, o.retry_count))),
         error_code = record_order_failure.error_code, error_message = record_order_failure.error_message
   where id = order_id;
  return 'retry';
end;
$$;
comment on function walltrack.record_order_failure(uuid, text, text, integer, boolean, timestamptz) is
  'Records a failed attempt: retry with backoff until max_retries, then (or at once when final) the order fails; a failed entry puts its position in error, a failed scale-out level is un-fired. With the caller''s lease, only while it still holds. Returns retry, failed or lease_lost.';
revoke execute on function walltrack.record_order_failure(uuid, text, text, integer, boolean, timestamptz) from public;

-- Not a failed attempt, a wait: no price to fill at yet, or a sent transaction that may still land.
-- The order stays where it is, released, due again after `seconds`; retry_count is untouched.
create function walltrack.defer_order(order_id uuid, reason_code text, reason text, seconds integer default 60,
                                      lease timestamptz default null)
returns boolean
language sql
set search_path = ''
as $$
  with deferred as (
    update walltrack.orders
       set claimed_until = null, next_retry_at = pg_catalog.now() + pg_catalog.make_interval(secs => seconds),
           error_code = reason_code, error_message = reason
     where id = order_id and status in ('pending', 'submitted')
       and (lease is null or claimed_until = lease)
    returning 1
  )
  select exists (select 1 from deferred);
$$;
comment on function walltrack.defer_order(uuid, text, text, integer, timestamptz) is
  'Puts an order back to wait without counting a failed attempt (no price yet, a transaction that may still land); with the caller''s lease, only while it still holds. Returns whether it was deferred.';
revoke execute on function walltrack.defer_order(uuid, text, text, integer, timestamptz) from public;

-- Right after orders are created: one request to the executor per transaction that inserted
-- pending orders (sent after commit, as pg_net sends its queue).
create function walltrack.kick_order_executor()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Once per transaction: a price tick that creates a hundred exits sends one request, not a hundred.
  if pg_catalog.current_setting('walltrack.order_executor_kicked', true) is distinct from 'yes'
     and exists (select 1 from inserted where status = 'pending') then
    perform pg_catalog.set_config('walltrack.order_executor_kicked', 'yes', true);
    perform walltrack.invoke_edge_function('order-executor', '{"source": "orders_created"}'::jsonb);
  end if;
  return null;
end;
$$;
comment on function walltrack.kick_order_executor() is
  'Trigger function: asks the order-executor function to run, once per transaction, when pending orders were inserted.';
revoke execute on function walltrack.kick_order_executor() from public;

create trigger orders_kick_executor
  after insert on walltrack.orders
  referencing new table as inserted
  for each statement execute function walltrack.kick_order_executor();

create function walltrack.sweep_pending_orders()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.orders
                 where status in ('pending', 'submitted')
                   and coalesce(next_retry_at, '-infinity') <= pg_catalog.now()
                   and coalesce(claimed_until, '-infinity') < pg_catalog.now()) then
    return null;
  end if;
  return walltrack.invoke_edge_function('order-executor', '{"source": "sweeper"}'::jsonb);
end;
$$;
comment on function walltrack.sweep_pending_orders() is
  'pg_cron sweeper: when orders are due (retry time passed, no live lease), asks the order-executor function to run; returns the request id or null.';
revoke execute on function walltrack.sweep_pending_orders() from public;
