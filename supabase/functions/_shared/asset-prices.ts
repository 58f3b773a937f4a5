// USD prices of the assets signals are paid in: SOL/USD for pricing SOL-quoted signals and sizing
// entries, and the quote-like assets (mSOL, PYUSD, WETH...) a leader paid a token with. Jupiter
// Price v3 first, in one batch; DexScreener's deepest pair for any mint Jupiter did not price. A
// mint neither prices is left out (its signals wait), never guessed.
import type { Fetch } from "./api-client.ts";
import { WSOL_MINT } from "./mints.ts";
import { fetchDexscreenerPairs, usdPriceFromPairs } from "./dexscreener.ts";
import { fetchJupiterPrices } from "./jupiter-price.ts";
import type { Settings } from "./settings.ts";

export type AssetPrice = { usd: string; source: "jupiter" | "dexscreener" };
export type AssetPrices = { prices: Map<string, AssetPrice>; errors: string[] };
export type SolPrice = AssetPrice | { usd: null; errors: string[] };

export async function assetUsdPrices(mints: string[], settings: Settings, fetchImpl?: Fetch): Promise<AssetPrices> {
  const options = { fetch: fetchImpl, timeoutMs: settings.apiTimeoutMs };
  const prices = new Map<string, AssetPrice>();
  const errors: string[] = [];
  if (mints.length === 0) return { prices, errors };
  try {
    const found = await fetchJupiterPrices(settings.jupiterUrl, mints, { ...options, apiKey: settings.jupiterApiKey ?? undefined });
    for (const [mint, usd] of found) prices.set(mint, { usd, source: "jupiter" });
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  const missing = mints.filter((mint) => !prices.has(mint));
  if (missing.length === 0) return { prices, errors };
  if (errors.length === 0) errors.push(`jupiter-price: no price for ${missing.join(", ")}`);
  try {
    const pairs = await fetchDexscreenerPairs(settings.dexscreenerUrl, missing, options);
    for (const mint of missing) {
      const usd = usdPriceFromPairs(pairs, mint);
      if (usd) prices.set(mint, { usd, source: "dexscreener" });
      else errors.push(`dexscreener: no priced pair for ${mint}`);
    }
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  return { prices, errors };
}

export async function solUsdPrice(settings: Settings, fetchImpl?: Fetch): Promise<SolPrice> {
  const { prices, errors } = await assetUsdPrices([WSOL_MINT], settings, fetchImpl);
  return prices.get(WSOL_MINT) ?? { usd: null, errors };
}
