// The functions' settings, read from an environment map (Deno.env.toObject() in a function, a
// plain object in tests). Each API URL defaults to the real service (ADR-010).
export type Settings = {
  heliusWebhookSecret: string | null;
  webhookMaxBodyBytes: number;
  rugcheckUrl: string;
  dexscreenerUrl: string;
  jupiterUrl: string;
  jupiterApiKey: string | null;
  heliusApiUrl: string;
  heliusApiKey: string | null;
  heliusWebhookUrl: string;
  solanaRpcUrl: string;
  apiTimeoutMs: number;
  executorBudgetMs: number;
  priceMonitorBudgetMs: number;
  captureBudgetMs: number;
};

// Hosted Edge Functions stop a request at 150 s of wall clock on the free plan; pg_net, which
// kicks the executor, gives up waiting for its answer at 30 s.
const HOSTED_WALL_CLOCK_MS = 150_000;

const trimSlash = (url: string) => url.replace(/\/+$/, "");

function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

// The calls one live order makes after it is started (quote, swap, send, block height, status,
// confirmed transaction), each up to API_TIMEOUT_MS: how long an order started at the last moment
// may still take.
export const LIVE_ORDER_API_CALLS = 6;

// How long one order-executor run may act. The default answers pg_net within its 30 s; past the
// budget the run defers what it was confirming and releases the rest. The budget is checked before
// each order and between confirmation polls, so an order started just before it runs out can still
// make its calls (quote, swap, send, block height, status, confirmed transaction: six, each up to
// API_TIMEOUT_MS): the bound keeps that worst case under the hosted wall clock.
function executorBudget(env: Record<string, string | undefined>): number {
  const budget = positiveInteger(env, "EXECUTOR_BUDGET_MS", 20_000);
  const apiTimeoutMs = positiveInteger(env, "API_TIMEOUT_MS", 5000);
  if (budget + LIVE_ORDER_API_CALLS * apiTimeoutMs >= HOSTED_WALL_CLOCK_MS) {
    throw new Error(`EXECUTOR_BUDGET_MS (${budget}) plus six API_TIMEOUT_MS (${apiTimeoutMs}) must stay below the hosted wall clock of ${HOSTED_WALL_CLOCK_MS} ms: lower one of them`);
  }
  return budget;
}

// How long one scheduled price-monitor run keeps polling (its last poll starts within it). The
// default fits the minute between two pg_cron runs, so one run polls at a time; a poll started at
// the last moment makes its Jupiter and DexScreener calls, each up to API_TIMEOUT_MS, and the
// whole stays under the hosted wall clock. The run answers pg_net after its first poll and polls
// on in the background (EdgeRuntime.waitUntil).
function priceMonitorBudget(env: Record<string, string | undefined>): number {
  const budget = positiveInteger(env, "PRICE_MONITOR_BUDGET_MS", 55_000);
  const apiTimeoutMs = positiveInteger(env, "API_TIMEOUT_MS", 5000);
  if (budget + 2 * apiTimeoutMs >= HOSTED_WALL_CLOCK_MS) {
    throw new Error(`PRICE_MONITOR_BUDGET_MS (${budget}) plus two API_TIMEOUT_MS (${apiTimeoutMs}) must stay below the hosted wall clock of ${HOSTED_WALL_CLOCK_MS} ms: lower one of them`);
  }
  return budget;
}

// How long one capture-reconciler run may start new calls (default 20 s, answering pg_net within its
// 30 s). Checked before each call, so the worst case is the budget plus one RPC call, one Helius
// call and the processing of what was recorded (three API_TIMEOUT_MS).
function captureBudget(env: Record<string, string | undefined>): number {
  const budget = positiveInteger(env, "CAPTURE_BUDGET_MS", 20_000);
  const apiTimeoutMs = positiveInteger(env, "API_TIMEOUT_MS", 5000);
  if (budget + 3 * apiTimeoutMs >= HOSTED_WALL_CLOCK_MS) {
    throw new Error(`CAPTURE_BUDGET_MS (${budget}) plus three API_TIMEOUT_MS (${apiTimeoutMs}) must stay below the hosted wall clock of ${HOSTED_WALL_CLOCK_MS} ms: lower one of them`);
  }
  return budget;
}

export function readSettings(env: Record<string, string | undefined>): Settings {
  return {
    heliusWebhookSecret: env.HELIUS_WEBHOOK_SECRET || null,
    webhookMaxBodyBytes: positiveInteger(env, "WEBHOOK_MAX_BODY_BYTES", 8 * 1024 * 1024),
    rugcheckUrl: trimSlash(env.RUGCHECK_API_URL || "https://api.rugcheck.xyz"),
    dexscreenerUrl: trimSlash(env.DEXSCREENER_API_URL || "https://api.dexscreener.com"),
    jupiterUrl: trimSlash(env.JUPITER_API_URL || "https://api.jup.ag"),
    jupiterApiKey: env.JUPITER_API_KEY || null,
    heliusApiUrl: trimSlash(env.HELIUS_API_URL || "https://api.helius.xyz"),
    heliusApiKey: env.HELIUS_API_KEY || null,
    // Where Helius delivers: this project's helius-webhook function unless set otherwise.
    heliusWebhookUrl: env.HELIUS_WEBHOOK_URL || `${trimSlash(env.SUPABASE_URL || "http://127.0.0.1:54321")}/functions/v1/helius-webhook`,
    solanaRpcUrl: env.SOLANA_RPC_URL || "https://api.mainnet-beta.solana.com",
    apiTimeoutMs: positiveInteger(env, "API_TIMEOUT_MS", 5000),
    executorBudgetMs: executorBudget(env),
    priceMonitorBudgetMs: priceMonitorBudget(env),
    captureBudgetMs: captureBudget(env),
  };
}
