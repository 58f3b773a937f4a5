-- Adds walltrack.release_order_claims: an executor that runs out of its time budget (hosted
-- functions have a wall clock) hands back the claims it will not act on, so the next run takes
-- them at once instead of waiting for their lease to run out. Lease-guarded like every other
-- executor write: a claim another executor now holds is left alone.

-- claims: [{id, lease}] as claim_orders returned them; the lease travels as text so its
-- microseconds survive (a timestamptz parameter is cut to milliseconds and would never match).
create function walltrack.release_order_claims(claims jsonb)
returns integer
language sql
set search_path = ''
as $$
  with released as (
    update walltrack.orders o
       set claimed_until = null
      from pg_catalog.jsonb_to_recordset(claims) as c(id uuid, lease timestamptz)
     where o.id = c.id and o.claimed_until = c.lease and o.status in ('pending', 'submitted')
    returning 1
  )
  select pg_catalog.count(*)::integer from released;
$$;
comment on function walltrack.release_order_claims(jsonb) is
  'Releases claims an executor will not act on ([{id, lease}]), only where the lease is still the caller''s; a released order is due again at once, its retry count untouched. Returns how many were released.';
revoke execute on function walltrack.release_order_claims(jsonb) from public;
