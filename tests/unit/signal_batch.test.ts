import { expect, test } from "vitest";
import { buildSignalBatch, withoutNulCharacters } from "../../supabase/functions/_shared/signal-batch.ts";
import { enhancedTransaction } from "../../supabase/functions/_shared/helius-transaction.ts";
import { fixtureJson } from "../fixtures/shared.ts";

test("NUL characters are dropped from what is kept, in values and keys, at any depth", () => {
  expect(withoutNulCharacters({ a: "x\u0000y", ["k\u0000"]: [{ b: "\u0000" }], n: 1, z: null })).toEqual({ a: "xy", k: [{ b: "" }], n: 1, z: null });
});

test("the batch keeps each signalling transaction once, its raw payload cleaned, failed ones counted", () => {
  const [raw] = fixtureJson<Record<string, unknown>[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  const dirty = { ...raw, description: "memo\u0000with a NUL" };
  const failed = { ...raw, signature: `${(raw.signature as string).slice(0, -1)}X`, transactionError: { x: 1 } };
  const txs = [dirty, failed].map((t) => enhancedTransaction.parse(t));
  const { batch, failed: skipped } = buildSignalBatch(txs, [dirty, failed], new Date("2026-11-21T00:00:00Z"));
  expect(skipped).toBe(1);
  expect(batch.transactions).toHaveLength(1);
  expect((batch.transactions[0].raw as { description: string }).description).toBe("memowith a NUL");
  expect(batch.received_at).toBe("2026-11-21T00:00:00.000Z");
  // every participant is a candidate: Postgres keeps the watched ones
  expect(batch.signals.map((s) => s.signal_type).sort()).toEqual(["BUY", "SELL"]);
});

test("an account field that is not base58 (a NUL in an address) is refused by validation", () => {
  const [raw] = fixtureJson<Record<string, unknown>[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  expect(enhancedTransaction.safeParse({ ...raw, feePayer: "Ezi9Bn5W\u0000" }).success).toBe(false);
});
