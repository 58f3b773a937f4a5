-- Adds the order lifecycle: the status machine (pending -> submitted -> executed | failed |
-- cancelled, nothing else), executor leases, at most one exit of each kind in flight per
-- position.
--
-- An attempt that fails before anything reached the network leaves the order pending with
-- retry_count + 1 and a backoff (next_retry_at). "submitted" means a signed transaction was sent;
-- a submitted order whose blockhash expired is retried in the same status (re-submitted).

alter table walltrack.orders
  add column claimed_until timestamptz,
  add column last_valid_block_height bigint check (last_valid_block_height > 0);
comment on column walltrack.orders.claimed_until is
  'Lease of the executor working on the order: no other executor claims it before this time; a crashed executor''s lease simply runs out.';
comment on column walltrack.orders.last_valid_block_height is
  'Block height after which the sent transaction (tx_signature) can no longer land: until then a resend would risk a double swap.';


-- One full exit (stop loss, trailing stop, mirror, manual) in flight per position, and each
-- scale-out level at most once in flight: repeated or concurrent ticks cannot double an exit.
create unique index uq_orders_full_exit_in_flight on walltrack.orders (position_id)
  where order_type in ('exit_stop_loss', 'exit_trailing_stop', 'exit_mirror', 'exit_manual')
    and status in ('pending', 'submitted');
create unique index uq_orders_scaling_level_in_flight on walltrack.orders (position_id, scaling_level)
  where order_type = 'exit_scaling' and status in ('pending', 'submitted', 'executed');
-- The executor's queue now includes submitted orders awaiting a retry.
create index idx_orders_executor_queue on walltrack.orders (next_retry_at nulls first, requested_at)
  where status in ('pending', 'submitted');

create function walltrack.enforce_order_status_transition()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status = old.status then
    if old.status in ('executed', 'failed', 'cancelled')
       and (pg_catalog.to_jsonb(new) - 'updated_at') is distinct from (pg_catalog.to_jsonb(old) - 'updated_at') then
      raise exception 'order % is %: a finished order does not change', old.id, old.status
        using errcode = 'integrity_constraint_violation';
    end if;
    return new;
  end if;
  if (old.status, new.status) not in (
       ('pending', 'submitted'), ('pending', 'failed'), ('pending', 'cancelled'),
       ('submitted', 'executed'), ('submitted', 'failed'), ('submitted', 'cancelled')) then
    raise exception 'order %: % -> % is not a valid status transition (pending -> submitted -> executed | failed | cancelled)',
      old.id, old.status, new.status
      using errcode = 'integrity_constraint_violation';
  end if;
  return new;
end;
$$;
comment on function walltrack.enforce_order_status_transition() is
  'Trigger function: orders move only pending -> submitted -> executed | failed | cancelled (pending may also fail or be cancelled); finished orders never change.';
revoke execute on function walltrack.enforce_order_status_transition() from public;

create trigger orders_enforce_status_transition before update on walltrack.orders
  for each row execute function walltrack.enforce_order_status_transition();

-- A live swap was sent and its fate is not known yet: no verdict recorded since (an error code
-- other than awaiting_confirmation means it was found expired or failed, and counted). Such an
-- attempt is not counted yet, and its SOL is in doubt.
create function walltrack.swap_in_doubt(status text, error_code text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select status = 'submitted' and (error_code is null or error_code = 'awaiting_confirmation');
$$;
comment on function walltrack.swap_in_doubt(text, text) is
  'Whether an order''s sent swap has no verdict yet (submitted, no error code or awaiting_confirmation): its attempt is not counted and its SOL is in doubt.';
revoke execute on function walltrack.swap_in_doubt(text, text) from public;
