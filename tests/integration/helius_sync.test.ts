// The Helius address sync through the running stack, against a replay of Helius's webhook API that
// records every call: nothing when nothing is pending; create the global webhook when config has
// none; otherwise GET, merge and PUT the full object with every active address; failures recorded
// and backed off; concurrent runs single-flight (one webhook, whatever the number of callers).
import { afterAll, beforeEach, expect, test } from "vitest";
import { callFunction, connect, freshAddress, replayControl, stack } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

type HeliusState = { calls: { method: string; path: string; body: Record<string, unknown> }[]; webhooks: Record<string, unknown>[] };
const helius = async (): Promise<HeliusState> => (await fetch(`${stack.replayUrl}/__control/helius`)).json();

beforeEach(async () => {
  await replayControl({ reset: true });
  await sql`update walltrack.config set helius_webhook_id = null, helius_webhook_url = null, helius_sync_lease = null,
            helius_sync_lease_until = null, helius_sync_failures = 0, helius_sync_next_attempt_at = null, helius_sync_last_error = null`;
  await sql`update walltrack.wallets set helius_sync_status = 'synced', helius_sync_error = null`;
});

async function addWallet() {
  const address = freshAddress();
  await sql`select walltrack.add_wallet(${address}, 'sync test')`;
  return address;
}

const sync = async () => {
  const response = await callFunction("helius-sync");
  expect(response.status).toBe(200);
  return response.json();
};

test("nothing pending: no call to Helius at all", async () => {
  expect(await sync()).toEqual({ skipped: true, reason: "nothing_pending" });
  expect((await helius()).calls).toEqual([]);
  const [{ request }] = await sql`select walltrack.sync_helius_addresses() as request`;
  expect(request).toBeNull();
});

test("a new wallet is pending; the first sync creates the global webhook with every active address", async () => {
  const address = await addWallet();
  const [{ status }] = await sql`select helius_sync_status as status from walltrack.wallets where address = ${address}`;
  expect(status).toBe("pending");
  const report = await sync();
  expect(report).toMatchObject({ skipped: false, created: true, wallets: 1 });

  const { calls } = await helius();
  expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /v0/webhooks"]);
  const [{ active }] = await sql`select array_agg(address::text order by address) as active from walltrack.wallets where is_active`;
  expect(calls[0].body).toEqual({
    webhookURL: expect.stringMatching(/\/functions\/v1\/helius-webhook$/),
    transactionTypes: ["ANY"],
    webhookType: "enhanced",
    authHeader: stack.webhookSecret,
    accountAddresses: active,
  });
  const [config] = await sql`select helius_webhook_id, helius_last_sync_at from walltrack.config`;
  expect(config.helius_webhook_id).toBe(report.webhook_id);
  expect(config.helius_last_sync_at).not.toBeNull();
  const [wallet] = await sql`select helius_sync_status, helius_synced_at from walltrack.wallets where address = ${address}`;
  expect(wallet.helius_sync_status).toBe("synced");
  expect(wallet.helius_synced_at).not.toBeNull();
});

test("deactivating a wallet: GET, merge, PUT the full object without it; fields Helius holds are kept", async () => {
  const address = await addWallet();
  const { webhook_id } = await sync();
  // Something set on Helius's side that we do not manage must survive our PUT.
  const webhook = (await helius()).webhooks[0] as Record<string, unknown>;
  expect(webhook.webhookID).toBe(webhook_id);
  await replayControl({}); // no reset: keep the webhook
  await fetch(`${stack.replayUrl}/helius/v0/webhooks/${webhook_id}?api-key=x`, {
    method: "PUT", headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...webhook, txnStatus: "success", encoding: "jsonParsed" }),
  });

  await sql`select walltrack.set_wallet_active(${address}, false)`;
  expect((await sync())).toMatchObject({ created: false, webhook_id });
  const { calls } = await helius();
  const last = calls.slice(-2);
  expect(last.map((c) => `${c.method} ${c.path}`)).toEqual([`GET /v0/webhooks/${webhook_id}`, `PUT /v0/webhooks/${webhook_id}`]);
  expect(last[1].body.accountAddresses).not.toContain(address);
  expect(last[1].body).toMatchObject({ txnStatus: "success", encoding: "jsonParsed", transactionTypes: ["ANY"] });
});

test("a webhook Helius no longer has is created again", async () => {
  await sql`update walltrack.config set helius_webhook_id = 'gone-0000'`;
  await addWallet();
  expect(await sync()).toMatchObject({ created: true });
  expect((await helius()).calls.map((c) => `${c.method} ${c.path}`)).toEqual(["GET /v0/webhooks/gone-0000", "POST /v0/webhooks"]);
});

test("a Helius failure marks the pending wallets error with the message, never the API key, and backs off", async () => {
  await replayControl({ faults: { helius: { status: 500, body: '{"error":"internal"}' } } });
  const address = await addWallet();
  const report = await sync();
  expect(report.error).toMatch(/helius: server_error/);
  const [wallet] = await sql`select helius_sync_status, helius_sync_error from walltrack.wallets where address = ${address}`;
  expect(wallet.helius_sync_status).toBe("error");
  expect(wallet.helius_sync_error).toMatch(/server_error/);
  expect(wallet.helius_sync_error).not.toContain("test-helius-key");
  const [config] = await sql`select helius_sync_failures, helius_sync_last_error, helius_sync_lease,
                                    extract(epoch from helius_sync_next_attempt_at - now()) as wait from walltrack.config`;
  expect(config).toMatchObject({ helius_sync_failures: 1, helius_sync_lease: null });
  expect(config.helius_sync_last_error).toMatch(/server_error/);
  expect(Number(config.wait)).toBeGreaterThan(50);
  expect(Number(config.wait)).toBeLessThanOrEqual(60);
  const [{ status }] = await sql`select walltrack.status_summary() -> 'helius_sync' as status`;
  expect(status).toMatchObject({ failures: 1, running: false, last_error: expect.stringMatching(/server_error/) });

  // Helius is back, but the backoff holds: a direct call asks nothing, and says until when.
  await replayControl({ reset: true });
  await sql`select walltrack.set_wallet_active(${address}, false)`;
  await sql`select walltrack.set_wallet_active(${address}, true)`;
  expect(await sync()).toMatchObject({ skipped: true, reason: "backing_off", failures: 1, next_attempt_at: expect.any(String) });
  expect((await helius()).calls).toEqual([]);

  // The minute passes (moved by hand): the next sync recovers and the backoff resets.
  await sql`update walltrack.config set helius_sync_next_attempt_at = now() - interval '1 second'`;
  expect(await sync()).toMatchObject({ skipped: false, created: true });
  const [after] = await sql`select helius_sync_status from walltrack.wallets where address = ${address}`;
  expect(after.helius_sync_status).toBe("synced");
  const [reset] = await sql`select helius_sync_failures, helius_sync_next_attempt_at, helius_sync_last_error from walltrack.config`;
  expect(reset).toEqual({ helius_sync_failures: 0, helius_sync_next_attempt_at: null, helius_sync_last_error: null });
});

test("30 concurrent syncs create exactly one Helius webhook; the others see it running", async () => {
  // Helius answers slowly, so every call arrives while the first is still talking to it.
  await replayControl({ reset: true, delays: { helius: 300 } });
  await addWallet();
  const reports = await Promise.all(Array.from({ length: 30 }, () => sync()));
  const { calls, webhooks } = await helius();
  expect(calls.filter((c) => c.method === "POST")).toHaveLength(1);
  expect(webhooks).toHaveLength(1);
  expect(reports.filter((r) => r.created)).toHaveLength(1);
  // Every other call stood aside: another sync was running, or it was already done.
  expect(reports.filter((r) => !r.created).every((r) => r.skipped && ["running", "nothing_pending"].includes(r.reason))).toBe(true);
  expect(reports.some((r) => r.reason === "running")).toBe(true);
  const [config] = await sql`select helius_webhook_id, helius_sync_lease from walltrack.config`;
  expect(config).toEqual({ helius_webhook_id: webhooks[0].webhookID, helius_sync_lease: null });
});
