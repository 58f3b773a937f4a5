// Crash and restart: the functions runtime dies in the middle of a batch (after the 200, while
// processing waits on RugCheck), comes back, Helius retries the delivery: no signal lost, none
// doubled, and the sweeper finishes the work.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Runtime, startRuntime } from "../../scripts/embedded/functions-runtime.ts";
import { adaptedFixture, connect, freshAddress, freshSignature, liftExposureLimits, postWebhook, replayControl, waitUntil } from "./stack.ts";

const sql = connect();
const runtime: Runtime = JSON.parse(process.env.WALLTRACK_TEST_RUNTIME ?? "null");
beforeAll(() => liftExposureLimits(sql));
afterAll(async () => {
  await startRuntime(runtime); // whatever happened, leave the stack serving
  await sql.end();
});

const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";

test("killed mid-batch, restarted, redelivered: every signal once, processed by the sweeper", { timeout: 90_000 }, async () => {
  expect(runtime).not.toBeNull();
  const [original] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", {}) as { signature: string }[];
  const batch: Record<string, unknown>[] = [];
  for (let i = 0; i < 3; i++) {
    const wallet = freshAddress();
    await sql`select walltrack.add_wallet(${wallet}, 'crash')`;
    const [tx] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", { [BUYER]: wallet, [MINT]: freshAddress(), [original.signature]: freshSignature() }) as Record<string, unknown>[];
    batch.push({ ...tx, timestamp: Math.floor(Date.now() / 1000) });
  }
  const signatures = batch.map((t) => t.signature as string);

  // Processing will hang on a slow RugCheck; the runtime is killed while it waits.
  await replayControl({ reset: true, delays: { rugcheck: 5000 } });
  const first = await postWebhook(batch);
  expect(first.status).toBe(200);
  expect((await first.json()).signals_recorded).toBe(3);
  process.kill(Number(readFileSync(runtime.pidFile, "utf8")), "SIGKILL");
  await expect(postWebhook(batch)).rejects.toThrow(); // nobody is listening any more

  const stranded = await sql`select processed_at from walltrack.signals where transaction_signature in ${sql(signatures)}`;
  expect(stranded).toHaveLength(3);
  expect(stranded.every((s) => s.processed_at === null)).toBe(true);

  await replayControl({ reset: true });
  await startRuntime(runtime);
  // Helius's retry of the same delivery: accepted, nothing recorded twice.
  const retry = await postWebhook(batch);
  expect(retry.status).toBe(200);
  expect(await retry.json()).toMatchObject({ signals_recorded: 0, duplicates: 3 });

  // The pg_cron sweeper's call (made now rather than waiting for the minute).
  const [{ request }] = await sql`select walltrack.sweep_unprocessed_signals('0 seconds') as request`;
  expect(request).not.toBeNull();
  const done = await waitUntil("the sweeper to process the stranded signals", async () => {
    const rows = await sql`select position_created from walltrack.signals where transaction_signature in ${sql(signatures)} and processed_at is not null`;
    return rows.length === 3 ? rows : undefined;
  }, 30_000);
  expect(done.every((s) => s.position_created)).toBe(true);
  const [{ signals, positions }] = await sql`
    select (select count(*)::int from walltrack.signals where transaction_signature in ${sql(signatures)}) as signals,
           (select count(*)::int from walltrack.positions p join walltrack.signals s on s.id = p.signal_id
             where s.transaction_signature in ${sql(signatures)}) as positions`;
  expect({ signals, positions }).toEqual({ signals: 3, positions: 3 });
});
