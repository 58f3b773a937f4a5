// POST /functions/v1/order-executor: executes due orders. Invoked right after orders are created
// (trigger walltrack.kick_order_executor) and every minute by pg_cron (walltrack.sweep_pending_orders).
import { connectDatabase } from "../_shared/database.ts";
import { jobHandler } from "../_shared/job.ts";
import { executeOrders } from "../_shared/order-executor.ts";
import { readSettings } from "../_shared/settings.ts";
import { SolanaRpc } from "../_shared/solana-rpc.ts";
import { loadTradingKey } from "../_shared/trading-key.ts";

const settings = readSettings(Deno.env.toObject());
const sql = connectDatabase(Deno.env.get("SUPABASE_DB_URL"));
const rpc = new SolanaRpc(settings.solanaRpcUrl, fetch, settings.apiTimeoutMs);
let key: ReturnType<typeof loadTradingKey> = null;
let keyProblem: string | null = null;
try {
  key = loadTradingKey(Deno.env.get("WALLTRACK_TRADING_KEY"));
} catch (error) {
  keyProblem = error instanceof Error ? error.message : "WALLTRACK_TRADING_KEY is unusable";
  console.error(`order-executor: ${keyProblem}; live orders will be refused`);
}

// ADR-012: only a caller holding a server-side secret (pg_cron sends the Vault service_role_key).
Deno.serve(jobHandler("order-executor", Deno.env.toObject(), () => executeOrders(sql, settings, { key, rpc }), "execution failed; the sweeper will try again"));
