// What a confirmed transaction tells exactly (Solana RPC getTransaction, real answers in
// fixtures/solana-rpc): the seller's balance of the mint before and after (the fraction of their
// bag a leader sold: the basis of a proportional mirror exit), and the fee paid with its priority
// part. And the lookup of the signal path (measureLeaderSells) against the replay, each failure
// reported with its reason rather than thrown.
import bs58 from "bs58";
import { beforeEach, expect, test } from "vitest";
import { measureLeaderSells } from "../../supabase/functions/_shared/leader-sells.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { type ConfirmedTransaction, feesPaid, ownerTokenBalances } from "../../supabase/functions/_shared/solana-rpc.ts";
import { fixtureJson } from "../fixtures/shared.ts";
import { Replay, replayUrls } from "../support/replay.ts";

const SALE = fixtureJson<{ result: ConfirmedTransaction }>("solana-rpc/get-transaction-token-2022-partial-sell.agavesim.json").result;
const PRIORITY = fixtureJson<{ result: ConfirmedTransaction }>("solana-rpc/get-transaction-pump-buy-priority-fee.agavesim.json").result;
const SELLER = "95rVs91daKmzom4SM41dg4MRmy5M7rMEHPerenZwWaCq";
const MINT = "EWV6bjhKF5zkXANCdWPvDs7dofRVk4pKyVTitqgEWj8E";
// Account 0 of a transaction: its fee payer.
const feePayer = (tx: ConfirmedTransaction) => {
  const first = tx.transaction.message.accountKeys[0];
  return typeof first === "string" ? first : first.pubkey;
};

test("a real partial sale: the seller's balance before and after, in base units, from its own accounts only", () => {
  expect(ownerTokenBalances(SALE, SELLER, MINT)).toEqual({ before: 944780237596635n, after: 475845960900177n, decimals: 9 });
  // The pool's accounts of the same mint in the same transaction are not the seller's.
  expect(ownerTokenBalances(SALE, "CW644FAJoQE9B9MGqmdfDseS4XfsmgS77ve7zJDJxiPS", MINT))
    .toEqual({ before: 344034375969831999n, after: 344503076480687631n, decimals: 9 });
  expect(ownerTokenBalances(SALE, SELLER, "So11111111111111111111111111111111111111112")).toEqual({ before: 0n, after: 0n, decimals: null });
});

test("the fee paid and its priority part: meta.fee less 5,000 lamports per signature", () => {
  expect(feesPaid(SALE, feePayer(SALE))).toEqual({ networkFee: 5000n, priorityFee: 0n });
  expect(feesPaid(PRIORITY, feePayer(PRIORITY))).toEqual({ networkFee: 37351n, priorityFee: 32351n });
});

test("a fee paid by another account is not ours: nothing to deduct (as ownerDeltas adds nothing back)", () => {
  expect(feePayer(SALE)).toBe(SELLER);
  expect(feesPaid(SALE, "CW644FAJoQE9B9MGqmdfDseS4XfsmgS77ve7zJDJxiPS")).toEqual({ networkFee: 0n, priorityFee: 0n });
});

test("the priority part agrees with the transaction's compute-budget instructions (limit x price, rounded up)", () => {
  const message = PRIORITY.transaction.message as unknown as { accountKeys: string[]; instructions: { programIdIndex: number; data: string }[] };
  let limit = 0n;
  let microLamports = 0n;
  for (const ix of message.instructions) {
    if (message.accountKeys[ix.programIdIndex] !== "ComputeBudget111111111111111111111111111111") continue;
    const data = Buffer.from(bs58.decode(ix.data));
    if (data[0] === 2) limit = BigInt(data.readUInt32LE(1)); // SetComputeUnitLimit
    if (data[0] === 3) microLamports = data.readBigUInt64LE(1); // SetComputeUnitPrice
  }
  expect([limit, microLamports]).toEqual([332000n, 97440n]);
  expect((limit * microLamports + 999_999n) / 1_000_000n).toBe(feesPaid(PRIORITY, feePayer(PRIORITY)).priorityFee);
});

test("a fee below the base fee of its signatures is refused, not recorded", () => {
  expect(() => feesPaid({ ...SALE, meta: { ...SALE.meta!, fee: 4999 } }, SELLER)).toThrow(/below the base fee/);
});

const replay = new Replay();
const settings = { ...readSettings(replayUrls("http://replay.test")), apiTimeoutMs: 200 };
beforeEach(() => replay.reset());

test("the signal path's lookup: balances when found, else why, one attempt per SELL", async () => {
  const sell = (signature: string) => ({ signal_id: `id-${signature}`, signature, wallet: SELLER, mint: MINT });
  replay.leaderTransactions.set("third", { owner: SELLER, mint: MINT, before: "3000000000", after: "2000000000", decimals: 6 });
  replay.leaderTransactions.set("failed", { owner: SELLER, mint: MINT, before: "3", after: "3", decimals: 6, err: { InstructionError: [0, { Custom: 1 }] } });
  const measured = await measureLeaderSells([sell("third"), sell("failed"), sell("missing")], settings, replay.handle);
  expect(measured).toEqual([
    { signal_id: "id-third", held_before_raw: "3000000000", held_after_raw: "2000000000", token_decimals: 6, source: "rpc_get_transaction" },
    { signal_id: "id-failed", unknown_reason: "transaction_failed", detail: expect.stringContaining("InstructionError") },
    { signal_id: "id-missing", unknown_reason: "transaction_not_found", detail: expect.stringContaining("missing") },
  ]);
  expect(replay.count("rpc")).toBe(3);

  replay.faults.set("rpc", { status: 503 });
  expect(await measureLeaderSells([sell("third")], settings, replay.handle)).toEqual([
    { signal_id: "id-third", unknown_reason: "rpc_unavailable", detail: expect.stringContaining("solana-rpc_unavailable") }]);
  expect(await measureLeaderSells([], settings, replay.handle)).toEqual([]);
});
