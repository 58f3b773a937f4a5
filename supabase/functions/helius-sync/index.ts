// POST /functions/v1/helius-sync: pushes the watchlist to the global Helius webhook when a wallet
// is pending (pg_cron every 5 minutes through walltrack.sync_helius_addresses).
import { connectDatabase } from "../_shared/database.ts";
import { syncHeliusAddresses } from "../_shared/helius-sync.ts";
import { json, jsonError } from "../_shared/http.ts";
import { serverSecretCheck } from "../_shared/internal-auth.ts";
import { readSettings } from "../_shared/settings.ts";

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
const authorize = serverSecretCheck(Deno.env.toObject());
const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"), 2);

Deno.serve(async (request) => {
  const auth = await authorize(request);
  if (!auth.ok) return auth.response;
  if (request.method !== "POST") return jsonError(405, `method ${request.method} not allowed: use POST`);
  try {
    return json(200, await syncHeliusAddresses(sql, settings));
  } catch (error) {
    console.error(`helius-sync: ${error instanceof Error ? error.message : error}`);
    return jsonError(503, "sync failed; the next run will try again");
  }
});
