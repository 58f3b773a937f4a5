// Bad input: a corpus of hostile and malformed deliveries, each answered 4xx with a JSON error and
// nothing written, the function still serving the next good request; then a mutation fuzzer that
// derives thousands of variants from the real payloads: never a 5xx, never a crash.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { fixturesDir } from "../fixtures/shared.ts";
import { adaptedFixture, connect, freshAddress, freshSignature, postWebhook, stack } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
let watched: string;
let good: Record<string, unknown>;
beforeAll(async () => {
  watched = freshAddress();
  await sql`select walltrack.add_wallet(${watched}, 'bad input')`;
  const [original] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", {}) as { signature: string }[];
  [good] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", { [BUYER]: watched, [original.signature]: freshSignature() }) as Record<string, unknown>[];
});

const rows = async () => (await sql`select (select count(*) from walltrack.signals)::int as signals,
                                           (select count(*) from walltrack.orders)::int as orders,
                                           (select count(*) from walltrack.tokens)::int as tokens`)[0];
const url = () => `${stack.functionsUrl}/helius-webhook`;
const raw = (init: RequestInit & { headers?: Record<string, string> }) => fetch(url(), init);
const json = (body: string, headers: Record<string, string> = {}) =>
  raw({ method: "POST", headers: { "content-type": "application/json", authorization: stack.webhookSecret, ...headers }, body });

function withField(path: string[], value: unknown): unknown[] {
  const tx = structuredClone(good);
  let node: Record<string, unknown> = tx;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1]] = value;
  return [tx];
}

test("a corpus of 30+ hostile requests: each 4xx with a JSON error, nothing written, the next good one served", { timeout: 120_000 }, async () => {
  const before = await rows();
  const corpus: [string, () => Promise<Response>][] = [
    ["missing secret", () => raw({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([good]) })],
    ["wrong secret", () => json(JSON.stringify([good]), { authorization: "Bearer nope" })],
    ["secret in another header", () => raw({ method: "POST", headers: { "content-type": "application/json", "x-api-key": stack.webhookSecret }, body: JSON.stringify([good]) })],
    ["GET", () => raw({ method: "GET" })],
    ["PUT", () => raw({ method: "PUT", headers: { authorization: stack.webhookSecret }, body: "[]" })],
    ["DELETE", () => raw({ method: "DELETE", headers: { authorization: stack.webhookSecret } })],
    ["text/plain", () => json(JSON.stringify([good]), { "content-type": "text/plain" })],
    ["form encoded", () => json("a=1", { "content-type": "application/x-www-form-urlencoded" })],
    ["no content type", () => raw({ method: "POST", headers: { authorization: stack.webhookSecret }, body: JSON.stringify([good]) })],
    ["truncated JSON", () => json(JSON.stringify([good]).slice(0, 500))],
    ["empty body", () => json("")],
    ["not UTF-8", () => raw({ method: "POST", headers: { "content-type": "application/json", authorization: stack.webhookSecret }, body: new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]) })],
    ["deeply nested JSON", () => json("[".repeat(50_000) + "]".repeat(50_000))],
    ["a huge string field", () => json(JSON.stringify(withField(["feePayer"], "A".repeat(4_000_000))))],
    ["over the size limit", () => json(`[${" ".repeat(9 * 1024 * 1024)}]`)],
    ["an object, not an array", () => json(JSON.stringify(good))],
    ["a number", () => json("42")],
    ["null", () => json("null")],
    ["empty array", () => json("[]")],
    ["10,000-element array", () => json(JSON.stringify(Array.from({ length: 10_000 }, () => ({}))))],
    ["array of nulls", () => json("[null, null]")],
    ["slot past 2^53", () => json(JSON.stringify([good]).replace(/"slot":\d+/, '"slot":9007199254740993'))],
    ["fee past 2^53", () => json(JSON.stringify([good]).replace(/"fee":\d+/, '"fee":90071992547409930'))],
    ["negative timestamp", () => json(JSON.stringify(withField(["timestamp"], -5)))],
    ["signature not base58", () => json(JSON.stringify(withField(["signature"], "0OIl".repeat(22))))],
    ["signature too short", () => json(JSON.stringify(withField(["signature"], "abc")))],
    ["signature a number", () => json(JSON.stringify(withField(["signature"], 12345)))],
    ["slot a string", () => json(JSON.stringify(withField(["slot"], "275222716")))],
    ["fee a float", () => json(JSON.stringify(withField(["fee"], 0.5)))],
    ["feePayer null", () => json(JSON.stringify(withField(["feePayer"], null)))],
    ["accountData an object", () => json(JSON.stringify(withField(["accountData"], { a: 1 })))],
    ["nativeBalanceChange a string", () => json(JSON.stringify(withField(["accountData", "0", "nativeBalanceChange"], "-10036298")))],
    ["rawTokenAmount not an integer", () => json(JSON.stringify(withField(["accountData", "0", "tokenBalanceChanges"], [{ userAccount: watched, mint: "x", rawTokenAmount: { tokenAmount: "1.5", decimals: 6 } }])))],
    ["decimals out of range", () => json(JSON.stringify(withField(["accountData", "0", "tokenBalanceChanges"], [{ userAccount: watched, mint: "x", rawTokenAmount: { tokenAmount: "1", decimals: 99 } }])))],
    ["tokenTransfers amount a string", () => json(JSON.stringify(withField(["tokenTransfers"], [{ mint: "x", tokenAmount: "1" }])))],
    ["nativeTransfers amount NaN-like", () => json(JSON.stringify(withField(["nativeTransfers"], [{ amount: "NaN" }])))],
  ];
  expect(corpus.length).toBeGreaterThanOrEqual(30);
  for (const [name, send] of corpus) {
    const response = await send();
    expect(response.status, name).toBeGreaterThanOrEqual(400);
    expect(response.status, name).toBeLessThan(500);
    expect(response.headers.get("content-type"), name).toBe("application/json");
    const body = await response.json();
    expect(typeof body.error, name).toBe("string");
  }
  expect(await rows()).toEqual(before);
  const served = await postWebhook([{ ...good, timestamp: Math.floor(Date.now() / 1000) }]);
  expect(served.status).toBe(200);
  expect((await served.json()).signals_recorded).toBe(1);
});

// Deterministic pseudo-random numbers: a failing variant can be reproduced from its seed.
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(choices: T[]) => choices[Math.floor(random() * choices.length)];
  if (Array.isArray(value)) {
    if (value.length && random() < 0.3) return value.map((v) => (random() < 0.3 ? mutate(v, random, depth + 1) : v));
    return pick([[], [...value, ...value], value.slice(1), value.map((v) => mutate(v, random, depth + 1)), null, "[]"]);
  }
  if (value && typeof value === "object") {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = pick(keys);
    const action = random();
    if (action < 0.15) delete copy[key];
    else if (action < 0.85) copy[key] = mutate(copy[key], random, depth + 1);
    else copy[`x${Math.floor(random() * 1e6)}`] = pick([1, "x", null, {}, []]);
    return copy;
  }
  if (typeof value === "number") return pick([0, -1, value * 10 ** 12, -value, value + 0.5, Number.MAX_SAFE_INTEGER + 2, String(value), null, 1e308]);
  if (typeof value === "string") return pick(["", value.slice(1), value + value, value.toUpperCase(), "0OIl", 42, null, value.replace(/[1-9]/g, "0"), "\u0000", "' or 1=1 --"]);
  return pick([true, false, null, 0, "", {}, []]);
}

test("mutation fuzzer: thousands of variants of every real payload, never a 5xx", { timeout: 240_000 }, async () => {
  const payloads = readdirSync(path.join(fixturesDir, "helius"))
    .filter((f) => f.endsWith(".json") && !f.startsWith("openapi"))
    .map((f) => adaptedFixture(f, {})[0] as Record<string, unknown>);
  const random = generator(20261121);
  const deadline = Date.now() + 180_000;
  const outcomes = new Map<number, number>();
  let sent = 0;
  const serverErrors: string[] = [];
  while (sent < 2_000 && Date.now() < deadline) {
    // Eight at a time: a fuzzer that also stresses concurrency a little.
    const batch = Array.from({ length: 8 }, () => {
      const base = payloads[Math.floor(random() * payloads.length)];
      const variant = mutate([structuredClone(base)], random);
      return JSON.stringify(variant);
    });
    const responses = await Promise.all(batch.map((body) => json(body)));
    for (const [i, response] of responses.entries()) {
      outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
      if (response.status >= 500) serverErrors.push(`${response.status}: ${batch[i].slice(0, 300)}`);
      await response.arrayBuffer();
    }
    sent += batch.length;
  }
  expect(serverErrors.slice(0, 3)).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(1_000);
  expect(outcomes.get(400) ?? 0).toBeGreaterThan(0);
  // Still serving afterwards.
  const after = await postWebhook([{ ...good, signature: freshSignature(), timestamp: Math.floor(Date.now() / 1000) }]);
  expect(after.status).toBe(200);
});
