// Input that cannot be true of one Solana transaction is refused, never half-trusted: nobody's
// signal is taken from it and the refusal says why.
import { expect, test } from "vitest";
import { classifyTransaction, FUTURE_TOLERANCE_SECONDS, inconsistency } from "../../supabase/functions/_shared/classify.ts";
import { WSOL_MINT } from "../../supabase/functions/_shared/mints.ts";
import { enhancedTransaction, type EnhancedTransaction } from "../../supabase/functions/_shared/helius-transaction.ts";
import { fixtureJson } from "../fixtures/shared.ts";

const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";
const raydium = (): EnhancedTransaction =>
  enhancedTransaction.parse(fixtureJson<unknown[]>("helius/raydium-swap-sol-buy.dex-scraper.json")[0]);
const NOW = 1719909927 + 60; // a minute after the recorded block

test("the real transaction is consistent and gives its BUY", () => {
  expect(inconsistency(raydium(), NOW)).toBeNull();
  expect(classifyTransaction(raydium(), (a) => a === BUYER, NOW).signals).toHaveLength(1);
});

test("a duplicated accountData entry is refused instead of doubling the amounts", () => {
  const tx = raydium();
  const entry = tx.accountData.find((a) => a.tokenBalanceChanges.some((c) => c.userAccount === BUYER && c.mint === MINT))!;
  const doubled = { ...tx, accountData: [...tx.accountData, structuredClone(entry)] };
  const result = classifyTransaction(doubled, (a) => a === BUYER, NOW);
  expect(result.signals).toEqual([]);
  expect(result.refused).toBe(`accountData lists account ${entry.account} twice`);
});

test("one token account with two balance changes is refused", () => {
  const tx = raydium();
  const entry = tx.accountData.find((a) => a.tokenBalanceChanges.some((c) => c.userAccount === BUYER))!;
  const twice = {
    ...tx,
    accountData: tx.accountData.map((a) => (a === entry ? { ...a, tokenBalanceChanges: [...a.tokenBalanceChanges, ...a.tokenBalanceChanges] } : a)),
  };
  expect(classifyTransaction(twice, () => true, NOW).refused).toMatch(/has two balance changes/);
});

test("the same mint with two decimals in one transaction is refused (amounts would be off by 10^6)", () => {
  const tx = raydium();
  let first = true;
  const mixed = {
    ...tx,
    accountData: tx.accountData.map((a) => ({
      ...a,
      tokenBalanceChanges: a.tokenBalanceChanges.map((c) => {
        if (c.mint !== MINT || c.userAccount === BUYER || !first) return c;
        first = false;
        return { ...c, rawTokenAmount: { ...c.rawTokenAmount, decimals: 0 } };
      }),
    })),
  };
  expect(classifyTransaction(mixed, (a) => a === BUYER, NOW)).toEqual({
    signals: [], ignored: [], refused: `mint ${MINT} is given 6 and 0 decimals in one transaction`,
  });
});

test("a known mint with the wrong decimals is refused: WSOL has 9", () => {
  const tx = raydium();
  const wrong = {
    ...tx,
    accountData: tx.accountData.map((a) => ({
      ...a,
      tokenBalanceChanges: a.tokenBalanceChanges.map((c) => (c.mint === WSOL_MINT ? { ...c, rawTokenAmount: { ...c.rawTokenAmount, decimals: 6 } } : c)),
    })),
  };
  expect(classifyTransaction(wrong, () => true, NOW).refused).toBe(`mint ${WSOL_MINT} is given 6 decimals; it has 9`);
});

test("a block time beyond the tolerance in the future is refused; a few seconds of skew is not", () => {
  const tx = raydium();
  const ahead = (seconds: number) => classifyTransaction({ ...tx, timestamp: NOW + seconds }, (a) => a === BUYER, NOW);
  expect(ahead(FUTURE_TOLERANCE_SECONDS).signals).toHaveLength(1);
  expect(ahead(365 * 24 * 3600).refused).toBe(`block time ${NOW + 365 * 24 * 3600} is more than 120 s ahead of the webhook's clock`);
  // The same transaction redelivered a few seconds later is refused for the same reason, word for word
  // (rejected_transactions keeps one row per signature and reason).
  const later = classifyTransaction({ ...tx, timestamp: NOW + 3600 }, (a) => a === BUYER, NOW + 7);
  expect(later.refused).toBe(ahead(3600).refused);
  expect(ahead(2 ** 53 - 1 - NOW).refused).toMatch(/ahead of the webhook's clock/);
});

test("the schema refuses what one transaction cannot hold: mints of the wrong length, amounts beyond u64, over-long lists", () => {
  const [raw] = fixtureJson<Record<string, unknown>[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  const withChange = (change: Record<string, unknown>) => ({
    ...raw, accountData: [{ account: BUYER, nativeBalanceChange: 0, tokenBalanceChanges: [{ userAccount: BUYER, ...change }] }],
  });
  const bad = [
    withChange({ mint: "x".repeat(10), rawTokenAmount: { tokenAmount: "1", decimals: 6 } }),
    withChange({ mint: "A".repeat(31), rawTokenAmount: { tokenAmount: "1", decimals: 6 } }),
    withChange({ mint: "A".repeat(45), rawTokenAmount: { tokenAmount: "1", decimals: 6 } }),
    withChange({ mint: MINT, rawTokenAmount: { tokenAmount: "1".repeat(40), decimals: 6 } }),
    withChange({ mint: MINT, rawTokenAmount: { tokenAmount: "18446744073709551616", decimals: 6 } }),
    { ...raw, tokenTransfers: [{ fromUserAccount: BUYER, toUserAccount: "", tokenAmount: 1e21, mint: WSOL_MINT }] },
    { ...raw, tokenTransfers: [{ fromUserAccount: BUYER, toUserAccount: "", tokenAmount: 1, mint: "short" }] },
    { ...raw, nativeTransfers: [{ fromUserAccount: BUYER, toUserAccount: BUYER, amount: -1 }] },
    { ...raw, nativeTransfers: Array.from({ length: 513 }, () => ({ fromUserAccount: BUYER, toUserAccount: BUYER, amount: 1 })) },
    { ...raw, accountData: Array.from({ length: 257 }, () => ({ account: BUYER, nativeBalanceChange: 0 })) },
  ];
  for (const tx of bad) expect(enhancedTransaction.safeParse(tx).success, JSON.stringify(tx).slice(0, 200)).toBe(false);
  expect(enhancedTransaction.safeParse(withChange({ mint: MINT, rawTokenAmount: { tokenAmount: "-18446744073709551615", decimals: 6 } })).success).toBe(true);
});

test("a malformed amount is a validation issue, never an exception", () => {
  const [raw] = fixtureJson<Record<string, unknown>[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  for (const tokenAmount of ["1.5", "1e3", "", "-", "0x10"]) {
    const tx = { ...raw, accountData: [{ account: BUYER, nativeBalanceChange: 0, tokenBalanceChanges: [{ userAccount: BUYER, mint: MINT, rawTokenAmount: { tokenAmount, decimals: 6 } }] }] };
    const result = enhancedTransaction.safeParse(tx);
    expect(result.success, tokenAmount).toBe(false);
  }
});
