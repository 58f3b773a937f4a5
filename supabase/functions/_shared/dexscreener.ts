// DexScreener, the fallback safety source and a fallback price: GET
// {DEXSCREENER_API_URL}/tokens/v1/solana/{mints} (at most 30 per request, a bare array of pairs).
// It knows liquidity and pool age but not holders or authorities, which stay unknown (null).
import { z } from "zod";
import { expectShape, type Fetch, requestJson } from "./api-client.ts";
import { describe, type RefusedPrice } from "./jupiter-price.ts";
import { parseUsdPrice } from "./price.ts";
import { isCurvePool, type TokenAnalysis, usd } from "./token-analysis.ts";

export const DEXSCREENER_BATCH = 30;

const pair = z.looseObject({
  chainId: z.string(),
  dexId: z.string(),
  pairAddress: z.string(),
  baseToken: z.looseObject({ address: z.string(), name: z.string().nullish(), symbol: z.string().nullish() }),
  quoteToken: z.looseObject({ address: z.string() }),
  priceUsd: z.string().nullish(),
  liquidity: z.looseObject({ usd: z.number().nullish() }).nullish(),
  pairCreatedAt: z.number().nullish(),
});
// Only the answer's outline is required (an array); each pair is read alone, and one malformed pair
// is dropped without spoiling the others.
const pairs = z.array(z.unknown());
export type Pair = z.infer<typeof pair>;

export async function fetchDexscreenerPairs(
  baseUrl: string,
  mints: string[],
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<Pair[]> {
  if (mints.length === 0) return [];
  if (mints.length > DEXSCREENER_BATCH) throw new Error(`at most ${DEXSCREENER_BATCH} mints per DexScreener request`);
  const body = await requestJson("dexscreener", `${baseUrl}/tokens/v1/solana/${mints.join(",")}`, options);
  return expectShape("dexscreener", pairs, body)
    .map((entry) => pair.safeParse(entry))
    .flatMap((parsed) => (parsed.success && parsed.data.chainId === "solana" ? [parsed.data] : []));
}

// The pairs where the mint is the base token (DexScreener also lists pools where it is the quote).
export const pairsOf = (all: Pair[], mint: string) => all.filter((p) => p.baseToken.address === mint);

export function analysisFromDexscreener(all: Pair[], mint: string): TokenAnalysis | null {
  const own = pairsOf(all, mint);
  if (own.length === 0) return null;
  const deepest = own
    .filter((p) => !isCurvePool(p.dexId) && p.liquidity?.usd != null)
    .sort((a, b) => (b.liquidity?.usd ?? 0) - (a.liquidity?.usd ?? 0))[0];
  const created = own.map((p) => p.pairCreatedAt).filter((t): t is number => typeof t === "number");
  return {
    address: mint,
    source: "dexscreener",
    symbol: own[0].baseToken.symbol ?? null,
    name: own[0].baseToken.name ?? null,
    decimals: null,
    liquidityUsd: deepest?.liquidity?.usd != null ? usd(deepest.liquidity.usd) : null,
    top10HolderPercent: null,
    mintAuthorityRevoked: null,
    freezeAuthorityRevoked: null,
    hasDangerousExtension: null,
    transferFeeBps: null,
    firstPoolCreatedAt: created.length ? new Date(Math.min(...created)).toISOString() : null,
    dexName: deepest?.dexId ?? null,
    pairAddress: deepest?.pairAddress ?? null,
    rugged: false,
    snapshot: { pairs: own.length, unknown: ["holders", "authorities", "extensions", "transfer_fee"] },
  };
}

// USD price of a mint from its deepest pair whose price is a finite, positive, sane decimal
// (plain notation). Pairs priced "Infinity", NaN, 0 or beyond any real price are refused (pushed
// to `refused` when given), never used.
export function usdPriceFromPairs(all: Pair[], mint: string, refused?: RefusedPrice[]): string | null {
  const priced = pairsOf(all, mint)
    .filter((p) => p.priceUsd != null)
    .map((p) => ({ pair: p, parsed: parseUsdPrice(p.priceUsd) }));
  for (const { pair, parsed } of priced) {
    if ("refused" in parsed) refused?.push({ mint, source: "dexscreener", observed: describe(pair.priceUsd), reason: parsed.refused });
  }
  const best = priced
    .filter((p): p is { pair: Pair; parsed: { usd: string } } => "usd" in p.parsed)
    .sort((a, b) => (b.pair.liquidity?.usd ?? 0) - (a.pair.liquidity?.usd ?? 0))[0];
  return best?.parsed.usd ?? null;
}
