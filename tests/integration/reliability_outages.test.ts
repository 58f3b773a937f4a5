// Outages: every external API failing every way (timeout, 429, 500, malformed body) gives its
// documented outcome, and the accounting invariants still hold afterwards.
//   RugCheck           -> DexScreener fallback (analysis_source dexscreener)
//   RugCheck+DexScreener -> signal filtered safety_check_unavailable
//   Jupiter Price (SOL/USD) -> DexScreener price; both down -> signal deferred, processed once back
//   Jupiter quote / swap, Solana RPC -> live order retried with backoff, error_code kept
//   Helius API         -> wallets' sync status error with the message
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  adaptedFixture, callFunction, connect, copyBuy, freshAddress, freshSignature, liftExposureLimits, postWebhook,
  replayControl, waitUntil, walletAndSafeToken,
} from "./stack.ts";

const sql = connect();
beforeAll(async () => {
  await liftExposureLimits(sql);
  await sql`update walltrack.config set holds_mock_data = false, live_trading_enabled = true, sol_usd_price = 150`;
});
afterAll(async () => {
  await sql`update walltrack.config set live_trading_enabled = false`;
  await sql.end();
});
beforeEach(() => replayControl({ reset: true, quoteRatio: 1000 }));

const FAULTS = {
  timeout: { delayMs: 4000 }, // past API_TIMEOUT_MS (1500 ms in the test stack)
  "429": { status: 429, headers: { "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 30) } },
  "500": { status: 500 },
  malformed: { status: 200, body: "<html>bad gateway</html>" },
} as const;
const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";

async function buy(): Promise<{ signature: string; mint: string }> {
  const wallet = freshAddress();
  const mint = freshAddress();
  await sql`select walltrack.add_wallet(${wallet}, 'outage')`;
  const [original] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", {}) as { signature: string }[];
  const signature = freshSignature();
  const [tx] = adaptedFixture("raydium-swap-sol-buy.dex-scraper.json", { [BUYER]: wallet, [MINT]: mint, [original.signature]: signature }) as Record<string, unknown>[];
  expect((await postWebhook([{ ...tx, timestamp: Math.floor(Date.now() / 1000) }])).status).toBe(200);
  return { signature, mint };
}

const signalOf = (signature: string) => waitUntil(`signal ${signature}`, async () => {
  const [row] = await sql`select s.*, t.analysis_source from walltrack.signals s left join walltrack.tokens t on t.address = s.token_address
                          where s.transaction_signature = ${signature} and s.processed_at is not null`;
  return row;
}, 20_000);

async function invariantsHold(): Promise<void> {
  const broken = await sql`
    select p.id from walltrack.positions p
    left join lateral (select coalesce(sum(o.amount_in), 0) as sold, coalesce(sum(o.amount_in * (o.price_usd - p.entry_price)), 0) as realized
                       from walltrack.orders o where o.position_id = p.id and o.order_type <> 'entry' and o.status = 'executed') x on true
    where p.entry_amount is not null
      and exists (select 1 from walltrack.orders e where e.position_id = p.id and e.order_type = 'entry')
      and (p.entry_amount <> p.current_amount + x.sold or p.realized_pnl_usd + p.fees_usd <> x.realized
           or (p.status = 'closed' and p.current_amount <> 0))`;
  expect(broken).toEqual([]);
}

describe.each(Object.keys(FAULTS) as (keyof typeof FAULTS)[])("%s", (kind) => {
  const fault = FAULTS[kind];

  test("RugCheck fails: DexScreener answers for the token", { timeout: 30_000 }, async () => {
    await replayControl({ faults: { rugcheck: fault } });
    const { signature } = await buy();
    const signal = await signalOf(signature);
    expect(signal.analysis_source).toBe("dexscreener");
    expect(signal.filter_reason).toBe("safety_check_failed"); // holders and authorities unknown: never trade blind
  });

  test("RugCheck and DexScreener fail: filtered safety_check_unavailable", { timeout: 30_000 }, async () => {
    await replayControl({ faults: { rugcheck: fault, dexscreener: fault } });
    const { signature } = await buy();
    expect((await signalOf(signature)).filter_reason).toBe("safety_check_unavailable");
  });

  test("Jupiter Price fails: SOL/USD from DexScreener", { timeout: 30_000 }, async () => {
    await replayControl({ faults: { jupiter: fault } });
    const { signature } = await buy();
    const signal = await signalOf(signature);
    expect(signal.price_source).toBe("dexscreener");
    expect(signal.sol_usd_price).toBe("147.47");
  });

  test("Jupiter quote fails: the live order is retried with backoff and the reason kept", { timeout: 30_000 }, async () => {
    await replayControl({ faults: { "jupiter-quote": fault } });
    await assertLiveRetry(kind === "429" ? "rate_limited" : kind === "timeout" ? "jupiter-quote_timeout" : kind === "500" ? "jupiter-quote_unavailable" : "jupiter-quote_malformed");
  });

  test("Jupiter swap fails: retried, nothing sent", { timeout: 30_000 }, async () => {
    await replayControl({ faults: { "jupiter-swap": fault } });
    await assertLiveRetry(kind === "429" ? "rate_limited" : kind === "timeout" ? "jupiter-swap_timeout" : kind === "500" ? "jupiter-swap_unavailable" : "jupiter-swap_malformed");
  });

  test("Solana RPC fails after the swap was signed: the order waits to re-check its signature, no attempt spent", { timeout: 30_000 }, async () => {
    await replayControl({ faults: { rpc: fault } });
    const { wallet, mint } = await walletAndSafeToken(sql, "live");
    const signalId = await copyBuy(sql, wallet, mint);
    const [order] = await sql`select o.id from walltrack.orders o join walltrack.positions p on p.id = o.position_id where p.signal_id = ${signalId}`;
    // The transaction may have reached the network: counting a failed attempt could strand or
    // double a swap, so the order is deferred with its signature on the books.
    const waiting = await waitUntil("the deferral", async () => {
      const [row] = await sql`select * from walltrack.orders where id = ${order.id} and error_code = 'awaiting_confirmation'`;
      return row;
    }, 20_000);
    expect(waiting).toMatchObject({ status: "submitted", retry_count: 0, executed_at: null });
    expect(waiting.tx_signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
    expect(waiting.error_message).toContain(waiting.tx_signature);
    await invariantsHold();
  });

  test("Helius API fails: the pending wallets are marked error with the message", { timeout: 30_000 }, async () => {
    await sql`update walltrack.wallets set helius_sync_status = 'synced', helius_sync_error = null`;
    // Each fault is a fresh outage: the backoff left by the previous one would skip this sync.
    await sql`update walltrack.config set helius_sync_failures = 0, helius_sync_next_attempt_at = null`;
    await replayControl({ faults: { helius: fault } });
    const wallet = freshAddress();
    await sql`select walltrack.add_wallet(${wallet}, 'outage sync')`;
    const report = await (await callFunction("helius-sync")).json();
    expect(report.error).toMatch(/helius/);
    const [row] = await sql`select helius_sync_status, helius_sync_error from walltrack.wallets where address = ${wallet}`;
    expect(row.helius_sync_status).toBe("error");
  });

  async function assertLiveRetry(code: string) {
    const { wallet, mint } = await walletAndSafeToken(sql, "live");
    const signalId = await copyBuy(sql, wallet, mint);
    const [order] = await sql`select o.id from walltrack.orders o join walltrack.positions p on p.id = o.position_id where p.signal_id = ${signalId}`;
    const retried = await waitUntil("the first failed attempt", async () => {
      const [row] = await sql`select * from walltrack.orders where id = ${order.id} and retry_count = 1`;
      return row;
    }, 20_000);
    expect(retried.status).not.toBe("executed");
    expect(retried.error_code).toBe(code);
    expect(new Date(retried.next_retry_at).getTime()).toBeGreaterThan(Date.now());
    await invariantsHold();
  }
});

test("both price sources down: the signal waits unprocessed, never guessed; processed once they are back", { timeout: 40_000 }, async () => {
  await replayControl({ faults: { jupiter: { status: 500 }, dexscreener: { status: 500 } } });
  const { signature } = await buy();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const [waiting] = await sql`select processed_at from walltrack.signals where transaction_signature = ${signature}`;
  expect(waiting.processed_at).toBeNull();
  await replayControl({ reset: true });
  await sql`select walltrack.sweep_unprocessed_signals('0 seconds')`;
  expect((await signalOf(signature)).position_created).toBe(true);
  await invariantsHold();
});
