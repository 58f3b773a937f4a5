// POST /functions/v1/capture-reconciler: compares the watched wallets' signatures on chain with the
// recorded signals and records what the webhook missed (recovered), or, in poll delivery mode,
// every new transaction (polled). pg_cron asks it through walltrack.reconcile_capture when the
// mode's interval has passed.
import { reconcileCapture } from "../_shared/capture.ts";
import { connectDatabase } from "../_shared/database.ts";
import { jobHandler } from "../_shared/job.ts";
import { readSettings } from "../_shared/settings.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"), 2);

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("capture-reconciler", Deno.env.toObject(), () => reconcileCapture(sql, settings), "reconciliation failed; the next run will try again"));
