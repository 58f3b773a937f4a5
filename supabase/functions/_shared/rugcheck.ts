// RugCheck, the primary safety source: GET {RUGCHECK_API_URL}/v1/tokens/{mint}/report, reduced to
// the measurements WallTrack scores. Every field is optional (reports change between versions),
// and its integers past 2^53 are never used: only pct, decimals and USD figures are read.
import { z } from "zod";
import { ApiError, expectShape, type Fetch, requestJson } from "./api-client.ts";
import { isCurvePool, type TokenAnalysis, usd } from "./token-analysis.ts";

const holder = z.looseObject({ address: z.string(), owner: z.string().nullish(), pct: z.number() });
const market = z.looseObject({
  pubkey: z.string(),
  marketType: z.string().nullish(),
  liquidityA: z.string().nullish(),
  liquidityB: z.string().nullish(),
  lp: z.looseObject({ baseUSD: z.number().nullish(), quoteUSD: z.number().nullish() }).nullish(),
});
const report = z.looseObject({
  mint: z.string(),
  tokenMeta: z.looseObject({ name: z.string().nullish(), symbol: z.string().nullish() }).nullish(),
  token: z.looseObject({ decimals: z.number().int().nullish() }).nullish(),
  mintAuthority: z.string().nullable(),
  freezeAuthority: z.string().nullable(),
  token_extensions: z.unknown().nullish(),
  transferFee: z.looseObject({ pct: z.number().nullish() }).nullish(),
  topHolders: z.array(holder).nullish(),
  markets: z.array(market).nullish(),
  knownAccounts: z.record(z.string(), z.looseObject({ type: z.string().nullish() })).nullish(),
  lockers: z.record(z.string(), z.looseObject({ tokenAccount: z.string().nullish() })).nullish(),
  totalMarketLiquidity: z.number().nullish(),
  detectedAt: z.string().nullish(),
  rugged: z.boolean().nullish(),
  score_normalised: z.number().nullish(),
});
export type RugcheckReport = z.infer<typeof report>;

// Token-2022 extensions that let someone trap or drain holders.
const DANGEROUS_EXTENSIONS = ["permanentDelegate", "nonTransferable", "transferHook", "defaultAccountState"];

function hasDangerousExtension(extensions: unknown): boolean {
  if (!extensions || typeof extensions !== "object") return false;
  const text = JSON.stringify(extensions);
  return DANGEROUS_EXTENSIONS.some((name) => text.includes(`"${name}"`));
}

// Holders that are pools or lockers hold liquidity, not a whale's bag: leave them out.
function poolAndLockerAccounts(r: RugcheckReport): Set<string> {
  const accounts = new Set<string>();
  for (const [address, known] of Object.entries(r.knownAccounts ?? {})) {
    if (known.type === "AMM" || known.type === "LOCKER") accounts.add(address);
  }
  for (const m of r.markets ?? []) {
    accounts.add(m.pubkey);
    if (m.liquidityA) accounts.add(m.liquidityA);
    if (m.liquidityB) accounts.add(m.liquidityB);
  }
  for (const [address, locker] of Object.entries(r.lockers ?? {})) {
    accounts.add(address);
    if (locker.tokenAccount) accounts.add(locker.tokenAccount);
  }
  return accounts;
}

export function analysisFromRugcheck(r: RugcheckReport, mint: string): TokenAnalysis {
  const excluded = poolAndLockerAccounts(r);
  const holders = (r.topHolders ?? []).filter((h) => !excluded.has(h.address) && !excluded.has(h.owner ?? ""));
  const top10 = holders.slice(0, 10).reduce((sum, h) => sum + h.pct, 0);
  const pools = (r.markets ?? [])
    .filter((m) => !isCurvePool(m.marketType ?? ""))
    .map((m) => ({ market: m, usd: (m.lp?.baseUSD ?? 0) + (m.lp?.quoteUSD ?? 0) }))
    .sort((a, b) => b.usd - a.usd);
  const deepest = pools[0];
  const liquidity = deepest ? deepest.usd : r.totalMarketLiquidity ?? null;
  return {
    address: mint,
    source: "rugcheck",
    symbol: r.tokenMeta?.symbol ?? null,
    name: r.tokenMeta?.name ?? null,
    decimals: r.token?.decimals ?? null,
    liquidityUsd: liquidity === null ? null : usd(liquidity),
    top10HolderPercent: r.topHolders ? top10.toFixed(2) : null,
    mintAuthorityRevoked: r.mintAuthority === null,
    freezeAuthorityRevoked: r.freezeAuthority === null,
    hasDangerousExtension: hasDangerousExtension(r.token_extensions),
    transferFeeBps: Math.round((r.transferFee?.pct ?? 0) * 100),
    // RugCheck reports no pool creation time; detectedAt (first seen by RugCheck) stands for it.
    firstPoolCreatedAt: r.detectedAt ?? null,
    dexName: deepest?.market.marketType ?? null,
    pairAddress: deepest?.market.pubkey ?? null,
    rugged: r.rugged === true,
    snapshot: {
      score_normalised: r.score_normalised ?? null,
      holders_excluded_as_pools: (r.topHolders ?? []).length - holders.length,
      markets: (r.markets ?? []).length,
      detected_at: r.detectedAt ?? null,
    },
  };
}

export async function fetchRugcheckAnalysis(
  baseUrl: string,
  mint: string,
  options: { fetch?: Fetch; timeoutMs?: number } = {},
): Promise<TokenAnalysis> {
  const body = await requestJson("rugcheck", `${baseUrl}/v1/tokens/${mint}/report`, options);
  const parsed = expectShape("rugcheck", report, body);
  if (parsed.mint !== mint) throw new ApiError("rugcheck", "malformed", `report is for ${parsed.mint}, not ${mint}`);
  return analysisFromRugcheck(parsed, mint);
}
