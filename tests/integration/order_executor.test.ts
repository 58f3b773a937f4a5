// The order executor through the running stack: live swaps signed with a real key and sent to the
// replayed Jupiter and Solana RPC, the two switches of ADR-008, failures with retries, and two
// executors at once.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import {
  callFunction, connect, copyBuy, liftExposureLimits, replayControl, stack, waitUntil, walletAndSafeToken,
} from "./stack.ts";

const sql = connect();
const other = connect();
beforeAll(async () => {
  await liftExposureLimits(sql);
  await sql`update walltrack.config set holds_mock_data = false, live_trading_enabled = true, sol_usd_price = 150`;
});
afterAll(async () => {
  await sql`update walltrack.config set live_trading_enabled = false`;
  await sql.end();
  await other.end();
});
beforeEach(() => replayControl({ reset: true, quoteRatio: 1000 }));

async function liveEntry() {
  const { wallet, mint } = await walletAndSafeToken(sql, "live");
  const signalId = await copyBuy(sql, wallet, mint);
  const [order] = await sql`select o.* from walltrack.orders o join walltrack.positions p on p.id = o.position_id
                            where p.signal_id = ${signalId} and o.order_type = 'entry'`;
  return { wallet, mint, order };
}

// The /swap requests for this test's token: live orders other files left waiting (a backoff that
// ends meanwhile) may be executed by the same run, and are not this test's to count.
async function swapsFor(mint: string): Promise<{ prioritizationFeeLamports: unknown }[]> {
  const swaps = await (await fetch(`${stack.replayUrl}/__control/swaps`)).json();
  return swaps.filter((body: { quoteResponse: { inputMint: string; outputMint: string } }) =>
    body.quoteResponse.outputMint === mint || body.quoteResponse.inputMint === mint);
}

const orderWhen = (id: string, ready: (o: Record<string, unknown>) => boolean) =>
  waitUntil(`order ${id}`, async () => {
    const [order] = await sql`select * from walltrack.orders where id = ${id}`;
    return ready(order) ? order : undefined;
  });

// Make a waiting order due now and run the executor.
async function runExecutorNow(orderId: string) {
  await sql`update walltrack.orders set next_retry_at = now(), claimed_until = null where id = ${orderId} and status in ('pending', 'submitted')`;
  const response = await callFunction("order-executor");
  expect(response.status).toBe(200);
  return response.json();
}

test("a live entry is quoted, signed, sent, confirmed and accounted with the amounts that moved", async () => {
  const { order, mint } = await liveEntry();
  expect(order).toMatchObject({ status: "pending", mode: "live", amount_in: "3.333333333" }); // 500 USD / 150
  const done = await orderWhen(order.id, (o) => o.status === "executed");
  // The replayed chain moved 3333333333 lamports for 3333333333000 raw tokens (ratio 1000, 6 dp).
  // The priority fee: Jupiter asked for its veryHigh estimate under the 1,000,000-lamport cap
  // (walltrack.priority_fee_request); the order records what the confirmed transaction paid.
  expect(done).toMatchObject({ amount_in: "3.333333333", amount_out: "3333333.333", jupiter_quote_id: "299283763",
    priority_fee_lamports: "254600", network_fee_lamports: "259600", slippage_actual_percent: "0.0000" });
  // The network fee it paid, in USD at the fill's SOL/USD: 0.0002596 SOL x 150, realized at once.
  expect(done.fee_usd).toBe("0.03894");
  expect((await swapsFor(mint)).map((body) => body.prioritizationFeeLamports))
    .toEqual([{ priorityLevelWithMaxLamports: { priorityLevel: "veryHigh", maxLamports: 1000000 } }]);
  expect(done.tx_signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
  expect(done.block_number).not.toBeNull();
  // USD price through SOL/USD: 3.333333333 x 150 / 3333333.333 = 0.00015 exactly
  expect(done.price_usd).toBe("0.00015");
  const [position] = await sql`select * from walltrack.positions where id = ${done.position_id}`;
  expect(position).toMatchObject({ status: "open", entry_price: "0.00015", entry_amount: "3333333.333",
    current_amount: "3333333.333", entry_tx_signature: done.tx_signature, fees_usd: "0.03894", realized_pnl_usd: "-0.03894" });
});

test("the priority fee follows the configuration: a level under the operator's cap, or a fixed number; the fee paid is recorded", async () => {
  try {
    await sql`select walltrack.set_priority_fee('dynamic', 'high', 100000)`;
    const first = await liveEntry();
    const capped = await orderWhen(first.order.id, (o) => o.status === "executed");
    // The replayed market estimates 150,000 lamports at "high": the cap of 100,000 holds.
    expect(capped).toMatchObject({ priority_fee_lamports: "100000", network_fee_lamports: "105000" });
    await sql`select walltrack.set_priority_fee('fixed', fixed_lamports => 7000)`;
    const second = await liveEntry();
    const fixed = await orderWhen(second.order.id, (o) => o.status === "executed");
    expect(fixed).toMatchObject({ priority_fee_lamports: "7000", network_fee_lamports: "12000" });
    expect([...await swapsFor(first.mint), ...await swapsFor(second.mint)].map((body) => body.prioritizationFeeLamports))
      .toEqual([{ priorityLevelWithMaxLamports: { priorityLevel: "high", maxLamports: 100000 } }, 7000]);
  } finally {
    await sql`select walltrack.set_priority_fee('dynamic', 'veryHigh', 1000000, 10000)`;
  }
});

test("with the global live switch off, a live entry fails naming the switch and its position holds nothing", async () => {
  await sql`update walltrack.config set live_trading_enabled = false`;
  try {
    const { order } = await liveEntry();
    const failed = await orderWhen(order.id, (o) => o.status === "failed");
    expect(failed).toMatchObject({ error_code: "live_trading_disabled", tx_signature: null });
    expect(failed.error_message).toContain("live_trading_enabled");
    const [position] = await sql`select status, entry_amount, current_amount from walltrack.positions where id = ${order.position_id}`;
    expect(position).toEqual({ status: "error", entry_amount: null, current_amount: "0" });
    // Nothing sent (a sell check of another test's BUY, run by the sweeper meanwhile, may read a mint).
    expect((await (await fetch(`${stack.replayUrl}/__control/requests`)).json())
      .filter((r: { service: string; path: string }) => r.service === "rpc" && r.path !== "/rpc#getAccountInfo")).toEqual([]);
  } finally {
    await sql`update walltrack.config set holds_mock_data = false, live_trading_enabled = true`;
  }
});

test("quote 400 no route: retried with backoff, then failed after max_retries, the entry's position in error", async () => {
  await replayControl({ faults: { "jupiter-quote": { status: 400, body: '{"error":"Could not find any route","errorCode":"COULD_NOT_FIND_ANY_ROUTE"}' } } });
  const { order } = await liveEntry();
  const first = await orderWhen(order.id, (o) => o.retry_count === 1);
  expect(first).toMatchObject({ status: "pending", error_code: "no_route" });
  expect(new Date(first.next_retry_at as string).getTime()).toBeGreaterThan(Date.now());
  await runExecutorNow(order.id);
  await orderWhen(order.id, (o) => o.retry_count === 2);
  await runExecutorNow(order.id);
  const failed = await orderWhen(order.id, (o) => o.status === "failed");
  expect(failed).toMatchObject({ retry_count: 3, max_retries: 3, error_code: "no_route" });
  const [position] = await sql`select status, entry_amount from walltrack.positions where id = ${order.position_id}`;
  expect(position).toEqual({ status: "error", entry_amount: null });
});

test("a 429 waits until Jupiter's x-ratelimit-reset", async () => {
  const reset = Math.floor(Date.now() / 1000) + 120;
  await replayControl({ faults: { "jupiter-quote": { status: 429, headers: { "x-ratelimit-reset": String(reset) } } } });
  const { order } = await liveEntry();
  const waiting = await orderWhen(order.id, (o) => o.retry_count === 1);
  expect(waiting.error_code).toBe("rate_limited");
  const due = new Date(waiting.next_retry_at as string).getTime() / 1000;
  expect(Math.abs(due - reset)).toBeLessThan(5);
});

test("a transaction that never lands expires with its blockhash and is sent again on the next attempt", async () => {
  await replayControl({ chainMode: "drop" });
  const { order } = await liveEntry();
  const expired = await orderWhen(order.id, (o) => o.retry_count === 1);
  expect(expired).toMatchObject({ status: "submitted", error_code: "blockhash_expired" });
  const firstSignature = expired.tx_signature;
  await replayControl({ chainMode: "land" });
  await runExecutorNow(order.id);
  const done = await orderWhen(order.id, (o) => o.status === "executed");
  expect(done.tx_signature).not.toBe(firstSignature);
  expect(done.retry_count).toBe(1);
});

test("a transaction seen but unconfirmed waits on the books; it is settled even after the live switch went off", async () => {
  await replayControl({ chainMode: "processed" });
  const { order } = await liveEntry();
  // Past its last valid height and still only processed: no verdict yet, and no attempt spent.
  const waiting = await orderWhen(order.id, (o) => o.error_code === "awaiting_confirmation");
  expect(waiting).toMatchObject({ status: "submitted", retry_count: 0, executed_at: null });
  expect(waiting.error_message).toContain("seen but not confirmed");
  // The operator turns live trading off; meanwhile the swap lands. The swap is real: it is recorded.
  await sql`update walltrack.config set live_trading_enabled = false`;
  try {
    await replayControl({ settleProcessed: "land" });
    await runExecutorNow(order.id);
    const done = await orderWhen(order.id, (o) => o.status === "executed");
    expect(done.tx_signature).toBe(waiting.tx_signature);
    expect(done.retry_count).toBe(0);
    const [position] = await sql`select status, entry_amount from walltrack.positions where id = ${order.position_id}`;
    expect(position).toEqual({ status: "open", entry_amount: "3333333.333" });
  } finally {
    await sql`update walltrack.config set holds_mock_data = false, live_trading_enabled = true`;
  }
});

test("a waiting transaction later found failed on chain counts as an attempt before any re-send", async () => {
  await replayControl({ chainMode: "processed" });
  const { order } = await liveEntry();
  const waiting = await orderWhen(order.id, (o) => o.error_code === "awaiting_confirmation");
  await replayControl({ settleProcessed: "fail", chainMode: "land" });
  await runExecutorNow(order.id);
  const counted = await orderWhen(order.id, (o) => o.error_code === "transaction_failed");
  // Counted, and nothing re-sent in that run (the signature on the books is still the first one):
  // a cause that keeps repeating runs out of retries.
  expect(counted).toMatchObject({ status: "submitted", retry_count: 1, tx_signature: waiting.tx_signature });
  await runExecutorNow(order.id);
  const done = await orderWhen(order.id, (o) => o.status === "executed");
  expect(done.tx_signature).not.toBe(waiting.tx_signature);
  expect(done.retry_count).toBe(1);
  // The failed transaction paid its fee too (259,600 lamports), once, valued at the SOL/USD of its
  // moment (the price monitor may have moved it meanwhile), and so did the one that filled: the
  // position holds both, deducted from its realized PnL, exactly.
  const failedFees = await sql`select tx_signature, network_fee_lamports::text,
                                      fee_usd = network_fee_lamports * 0.000000001 * sol_usd_price as exact
                                 from walltrack.failed_swap_fees where order_id = ${order.id}`;
  expect(failedFees).toEqual([{ tx_signature: waiting.tx_signature, network_fee_lamports: "259600", exact: true }]);
  const [position] = await sql`select p.fees_usd = f.fee_usd + o.fee_usd as both_fees, p.realized_pnl_usd = -p.fees_usd as realized
                                 from walltrack.positions p join walltrack.orders o on o.position_id = p.id
                                 join walltrack.failed_swap_fees f on f.order_id = o.id
                                where o.id = ${order.id}`;
  expect(position).toEqual({ both_fees: true, realized: true });
});

test("two executors claiming at once never take the same order", async () => {
  const { wallet, mint } = await walletAndSafeToken(sql, "simulation");
  await copyBuy(sql, wallet, mint);
  const [position] = await sql`select p.id from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id where w.address = ${wallet}`;
  // Twenty small manual exits cannot coexist (one full exit in flight), so queue scale-out-like
  // pending orders directly: each sells a sliver, so double execution would show in the amounts.
  await sql`
    insert into walltrack.orders (wallet_id, token_id, position_id, order_type, mode, token_in, token_out, amount_in,
                                  scaling_level, scaling_percent, next_retry_at)
    select p.wallet_id, p.token_id, p.id, 'exit_scaling', 'simulation', ${mint}, ${"So11111111111111111111111111111111111111112"},
           1, g, 1, now() + interval '1 hour'
    from walltrack.positions p, generate_series(1, 20) g where p.id = ${position.id}`;
  await sql`update walltrack.orders set next_retry_at = now() where position_id = ${position.id} and status = 'pending'`;
  const [a, b] = await Promise.all([
    sql`select walltrack.claim_orders(50) as claims`,
    other`select walltrack.claim_orders(50) as claims`,
  ]);
  const idsA = (a[0].claims as { id: string }[]).map((c) => c.id);
  const idsB = (b[0].claims as { id: string }[]).map((c) => c.id);
  expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
  // Both executors then run for real, concurrently: every order executes exactly once.
  await sql`update walltrack.orders set claimed_until = null where position_id = ${position.id}`;
  await Promise.all([callFunction("order-executor"), callFunction("order-executor"), callFunction("order-executor")]);
  const [totals] = await sql`
    select count(*) filter (where o.status = 'executed')::int as executed,
           sum(o.amount_in) filter (where o.status = 'executed') as sold,
           p.entry_amount - p.current_amount as decreased
      from walltrack.orders o join walltrack.positions p on p.id = o.position_id
     where o.position_id = ${position.id} and o.order_type = 'exit_scaling'
     group by p.entry_amount, p.current_amount`;
  expect(totals.executed).toBe(20);
  expect(Number(totals.sold)).toBe(20);
  expect(Number(totals.decreased)).toBe(20);
});

test("a live exit of a token whose decimals nobody knows is refused, never sent with guessed decimals", async () => {
  const { wallet, mint } = await walletAndSafeToken(sql, "live");
  const signalId = await copyBuy(sql, wallet, mint);
  const [position] = await sql`select p.id from walltrack.positions p where p.signal_id = ${signalId}`;
  const [entry] = await sql`select id from walltrack.orders where position_id = ${position.id} and order_type = 'entry'`;
  await orderWhen(entry.id, (o) => o.status === "executed");
  // Forget the decimals everywhere they were known (as a DexScreener-only analysis would).
  await sql`update walltrack.tokens set decimals = null where address = ${mint}`;
  await sql`alter table walltrack.signals disable trigger signals_protect_facts`;
  await sql`update walltrack.signals set token_decimals = null where id = ${signalId}`;
  await sql`alter table walltrack.signals enable trigger signals_protect_facts`;
  const [{ exit }] = await sql`select walltrack.close_position_manually(${position.id}) as exit`;
  const refused = await orderWhen(exit, (o) => o.status === "failed");
  expect(refused).toMatchObject({ error_code: "unknown_decimals", tx_signature: null });
});

test("a 429 without a reset header backs off instead of retrying at once", async () => {
  await replayControl({ faults: { "jupiter-quote": { status: 429 } } });
  const { order } = await liveEntry();
  const waiting = await orderWhen(order.id, (o) => o.retry_count === 1);
  expect(waiting.error_code).toBe("rate_limited");
  const wait = new Date(waiting.next_retry_at as string).getTime() - new Date(waiting.updated_at as string).getTime();
  expect(wait).toBeGreaterThanOrEqual(4_000); // the 5 s x 2^0 backoff, not "now"
});
