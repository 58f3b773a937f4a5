-- Adds the Helius address sync (ADR-001): a wallet becomes pending when it is added, activated,
-- deactivated or its address changes; the helius-sync function asks for the plan (nothing to do
-- when nothing is pending), pushes every active address to the one global webhook, and records the
-- outcome; pg_cron asks it every 5 minutes, only when something is pending (each edit costs credits).

create function walltrack.mark_wallet_sync_pending()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.is_active is distinct from old.is_active or new.address is distinct from old.address then
    new.helius_sync_status := 'pending';
    new.helius_sync_error := null;
  end if;
  return new;
end;
$$;
comment on function walltrack.mark_wallet_sync_pending() is
  'Trigger function: a wallet added, activated, deactivated or re-addressed must be pushed to the Helius webhook (status pending).';
revoke execute on function walltrack.mark_wallet_sync_pending() from public;

create trigger wallets_mark_sync_pending
  before insert or update of is_active, address on walltrack.wallets
  for each row execute function walltrack.mark_wallet_sync_pending();

-- {pending_wallet_ids: [...], addresses: [every active address], webhook_id, webhook_url};
-- pending_wallet_ids empty means there is nothing to do.
create function walltrack.helius_sync_plan()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    -- A wallet whose last sync failed is retried with the pending ones.
    'pending_wallet_ids', coalesce((select pg_catalog.jsonb_agg(id order by id) from walltrack.wallets
                                    where helius_sync_status in ('pending', 'error')), '[]'::jsonb),
    'addresses', coalesce((select pg_catalog.jsonb_agg(address::text order by address) from walltrack.wallets
                           where is_active), '[]'::jsonb),
    'webhook_id', (select helius_webhook_id from walltrack.config),
    'webhook_url', (select helius_webhook_url from walltrack.config));
$$;
comment on function walltrack.helius_sync_plan() is
  'What the Helius sync must do: the wallets pending, every active address, the current webhook id and URL.';
revoke execute on function walltrack.helius_sync_plan() from public;

-- outcome: {wallet_ids: [the pending ids of the plan], addresses: [the active addresses pushed],
-- webhook_id, webhook_url} on success, or {wallet_ids, error: message}. Only a wallet whose state
-- is what was pushed becomes synced (active and pushed, or inactive and left out): one activated or
-- deactivated while the sync ran stays pending for the next one.
create function walltrack.record_helius_sync(outcome jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  ids uuid[] := array(select pg_catalog.jsonb_array_elements_text(outcome -> 'wallet_ids')::uuid);
  touched integer;
begin
  if outcome ? 'error' then
    update walltrack.wallets set helius_sync_status = 'error', helius_sync_error = outcome ->> 'error'
     where id = any(ids) and helius_sync_status in ('pending', 'error');
    get diagnostics touched = row_count;
    return touched;
  end if;
  update walltrack.wallets set helius_sync_status = 'synced', helius_synced_at = pg_catalog.now(), helius_sync_error = null
   where id = any(ids) and helius_sync_status in ('pending', 'error')
     and is_active = (address::text = any(array(select pg_catalog.jsonb_array_elements_text(outcome -> 'addresses'))));
  get diagnostics touched = row_count;
  update walltrack.config
     set helius_webhook_id = outcome ->> 'webhook_id', helius_webhook_url = outcome ->> 'webhook_url',
         helius_last_sync_at = pg_catalog.now();
  return touched;
end;
$$;
comment on function walltrack.record_helius_sync(jsonb) is
  'Records a Helius sync: the plan''s pending wallets become synced (and config keeps the webhook id, URL and time) or error with the message.';
revoke execute on function walltrack.record_helius_sync(jsonb) from public;

create function walltrack.sync_helius_addresses()
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.wallets where helius_sync_status in ('pending', 'error')) then
    return null;
  end if;
  return walltrack.invoke_edge_function('helius-sync', '{"source": "cron"}'::jsonb);
end;
$$;
comment on function walltrack.sync_helius_addresses() is
  'pg_cron job (every 5 minutes): asks the helius-sync function to push the watchlist, only when a wallet is pending (or its last sync failed).';
revoke execute on function walltrack.sync_helius_addresses() from public;
