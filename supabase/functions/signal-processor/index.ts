// POST /functions/v1/signal-processor: processes every recorded but unprocessed signal. Called by
// the pg_cron sweeper (walltrack.sweep_unprocessed_signals) so a crash never loses a signal.
import { connectDatabase } from "../_shared/database.ts";
import { jobHandler } from "../_shared/job.ts";
import { processSignals } from "../_shared/process-signals.ts";
import { readSettings } from "../_shared/settings.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("signal-processor", Deno.env.toObject(), () => processSignals(sql, settings, null), "processing failed; the sweeper will try again"));
