// POST /functions/v1/price-monitor: reprices every open position (pg_cron every minute through
// walltrack.monitor_prices); PnL and exits follow in Postgres.
import { connectDatabase } from "../_shared/database.ts";
import { json, jsonError } from "../_shared/http.ts";
import { serverSecretCheck } from "../_shared/internal-auth.ts";
import { monitorPrices } from "../_shared/price-monitor.ts";
import { readSettings } from "../_shared/settings.ts";

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
const authorize = serverSecretCheck(Deno.env.toObject());
const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));

Deno.serve(async (request) => {
  const auth = await authorize(request);
  if (!auth.ok) return auth.response;
  if (request.method !== "POST") return jsonError(405, `method ${request.method} not allowed: use POST`);
  try {
    return json(200, await monitorPrices(sql, settings));
  } catch (error) {
    console.error(`price-monitor: ${error instanceof Error ? error.message : error}`);
    return jsonError(503, "price monitoring failed; the next run will try again");
  }
});
