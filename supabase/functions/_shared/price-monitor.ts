// The price monitor, I/O only: the tokens of all open positions first (batches of 50 with SOL/USD
// alongside, DexScreener in batches of 30 for the mints Jupiter did not price), their prices written
// with one set-based statement (walltrack.apply_prices, whose triggers recompute PnL and evaluate
// exits); then, on a scheduled run's first poll only, the shadow book's tokens the same way. The
// shadow book (skipped BUYs priced for a day) can hold many more tokens than the open positions:
// priced at every 10 s poll before the positions, its batches delayed each exit and spent the
// price API's rate limit (a 429 then slowed every poll); a what-if needs a price a minute, an exit
// needs it now. A token nobody prices keeps its last price. Each answer is read entry by entry: a
// price that is not finite, positive and sane is refused alone (the others are used) and sent along
// to be recorded in walltrack.price_refusals; apply_prices refuses such values again, and holds back
// a jump beyond config.price_jump_multiple until a second observation confirms it.
import type { JSONValue, Sql } from "postgres";
import { ApiError, type Fetch } from "./api-client.ts";
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
  applied: { positions_repriced: number; exit_orders_created: number; tokens_priced: number; prices_refused?: number } | null;
  // How many of `tokens` were the shadow book's (priced on a scheduled run's first poll only).
  shadow_book_tokens?: number;
  // Set when an API answered 429: the longest wait it asked for, in seconds (0 when it named none).
  rate_limited_seconds?: number;
};

function noteFailure(report: PriceReport, error: unknown): void {
  report.errors.push(error instanceof Error ? error.message : String(error));
  if (error instanceof ApiError && error.kind === "rate_limited") {
    report.rate_limited_seconds = Math.max(report.rate_limited_seconds ?? 0, error.retryAfterSeconds ?? 0);
  }
}

type Applied = NonNullable<PriceReport["applied"]>;

// Prices `mints` (SOL/USD first when asked) into `report` and applies them; null when none.
async function priceAndApply(sql: Sql, settings: Settings, mints: string[], withSol: boolean, report: PriceReport,
                             fetchImpl?: Fetch): Promise<Applied | null> {
  if (mints.length === 0 && !withSol) return null;
  const options = { fetch: fetchImpl, timeoutMs: settings.apiTimeoutMs };
  const prices = new Map<string, { usd: string; source: string }>();
  const refusedBefore = report.refused.length;
  const wanted = withSol ? [WSOL_MINT, ...mints.filter((m) => m !== WSOL_MINT)] : mints;
  for (let i = 0; i < wanted.length; i += JUPITER_PRICE_BATCH) {
    const batch = wanted.slice(i, i + JUPITER_PRICE_BATCH);
    try {
      const answer = await fetchJupiterPrices(settings.jupiterUrl, batch, {
        ...options, apiKey: settings.jupiterApiKey ?? undefined, refused: report.refused,
      });
      for (const [mint, usd] of answer) prices.set(mint, { usd, source: "jupiter" });
    } catch (error) {
      noteFailure(report, error);
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
      noteFailure(report, error);
    }
  }
  for (const mint of mints) {
    const price = prices.get(mint);
    if (!price) report.unpriced.push(mint);
    else report.priced[price.source as "jupiter" | "dexscreener"] += 1;
  }
  const rows = [
    ...mints.filter((m) => prices.has(m)).map((mint) => ({ mint, ...prices.get(mint)! })),
    ...report.refused.slice(refusedBefore).map(({ mint, source, observed, reason }) => ({ mint, usd: null, source, observed, refused: reason })),
  ];
  const [{ applied }] = await sql<{ applied: Applied }[]>`
    select walltrack.apply_prices(${sql.json(rows as unknown as JSONValue)}, ${prices.get(WSOL_MINT)?.usd ?? null}::numeric) as applied`;
  return applied;
}

// One poll: the open positions' tokens, then (`shadowBook`) the shadow book's other tokens.
export async function monitorPrices(sql: Sql, settings: Settings, fetchImpl?: Fetch, shadowBook = true): Promise<PriceReport> {
  const [{ open, shadow }] = await sql<{ open: string[]; shadow: string[] }[]>`
    select walltrack.open_position_tokens() as open, case when ${shadowBook} then walltrack.shadow_book_tokens() else '{}' end as shadow`;
  const held = new Set(open);
  const skipped = shadow.filter((m) => !held.has(m));
  const report: PriceReport = {
    tokens: open.length + skipped.length, priced: { jupiter: 0, dexscreener: 0 }, unpriced: [], refused: [], errors: [], applied: null,
    shadow_book_tokens: skipped.length,
  };
  if (report.tokens === 0) return report;
  const applied = [
    await priceAndApply(sql, settings, open, true, report, fetchImpl),
    await priceAndApply(sql, settings, skipped, open.length === 0, report, fetchImpl),
  ].filter((a): a is Applied => a !== null);
  // Both answers of apply_prices added up, figure by figure.
  report.applied = applied.reduce((sum, a) => {
    for (const [key, value] of Object.entries(a)) sum[key] = (sum[key] ?? 0) + Number(value);
    return sum;
  }, {} as Record<string, number>) as Applied;
  if (report.unpriced.length > 0) {
    console.warn(`price-monitor: no price for ${report.unpriced.length} token(s), their last price is kept: ${report.unpriced.join(", ")}`);
  }
  return report;
}

// Polling within one scheduled run (pg_cron every minute through walltrack.monitor_prices): after
// the run's first poll, the open positions are polled again every
// config.price_monitor_interval_seconds (read before each wait, so a change applies within the
// run) while the next poll would start within `budgetMs` of the run's start, and never once
// nothing is open. After a 429 the next poll waits the longer of what the API asked for and twice
// the previous wait (at least twice the interval, at most MAX_BACKOFF_MS); a poll without one
// resets it. A failing poll never ends the run: the next one is the retry.
export const MAX_BACKOFF_MS = 60_000;

export type PollReport = { polls: number; stopped: "nothing_open" | "budget"; rate_limited_polls: number; exit_orders_created: number };

export type PollClock = { now(): number; sleep(ms: number): Promise<void> };
const realClock: PollClock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export async function pollPrices(
  sql: Sql,
  settings: Settings,
  first: PriceReport,
  startedAt: number,
  options: { budgetMs: number; clock?: PollClock; fetch?: Fetch; poll?: () => Promise<PriceReport> },
): Promise<PollReport> {
  const clock = options.clock ?? realClock;
  // The polls after the run's first price the open positions only (the shadow book once a run).
  const poll = options.poll ?? (() => monitorPrices(sql, settings, options.fetch, false));
  const result: PollReport = { polls: 1, stopped: "budget", rate_limited_polls: 0, exit_orders_created: first.applied?.exit_orders_created ?? 0 };
  let report = first;
  let lastStart = startedAt;
  let backoffMs = 0;
  for (;;) {
    if (report.tokens - (report.shadow_book_tokens ?? 0) === 0) {
      result.stopped = "nothing_open";
      return result;
    }
    const [{ interval }] = await sql<{ interval: number }[]>`
      select price_monitor_interval_seconds as interval from walltrack.config`;
    const intervalMs = interval * 1000;
    if (report.rate_limited_seconds !== undefined) {
      result.rate_limited_polls += 1;
      backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(2 * intervalMs, 2 * backoffMs, report.rate_limited_seconds * 1000));
    } else {
      backoffMs = 0;
    }
    const nextStart = lastStart + Math.max(intervalMs, backoffMs);
    if (nextStart - startedAt > options.budgetMs) return result;
    await clock.sleep(Math.max(0, nextStart - clock.now()));
    lastStart = clock.now();
    try {
      report = await poll();
    } catch (error) {
      // The database itself failed: keep the last answer's shape and try at the next interval.
      console.error(`price-monitor: poll failed: ${error instanceof Error ? error.message : error}`);
      report = { ...report, rate_limited_seconds: undefined, applied: null };
    }
    result.polls += 1;
    result.exit_orders_created += report.applied?.exit_orders_created ?? 0;
  }
}
