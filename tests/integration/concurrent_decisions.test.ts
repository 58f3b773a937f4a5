// Two BUY signals of one wallet for one token, decided at the same moment by two processors
// (the webhook's background run and the sweeper, say): one position, never two.
import { afterAll, beforeAll, expect, test } from "vitest";
import { connect, freshAddress, freshSignature, liftExposureLimits, markSellable } from "./stack.ts";

const WSOL = "So11111111111111111111111111111111111111112";
const a = connect();
const b = connect();
beforeAll(() => liftExposureLimits(a));
afterAll(async () => {
  await a.end();
  await b.end();
});

test("concurrent decisions on two signals for the same wallet and token open exactly one position", async () => {
  const wallet = freshAddress();
  const mint = freshAddress();
  await a`insert into walltrack.wallets (address, exit_strategy_id)
          select ${wallet}, id from walltrack.exit_strategies where is_default`;
  await a`select walltrack.store_token_analyses(${a.json([{
    address: mint, source: "rugcheck", decimals: 6, liquidity_usd: "1000000", top10_percent: "10",
    mint_revoked: true, freeze_revoked: true, dangerous_extension: false, transfer_fee_bps: 0,
    first_pool_created_at: "2024-01-01T00:00:00Z", rugged: false,
  }])})`;
  await markSellable(a, mint);
  const now = Math.floor(Date.now() / 1000);
  const signal = (signature: string) => ({
    wallet, signal_type: "BUY", token_mint: mint, token_decimals: 6, token_in: WSOL, token_out: mint,
    amount_in: "1", amount_out: "1000000", price: "0.000001", price_all_in: "0.000001", price_usd: null,
    transaction_signature: signature, slot: 1, block_time: now,
  });
  const [{ recorded }] = await a`select walltrack.record_signals(${a.json({
    received_at: new Date().toISOString(), transactions: [],
    signals: [signal(freshSignature()), signal(freshSignature())],
  })}) as recorded`;
  const [first, second] = recorded.recorded as string[];

  // A decides the first signal and holds its transaction open; B decides the second meanwhile.
  let releaseA!: () => void;
  const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
  const decidedByA = a.begin(async (tx) => {
    const [row] = await tx`select walltrack.process_signals(array[${first}]::uuid[], 150) as summary`;
    await aHolds;
    return row.summary;
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const decidedByB = b.begin(async (tx) => (await tx`select walltrack.process_signals(array[${second}]::uuid[], 150) as summary`)[0].summary);
  await new Promise((resolve) => setTimeout(resolve, 300));
  releaseA();
  const [summaryA, summaryB] = await Promise.all([decidedByA, decidedByB]);

  expect(summaryA).toMatchObject({ processed: 1, opened: 1 });
  expect(summaryB).toMatchObject({ processed: 1, opened: 0, filtered: { duplicate: 1 } });
  const positions = await a`select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
                            where w.address = ${wallet}`;
  expect(positions).toHaveLength(1);
  const outcomes = await a`select filter_reason, position_created from walltrack.signals where id in ${a([first, second])} order by position_created desc`;
  expect(outcomes).toEqual([
    { filter_reason: null, position_created: true },
    { filter_reason: "duplicate", position_created: false },
  ]);
});
