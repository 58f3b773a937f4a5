// One delivery, transaction by transaction: a valid transaction is recorded beside refused ones,
// each refusal keeps its reason, hostile input costs bounded work and never throws.
import { expect, test } from "vitest";
import { buildSignalBatch, storableJson } from "../../supabase/functions/_shared/signal-batch.ts";
import { enhancedTransaction } from "../../supabase/functions/_shared/helius-transaction.ts";
import { fixtureJson } from "../fixtures/shared.ts";

const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";
const WSOL = "So11111111111111111111111111111111111111112";
const RECEIVED = new Date("2026-11-21T00:00:00Z");
type Tx = Record<string, unknown> & { signature: string; accountData: unknown[] };
const real = (): Tx => ({ ...fixtureJson<Tx[]>("helius/raydium-swap-sol-buy.dex-scraper.json")[0], timestamp: RECEIVED.getTime() / 1000 - 5 });
// A copy of the real BUY under another signature (the last characters changed).
const variant = (n: number, over: Record<string, unknown> = {}) => {
  const tx = real();
  return { ...tx, signature: `${tx.signature.slice(0, -3)}${"ABCDEFGHJK"[n]}zz`, ...over };
};

test("NUL characters are dropped and lone surrogates replaced in what is kept, in values and keys, at any depth", () => {
  expect(storableJson({ a: "x\u0000y", ["k\u0000"]: [{ b: "\u0000" }], s: "a\ud800b\udc00c", pair: "\ud83d\ude00", n: 1, z: null }))
    .toEqual({ a: "xy", k: [{ b: "" }], s: "a\ufffdb\ufffdc", pair: "\ud83d\ude00", n: 1, z: null });
});

test("the batch keeps each signalling transaction once, its raw payload cleaned, failed ones counted", () => {
  const dirty = { ...real(), description: "memo\u0000with a NUL and a lone \ud800" };
  const failed = variant(1, { transactionError: { x: 1 } });
  const { batch, failed: skipped, rejected } = buildSignalBatch([dirty, failed], RECEIVED);
  expect(skipped).toBe(1);
  expect(rejected.rejections).toEqual([]);
  expect(batch.transactions).toHaveLength(1);
  expect((batch.transactions[0].raw as { description: string }).description).toBe("memowith a NUL and a lone \ufffd");
  expect(batch.received_at).toBe("2026-11-21T00:00:00.000Z");
  // every participant is a candidate: Postgres keeps the watched ones
  expect(batch.signals.map((s) => s.signal_type).sort()).toEqual(["BUY", "SELL"]);
});

test("an account field that is not base58 (a NUL in an address) is refused by validation", () => {
  expect(enhancedTransaction.safeParse({ ...real(), feePayer: "Ezi9Bn5W\u0000" }).success).toBe(false);
});

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

test("each hostile transaction is refused with its reason; the valid BUY beside them is still recorded", () => {
  const wsolPaid = (amount: number) => [{ fromUserAccount: BUYER, toUserAccount: "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1", tokenAmount: amount, mint: WSOL }];
  const withBuyerChange = (tokenAmount: string, mint = MINT) => ({
    accountData: [{ account: "HQ2UUt18uJqKaQFJhgV9zaTdQxUZjNrsKFgoEDquBkcx", nativeBalanceChange: 0,
      tokenBalanceChanges: [{ userAccount: BUYER, tokenAccount: "HQ2UUt18uJqKaQFJhgV9zaTdQxUZjNrsKFgoEDquBkcx", mint, rawTokenAmount: { tokenAmount, decimals: 6 } }] }],
  });
  const delivery = [
    variant(0, { events: nested(5000) }),
    variant(1, { tokenTransfers: wsolPaid(1e21) }),
    variant(2, { description: "\ud800", feePayer: "\ud800" }),
    variant(3, withBuyerChange("1", "A".repeat(31))),
    variant(4, withBuyerChange("1", "A".repeat(45))),
    variant(5, withBuyerChange("1".repeat(40))),
    variant(6, { timestamp: 2 ** 53 - 1 }),
    real(),
    variant(7, { accountData: [...real().accountData, real().accountData[1]] }),
    variant(8, { events: nested(200_000) }), // too deep even to be written back as JSON
  ];
  const { batch, rejected } = buildSignalBatch(delivery, RECEIVED);
  expect(batch.transactions.map((t) => t.signature)).toEqual([real().signature]);
  expect(batch.signals.filter((s) => s.wallet === BUYER)).toEqual([expect.objectContaining({ signal_type: "BUY", amount_in: "0.01" })]);
  const reasons = rejected.rejections.map((r) => [r.position, r.reason]);
  expect(reasons).toEqual([
    [0, "nested deeper than 32 levels"],
    [1, expect.stringMatching(/^not an enhanced transaction: tokenTransfers\.0\.tokenAmount: /)],
    [2, expect.stringMatching(/^not an enhanced transaction: feePayer: /)],
    [3, expect.stringMatching(/^not an enhanced transaction: accountData\.0\.tokenBalanceChanges\.0\.mint: /)],
    [4, expect.stringMatching(/^not an enhanced transaction: accountData\.0\.tokenBalanceChanges\.0\.mint: /)],
    [5, expect.stringMatching(/^not an enhanced transaction: accountData\.0\.tokenBalanceChanges\.0\.rawTokenAmount\.tokenAmount: /)],
    [6, expect.stringMatching(/^block time 9007199254740991 is more than 120 s ahead of the webhook's clock$/)],
    [8, expect.stringMatching(/^accountData lists account \w+ twice$/)],
    [9, "nested deeper than 32 levels"],
  ]);
  for (const r of rejected.rejections) {
    expect(r.signature).toBe((delivery[r.position] as { signature: string }).signature);
    expect(r.excerpt.length).toBeGreaterThan(0);
    expect(r.excerpt.length).toBeLessThanOrEqual(2000);
    expect(r.excerpt).not.toMatch(/\u0000/);
  }
});

test("a signal whose price rounds to 0 at 18 decimals is refused alone, with its reason", () => {
  // 2^64 - 1 base units of a 1-decimal token for one lamport: 5.4e-28 SOL per token.
  const OWNER = "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1";
  const A1 = "HQ2UUt18uJqKaQFJhgV9zaTdQxUZjNrsKFgoEDquBkcx";
  const A2 = "7YttLkHDoNj9wyDur5pM1ejNaAvT9X4eqaYcHQqtj2G5";
  const dust = variant(9, {
    accountData: [
      { account: A1, nativeBalanceChange: 0, tokenBalanceChanges: [{ userAccount: BUYER, tokenAccount: A1, mint: MINT, rawTokenAmount: { tokenAmount: "18446744073709551615", decimals: 1 } }] },
      { account: A2, nativeBalanceChange: 0, tokenBalanceChanges: [{ userAccount: OWNER, tokenAccount: A2, mint: MINT, rawTokenAmount: { tokenAmount: "-18446744073709551615", decimals: 1 } }] },
    ],
    tokenTransfers: [
      { fromUserAccount: OWNER, toUserAccount: BUYER, tokenAmount: 1844674407370955161.5, mint: MINT },
      { fromUserAccount: BUYER, toUserAccount: OWNER, tokenAmount: 0.000000001, mint: WSOL },
    ],
    nativeTransfers: [],
  });
  const { batch, rejected } = buildSignalBatch([dust, real()], RECEIVED);
  expect(batch.transactions.map((t) => t.signature)).toEqual([real().signature]);
  expect(rejected.rejections.map((r) => r.reason).sort()).toEqual([
    `wallet ${BUYER}: its price rounds to 0 at 18 decimal places`,
    `wallet ${OWNER}: its price rounds to 0 at 18 decimal places`,
  ].sort());
});

// Deterministic base58 addresses, all different.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const address = (n: number): string => {
  let text = "";
  for (let i = 0; i < 44; i++) text += ALPHABET[(n * 7919 + i * 104729 + Math.floor(n / (i + 1))) % 58];
  const prefix = [...n.toString(10).padStart(8, "1")].map((d) => ALPHABET[Number(d) + 10]).join("");
  return `${prefix}${text}`.slice(0, 44);
};

test("a delivery near 8 MiB with 50,000 participants costs well under the hosted 2 s of CPU", () => {
  // Each entry a token account of its own owner: 2 participants each, every owner classified.
  const transactions = Array.from({ length: 100 }, (_, t) => ({
    signature: `${"5".repeat(20)}${address(t)}`,
    slot: 1, timestamp: RECEIVED.getTime() / 1000, fee: 0, feePayer: address(t * 1000 + 999),
    tokenTransfers: [], nativeTransfers: [],
    accountData: Array.from({ length: 250 }, (_, a) => ({
      account: address(t * 1000 + a + 500), nativeBalanceChange: 0,
      tokenBalanceChanges: [{ userAccount: address(t * 1000 + a), mint: MINT, rawTokenAmount: { tokenAmount: "1", decimals: 6 } }],
    })),
  }));
  const body = JSON.stringify(transactions);
  expect(body.length).toBeLessThanOrEqual(8 * 1024 * 1024);
  const start = process.cpuUsage();
  const { participants, rejected } = buildSignalBatch(JSON.parse(body), RECEIVED);
  const used = process.cpuUsage(start);
  expect(rejected.rejections.map((r) => r.reason)).toEqual([]);
  expect(participants).toBeGreaterThanOrEqual(50_000);
  expect((used.user + used.system) / 1000).toBeLessThan(1000);
  console.log(`signal batch: ${(body.length / 1048576).toFixed(2)} MiB, ${participants} participants, ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU`);
});
