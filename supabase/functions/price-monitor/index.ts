// POST /functions/v1/price-monitor: reprices every open position (pg_cron every minute through
// walltrack.monitor_prices); PnL and exits follow in Postgres.
import { connectDatabase } from "../_shared/database.ts";
import { jobHandler } from "../_shared/job.ts";
import { monitorPrices } from "../_shared/price-monitor.ts";
import { readSettings } from "../_shared/settings.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("price-monitor", Deno.env.toObject(), () => monitorPrices(sql, settings), "price monitoring failed; the next run will try again"));
