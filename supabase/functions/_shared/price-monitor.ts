// The price monitor, I/O only: the tokens of all open positions (one query), Jupiter Price v3 in
// batches of 50 with SOL/USD alongside, DexScreener in batches of 30 for the mints Jupiter did not
// price, then every price written with one set-based statement (walltrack.apply_prices, whose
// triggers recompute PnL and evaluate exits). A token nobody prices keeps its last price. Each
// answer is read entry by entry: a price that is not finite, positive and sane is refused alone
// (the others are used) and sent along to be recorded in walltrack.price_refusals; apply_prices
// refuses such values again, and holds back a jump beyond config.price_jump_multiple until a
// second observation confirms it.
import type { JSONValue, Sql } from "postgres";
import type { Fetch } from "./api-client.ts";
import { WSOL_MINT } from "./mints.ts";
import { DEXSCREENER_BATCH, fetchDexscreenerPairs, usdPriceFromPairs } from "./dexscreener.ts";
import { fetchJupiterPrices, JUPITER_PRICE_BATCH, type RefusedPrice } from "./jupiter-price.ts";
import type { Settings } from "./settings.ts";

export type PriceReport = {
  tokens: number;
  priced: { jupiter: number; dexscreener: number };
  unpriced: string[];
  refused: RefusedPrice[];
  errors: string[];
  applied: { positions_repriced: number; exit_orders_created: number; tokens_priced: number } | null;
};

export async function monitorPrices(sql: Sql, settings: Settings, fetchImpl?: Fetch): Promise<PriceReport> {
  const [{ mints }] = await sql<{ mints: string[] }[]>`select walltrack.open_position_tokens() as mints`;
  const report: PriceReport = {
    tokens: mints.length, priced: { jupiter: 0, dexscreener: 0 }, unpriced: [], refused: [], errors: [], applied: null,
  };
  if (mints.length === 0) return report;
  const options = { fetch: fetchImpl, timeoutMs: settings.apiTimeoutMs };
  const prices = new Map<string, { usd: string; source: string }>();

  const wanted = [WSOL_MINT, ...mints.filter((m) => m !== WSOL_MINT)];
  for (let i = 0; i < wanted.length; i += JUPITER_PRICE_BATCH) {
    const batch = wanted.slice(i, i + JUPITER_PRICE_BATCH);
    try {
      const answer = await fetchJupiterPrices(settings.jupiterUrl, batch, {
        ...options, apiKey: settings.jupiterApiKey ?? undefined, refused: report.refused,
      });
      for (const [mint, usd] of answer) prices.set(mint, { usd, source: "jupiter" });
    } catch (error) {
      report.errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  const missing = wanted.filter((m) => !prices.has(m));
  for (let i = 0; i < missing.length; i += DEXSCREENER_BATCH) {
    const batch = missing.slice(i, i + DEXSCREENER_BATCH);
    try {
      const pairs = await fetchDexscreenerPairs(settings.dexscreenerUrl, batch, options);
      for (const mint of batch) {
        const usd = usdPriceFromPairs(pairs, mint, report.refused);
        if (usd) prices.set(mint, { usd, source: "dexscreener" });
      }
    } catch (error) {
      report.errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  for (const mint of mints) {
    const price = prices.get(mint);
    if (!price) report.unpriced.push(mint);
    else report.priced[price.source as "jupiter" | "dexscreener"] += 1;
  }
  if (report.unpriced.length > 0) {
    console.warn(`price-monitor: no price for ${report.unpriced.length} token(s), their last price is kept: ${report.unpriced.join(", ")}`);
  }
  const rows = [
    ...mints.filter((m) => prices.has(m)).map((mint) => ({ mint, ...prices.get(mint)! })),
    ...report.refused.map(({ mint, source, observed, reason }) => ({ mint, usd: null, source, observed, refused: reason })),
  ];
  [{ applied: report.applied }] = await sql`
    select walltrack.apply_prices(${sql.json(rows as unknown as JSONValue)}, ${prices.get(WSOL_MINT)?.usd ?? null}::numeric) as applied`;
  return report;
}
