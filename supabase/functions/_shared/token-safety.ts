// Fetches the safety analysis of tokens: RugCheck's report first, one request per token, in
// parallel; DexScreener, batched, for the tokens RugCheck failed on. A token neither source
// answered for is reported as a failure and gets no analysis (its signals are then filtered
// safety_check_unavailable: never trade blind).
import type { Fetch } from "./api-client.ts";
import { analysisFromDexscreener, DEXSCREENER_BATCH, fetchDexscreenerPairs } from "./dexscreener.ts";
import { fetchRugcheckAnalysis } from "./rugcheck.ts";
import type { Settings } from "./settings.ts";
import type { TokenAnalysis } from "./token-analysis.ts";

export type SafetyResult = { analyses: TokenAnalysis[]; failures: { mint: string; errors: string[] }[] };

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function analyzeTokens(mints: string[], settings: Settings, fetchImpl?: Fetch): Promise<SafetyResult> {
  const unique = [...new Set(mints)];
  const options = { fetch: fetchImpl, timeoutMs: settings.apiTimeoutMs };
  const errors = new Map<string, string[]>();
  const analyses: TokenAnalysis[] = [];

  const primary = await Promise.allSettled(unique.map((mint) => fetchRugcheckAnalysis(settings.rugcheckUrl, mint, options)));
  const fallback: string[] = [];
  primary.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") analyses.push(outcome.value);
    else {
      fallback.push(unique[i]);
      errors.set(unique[i], [describe(outcome.reason)]);
    }
  });

  for (let i = 0; i < fallback.length; i += DEXSCREENER_BATCH) {
    const batch = fallback.slice(i, i + DEXSCREENER_BATCH);
    try {
      const pairs = await fetchDexscreenerPairs(settings.dexscreenerUrl, batch, options);
      for (const mint of batch) {
        const analysis = analysisFromDexscreener(pairs, mint);
        if (analysis) analyses.push(analysis);
        else errors.get(mint)!.push("dexscreener: no pair for this token");
      }
    } catch (error) {
      for (const mint of batch) errors.get(mint)!.push(describe(error));
    }
  }

  const answered = new Set(analyses.map((a) => a.address));
  return {
    analyses,
    failures: unique.filter((m) => !answered.has(m)).map((mint) => ({ mint, errors: errors.get(mint) ?? [] })),
  };
}


