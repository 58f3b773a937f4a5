// DexScreener, the fallback safety source and a fallback price: GET
// {DEXSCREENER_API_URL}/tokens/v1/solana/{mints} (at most 30 per request, a bare array of pairs).
// It knows liquidity and pool age but not holders or authorities, which stay unknown (null).
import { z } from "zod";
import { expectShape, type Fetch, getJson } from "./api-client.ts";
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
const pairs = z.array(pair);
export type Pair = z.infer<typeof pair>;

export async function fetchDexscreenerPairs(
  baseUrl: string,
  mints: string[],
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<Pair[]> {
  if (mints.length === 0) return [];
  if (mints.length > DEXSCREENER_BATCH) throw new Error(`at most ${DEXSCREENER_BATCH} mints per DexScreener request`);
  const body = await getJson("dexscreener", `${baseUrl}/tokens/v1/solana/${mints.join(",")}`, options);
  return expectShape("dexscreener", pairs, body).filter((p) => p.chainId === "solana");
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

// USD price of a mint from its deepest pair, as DexScreener's decimal string.
export function usdPriceFromPairs(all: Pair[], mint: string): string | null {
  const best = pairsOf(all, mint)
    .filter((p) => p.priceUsd && Number(p.priceUsd) > 0)
    .sort((a, b) => (b.liquidity?.usd ?? 0) - (a.liquidity?.usd ?? 0))[0];
  return best?.priceUsd ?? null;
}
