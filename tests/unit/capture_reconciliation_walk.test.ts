// The reconciliation's I/O, against the replay of the chain and of Helius: the recorded
// getSignaturesForAddress page read as the RPC sends it, one wallet's walk (settle time, the watch
// start of a wallet never reconciled, a backlog longer than a run walked over several runs), and
// Helius's parse-transactions call (batches of at most 100, its 429 sorted like every API's).
import { beforeEach, expect, test } from "vitest";
import { ApiError } from "../../supabase/functions/_shared/api-client.ts";
import { type Cursor, heliusParseTransactions, walkSignatures } from "../../supabase/functions/_shared/capture.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { SolanaRpc } from "../../supabase/functions/_shared/solana-rpc.ts";
import { fixtureJson } from "../fixtures/shared.ts";
import { Replay, replayUrls } from "../support/replay.ts";

const replay = new Replay();
const settings = { ...readSettings({ ...replayUrls("http://replay.test"), HELIUS_API_KEY: "k" }), apiTimeoutMs: 500 };
const rpc = new SolanaRpc(settings.solanaRpcUrl, replay.handle, 500);
const recorded = fixtureJson<Record<string, unknown>[]>("solana-rpc/getSignaturesForAddress-result.solana-go.json");
const WALLET = "7xLk17EQQ5KLDLDe44wCmupJKJjTGd8hs3eSVVhCx932"; // the address solana-go's test asked about

beforeEach(() => replay.reset());

// n transactions of one wallet, a block time one second apart, the newest at `newest`.
function history(n: number, newest: number) {
  const txs = Array.from({ length: n }, (_, i) => ({
    // A real signature's start and the index in base58 digits (0 is not one): distinct, well-formed.
    signature: (recorded[i % recorded.length].signature as string).slice(0, 80) + String(i).replace(/0/g, "z").padStart(6, "Z"),
    slot: 1_000_000 + n - i,
    timestamp: newest - i,
  }));
  // As replay.onChain lists them, in one go (2,600 inserts one by one would sort 2,600 times).
  replay.signatures.set(WALLET, txs.map((tx) => ({ ...recorded[0], signature: tx.signature, slot: tx.slot, blockTime: tx.timestamp, err: null })));
  return txs; // newest first
}

const cursor = (over: Partial<Cursor> = {}): Cursor => ({
  wallet_id: "00000000-0000-0000-0000-000000000001", address: WALLET, watch_since: 0,
  last_signature: null, walk_top: null, walk_before: null, ...over,
});

test("the recorded page (1,000 mainnet signatures, failed ones among them) reads as the RPC sent it", async () => {
  replay.signatures.set(WALLET, recorded);
  const page = await rpc.signaturesForAddress(WALLET, {});
  expect(page).toHaveLength(1000);
  expect(page[0]).toEqual({
    blockTime: 1625231961, confirmationStatus: "finalized", err: null, memo: null,
    signature: "4Yig3yd33o2hyZV2qZBJkScDArwVmzurkxhBfKdqJeujTrdKHwrR3U8KR6LrhN5eWNTyugS5rkkYagVXCNnk7pks", slot: 83994671,
  });
  expect(page.filter((e) => e.err !== null)).toHaveLength(31);
  expect(page.find((e) => e.err !== null)!.err).toEqual({ InstructionError: [0, { Custom: 21 }] });
  // before and until are exclusive: the page between two signatures holds neither.
  const between = await rpc.signaturesForAddress(WALLET, { before: page[2].signature, until: page[6].signature });
  expect(between.map((e) => e.signature)).toEqual(page.slice(3, 6).map((e) => e.signature));
});

test("a malformed answer is the RPC's malformed failure, never an empty history", async () => {
  const malformed = (async () => new Response(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { value: [] } }))) as unknown as typeof fetch;
  await expect(new SolanaRpc("http://rpc.test", malformed).signaturesForAddress(WALLET, {})).rejects.toMatchObject({ kind: "malformed" });
});

test("a new walk leaves what is younger than the settle time to the webhook, and stops at the wallet's watch start", async () => {
  const now = 2_000_000_000;
  const txs = history(10, now - 1); // block times now-1 ... now-10
  const walk = await walkSignatures(rpc, cursor({ watch_since: now - 8 }), { nowSeconds: now, settleSeconds: 3, pages: 3 });
  // now-1 and now-2 are younger than 3 s; now-9 and now-10 are before the wallet was watched.
  expect(walk.seen.map((e) => e.signature)).toEqual(txs.slice(2, 8).map((t) => t.signature));
  expect(walk.complete).toBe(true);
  expect(walk.next).toMatchObject({ last_signature: txs[2].signature, last_block_time: now - 3, walk_top: null, walk_before: null });

  // The next run starts after the cursor: the two left to the webhook, nothing already seen.
  const again = await walkSignatures(rpc, cursor({ last_signature: walk.next.last_signature }), { nowSeconds: now + 60, settleSeconds: 3, pages: 3 });
  expect(again.seen.map((e) => e.signature)).toEqual(txs.slice(0, 2).map((t) => t.signature));
  expect(again.next.last_signature).toBe(txs[0].signature);
});

test("poll mode (no settle time) takes everything, even a transaction without a block time yet", async () => {
  const txs = history(3, 1_900_000_000);
  replay.signatures.get(WALLET)![0].blockTime = null;
  const walk = await walkSignatures(rpc, cursor(), { nowSeconds: 1_900_000_000, settleSeconds: 0, pages: 1 });
  expect(walk.seen.map((e) => e.signature)).toEqual(txs.map((t) => t.signature));
  expect(walk.next.last_signature).toBe(txs[0].signature);
});

test("a backlog longer than a run's pages is walked back over several runs before the cursor moves", async () => {
  const now = 2_000_000_000;
  const txs = history(2600, now - 1000);
  const start = cursor({ last_signature: null, watch_since: 0 });
  const first = await walkSignatures(rpc, start, { nowSeconds: now, settleSeconds: 120, pages: 2 });
  expect(first.complete).toBe(false);
  expect(first.seen).toHaveLength(2000);
  expect(first.next).toMatchObject({ last_signature: null, walk_top: txs[0].signature, walk_before: txs[1999].signature });

  // Meanwhile a new transaction lands at the head: the walk goes on where it stood.
  replay.onChain({ signature: (recorded[0].signature as string).slice(0, 80) + "NEWHEAD1", slot: 9_999_999, timestamp: now - 500 }, [WALLET]);
  const second = await walkSignatures(rpc, { ...start, walk_top: first.next.walk_top, walk_before: first.next.walk_before },
    { nowSeconds: now, settleSeconds: 120, pages: 2 });
  expect(second.complete).toBe(true);
  expect(second.seen.map((e) => e.signature)).toEqual(txs.slice(2000).map((t) => t.signature));
  expect(second.next).toMatchObject({ last_signature: txs[0].signature, walk_top: null, walk_before: null });

  // Then a new walk from the head finds only what came after the cursor.
  const third = await walkSignatures(rpc, { ...start, last_signature: second.next.last_signature }, { nowSeconds: now, settleSeconds: 120, pages: 2 });
  expect(third.seen.map((e) => e.signature)).toEqual([(recorded[0].signature as string).slice(0, 80) + "NEWHEAD1"]);
});

test("Helius parse-transactions: POST of up to 100 signatures, the key in the query, what it knows in the order asked", async () => {
  const [buy] = fixtureJson<{ signature: string; slot: number; timestamp: number }[]>("helius/raydium-swap-sol-buy.dex-scraper.json");
  const [transfer] = fixtureJson<{ signature: string; slot: number; timestamp: number }[]>("helius/transfer-sol.dex-scraper.json");
  replay.onChain(buy, [WALLET]);
  replay.onChain(transfer, [WALLET]);
  const unknown = recorded[5].signature as string;
  const answer = await heliusParseTransactions(settings, [transfer.signature, unknown, buy.signature], replay.handle);
  expect(answer).toEqual([transfer, buy]);
  const [call] = replay.heliusCalls;
  expect(call).toEqual({ method: "POST", path: "/v0/transactions", body: { transactions: [transfer.signature, unknown, buy.signature] } });
  expect(replay.requests.at(-1)!.path).toBe("/helius/v0/transactions?api-key=k");
  await expect(heliusParseTransactions(settings, Array(101).fill(unknown), replay.handle)).rejects.toThrow(/1 to 100/);
});

test("a 429 of either API carries its Retry-After, for the run's backoff", async () => {
  replay.faults.set("helius", { status: 429, headers: { "retry-after": "90" } });
  const helius = await heliusParseTransactions(settings, ["x"], replay.handle).catch((e) => e);
  expect(helius).toBeInstanceOf(ApiError);
  expect(helius).toMatchObject({ api: "helius", kind: "rate_limited", retryAfterSeconds: 90 });
  expect(helius.message).not.toContain("api-key=k");
  replay.faults.set("rpc", { status: 429, headers: { "retry-after": "30" } });
  await expect(rpc.signaturesForAddress(WALLET, {})).rejects.toMatchObject({ api: "solana-rpc", kind: "rate_limited", retryAfterSeconds: 30 });
});
