// The safety and price clients against the recorded RugCheck, DexScreener and Jupiter payloads,
// and every failure kind of each.
import { beforeEach, expect, test } from "vitest";
import { ApiError } from "../../supabase/functions/_shared/api-client.ts";
import { analysisFromDexscreener, fetchDexscreenerPairs } from "../../supabase/functions/_shared/dexscreener.ts";
import { fetchJupiterPrices } from "../../supabase/functions/_shared/jupiter-price.ts";
import { fetchRugcheckAnalysis } from "../../supabase/functions/_shared/rugcheck.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { solUsdPrice } from "../../supabase/functions/_shared/asset-prices.ts";
import { analyzeTokens } from "../../supabase/functions/_shared/token-safety.ts";
import { Replay, replayUrls } from "../support/replay.ts";

const JTO = "jtojtomepa8beP8AuQc6eXt5FriJwfFMwQx2v2f9mCL";
const TRUMP = "6p6xgHyF7AeE6TZkSmFsko444wqoP15icUSqi2jfGiPN";
const RAY = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R";
import { WSOL_MINT as WSOL } from "../../supabase/functions/_shared/mints.ts";
const replay = new Replay();
const settings = { ...readSettings(replayUrls("http://replay.test")), apiTimeoutMs: 200 };
const options = { fetch: replay.handle, timeoutMs: 200 };

beforeEach(() => replay.reset());

test("RugCheck JTO report: deepest non-curve pool, top-10 holders, revoked authorities, no fee", async () => {
  const analysis = await fetchRugcheckAnalysis(settings.rugcheckUrl, JTO, options);
  expect(analysis).toMatchObject({
    address: JTO,
    source: "rugcheck",
    symbol: "JTO",
    decimals: 9,
    liquidityUsd: "1421521.97", // orca pool: 781425.04 base + 640096.94 quote
    top10HolderPercent: "31.20", // 21.237 + 5.604 + 4.363
    mintAuthorityRevoked: true,
    freezeAuthorityRevoked: true,
    hasDangerousExtension: false,
    transferFeeBps: 0,
    firstPoolCreatedAt: "2024-05-29T00:41:38.046752026Z",
    dexName: "orca",
    pairAddress: "G2FiE1yn9N9ZJx5e1E2LxxMnHvb1H3hCuHLPfKJ98smA",
    rugged: false,
  });
});

test("RugCheck TRUMP report: a holder that is a pool's vault is left out of the top 10", async () => {
  replay.profiles.set(TRUMP, "trump");
  const analysis = await fetchRugcheckAnalysis(settings.rugcheckUrl, TRUMP, options);
  // Holder #6 (0.867 %) is liquidityA of Meteora market 9d9mb8ko...; the 11th holder takes its place.
  expect(analysis.top10HolderPercent).toBe("92.30");
  expect(analysis.liquidityUsd).toBe("407425351.25");
  expect(analysis.snapshot.holders_excluded_as_pools).toBe(1);
});

test("RugCheck: a live mint authority and a rugged flag are reported as measured", async () => {
  replay.profiles.set(JTO, "mint-authority-live");
  expect((await fetchRugcheckAnalysis(settings.rugcheckUrl, JTO, options)).mintAuthorityRevoked).toBe(false);
  replay.profiles.set(JTO, "rugged");
  expect((await fetchRugcheckAnalysis(settings.rugcheckUrl, JTO, options)).rugged).toBe(true);
});

test("DexScreener RAY pairs: liquidity and pool age known, holders and authorities unknown", async () => {
  const pairs = await fetchDexscreenerPairs(settings.dexscreenerUrl, [RAY], options);
  expect(analysisFromDexscreener(pairs, RAY)).toMatchObject({
    source: "dexscreener",
    symbol: "RAY",
    liquidityUsd: "8517032.69",
    firstPoolCreatedAt: "2024-08-15T05:21:36.000Z",
    dexName: "raydium",
    pairAddress: "2AXXcN6oN9bBT5owwmTH53C7QHUXvhLeu718Kqt8rvY2",
    top10HolderPercent: null,
    mintAuthorityRevoked: null,
    freezeAuthorityRevoked: null,
  });
  expect(analysisFromDexscreener(pairs, JTO)).toBeNull();
});

test("Jupiter Price v3: prices as decimal strings; a mint without a reliable price is absent", async () => {
  const prices = await fetchJupiterPrices(settings.jupiterUrl, [WSOL, JTO], options);
  expect(prices.get(WSOL)).toBe("147.48");
  expect(prices.has(JTO)).toBe(false);
});

test("every failure kind is named: 429 with its reset, 5xx, 4xx, timeout, non-JSON, wrong shape", async () => {
  const attempt = () => fetchRugcheckAnalysis(settings.rugcheckUrl, JTO, options).then(() => null, (e: ApiError) => e);
  replay.faults.set("rugcheck", { status: 429, headers: { "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 60) } });
  expect(await attempt()).toMatchObject({ kind: "rate_limited", status: 429, retryAfterSeconds: expect.closeTo(60, -1) });
  replay.faults.set("rugcheck", { status: 502 });
  expect(await attempt()).toMatchObject({ kind: "server_error", status: 502 });
  replay.faults.set("rugcheck", { status: 404 });
  expect(await attempt()).toMatchObject({ kind: "client_error", status: 404 });
  replay.faults.set("rugcheck", { delayMs: 1000 });
  expect(await attempt()).toMatchObject({ kind: "timeout" });
  replay.faults.set("rugcheck", { status: 200, body: "<html>gateway</html>" });
  expect(await attempt()).toMatchObject({ kind: "malformed" });
  replay.faults.set("rugcheck", { status: 200, body: '{"mint": 42}' });
  expect(await attempt()).toMatchObject({ kind: "malformed" });
});

test("a RugCheck report for another mint is refused as malformed", async () => {
  const wrongMint = (url: string | URL | Request) =>
    replay.handle(String(url).replace(JTO, RAY));
  await expect(fetchRugcheckAnalysis(settings.rugcheckUrl, JTO, { ...options, fetch: wrongMint as typeof fetch }))
    .rejects.toMatchObject({ kind: "malformed" });
});

test("analyzeTokens: RugCheck first, once per distinct token, DexScreener for those it failed on", async () => {
  const ok = await analyzeTokens([JTO, JTO, RAY], settings, replay.handle);
  expect(ok.analyses.map((a) => [a.address, a.source]).sort()).toEqual([[JTO, "rugcheck"], [RAY, "rugcheck"]].sort());
  expect(replay.count("rugcheck")).toBe(2);
  expect(replay.count("dexscreener")).toBe(0);

  replay.reset();
  replay.faults.set("rugcheck", { status: 503 });
  const fallback = await analyzeTokens([JTO, RAY], settings, replay.handle);
  expect(fallback.analyses.map((a) => a.source)).toEqual(["dexscreener", "dexscreener"]);
  expect(replay.count("dexscreener")).toBe(1); // one batched request for both
  expect(fallback.failures).toEqual([]);
});

test("analyzeTokens: when both sources fail the token is a failure with both errors, not an analysis", async () => {
  replay.faults.set("rugcheck", { status: 500 });
  replay.faults.set("dexscreener", { delayMs: 1000 });
  const result = await analyzeTokens([JTO], settings, replay.handle);
  expect(result.analyses).toEqual([]);
  expect(result.failures).toEqual([{ mint: JTO, errors: [expect.stringContaining("rugcheck: server_error"), expect.stringContaining("dexscreener: timeout")] }]);
});

test("SOL/USD: Jupiter, else DexScreener, else null with the reasons", async () => {
  expect(await solUsdPrice(settings, replay.handle)).toEqual({ usd: "147.48", source: "jupiter" });
  replay.faults.set("jupiter", { status: 429 });
  expect(await solUsdPrice(settings, replay.handle)).toEqual({ usd: "147.47", source: "dexscreener" });
  replay.faults.set("dexscreener", { status: 200, body: "not json" });
  const none = await solUsdPrice(settings, replay.handle);
  expect(none.usd).toBeNull();
  expect("errors" in none && none.errors).toEqual([expect.stringContaining("rate_limited"), expect.stringContaining("malformed")]);
});

test("settings: every URL defaults to the real service and a bad number is refused", () => {
  const defaults = readSettings({});
  expect(new URL(defaults.rugcheckUrl).hostname).toBe("api.rugcheck.xyz");
  expect(new URL(defaults.dexscreenerUrl).hostname).toBe("api.dexscreener.com");
  expect(new URL(defaults.jupiterUrl).hostname).toBe("api.jup.ag");
  expect(defaults.webhookMaxBodyBytes).toBe(8 * 1024 * 1024);
  expect(() => readSettings({ WEBHOOK_MAX_BODY_BYTES: "-1" })).toThrow("WEBHOOK_MAX_BODY_BYTES must be a positive integer");
});
