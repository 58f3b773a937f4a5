// Duplicate storm: the same batch delivered 50 times at once (Helius retries, a proxy replaying):
// exactly one signal per transaction, at most one position per wallet and token, never a 5xx.
import { afterAll, beforeAll, expect, test } from "vitest";
import { adaptedFixture, connect, freshAddress, freshSignature, liftExposureLimits, postWebhook, replayControl, waitUntil } from "./stack.ts";

const sql = connect();
beforeAll(async () => {
  await liftExposureLimits(sql);
  await replayControl({ reset: true });
});
afterAll(() => sql.end());

const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";

test("50 concurrent deliveries of one batch: one signal per transaction, one position per wallet and token", { timeout: 60_000 }, async () => {
  const [a, b] = [freshAddress(), freshAddress()];
  const mint = freshAddress();
  for (const w of [a, b]) await sql`select walltrack.add_wallet(${w}, 'storm')`;
  const [original] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", {}) as { signature: string }[];
  const tx = (wallet: string) => {
    const [t] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", { [BUYER]: wallet, [MINT]: mint, [original.signature]: freshSignature() }) as Record<string, unknown>[];
    return { ...t, timestamp: Math.floor(Date.now() / 1000) } as Record<string, unknown>;
  };
  // Wallet a buys the token twice (two transactions), wallet b once.
  const batch = [tx(a), tx(a), tx(b)];
  const signatures = batch.map((t) => t.signature as string);

  const responses = await Promise.all(Array.from({ length: 50 }, () => postWebhook(batch)));
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(new Set(statuses)).toEqual(new Set([200]));
  const recorded = (await Promise.all(responses.map((r) => r.json()))).reduce((n, body) => n + body.signals_recorded, 0);
  expect(recorded).toBe(3);

  const signals = await waitUntil("the storm's signals to be processed", async () => {
    const rows = await sql`select transaction_signature, processed_at from walltrack.signals where transaction_signature in ${sql(signatures)}`;
    return rows.length === 3 && rows.every((r) => r.processed_at) ? rows : undefined;
  });
  expect(signals.map((s) => s.transaction_signature).sort()).toEqual([...signatures].sort());
  const positions = await sql`
    select w.address, count(*)::int as n from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
    join walltrack.tokens t on t.id = p.token_id where t.address = ${mint} group by w.address`;
  expect(Object.fromEntries(positions.map((p) => [p.address, p.n]))).toEqual({ [a]: 1, [b]: 1 });
  const [{ duplicate }] = await sql`select count(*)::int as duplicate from walltrack.signals
                                    where transaction_signature in ${sql(signatures)} and filter_reason = 'duplicate'`;
  expect(duplicate).toBe(1); // wallet a's second BUY of the token while its position is open
});
