// What a safety source measured about a token. Postgres turns it into the four checks and the
// score (walltrack.store_token_analyses); nothing here decides whether a token is safe.
export type TokenAnalysis = {
  address: string;
  source: "rugcheck" | "dexscreener";
  symbol: string | null;
  name: string | null;
  decimals: number | null;
  liquidityUsd: string | null; // deepest non-curve pool, USD
  top10HolderPercent: string | null; // pools and lockers excluded, 0-100
  mintAuthorityRevoked: boolean | null;
  freezeAuthorityRevoked: boolean | null;
  hasDangerousExtension: boolean | null;
  transferFeeBps: number | null;
  firstPoolCreatedAt: string | null; // ISO time
  dexName: string | null;
  pairAddress: string | null;
  rugged: boolean;
  snapshot: Record<string, unknown>; // the inputs, for forensics
};

// Pools of a bonding curve (pump.fun before migration) show stale or huge liquidity figures.
export const isCurvePool = (dex: string) => /pump_?fun/i.test(dex) && !/amm|swap/i.test(dex);

export const usd = (value: number) => value.toFixed(2);
