// The price monitor polls within one scheduled run (pollPrices, _shared/price-monitor.ts): every
// config.price_monitor_interval_seconds while the next poll starts within PRICE_MONITOR_BUDGET_MS
// of the run's start, never once nothing is open, and slower after a 429 (the API's wait, doubled
// each time, at least twice the interval), back to the interval after a poll without one. A
// controlled clock: each poll takes 150 ms.
import type { Sql } from "postgres";
import { expect, test, vi } from "vitest";
import { ApiError } from "../../supabase/functions/_shared/api-client.ts";
import { MAX_BACKOFF_MS, monitorPrices, pollPrices, type PriceReport } from "../../supabase/functions/_shared/price-monitor.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";

const settings = readSettings({});
const report = (tokens: number, extra: Partial<PriceReport> = {}): PriceReport => ({
  tokens, priced: { jupiter: tokens, dexscreener: 0 }, unpriced: [], refused: [], errors: [],
  applied: { positions_repriced: tokens, exit_orders_created: 0, tokens_priced: tokens }, ...extra,
});

function harness(intervals: number[], answers: PriceReport[]) {
  let now = 1_000_000;
  const starts: number[] = [];
  const clock = { now: () => now, sleep: async (ms: number) => { now += ms; } };
  let read = 0;
  const sql = (async () => [{ interval: intervals[Math.min(read++, intervals.length - 1)] }]) as unknown as Sql;
  let polled = 0;
  const poll = async () => {
    starts.push(now - 1_000_000);
    now += 150;
    return answers[Math.min(polled++, answers.length - 1)];
  };
  return { sql, clock, poll, starts, start: now };
}

test("polls every interval from the run's start while the next poll fits in the budget", async () => {
  const h = harness([10], [report(3)]);
  const result = await pollPrices(h.sql, settings, report(3), h.start, { budgetMs: 55_000, clock: h.clock, poll: h.poll });
  expect(h.starts).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
  expect(result).toMatchObject({ polls: 6, stopped: "budget", rate_limited_polls: 0 });
});

test("the interval is read before each wait: an operator's change applies within the run", async () => {
  const h = harness([10, 5, 5, 5, 5, 5, 5], [report(1)]);
  await pollPrices(h.sql, settings, report(1), h.start, { budgetMs: 30_000, clock: h.clock, poll: h.poll });
  expect(h.starts).toEqual([10_000, 15_000, 20_000, 25_000, 30_000]);
});

test("stops once nothing is open, and never starts when the first poll found nothing", async () => {
  const h = harness([10], [report(2), report(0)]);
  const result = await pollPrices(h.sql, settings, report(2), h.start, { budgetMs: 55_000, clock: h.clock, poll: h.poll });
  expect(h.starts).toEqual([10_000, 20_000]);
  expect(result).toMatchObject({ polls: 3, stopped: "nothing_open" });

  const idle = harness([10], [report(2)]);
  const none = await pollPrices(idle.sql, settings, report(0), idle.start, { budgetMs: 55_000, clock: idle.clock, poll: idle.poll });
  expect(idle.starts).toEqual([]);
  expect(none).toEqual({ polls: 1, stopped: "nothing_open", rate_limited_polls: 0, exit_orders_created: 0 });
});

test("after a 429 the next poll waits longer (the API's wait, doubling), then the interval again", async () => {
  const limited = (seconds: number) => report(1, { rate_limited_seconds: seconds });
  // First poll (at 0) limited without a wait named: 2 x 10 s. Then limited asking 30 s: max(30, 2 x 20) = 40 s.
  // Then fine: back to 10 s.
  const h = harness([10], [limited(30), report(1)]);
  const result = await pollPrices(h.sql, settings, limited(0), h.start, { budgetMs: 100_000, clock: h.clock, poll: h.poll });
  expect(h.starts).toEqual([20_000, 60_000, 70_000, 80_000, 90_000, 100_000]);
  expect(result.rate_limited_polls).toBe(2);

  const capped = harness([10], [limited(600)]);
  await pollPrices(capped.sql, settings, limited(600), capped.start, { budgetMs: 130_000, clock: capped.clock, poll: capped.poll });
  expect(capped.starts).toEqual([MAX_BACKOFF_MS, 2 * MAX_BACKOFF_MS]);
});

test("monitorPrices reports a 429 with the wait the API asked for, and keeps the other answers", async () => {
  const fetch429 = vi.fn(async (url: string | URL | Request) => {
    if (String(url).includes("/price/v3")) return new Response("slow down", { status: 429, headers: { "retry-after": "7" } });
    return new Response(JSON.stringify({ pairs: [] }), { status: 200, headers: { "content-type": "application/json" } });
  });
  const sql = Object.assign(
    async (strings: TemplateStringsArray) => /open_position_tokens/.test(strings.join(""))
      ? [{ open: ["9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy"], shadow: [] }]
      : [{ applied: { positions_repriced: 0, exit_orders_created: 0, tokens_priced: 0 } }],
    { json: (value: unknown) => value },
  ) as unknown as Sql;
  const result = await monitorPrices(sql, settings, fetch429 as unknown as typeof fetch);
  expect(result.rate_limited_seconds).toBe(7);
  expect(result.errors[0]).toMatch(/rate_limited \(HTTP 429\)/);
  expect(new ApiError("jupiter-price", "rate_limited", "x", 429, null).retryAfterSeconds).toBeNull();
});

test("the polling budget fits the minute between two runs and the hosted wall clock", () => {
  expect(readSettings({}).priceMonitorBudgetMs).toBe(55_000);
  expect(readSettings({ PRICE_MONITOR_BUDGET_MS: "1" }).priceMonitorBudgetMs).toBe(1);
  expect(() => readSettings({ PRICE_MONITOR_BUDGET_MS: "145000" })).toThrow(/PRICE_MONITOR_BUDGET_MS \(145000\) plus two API_TIMEOUT_MS \(5000\)/);
  expect(() => readSettings({ PRICE_MONITOR_BUDGET_MS: "0" })).toThrow(/positive integer/);
});

// A stand-in database for monitorPrices: the open positions' and the shadow book's tokens, and what
// each apply_prices call was given (its mints, in order).
function pricingDatabase(open: string[], shadow: string[]) {
  const applied: string[][] = [];
  const sql = Object.assign(
    async (strings: TemplateStringsArray, ...values: unknown[]) => {
      const text = strings.join("");
      if (/open_position_tokens/.test(text)) return [{ open, shadow: values[0] ? shadow : [] }];
      applied.push((values[0] as { mint: string; usd: string | null }[]).filter((r) => r.usd !== null).map((r) => r.mint));
      return [{ applied: { positions_repriced: 1, exit_orders_created: 0, tokens_priced: 1, prices_refused: 1 } }];
    },
    { json: (value: unknown) => value },
  ) as unknown as Sql;
  return { sql, applied };
}
const mint = (i: number) => `Mint${String(i).replaceAll("0", "x").padStart(40, "z")}`;

test("the open positions are priced and applied first; the shadow book after, in its own batches", async () => {
  const asked: string[][] = [];
  const fetchPrices = vi.fn(async (url: string | URL | Request) => {
    const ids = new URL(String(url)).searchParams.get("ids")?.split(",") ?? [];
    asked.push(ids);
    return new Response(JSON.stringify(Object.fromEntries(ids.map((id) => [id, { usdPrice: 1.5 }]))),
      { status: 200, headers: { "content-type": "application/json" } });
  });
  const open = [mint(1), mint(2)];
  const shadow = Array.from({ length: 120 }, (_, i) => mint(100 + i)).concat(mint(2)); // one also held
  const db = pricingDatabase(open, shadow);
  const result = await monitorPrices(db.sql, settings, fetchPrices as unknown as typeof fetch);
  // The first request is SOL/USD with the two held tokens alone; the 120 others follow in 3 batches.
  expect(asked[0]).toEqual(["So11111111111111111111111111111111111111112", ...open]);
  expect(asked.slice(1).map((ids) => ids.length)).toEqual([50, 50, 20]);
  expect(db.applied[0]).toEqual(open);
  expect(db.applied[1]).toHaveLength(120);
  // The two answers of apply_prices add up, every figure (prices refused included).
  expect(result).toMatchObject({ tokens: 122, shadow_book_tokens: 120,
    applied: { positions_repriced: 2, exit_orders_created: 0, tokens_priced: 2, prices_refused: 2 } });
});

test("the polls after a run's first price the open positions only, and stop when none is open", async () => {
  const asked: string[][] = [];
  const fetchPrices = vi.fn(async (url: string | URL | Request) => {
    const ids = new URL(String(url)).searchParams.get("ids")?.split(",") ?? [];
    asked.push(ids);
    return new Response(JSON.stringify(Object.fromEntries(ids.map((id) => [id, { usdPrice: 1.5 }]))),
      { status: 200, headers: { "content-type": "application/json" } });
  });
  const db = pricingDatabase([mint(1)], Array.from({ length: 80 }, (_, i) => mint(100 + i)));
  const later = await monitorPrices(db.sql, settings, fetchPrices as unknown as typeof fetch, false);
  expect(asked).toEqual([["So11111111111111111111111111111111111111112", mint(1)]]);
  expect(later).toMatchObject({ tokens: 1, shadow_book_tokens: 0 });

  // A first poll that priced only the shadow book (nothing open): the run polls no more.
  const h = harness([10], [report(0)]);
  const onlyShadow = report(80, { shadow_book_tokens: 80 });
  const result = await pollPrices(h.sql, settings, onlyShadow, h.start, { budgetMs: 55_000, clock: h.clock, poll: h.poll });
  expect(result).toMatchObject({ polls: 1, stopped: "nothing_open" });
  expect(h.starts).toEqual([]);
});
