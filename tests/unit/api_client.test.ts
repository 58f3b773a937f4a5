// The one HTTP client's rules (supabase/functions/_shared/api-client.ts), and that every external
// API goes through it: the same answer is sorted the same way by RugCheck's GET, Jupiter's swap
// POST, the Solana RPC and Helius (the four once handled a 429 four ways).
import { expect, test } from "vitest";
import { ApiError, MAX_RATE_LIMIT_WAIT_SECONDS, rateLimitWait, requestJson } from "../../supabase/functions/_shared/api-client.ts";
import { heliusWebhookCall } from "../../supabase/functions/_shared/helius-sync.ts";
import { fetchSwap, type Quote } from "../../supabase/functions/_shared/jupiter-swap.ts";
import { fetchRugcheckAnalysis } from "../../supabase/functions/_shared/rugcheck.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { SolanaRpc } from "../../supabase/functions/_shared/solana-rpc.ts";

const NOW = Date.parse("2026-12-05T12:00:00Z");
const headers = (h: Record<string, string>) => new Headers(h);

test("a 429's wait: Retry-After in seconds or as a date, Jupiter's x-ratelimit-reset as a unix time, in seconds from now", () => {
  expect(rateLimitWait(headers({ "retry-after": "30" }), NOW)).toBe(30);
  expect(rateLimitWait(headers({ "retry-after": new Date(NOW + 45_000).toUTCString() }), NOW)).toBe(45);
  expect(rateLimitWait(headers({ "x-ratelimit-reset": String(NOW / 1000 + 120) }), NOW)).toBe(120);
  expect(rateLimitWait(headers({ "x-ratelimit-reset": "7" }), NOW)).toBe(7);
  expect(rateLimitWait(headers({}), NOW)).toBeNull();
  expect(rateLimitWait(headers({ "retry-after": "soon" }), NOW)).toBeNull();
});

test("a 429's wait is bounded: at least a second, at most MAX_RATE_LIMIT_WAIT_SECONDS", () => {
  expect(rateLimitWait(headers({ "retry-after": "86400" }), NOW)).toBe(MAX_RATE_LIMIT_WAIT_SECONDS);
  expect(rateLimitWait(headers({ "x-ratelimit-reset": String(NOW / 1000 + 86_400) }), NOW)).toBe(MAX_RATE_LIMIT_WAIT_SECONDS);
  expect(rateLimitWait(headers({ "x-ratelimit-reset": String(NOW / 1000 - 60) }), NOW)).toBe(1); // a reset already past
  expect(rateLimitWait(headers({ "retry-after": "0" }), NOW)).toBe(1);
});

const answer = (status: number, body: string, h: Record<string, string> = {}) => async () => new Response(body, { status, headers: h });
const kindOf = (promise: Promise<unknown>) =>
  promise.then(() => {
    throw new Error("expected a failure");
  }, (e: ApiError) => ({ api: e.api, kind: e.kind, status: e.status, wait: e.retryAfterSeconds }));

test("failures are sorted: 429, 5xx, other 4xx, not JSON; one attempt each", async () => {
  let calls = 0;
  const counted = (f: () => Promise<Response>) => (async () => (calls++, f())) as unknown as typeof fetch;
  expect(await kindOf(requestJson("x", "http://x.test", { fetch: counted(answer(429, "slow down", { "retry-after": "12" })) })))
    .toEqual({ api: "x", kind: "rate_limited", status: 429, wait: 12 });
  expect(await kindOf(requestJson("x", "http://x.test", { fetch: counted(answer(503, "down")) }))).toMatchObject({ kind: "server_error", status: 503 });
  expect(await kindOf(requestJson("x", "http://x.test", { fetch: counted(answer(404, "no")) }))).toMatchObject({ kind: "client_error", status: 404 });
  expect(await kindOf(requestJson("x", "http://x.test", { fetch: counted(answer(200, "<html>")) }))).toMatchObject({ kind: "malformed", status: 200 });
  expect(calls).toBe(4); // no retry inside a request: the caller's schedule retries
});

test("a request without an answer is abandoned after its timeout", async () => {
  const never = ((_url: string, init: RequestInit) =>
    new Promise((_resolve, reject) => init.signal!.addEventListener("abort", () => reject(init.signal!.reason)))) as unknown as typeof fetch;
  const started = Date.now();
  const error = await requestJson("x", "http://x.test", { fetch: never, timeoutMs: 50 }).then(() => null, (e: ApiError) => e);
  expect(error).toMatchObject({ kind: "timeout" });
  expect(error?.message).toContain("no answer within 50 ms");
  expect(Date.now() - started).toBeLessThan(2000);
});

test("an unreachable API is a network failure whose message never carries the query string (keys travel there)", async () => {
  const refused = (async (url: string) => {
    throw new TypeError(`error sending request for url (${url}): connection refused`);
  }) as unknown as typeof fetch;
  const error = await requestJson("helius", "http://h.test/v0/webhooks?api-key=s3cret", { fetch: refused }).then(() => null, (e: ApiError) => e);
  expect(error).toMatchObject({ kind: "network" });
  expect(error?.message).toContain("connection refused");
  expect(error?.message).not.toContain("s3cret");
});

test("every external API sorts the same 429 the same way: RugCheck, Jupiter swap, Solana RPC, Helius", async () => {
  const limited = answer(429, "{}", { "retry-after": "20" }) as unknown as typeof fetch;
  const settings = { ...readSettings({ HELIUS_API_KEY: "k" }), apiTimeoutMs: 500 };
  const quote = { inputMint: "a", inAmount: "1", outputMint: "b", outAmount: "1", otherAmountThreshold: "1", slippageBps: 1, routePlan: [] } as Quote;
  const sorted = await Promise.all([
    kindOf(fetchRugcheckAnalysis("http://r.test", "m", { fetch: limited })),
    kindOf(fetchSwap("http://j.test", { quote, userPublicKey: "u", priorityFeeLamports: 0 }, { fetch: limited })),
    kindOf(new SolanaRpc("http://rpc.test", limited).blockHeight()),
    kindOf(heliusWebhookCall(settings, "POST", "/v0/webhooks", {}, limited)),
  ]);
  expect(sorted.map(({ kind, status, wait }) => ({ kind, status, wait }))).toEqual(
    Array(4).fill({ kind: "rate_limited", status: 429, wait: 20 }),
  );
  expect(sorted.map((s) => s.api)).toEqual(["rugcheck", "jupiter-swap", "solana-rpc", "helius"]);
});

test("a JSON-RPC error is the RPC's client_error; Helius's GET of a webhook it no longer has is null", async () => {
  const rpcError = answer(200, JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code: -32002, message: "Blockhash not found" } })) as unknown as typeof fetch;
  expect(await kindOf(new SolanaRpc("http://rpc.test", rpcError).sendTransaction("AA=="))).toMatchObject({ kind: "client_error" });
  const settings = { ...readSettings({ HELIUS_API_KEY: "k" }), apiTimeoutMs: 500 };
  expect(await heliusWebhookCall(settings, "GET", "/v0/webhooks/w", undefined, answer(404, "{}") as unknown as typeof fetch)).toBeNull();
  expect(await kindOf(heliusWebhookCall(settings, "PUT", "/v0/webhooks/w", {}, answer(404, "{}") as unknown as typeof fetch)))
    .toMatchObject({ kind: "client_error", status: 404 });
});
