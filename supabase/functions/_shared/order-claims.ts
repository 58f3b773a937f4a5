// Claiming: the executor takes due orders under a lease (walltrack.claim_orders), learns the
// lease's length from SQL with them (walltrack.order_lease(), defined once there), and hands back
// through SQL whatever it will not act on (walltrack.release_order_claims). Every later write about
// a claim shows its lease, so an executor whose lease ran out changes nothing.
import type { Sql } from "postgres";
import { LIVE_ORDER_API_CALLS, type Settings } from "./settings.ts";

export type Claim = {
  id: string;
  order_type: string;
  mode: "simulation" | "live";
  token_in: string;
  token_out: string;
  amount_in: string;
  token_decimals: number | null;
  lease: string;
  slippage_bps: number;
  retry_count: number;
  max_retries: number;
  tx_signature: string | null;
  last_valid_block_height: number | null;
  swap_in_doubt: boolean;
  wallet_mode: string;
  live_trading_enabled: boolean;
  priority_fee_lamports: number;
  sol_usd_price: string | null;
};

export type LiveOutcome = { id: string; outcome: "executed" | "retry" | "failed" | "deferred" | "released"; code?: string };

// The claims, and how long the database leased them for. One statement: the lease is read where it
// is defined, never assumed here.
export async function claimOrders(sql: Sql, batch: number): Promise<{ claims: Claim[]; leaseMs: number }> {
  const [{ claims, lease_ms }] = await sql<{ claims: Claim[]; lease_ms: number }[]>`
    select walltrack.claim_orders(${batch}) as claims,
           (extract(epoch from walltrack.order_lease()) * 1000)::integer as lease_ms`;
  return { claims, leaseMs: lease_ms };
}

// When a run stops starting orders: at its budget (EXECUTOR_BUDGET_MS), and never so late that an
// order started just before could outlive its lease (its remaining API calls, each up to
// API_TIMEOUT_MS), since past the lease another executor may take and send the same order.
export function actingDeadline(startedMs: number, settings: Settings, leaseMs: number): number {
  return startedMs + Math.min(settings.executorBudgetMs, leaseMs - LIVE_ORDER_API_CALLS * settings.apiTimeoutMs);
}

// Hands back claims this invocation will not act on, through SQL and under their leases.
export async function releaseClaims(sql: Sql, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return;
  await sql`select walltrack.release_order_claims(${sql.json(claims.map((c) => ({ id: c.id, lease: c.lease })))})`;
}
