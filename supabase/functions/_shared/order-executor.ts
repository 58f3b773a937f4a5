// The order executor, I/O only, one run: claim due orders (order-claims.ts), fill the simulation
// ones in SQL, run each live one (live-swap.ts, its outcomes recorded by order-settlement.ts) until
// the run's deadline, and hand back the claims it did not start. Live trading needs two switches
// (ADR-008): an entry runs only when its wallet is live, config.live_trading_enabled is on and a
// trading key is in the environment; exits of open live positions run whenever a key is present.
import type { Sql } from "postgres";
import { executeLive, type ExecutorDeps } from "./live-swap.ts";
import { actingDeadline, claimOrders, type LiveOutcome, releaseClaims } from "./order-claims.ts";
import type { Settings } from "./settings.ts";

export type ExecutorReport = {
  claimed: number;
  simulation: { filled: number; cancelled: number; deferred: number; failed: number };
  live: LiveOutcome[];
};

export async function executeOrders(sql: Sql, settings: Settings, deps: ExecutorDeps, batch = 20): Promise<ExecutorReport> {
  const now = deps.now ?? Date.now;
  // The budget starts before the claim: it bounds the whole invocation, which must end well
  // within the hosted wall clock (150 s on the free plan) and ideally within pg_net's 30 s, and
  // within the lease the claim is given.
  const started = now();
  const { claims, leaseMs } = await claimOrders(sql, batch);
  const deadline = actingDeadline(started, settings, leaseMs);
  const simulated = claims.filter((c) => c.mode === "simulation");
  const report: ExecutorReport = { claimed: claims.length, simulation: { filled: 0, cancelled: 0, deferred: 0, failed: 0 }, live: [] };
  const live = claims.filter((c) => c.mode === "live");
  let simulationDone = simulated.length === 0;
  let next = 0; // live claims before this index were acted on; the rest are still held
  try {
    if (!simulationDone) {
      [{ result: report.simulation }] = await sql`select walltrack.fill_simulated_orders(${simulated.map((c) => c.id)}::uuid[]) as result`;
      simulationDone = true;
    }
    // One at a time: each live order is a real swap from one wallet; parallel swaps would race
    // for the same balance. Once the budget is spent the claims not started are released at once,
    // so the next run (a minute later at most) takes them instead of waiting out their lease.
    for (; next < live.length; next++) {
      if (now() >= deadline) break;
      report.live.push(await executeLive(sql, settings, { ...deps, now }, live[next], deadline));
    }
  } finally {
    // Whatever was not acted on, budget spent or an error thrown: not left leased until the lease ends.
    const rest = live.slice(next);
    try {
      await releaseClaims(sql, simulationDone ? rest : [...simulated, ...rest]);
      report.live.push(...rest.map((c) => ({ id: c.id, outcome: "released" as const, code: "budget_spent" })));
    } catch (error) {
      // The database is what failed: the leases run out on their own.
      console.error(`order-executor: could not release ${rest.length} claim(s): ${error instanceof Error ? error.message : error}`);
    }
  }
  return report;
}
