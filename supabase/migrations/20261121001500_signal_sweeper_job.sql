-- Adds the crash-safety sweeper: pg_cron asks the signal-processor edge function, through
-- net.http_post, to process signals recorded but left unprocessed (a crash or restart between the
-- webhook's 200 and its processing). The function URL and key come from Vault, as on Supabase.

-- Calls an edge function the way Supabase documents for pg_cron: Vault secrets `project_url`
-- and `service_role_key`. Returns the pg_net request id, or null (with a warning) when the
-- secrets are not set, so a misconfigured project is visible in the job's log.
create function walltrack.invoke_edge_function(function_name text, body jsonb default '{}'::jsonb)
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  project_url text;
  service_key text;
begin
  select decrypted_secret into project_url from vault.decrypted_secrets where name = 'project_url';
  select decrypted_secret into service_key from vault.decrypted_secrets where name = 'service_role_key';
  if project_url is null or service_key is null then
    raise warning 'walltrack: Vault secrets project_url and service_role_key are not set; % not called', function_name;
    return null;
  end if;
  return net.http_post(
    url := pg_catalog.rtrim(project_url, '/') || '/functions/v1/' || function_name,
    body := body,
    headers := pg_catalog.jsonb_build_object('Content-Type', 'application/json',
                                             'Authorization', 'Bearer ' || service_key),
    timeout_milliseconds := 30000);
end;
$$;
comment on function walltrack.invoke_edge_function(text, jsonb) is
  'POSTs to an edge function through net.http_post with the project URL and service-role key from Vault; null (and a warning) when they are not set.';
revoke execute on function walltrack.invoke_edge_function(text, jsonb) from public, anon, authenticated;

-- Signals older than a grace period (the webhook's own background processing gets its chance
-- first) and still unprocessed: kick the processor. Nothing to do means no request at all.
create function walltrack.sweep_unprocessed_signals(grace interval default '30 seconds')
returns bigint
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from walltrack.signals
                 where processed_at is null and webhook_received_at < pg_catalog.now() - grace) then
    return null;
  end if;
  return walltrack.invoke_edge_function('signal-processor', '{"source": "sweeper"}'::jsonb);
end;
$$;
comment on function walltrack.sweep_unprocessed_signals(interval) is
  'pg_cron sweeper: when signals older than the grace period are unprocessed, asks the signal-processor function to process them (crash safety); returns the request id or null.';
revoke execute on function walltrack.sweep_unprocessed_signals(interval) from public;
