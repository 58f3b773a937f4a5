// The signal pipeline through the running stack: real Helius payloads POSTed to
// /functions/v1/helius-webhook, the external APIs served by the replay of fixtures/.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { adaptedFixture, connect, freshAddress, freshSignature, postWebhook, replayControl, replayRequests, waitUntil, liftExposureLimits } from "./stack.ts";

const sql = connect();
beforeAll(() => liftExposureLimits(sql));
afterAll(() => sql.end());
beforeEach(() => replayControl({ reset: true }));

const RAYDIUM = "raydium-swap-sol-buy.dex-scraper.json";
const RAYDIUM_BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const RAYDIUM_MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";
const RAYDIUM_SIGNATURE = "4cSywbWbDmvZKLza5gAUqMgMuFHTqBFbJvZVUKSCvWdQD3uavBBkS2ZRpvW6hkmkMKYHmQeY8Af5YAwBjP9Ni9ci";

// A fresh watched wallet buying a fresh token in the real Raydium BUY payload.
async function raydiumBuy(options: { mode?: string; strategy?: string; active?: boolean } = {}) {
  const wallet = freshAddress();
  const mint = freshAddress();
  const signature = freshSignature();
  await sql`
    insert into walltrack.wallets (address, label, mode, exit_strategy_id, is_active)
    select ${wallet}, 'integration test', ${options.mode ?? "simulation"}, id, ${options.active ?? true}
    from walltrack.exit_strategies where name = ${options.strategy ?? "Default"}`;
  const body = adaptedFixture(RAYDIUM, { [RAYDIUM_BUYER]: wallet, [RAYDIUM_MINT]: mint, [fullSignature()]: signature });
  // The leader traded just now (the recorded 2024 block time would be filtered stale_signal).
  const blockTime = Math.floor(Date.now() / 1000) - 2;
  (body[0] as Record<string, unknown>).timestamp = blockTime;
  return { wallet, mint, signature, body, blockTime };
}

function fullSignature(): string {
  const [tx] = adaptedFixture(RAYDIUM, {}) as { signature: string }[];
  return tx.signature;
}

const processed = (signature: string) =>
  waitUntil(`signal ${signature} to be processed`, async () => {
    const rows = await sql`select * from walltrack.signals where transaction_signature = ${signature} and processed_at is not null`;
    return rows.length ? rows : undefined;
  });

test("the fixture's signature is the one this suite replaces", () => {
  expect(fullSignature().startsWith(RAYDIUM_SIGNATURE.slice(0, 20))).toBe(true);
});

test("a recorded BUY becomes a signal, a cached token analysis, an open simulated position and its executed entry", async () => {
  const { wallet, mint, signature, body, blockTime } = await raydiumBuy();
  const response = await postWebhook(body);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ transactions: 1, failed_transactions_skipped: 0, transactions_refused: 0, signals_recorded: 1, duplicates: 0 });

  const [signal] = await processed(signature);
  expect(signal).toMatchObject({
    signal_type: "BUY", token_address: mint, amount_in: "0.01", amount_out: "18663.358445",
    price: "0.00000053580924513", filtered: false, position_created: true, price_source: "jupiter",
    sol_usd_price: "147.48",
  });
  expect(signal.leader_block_time.getTime()).toBe(blockTime * 1000);
  expect(signal.slot).toBe("275222716");
  expect(signal.raw_payload.signature).toBe(signature);

  const [token] = await sql`select * from walltrack.tokens where address = ${mint}`;
  expect(token).toMatchObject({ analysis_source: "rugcheck", safety_score: "0.75", liquidity_check_passed: true,
    holder_check_passed: false, contract_check_passed: true, age_check_passed: true });

  const [position] = await sql`select * from walltrack.positions where id = ${signal.position_id}`;
  const [order] = await sql`select * from walltrack.orders where position_id = ${position.id}`;
  // Leader paid 0.00000053580924513 SOL x 147.48 USD; we fill 1 % worse; 5 % of 10,000 USD = 500 USD.
  const leaderUsd = "0.0000790211474717724";
  expect(position).toMatchObject({ status: "open", mode: "simulation", leader_price_usd: leaderUsd });
  const [{ value_is_fill }] = await sql`select value_usd = amount_out * price_usd and abs(value_usd - 500) < 0.01 as value_is_fill
                                       from walltrack.orders where id = ${order.id}`;
  expect(value_is_fill).toBe(true);
  expect(order).toMatchObject({ order_type: "entry", status: "executed", mode: "simulation",
    token_out: mint, amount_in: "3.390290209" });
  expect(order.price_usd).toBe("0.000079811358946490124");
  expect(position.entry_price).toBe(order.price_usd);
  expect(position.entry_amount).toBe(order.amount_out);
  expect(position.current_amount).toBe(order.amount_out);
  expect(position.exit_strategy_snapshot).toMatchObject({ name: "Default", stop_loss_percent: 20, mirror_exit_enabled: true });
  expect(Number(position.slippage_vs_leader_percent)).toBeCloseTo(1, 4);
  expect(wallet).toBeTruthy();
});

test("the same POST again changes nothing; a batch holding one transaction twice records it once", async () => {
  const { signature, body } = await raydiumBuy();
  await postWebhook(body);
  await processed(signature);
  const before = await sql`select (select count(*) from walltrack.signals) s, (select count(*) from walltrack.positions) p, (select count(*) from walltrack.orders) o`;
  const again = await postWebhook(body);
  expect(again.status).toBe(200);
  expect(await again.json()).toMatchObject({ signals_recorded: 0, duplicates: 1 });
  const doubled = await postWebhook([...(body as unknown[]), ...(body as unknown[])]);
  expect(await doubled.json()).toMatchObject({ signals_recorded: 0 });
  const after = await sql`select (select count(*) from walltrack.signals) s, (select count(*) from walltrack.positions) p, (select count(*) from walltrack.orders) o`;
  expect(after).toEqual(before);

  const fresh = await raydiumBuy();
  const twice = await postWebhook([...(fresh.body as unknown[]), ...(fresh.body as unknown[])]);
  expect(await twice.json()).toMatchObject({ transactions: 2, signals_recorded: 1 });
});

test("webhook_last_signal_at is stamped by every accepted delivery", async () => {
  const [{ before }] = await sql`select webhook_last_signal_at as before from walltrack.config`;
  const { body } = await raydiumBuy();
  await postWebhook(body);
  const [{ after }] = await sql`select webhook_last_signal_at as after from walltrack.config`;
  expect(after).not.toBeNull();
  if (before) expect(after.getTime()).toBeGreaterThan(before.getTime());
});

test("RugCheck down: the analysis falls back to DexScreener (no holders or authorities: unsafe, filtered)", async () => {
  await replayControl({ faults: { rugcheck: { status: 503 } } });
  const { mint, signature, body } = await raydiumBuy();
  await postWebhook(body);
  const [signal] = await processed(signature);
  const [token] = await sql`select * from walltrack.tokens where address = ${mint}`;
  expect(token).toMatchObject({ analysis_source: "dexscreener", liquidity_usd: "8517032.69", safety_score: "0.45",
    holder_check_passed: false, contract_check_passed: false });
  expect(signal).toMatchObject({ filtered: true, filter_reason: "safety_check_failed", position_created: false });
  const services = (await replayRequests()).map((r) => r.service);
  expect(services).toContain("rugcheck");
  expect(services).toContain("dexscreener");
});

test("RugCheck and DexScreener both down: filtered safety_check_unavailable, never traded blind", async () => {
  await replayControl({ faults: { rugcheck: { status: 500 }, dexscreener: { status: 200, body: "{not json" } } });
  const { mint, signature, body } = await raydiumBuy();
  expect((await postWebhook(body)).status).toBe(200);
  const [signal] = await processed(signature);
  expect(signal).toMatchObject({ filtered: true, filter_reason: "safety_check_unavailable", position_id: null });
  expect(await sql`select 1 from walltrack.tokens where address = ${mint}`).toHaveLength(0);
});

test("a token shared by several signals of one batch is fetched once", async () => {
  const first = await raydiumBuy();
  const second = await raydiumBuy();
  const shared = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", {
    [RAYDIUM_BUYER]: second.wallet, [RAYDIUM_MINT]: first.mint, [fullSignature()]: second.signature,
  });
  await postWebhook([...(first.body as unknown[]), ...shared]);
  await processed(first.signature);
  await processed(second.signature);
  const reports = (await replayRequests()).filter((r) => r.service === "rugcheck" && r.path.includes(first.mint));
  expect(reports).toHaveLength(1);
});

test("a live wallet's entry goes to the executor at once, which refuses it while the global live switch is off", async () => {
  const [{ live }] = await sql`select live_trading_enabled as live from walltrack.config`;
  expect(live).toBe(false); // the product default: two switches for live trading (ADR-008)
  const { signature, body } = await raydiumBuy({ mode: "live" });
  await postWebhook(body);
  const [signal] = await processed(signature);
  const [order] = await sql`select * from walltrack.orders where position_id = ${signal.position_id}`;
  expect(order).toMatchObject({ mode: "live", order_type: "entry", value_usd: "500.00", amount_out: null });
  const failed = await waitUntil("the executor's refusal", async () => {
    const [row] = await sql`select * from walltrack.orders where id = ${order.id} and status = 'failed'`;
    return row;
  });
  expect(failed).toMatchObject({ error_code: "live_trading_disabled", tx_signature: null, executed_at: null });
  const [position] = await sql`select * from walltrack.positions where id = ${signal.position_id}`;
  expect(position).toMatchObject({ mode: "live", status: "error", entry_price: null, current_amount: "0" });
});

test("unknown wallets are ignored: nothing is recorded", async () => {
  const body = adaptedFixture(RAYDIUM, { [fullSignature()]: freshSignature(), [RAYDIUM_BUYER]: freshAddress() });
  const response = await postWebhook(body);
  expect(await response.json()).toMatchObject({ signals_recorded: 0, duplicates: 0 });
});

test("a transaction with transactionError is skipped", async () => {
  const { body, signature } = await raydiumBuy();
  (body[0] as Record<string, unknown>).transactionError = { InstructionError: [0, "Custom"] };
  const response = await postWebhook(body);
  expect(await response.json()).toMatchObject({ failed_transactions_skipped: 1, signals_recorded: 0 });
  expect(await sql`select 1 from walltrack.signals where transaction_signature = ${signature}`).toHaveLength(0);
});

test("refusals of the delivery as a whole write nothing: wrong or missing secret 401, GET 405, text body 415, oversized 413, bad JSON and bad envelopes 400", async () => {
  const { body, signature } = await raydiumBuy();
  const cases: [Promise<Response>, number, RegExp][] = [
    [postWebhook(body, { authorization: "wrong" }), 401, /Authorization/],
    [fetch(`${process.env.WALLTRACK_TEST_FUNCTIONS_URL}/helius-webhook`, { method: "POST", body: JSON.stringify(body) }), 401, /Authorization/],
    [fetch(`${process.env.WALLTRACK_TEST_FUNCTIONS_URL}/helius-webhook`), 405, /use POST/],
    [postWebhook(JSON.stringify(body), { "content-type": "text/plain" }), 415, /content-type/],
    [postWebhook(`[${"0".repeat(9 * 1024 * 1024)}]`), 413, /larger than/],
    [postWebhook('[{"signature": '), 400, /not valid JSON/],
    [postWebhook(JSON.stringify(body).slice(0, -10)), 400, /not valid JSON/],
    [postWebhook("{}"), 400, /JSON array/],
    [postWebhook("[]"), 400, /empty array/],
    [postWebhook([body[0], null]), 400, /item 1 of the body is not a JSON object/],
    [postWebhook(Array.from({ length: 1001 }, () => ({}))), 400, /at most 1000/],
  ];
  for (const [pending, status, message] of cases) {
    const response = await pending;
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect((await response.json()).error).toMatch(message);
  }
  expect(await sql`select 1 from walltrack.signals where transaction_signature = ${signature}`).toHaveLength(0);
  // and the function still serves the next good request
  expect((await postWebhook(body)).status).toBe(200);
});

test("inside a well-formed delivery each transaction stands alone: the valid BUY is recorded, each refused one kept with its reason, 200 with the counts", async () => {
  const { signature, body } = await raydiumBuy();
  const [tx] = body as Record<string, unknown>[];
  const badSignature = "0OIl-not-base58";
  const future = { ...tx, signature: freshSignature(), timestamp: Math.floor(Date.now() / 1000) + 365 * 24 * 3600 };
  const response = await postWebhook([{ ...tx, signature: badSignature }, tx, { ...tx, signature: freshSignature(), slot: 2 ** 60 }, future]);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ transactions: 4, failed_transactions_skipped: 0, transactions_refused: 3, signals_recorded: 1, duplicates: 0 });
  const [signal] = await processed(signature);
  expect(signal).toMatchObject({ signal_type: "BUY", position_created: true });
  const refused = await sql`select transaction_signature, position_in_delivery, reason, payload_excerpt
                            from walltrack.rejected_transactions
                            where transaction_signature in (${badSignature}, ${future.signature as string})
                               or (position_in_delivery = 2 and payload_excerpt like ${`%${String(2 ** 60)}%`})
                            order by position_in_delivery`;
  expect(refused.map((r) => [r.position_in_delivery, r.reason])).toEqual([
    [0, expect.stringMatching(/^not an enhanced transaction: signature: /)],
    [2, expect.stringMatching(/^not an enhanced transaction: slot: /)],
    [3, expect.stringMatching(/^block time \d+ is more than 120 s ahead of the webhook's clock$/)],
  ]);
  expect(refused[0].payload_excerpt).toContain(badSignature);
  // nothing of the refused ones became a signal
  expect(await sql`select 1 from walltrack.signals where transaction_signature = ${future.signature as string}`).toHaveLength(0);
  // a redelivery keeps one row per refusal
  await postWebhook([future]);
  expect(await sql`select 1 from walltrack.rejected_transactions where transaction_signature = ${future.signature as string}`).toHaveLength(1);
});

test("a BUY whose leader transaction is older than max_signal_age_seconds is filtered stale_signal", async () => {
  const { signature, body } = await raydiumBuy();
  (body[0] as Record<string, unknown>).timestamp = 1719909927; // the recorded 2024 block time
  await postWebhook(body);
  const [signal] = await processed(signature);
  expect(signal).toMatchObject({ filtered: true, filter_reason: "stale_signal", position_id: null });
});

test("an inactive wallet's BUY is recorded and filtered wallet_inactive", async () => {
  const { signature, body } = await raydiumBuy({ active: false });
  await postWebhook(body);
  const [signal] = await processed(signature);
  expect(signal).toMatchObject({ filtered: true, filter_reason: "wallet_inactive" });
});

test("the sweeper processes a signal that was recorded but never processed", async () => {
  const { signature, wallet, mint } = await raydiumBuy();
  // Recorded as the webhook would, but nobody processed it (the function crashed after its 200).
  await sql`select walltrack.record_signals(${sql.json({
    received_at: new Date().toISOString(),
    transactions: [{ signature, raw: { signature } }],
    signals: [{ wallet, signal_type: "BUY", token_mint: mint, token_decimals: 6, token_in: "So11111111111111111111111111111111111111112",
      token_out: mint, amount_in: "0.01", amount_out: "18663.358445", price: "0.00000053580924513", price_all_in: "0.00000053580924513",
      price_usd: null, transaction_signature: signature, slot: 1, block_time: Math.floor(Date.now() / 1000) }],
  })})`;
  const [{ request_id }] = await sql`select walltrack.sweep_unprocessed_signals('0 seconds') as request_id`;
  expect(request_id).not.toBeNull();
  const [signal] = await processed(signature);
  expect(signal).toMatchObject({ position_created: true });
});
