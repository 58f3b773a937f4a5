// The order executor fits hosted limits: a run stops at its time budget, also inside the confirm
// loop; an order still confirming is deferred without counting an attempt and settled by a later
// run; claims the run did not start are released through SQL at once, not left leased for minutes;
// a full batch stays far within the hosted CPU limit.
// The executor runs in this process (same module the function serves) with a clock the test moves.
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";
import { type LiveOutcome } from "../../supabase/functions/_shared/order-claims.ts";
import { executeOrders } from "../../supabase/functions/_shared/order-executor.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { SolanaRpc } from "../../supabase/functions/_shared/solana-rpc.ts";
import { loadTradingKey } from "../../supabase/functions/_shared/trading-key.ts";
import { replayUrls } from "../support/replay.ts";
import { connect, copyBuy, liftExposureLimits, replayControl, replayRequests, stack, waitUntil, walletAndSafeToken, WSOL } from "./stack.ts";

const sql = connect();
const key = loadTradingKey(bs58.encode(Keypair.generate().secretKey))!;
const rpc = new SolanaRpc(`${stack.replayUrl}/rpc`, fetch, 1500);
const settingsWith = (budgetMs: number) =>
  readSettings({ ...replayUrls(stack.replayUrl), API_TIMEOUT_MS: "1500", EXECUTOR_BUDGET_MS: String(budgetMs) });

beforeAll(async () => {
  await liftExposureLimits(sql);
  // The seed's mock data forbids the live switch: cleared here, not left to a file run before this one.
  await sql`update walltrack.config set holds_mock_data = false, live_trading_enabled = true, sol_usd_price = 150`;
});
afterAll(async () => {
  await sql`update walltrack.config set live_trading_enabled = false`;
  await sql.end();
});
// Orders other files left due would be claimed by this file's runs: during each test they are
// held as if another executor had claimed them, and handed back as they were afterwards.
type Held = { id: string; claimed_until: Date | null };
let heldElsewhere: Held[] = [];
beforeEach(async () => {
  await replayControl({ reset: true, quoteRatio: 1000 });
  heldElsewhere = await sql<Held[]>`
    with due as (select id, claimed_until from walltrack.orders
                 where status in ('pending', 'submitted') and coalesce(claimed_until, '-infinity') < now() for update)
    update walltrack.orders o set claimed_until = now() + interval '1 hour' from due where o.id = due.id
    returning o.id, due.claimed_until`;
});
afterEach(async () => {
  for (const order of heldElsewhere) {
    await sql`update walltrack.orders set claimed_until = ${order.claimed_until} where id = ${order.id}`;
  }
});

// `count` live exits of an open live position, due now and inserted without kicking the running
// executor (the trigger's once-per-transaction flag set beforehand), so this test's run claims them.
async function liveExits(count: number): Promise<string[]> {
  const { wallet, mint } = await walletAndSafeToken(sql, "live");
  const signalId = await copyBuy(sql, wallet, mint);
  const position = await waitUntil("the live entry to fill", async () => {
    const [p] = await sql`select id from walltrack.positions where signal_id = ${signalId} and status = 'open' and entry_amount is not null`;
    return p;
  });
  return await sql.begin(async (tx) => {
    await tx`select pg_catalog.set_config('walltrack.order_executor_kicked', 'yes', true)`;
    const rows = await tx`
      insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                                    scaling_level, scaling_percent)
      select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'live', ${mint}, ${WSOL}, 1, g, 1
      from walltrack.positions p, generate_series(1, ${count}::integer) g where p.id = ${position.id}
      returning id`;
    return rows.map((r) => r.id as string);
  });
}

const ordersById = async (ids: string[]) =>
  await sql`select id, status, retry_count, error_code, error_message, claimed_until, next_retry_at, tx_signature
            from walltrack.orders where id = any(${ids}::uuid[]) order by scaling_percent, scaling_level`;

test("a run whose budget is spent releases the claims it did not start: due at once, no attempt, nothing sent", async () => {
  const ids = await liveExits(2);
  const seenBefore = (await replayRequests()).length; // the entry's own swap came first
  let calls = 0;
  const now = () => (calls++ === 0 ? 1_000_000 : 1_000_000 + 60_000); // the budget is gone after the claim
  const report = await executeOrders(sql, settingsWith(5_000), { key, rpc, pollMs: 1, now }, ids.length);
  expect(report.live.map((o: LiveOutcome) => o.id).sort()).toEqual([...ids].sort());
  expect(report.live.every((o: LiveOutcome) => o.outcome === "released" && o.code === "budget_spent")).toBe(true);
  for (const order of await ordersById(ids)) {
    expect(order).toMatchObject({ status: "pending", retry_count: 0, error_code: null, claimed_until: null, tx_signature: null });
  }
  expect((await replayRequests()).slice(seenBefore).filter((r) => r.service === "jupiter" || (r.service === "rpc" && r.path !== "/rpc#getAccountInfo"))).toEqual([]);
});

test("a swap still confirming when the budget runs out is deferred, not counted, and settled by a later run", async () => {
  const [id] = await liveExits(1);
  await replayControl({ chainMode: "processed" });
  // Each reading of the clock is a second later: the budget (3.5 s) runs out after the third
  // status poll, long before the confirm loop's own limit (150 blocks past the last valid height).
  let tick = 0;
  const now = () => 1_000_000 + 1_000 * ++tick;
  const report = await executeOrders(sql, settingsWith(3_500), { key, rpc, pollMs: 1, now }, 1);
  expect(report.live).toEqual([{ id, outcome: "deferred", code: "awaiting_confirmation" }]);
  const [waiting] = await ordersById([id]);
  expect(waiting).toMatchObject({ status: "submitted", retry_count: 0, error_code: "awaiting_confirmation", claimed_until: null });
  expect(waiting.error_message).toContain("time budget (EXECUTOR_BUDGET_MS) ran out");
  expect(waiting.tx_signature).not.toBeNull();

  // The swap lands; the next run (whichever executor takes it) settles that signature, sends nothing new.
  await replayControl({ settleProcessed: "land" });
  await sql`update walltrack.orders set next_retry_at = now() where id = ${id} and status = 'submitted'`;
  await executeOrders(sql, settingsWith(20_000), { key, rpc, pollMs: 1 }, 1);
  const done = await waitUntil("the order to be settled", async () => {
    const [order] = await ordersById([id]);
    return order.status === "executed" ? order : undefined;
  });
  expect(done).toMatchObject({ retry_count: 0, tx_signature: waiting.tx_signature, claimed_until: null });
});

// Hosted functions get 2 s of CPU per request (async I/O excluded). The executor's own work for a
// full batch (claim, 20 quotes and swaps parsed, 20 transactions signed with ed25519, sent,
// confirmed and accounted) is measured here in Node's V8, as the same module runs in Deno's.
test("a full batch of live swaps costs the invocation far less CPU than the hosted 2 s", async () => {
  const ids = await liveExits(20);
  const before = process.cpuUsage();
  const report = await executeOrders(sql, settingsWith(20_000), { key, rpc, pollMs: 1 }, ids.length);
  const used = process.cpuUsage(before);
  expect(report.live.map((o: LiveOutcome) => o.outcome)).toEqual(Array(20).fill("executed"));
  const cpuMs = (used.user + used.system) / 1000;
  expect(cpuMs, `${cpuMs} ms of CPU for 20 swaps`).toBeLessThan(1000); // about 170 ms measured on 2 cores
});
