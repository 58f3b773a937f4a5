// POST /functions/v1/price-monitor: reprices every open position; PnL and exits follow in Postgres.
// pg_cron calls it every minute through walltrack.monitor_prices with {"source": "cron"}: that run
// answers after its first poll and keeps polling in the background every
// config.price_monitor_interval_seconds within PRICE_MONITOR_BUDGET_MS (pollPrices). Any other
// call polls once and answers with that poll's report.
import { connectDatabase } from "../_shared/database.ts";
import { jobHandler } from "../_shared/job.ts";
import { monitorPrices, pollPrices } from "../_shared/price-monitor.ts";
import { runInBackground } from "../_shared/process-signals.ts";
import { readSettings } from "../_shared/settings.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));

async function fromCron(request: Request): Promise<boolean> {
  try {
    const body = await request.json();
    return body !== null && typeof body === "object" && (body as { source?: unknown }).source === "cron";
  } catch {
    return false;
  }
}

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("price-monitor", Deno.env.toObject(), async (request) => {
  const startedAt = Date.now();
  const polling = await fromCron(request);
  const report = await monitorPrices(sql, settings);
  if (polling) {
    runInBackground(pollPrices(sql, settings, report, startedAt, { budgetMs: settings.priceMonitorBudgetMs }), "price-monitor: polling");
  }
  return report;
}, "price monitoring failed; the next run will try again"));
