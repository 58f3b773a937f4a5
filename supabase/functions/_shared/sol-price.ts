// SOL/USD for pricing SOL-quoted signals and sizing entries: Jupiter Price v3 for the WSOL mint,
// DexScreener's deepest WSOL pair when Jupiter fails or has no price. Null when neither answers.
import type { Fetch } from "./api-client.ts";
import { WSOL_MINT } from "./mints.ts";
import { fetchDexscreenerPairs, usdPriceFromPairs } from "./dexscreener.ts";
import { fetchJupiterPrices } from "./jupiter-price.ts";
import type { Settings } from "./settings.ts";

export type SolPrice = { usd: string; source: "jupiter" | "dexscreener" } | { usd: null; errors: string[] };

export async function solUsdPrice(settings: Settings, fetchImpl?: Fetch): Promise<SolPrice> {
  const options = { fetch: fetchImpl, timeoutMs: settings.apiTimeoutMs };
  const errors: string[] = [];
  try {
    const prices = await fetchJupiterPrices(settings.jupiterUrl, [WSOL_MINT], { ...options, apiKey: settings.jupiterApiKey ?? undefined });
    const usd = prices.get(WSOL_MINT);
    if (usd) return { usd, source: "jupiter" };
    errors.push("jupiter-price: no price for WSOL");
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  try {
    const usd = usdPriceFromPairs(await fetchDexscreenerPairs(settings.dexscreenerUrl, [WSOL_MINT], options), WSOL_MINT);
    if (usd) return { usd, source: "dexscreener" };
    errors.push("dexscreener: no priced WSOL pair");
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  return { usd: null, errors };
}
