// POST /functions/v1/signal-processor: processes every recorded but unprocessed signal. Called by
// the pg_cron sweeper (walltrack.sweep_unprocessed_signals) so a crash never loses a signal.
import { connectDatabase } from "../_shared/database.ts";
import { json, jsonError } from "../_shared/http.ts";
import { serverSecretCheck } from "../_shared/internal-auth.ts";
import { processSignals } from "../_shared/process-signals.ts";
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
    return json(200, await processSignals(sql, settings, null));
  } catch (error) {
    console.error(`signal-processor: ${error instanceof Error ? error.message : error}`);
    return jsonError(503, "processing failed; the sweeper will try again");
  }
});
