// The webhook's fast shape check (plainEnhancedTransaction) never disagrees with zod's schema
// (enhancedTransaction): whatever it accepts, zod accepts with the same parsed value; whatever it
// cannot vouch for goes to zod, whose verdict and words are the refusal. Checked on every real
// payload of fixtures/helius and on thousands of mutations of them (values replaced by other
// types, out-of-range numbers, bad addresses, missing and null fields, oversized arrays), and for
// the body scan that lets a clean delivery be stored without copying it value by value.
import { readdirSync } from "node:fs";
import { expect, test } from "vitest";
import { enhancedTransaction, parseEnhancedTransaction, plainEnhancedTransaction } from "../../supabase/functions/_shared/helius-transaction.ts";
import { buildSignalBatch, storableJson, storableText } from "../../supabase/functions/_shared/signal-batch.ts";
import { fixtureJson } from "../fixtures/shared.ts";

const realTransactions = (): Record<string, unknown>[] =>
  readdirSync(new URL("../../fixtures/helius", import.meta.url))
    .filter((name) => name.endsWith(".json") && !name.startsWith("openapi"))
    .flatMap((name) => {
      const value = fixtureJson<unknown>(`helius/${name}`);
      return (Array.isArray(value) ? value : [value]).filter((v): v is Record<string, unknown> => !!v && typeof v === "object" && "signature" in v);
    });

// Agreement on one input: a fast yes is zod's yes with the same value; a fast no defers to zod.
function agrees(item: unknown): "fast" | "zod" {
  const fast = plainEnhancedTransaction(item);
  const zod = enhancedTransaction.safeParse(item);
  if (fast) {
    expect(zod.success, JSON.stringify(item).slice(0, 300)).toBe(true);
    expect(fast).toEqual(zod.data);
    return "fast";
  }
  expect(parseEnhancedTransaction(item)).toEqual(zod);
  return "zod";
}

test("every real payload passes the fast check with zod's parsed value", () => {
  const transactions = realTransactions();
  expect(transactions.length).toBeGreaterThan(20);
  for (const tx of transactions) expect(agrees(tx)).toBe("fast");
});

// Replacement values that break (or not) any field: other types, edges of every range.
const REPLACEMENTS: unknown[] = [
  undefined, null, "", "x", "1".repeat(31), "A".repeat(32), "A".repeat(44), "A".repeat(45), "0OIl".repeat(10), "\ud800", "So1\u0000",
  "A".repeat(64), "A".repeat(88), "A".repeat(89), "-18446744073709551615", "18446744073709551616", "-0", "1.5", "9".repeat(21),
  0, -0, -1, 1.5, 18, 19, 2 ** 53 - 1, 2 ** 53, 2 ** 64, 2 ** 65, 1e21, Number.MAX_VALUE, 18446744073709551615, true, {}, [], [{}], "a".repeat(101),
];

// Every path to a scalar or a container in the transaction (arrays: their first element).
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? (value.length ? [0] : []) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

function replaced(tx: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(tx) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined) delete node[last];
  else node[last] = structuredClone(replacement);
  return copy;
}

test("on thousands of mutations of real payloads the fast check only ever says what zod says", () => {
  const seen = { fast: 0, zod: 0 };
  for (const tx of realTransactions().slice(0, 12)) {
    // Only the fields the schema reads, and one level under them: the rest is passed through.
    const schemaPaths = paths(tx).filter((p) => p.length > 0 && p.length <= 5
      && ["signature", "slot", "timestamp", "fee", "feePayer", "type", "source", "transactionError", "accountData", "tokenTransfers", "nativeTransfers"].includes(String(p[0])));
    for (const path of schemaPaths) {
      for (const replacement of REPLACEMENTS) seen[agrees(replaced(tx, path, replacement))] += 1;
    }
  }
  // Both branches were exercised many times.
  expect(seen.fast).toBeGreaterThan(500);
  expect(seen.zod).toBeGreaterThan(500);
});

test("arrays beyond a transaction's limits and too many balance changes in all go to zod, which refuses them", () => {
  const [tx] = fixtureJson<Record<string, unknown>[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  const accounts = tx.accountData as Record<string, unknown>[];
  const change = accounts.flatMap((a) => (a.tokenBalanceChanges as unknown[]) ?? [])[0];
  const cases = [
    { ...tx, tokenTransfers: Array(513).fill((tx.tokenTransfers as unknown[])[0]) },
    { ...tx, nativeTransfers: Array(513).fill({ fromUserAccount: "", toUserAccount: "", amount: 1 }) },
    { ...tx, accountData: Array(257).fill(accounts[0]) },
    { ...tx, accountData: [{ ...accounts[0], tokenBalanceChanges: Array(200).fill(change) }, { ...accounts[1], tokenBalanceChanges: Array(57).fill(change) }] },
  ];
  for (const item of cases) {
    expect(agrees(item)).toBe("zod");
    expect(enhancedTransaction.safeParse(item).success).toBe(false);
  }
  // 256 in all is within the limit: the fast check takes it.
  expect(agrees({ ...tx, accountData: [{ ...accounts[0], tokenBalanceChanges: Array(200).fill(change) }, { ...accounts[1], tokenBalanceChanges: Array(56).fill(change) }] })).toBe("fast");
});

test("a delivery is stored as it is only when its text holds no NUL or surrogate escape", () => {
  expect(storableText(JSON.stringify([{ a: "plain", b: "é 😀 \\ \" \n" }]))).toBe(true);
  for (const value of ["x\u0000y", "\ud800", "\udfff", "\ud83d\ude00"]) {
    // JSON.stringify escapes a NUL and lone surrogates; a pair arrives escaped when the sender escapes it.
    const escaped = JSON.stringify([{ a: value }]).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    expect(storableText(escaped), escaped).toBe(false);
  }
  expect(storableText('[{"a":"\\uD800"}]')).toBe(false);
  // A written backslash followed by u0000 is not a NUL, but the scan stays on the safe side.
  expect(storableText('[{"a":"\\\\u0000"}]')).toBe(false);

  const [tx] = fixtureJson<Record<string, unknown>[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  const clean = { ...tx, timestamp: Math.floor(Date.now() / 1000) };
  const received = new Date();
  const fast = buildSignalBatch([clean], received, true);
  const slow = buildSignalBatch([clean], received);
  expect(fast.batch).toEqual(slow.batch);
  expect(fast.batch.transactions[0].raw).toBe(clean); // not copied
  expect(storableJson(clean)).toEqual(clean);
});
