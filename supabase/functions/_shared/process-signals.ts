// Processing of recorded signals, I/O only: ask Postgres what is needed, fetch the missing token
// analyses (RugCheck, DexScreener), SOL/USD, the USD price of any quote-like asset a leader paid
// with, and the leader's balances around each SELL a proportional mirror needs (Solana RPC), in
// parallel, store the analyses, those prices and balances, ask which tokens still need a sell check
// (walltrack.sell_checks_needed) and measure those (Jupiter round trip and the mint account,
// _shared/sell-check.ts), then let walltrack.process_signals decide the batch. Four round trips
// whatever the batch size (one more each when a quote-like asset is priced, leaders' balances were
// looked up, or a sell check is stored).
import type { JSONValue, Sql } from "postgres";
import type { Fetch } from "./api-client.ts";
import type { Settings } from "./settings.ts";
import { assetUsdPrices, solUsdPrice } from "./asset-prices.ts";
import { measureSellChecks, type SellCheckNeed } from "./sell-check.ts";
import { analyzeTokens } from "./token-safety.ts";
import { measureLeaderSells, type SellToMeasure } from "./leader-sells.ts";

type Needs = { signals: number; stale_tokens: string[]; needs_sol_usd: boolean; quote_mints: string[] };

export type ProcessingReport = {
  processed: number;
  opened: number;
  exit_orders: number;
  deferred: number;
  filtered: Record<string, number>;
  safety_failures: { mint: string; errors: string[] }[];
  sell_check_failures: { mint: string; errors: string[] }[];
  sol_usd: string | null;
  sol_usd_errors?: string[];
  quote_prices?: Record<string, string>; // the quote-like assets priced for this batch
  quote_price_errors?: string[];
  leader_sells_measured?: number;
};

export async function processSignals(
  sql: Sql,
  settings: Settings,
  signalIds: string[] | null,
  fetchImpl?: Fetch,
): Promise<ProcessingReport> {
  const [{ needs, sells }] = await sql<{ needs: Needs; sells: SellToMeasure[] }[]>`
    select walltrack.signal_processing_needs(${signalIds}::uuid[]) as needs,
           walltrack.leader_sells_to_measure(${signalIds}::uuid[]) as sells`;
  const empty = { processed: 0, opened: 0, exit_orders: 0, deferred: 0, filtered: {}, safety_failures: [], sell_check_failures: [], sol_usd: null };
  if (needs.signals === 0) return empty;

  const [safety, sol, quotes, balances] = await Promise.all([
    analyzeTokens(needs.stale_tokens, settings, fetchImpl),
    needs.needs_sol_usd ? solUsdPrice(settings, fetchImpl) : Promise.resolve(null),
    assetUsdPrices(needs.quote_mints, settings, fetchImpl),
    measureLeaderSells(sells, settings, fetchImpl),
  ]);
  if (balances.length > 0) {
    await sql`select walltrack.record_leader_sell_balances(${sql.json(balances as unknown as JSONValue)})`;
  }
  if (quotes.prices.size > 0) {
    await sql`select walltrack.price_quote_assets(${sql.json(Object.fromEntries(quotes.prices) as unknown as JSONValue)})`;
  }
  if (safety.analyses.length > 0) {
    const rows = safety.analyses.map((a) => ({
      address: a.address,
      source: a.source,
      symbol: a.symbol,
      name: a.name,
      decimals: a.decimals,
      liquidity_usd: a.liquidityUsd,
      top10_percent: a.top10HolderPercent,
      mint_revoked: a.mintAuthorityRevoked,
      freeze_revoked: a.freezeAuthorityRevoked,
      dangerous_extension: a.hasDangerousExtension,
      transfer_fee_bps: a.transferFeeBps,
      first_pool_created_at: a.firstPoolCreatedAt,
      dex_name: a.dexName,
      pair_address: a.pairAddress,
      rugged: a.rugged,
      snapshot: a.snapshot,
    }));
    await sql`select walltrack.store_token_analyses(${sql.json(rows as unknown as JSONValue)})`;
  }
  const solUsd = sol && sol.usd !== null ? sol : null;
  // The sell check needs the SOL an entry would spend: without SOL/USD the BUYs wait anyway.
  let sellCheckFailures: ProcessingReport["sell_check_failures"] = [];
  if (solUsd) {
    const [{ needed }] = await sql<{ needed: SellCheckNeed[] }[]>`
      select walltrack.sell_checks_needed(${signalIds}::uuid[], ${solUsd.usd}::numeric) as needed`;
    if (needed.length > 0) {
      const measured = await measureSellChecks(needed, settings, fetchImpl);
      sellCheckFailures = measured.failures;
      if (measured.checks.length > 0) {
        await sql`select walltrack.store_sell_checks(${sql.json(measured.checks as unknown as JSONValue)})`;
      }
    }
  }
  const [{ summary }] = await sql<{ summary: Omit<ProcessingReport, "safety_failures" | "sell_check_failures" | "sol_usd"> }[]>`
    select walltrack.process_signals(
      ${signalIds}::uuid[], ${solUsd?.usd ?? null}::numeric, ${solUsd?.source ?? null}) as summary`;
  const report: ProcessingReport = {
    ...summary, safety_failures: safety.failures, sell_check_failures: sellCheckFailures, sol_usd: solUsd?.usd ?? null,
  };
  if (sol && sol.usd === null) report.sol_usd_errors = sol.errors;
  if (quotes.prices.size > 0) report.quote_prices = Object.fromEntries([...quotes.prices].map(([mint, p]) => [mint, p.usd]));
  if (quotes.errors.length > 0) report.quote_price_errors = quotes.errors;
  if (balances.length > 0) report.leader_sells_measured = balances.length;
  return report;
}

// Keeps work going after the response: EdgeRuntime.waitUntil on Supabase; elsewhere the promise
// simply runs on. A failure is logged, never thrown into a finished request.
export function runInBackground(task: Promise<unknown>, label: string): void {
  const guarded = task.catch((error) => console.error(`${label} failed: ${error instanceof Error ? error.message : error}`));
  const runtime = (globalThis as { EdgeRuntime?: { waitUntil(p: Promise<unknown>): void } }).EdgeRuntime;
  runtime?.waitUntil(guarded);
}
