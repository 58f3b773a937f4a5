// Capture completeness through the running functions (issue 14): the chain (getSignaturesForAddress)
// and Helius's parse-transactions API are the replay, the transactions real Helius payloads. The
// webhook delivers some of a wallet's transactions and misses others; the capture-reconciler finds
// the missing ones, records them once through the webhook's path marked recovered, processes them,
// and moves the wallet's cursor; a failed transaction, a transfer, a transaction younger than the
// settle time, one Helius does not know, a 429, concurrent runs and poll mode each do what the
// README says.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { adaptedFixture, callFunction, connect, freshAddress, freshSignature, liftExposureLimits, op, postWebhook, replayControl, stack, waitUntil } from "./stack.ts";

const sql = connect();

// A run's pg_cron would race the direct calls here: one run per test, the ones it makes.
async function quietSchedule() {
  await sql`update walltrack.config set delivery_mode = 'webhook', reconcile_interval_minutes = 1440, poll_interval_seconds = 3600,
            capture_settle_seconds = 120, capture_wallets_per_run = 1000, capture_pages_per_wallet = 3, capture_fetches_per_run = 500,
            capture_last_run_at = now(), capture_lease = null, capture_lease_until = null, capture_failures = 0,
            capture_next_attempt_at = null, capture_last_error = null`;
}
beforeAll(async () => {
  await liftExposureLimits(sql);
  await quietSchedule();
});
beforeEach(async () => {
  await replayControl({ reset: true });
  await quietSchedule();
});
afterAll(async () => {
  // As the migration leaves it: webhook mode, the next run one interval from now.
  await sql`update walltrack.config set delivery_mode = 'webhook', reconcile_interval_minutes = 10, poll_interval_seconds = 60,
            capture_settle_seconds = 120, capture_wallets_per_run = 50, capture_last_run_at = now(), capture_failures = 0,
            capture_next_attempt_at = null, capture_last_error = null`;
  await sql.end();
});

const RAYDIUM = "raydium-swap-sol-buy.dex-scraper.json";
const RAYDIUM_BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const RAYDIUM_MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";
const TRANSFER = "transfer-sol.dex-scraper.json";

type Tx = { signature: string; slot: number; timestamp: number } & Record<string, unknown>;

const original = (name: string) => (adaptedFixture(name, {}) as Tx[])[0];

// The real Raydium BUY by `wallet` of a fresh token, `ageSeconds` old, at its own slot.
function buyBy(wallet: string, ageSeconds: number, slot: number): Tx {
  const [tx] = adaptedFixture(RAYDIUM, { [RAYDIUM_BUYER]: wallet, [RAYDIUM_MINT]: freshAddress(), [original(RAYDIUM).signature]: freshSignature() }) as Tx[];
  return { ...tx, timestamp: Math.floor(Date.now() / 1000) - ageSeconds, slot };
}

// The real SOL transfer, sent by `wallet`: a transaction of the wallet that is no trade.
function transferBy(wallet: string, ageSeconds: number, slot: number): Tx {
  const sent = original(TRANSFER) as Tx & { feePayer: string };
  const [tx] = adaptedFixture(TRANSFER, { [sent.feePayer]: wallet, [sent.signature]: freshSignature() }) as Tx[];
  return { ...tx, timestamp: Math.floor(Date.now() / 1000) - ageSeconds, slot };
}

async function watched(): Promise<string> {
  const wallet = freshAddress();
  await sql`select walltrack.add_wallet(${wallet}, 'capture test')`;
  // Watched since a while: the transactions below happened after it was added.
  await sql`update walltrack.capture_cursors set watch_since = now() - interval '1 hour'
            where wallet_id = (select id from walltrack.wallets where address = ${wallet})`;
  return wallet;
}

const onChain = (wallet: string, txs: Tx[], options: { err?: unknown; parsed?: boolean } = {}) =>
  replayControl({ onChain: txs.map((transaction) => ({ transaction, addresses: [wallet], ...options })) });

async function reconcile() {
  const response = await callFunction("capture-reconciler");
  expect(response.status).toBe(200);
  return response.json();
}

const signalsOf = (signature: string) =>
  sql`select delivery, signal_type, processed_at, filtered, filter_reason from walltrack.signals where transaction_signature = ${signature}`;
const cursorOf = (wallet: string) =>
  sql`select c.* from walltrack.capture_cursors c join walltrack.wallets w on w.id = c.wallet_id where w.address = ${wallet}`.then((r) => r[0]);
const heliusParseCalls = async () =>
  ((await (await fetch(`${stack.replayUrl}/__control/helius`)).json()).calls as { path: string; body: { transactions: string[] } }[])
    .filter((c) => c.path === "/v0/transactions");

test("the reconciliation finds a transaction the webhook never delivered and records it once, marked recovered", async () => {
  const wallet = await watched();
  const delivered = buyBy(wallet, 600, 300_000_004);
  const missed = buyBy(wallet, 500, 300_000_005);
  const failed = buyBy(wallet, 400, 300_000_006);
  const transfer = transferBy(wallet, 300, 300_000_007);
  await onChain(wallet, [delivered, missed, transfer]);
  await onChain(wallet, [failed], { err: { InstructionError: [0, { Custom: 6001 }] } });
  expect((await postWebhook([delivered])).status).toBe(200);
  const [{ before }] = await sql`select webhook_last_signal_at as before from walltrack.config`;

  const report = await reconcile();
  expect(report).toMatchObject({
    skipped: false, delivery: "recovered", signatures_seen: 4, failed_transactions_skipped: 1, missing: 2, fetched: 2,
    not_returned: 0, signals_recorded: 1, duplicates: 0, transactions_refused: 0,
  });
  expect(report.wallets_reconciled).toBeGreaterThanOrEqual(1);
  // Only what nothing recorded was asked of Helius: the missed BUY and the transfer.
  const [parse] = await heliusParseCalls();
  expect(parse.body.transactions.sort()).toEqual([missed.signature, transfer.signature].sort());

  expect((await signalsOf(delivered.signature)).map((s) => s.delivery)).toEqual(["webhook"]);
  const [recovered] = await signalsOf(missed.signature);
  expect(recovered).toMatchObject({ delivery: "recovered", signal_type: "BUY" });
  expect(await signalsOf(failed.signature)).toHaveLength(0);
  expect(await signalsOf(transfer.signature)).toHaveLength(0);
  const fetched = await sql`select transaction_signature, delivery, outcome from walltrack.fetched_transactions
                            where transaction_signature in ${sql([missed.signature, transfer.signature])} order by outcome`;
  expect(fetched.map((f) => [f.transaction_signature, f.outcome])).toEqual([[transfer.signature, "no_signal"], [missed.signature, "signals"]]);
  // Processed as the webhook's signals are: a BUY ten minutes old is too late to copy.
  const [decided] = await waitUntil("the recovered signal to be processed", async () => {
    const rows = await signalsOf(missed.signature);
    return rows[0]?.processed_at ? rows : undefined;
  });
  expect(decided).toMatchObject({ filtered: true, filter_reason: "stale_signal" });
  const [{ after }] = await sql`select webhook_last_signal_at as after from walltrack.config`;
  expect(after).toEqual(before);

  // The cursor moved to the newest transaction: the next run asks only for what came after it.
  expect((await cursorOf(wallet)).last_signature).toBe(transfer.signature);
  const again = await reconcile();
  expect(again).toMatchObject({ missing: 0, signals_recorded: 0 });
  expect(await heliusParseCalls()).toHaveLength(1);
  // The webhook delivering it late changes nothing either.
  expect(await (await postWebhook([missed])).json()).toMatchObject({ signals_recorded: 0, duplicates: 1 });
  expect(await signalsOf(missed.signature)).toHaveLength(1);

  // The capture rate: one delivered, one recovered.
  const [performance] = await sql`select signals_webhook_30d, signals_recovered_30d, capture_rate_percent from walltrack.performance p
                                   join walltrack.wallets w on w.id = p.wallet_id where w.address = ${wallet}`;
  expect(performance).toEqual({ signals_webhook_30d: 1, signals_recovered_30d: 1, capture_rate_percent: "50.00" });
  const [{ status }] = await sql`select walltrack.capture_status() as status`;
  expect(status).toMatchObject({ delivery_mode: "webhook", failures: 0, last_report: { signals_recorded: 0 } });
  expect(status.signals_24h.recovered).toBeGreaterThanOrEqual(1);
});

test("a transaction younger than the settle time is left to the webhook; delivered, it is never fetched", async () => {
  const wallet = await watched();
  const older = buyBy(wallet, 600, 300_000_011);
  const young = buyBy(wallet, 5, 300_000_012);
  await onChain(wallet, [older, young]);
  await postWebhook([older]);
  expect(await reconcile()).toMatchObject({ missing: 0, fetched: 0 });
  expect((await cursorOf(wallet)).last_signature).toBe(older.signature);

  await postWebhook([young]);
  await sql`update walltrack.config set capture_settle_seconds = 0`;
  expect(await reconcile()).toMatchObject({ signatures_seen: 1, missing: 0, fetched: 0 });
  expect(await heliusParseCalls()).toEqual([]);
  expect((await signalsOf(young.signature)).map((s) => s.delivery)).toEqual(["webhook"]);
  expect((await cursorOf(wallet)).last_signature).toBe(young.signature);
});

test("a transaction Helius does not return keeps the wallet's cursor, with the reason; found later, it is recorded", async () => {
  const wallet = await watched();
  const unknown = buyBy(wallet, 600, 300_000_021);
  await onChain(wallet, [unknown], { parsed: false });
  expect(await reconcile()).toMatchObject({ missing: 1, fetched: 0, not_returned: 1, signals_recorded: 0 });
  const cursor = await cursorOf(wallet);
  expect(cursor.last_signature).toBeNull();
  expect(cursor.last_error).toMatch(/Helius did not return 1 transaction/);

  await onChain(wallet, [unknown]);
  expect(await reconcile()).toMatchObject({ missing: 1, fetched: 1, signals_recorded: 1 });
  expect((await signalsOf(unknown.signature)).map((s) => s.delivery)).toEqual(["recovered"]);
  expect(await cursorOf(wallet)).toMatchObject({ last_signature: unknown.signature, last_error: null });
});

test("a 429 of the chain stops the run, backs off as long as it asked, and keeps every cursor", async () => {
  const wallet = await watched();
  await onChain(wallet, [buyBy(wallet, 600, 300_000_031)]);
  await replayControl({ faults: { rpc: { status: 429, headers: { "retry-after": "300" } } } });
  const report = await reconcile();
  expect(report.error).toMatch(/solana-rpc: rate_limited \(HTTP 429\)/);
  const [config] = await sql`select capture_failures, capture_last_error, extract(epoch from capture_next_attempt_at - now()) as wait
                             from walltrack.config`;
  expect(config.capture_failures).toBe(1);
  expect(Number(config.wait)).toBeGreaterThan(290);
  expect(Number(config.wait)).toBeLessThanOrEqual(300);
  expect(await reconcile()).toMatchObject({ skipped: true, reason: "backing_off", failures: 1 });
  expect((await cursorOf(wallet)).last_signature).toBeNull();
});

test("concurrent runs: one reconciles, the others stand aside, and the missed transaction is recorded once", async () => {
  const wallet = await watched();
  const missed = buyBy(wallet, 600, 300_000_041);
  await onChain(wallet, [missed]);
  await replayControl({ delays: { helius: 300 } });
  const reports = await Promise.all(Array.from({ length: 8 }, () => reconcile()));
  expect(reports.filter((r) => !r.skipped)).toHaveLength(1);
  expect(reports.filter((r) => r.skipped).every((r) => r.reason === "running")).toBe(true);
  expect(await signalsOf(missed.signature)).toHaveLength(1);
  expect(await heliusParseCalls()).toHaveLength(1);
});

test("poll mode: no public URL needed (the Helius sync pushes nothing), every new transaction recorded as polled", async () => {
  await sql`select walltrack.set_delivery_mode('poll')`;
  try {
    const wallet = await watched();
    const sync = await (await callFunction("helius-sync")).json();
    expect(sync).toMatchObject({ skipped: true, reason: "poll_mode" });
    const [{ request }] = await sql`select walltrack.sync_helius_addresses() as request`;
    expect(request).toBeNull();

    const fresh = buyBy(wallet, 3, 300_000_051);
    await onChain(wallet, [fresh]);
    expect(await reconcile()).toMatchObject({ delivery: "polled", missing: 1, fetched: 1, signals_recorded: 1 });
    expect((await signalsOf(fresh.signature)).map((s) => s.delivery)).toEqual(["polled"]);
    const calls = ((await (await fetch(`${stack.replayUrl}/__control/helius`)).json()).calls as { path: string }[]).map((c) => c.path);
    expect(calls.filter((p) => p.startsWith("/v0/webhooks"))).toEqual([]);
  } finally {
    await sql`select walltrack.set_delivery_mode('webhook')`;
    await sql`update walltrack.wallets set helius_sync_status = 'synced'`;
  }
});

test("npm run delivery:set switches the mode and its interval, refuses what is out of bounds; capture:status shows it", async () => {
  const settings = () => sql`select delivery_mode, poll_interval_seconds, reconcile_interval_minutes from walltrack.config`.then((r) => r[0]);
  try {
    const poll = await op("delivery:set", "poll", "--interval", "120");
    expect(poll.code).toBe(0);
    expect(poll.out).toContain("delivery mode poll: the chain is polled every 120 s");
    expect(await settings()).toEqual({ delivery_mode: "poll", poll_interval_seconds: 120, reconcile_interval_minutes: 1440 });

    const refusals: [string[], RegExp][] = [
      [["delivery:set", "push"], /the delivery mode is webhook or poll/],
      [["delivery:set", "poll", "--interval", "30"], /refused: .*config_poll_interval_seconds_check/],
      [["delivery:set", "poll", "--interval", "1.5"], /--interval must be a whole number/],
      [["delivery:set", "webhook", "--reconcile-minutes", "0"], /refused: .*config_reconcile_interval_minutes_check/],
    ];
    const answers = await Promise.all(refusals.map(([args]) => op(...args)));
    refusals.forEach(([args, why], i) => {
      expect(answers[i].code, args.join(" ")).toBe(2);
      expect(answers[i].out, args.join(" ")).toMatch(why);
    });
    expect(await settings()).toEqual({ delivery_mode: "poll", poll_interval_seconds: 120, reconcile_interval_minutes: 1440 });

    const status = await op("capture:status");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({ delivery_mode: "poll", interval_seconds: 120 });

    const webhook = await op("delivery:set", "webhook", "--reconcile-minutes", "15");
    expect(webhook.out).toContain("every 15 minutes what it missed is recovered");
    expect(await settings()).toMatchObject({ delivery_mode: "webhook", reconcile_interval_minutes: 15 });
  } finally {
    await sql`update walltrack.wallets set helius_sync_status = 'synced'`;
  }
}, 60_000); // each command is a process of its own
