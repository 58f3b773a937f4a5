// The Helius address sync through the running stack, against a replay of Helius's webhook API that
// records every call: nothing when nothing is pending; create the global webhook when config has
// none; otherwise GET, merge and PUT the full object with every active address; failures recorded.
import { afterAll, beforeEach, expect, test } from "vitest";
import { callFunction, connect, freshAddress, replayControl, stack } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

type HeliusState = { calls: { method: string; path: string; body: Record<string, unknown> }[]; webhooks: Record<string, unknown>[] };
const helius = async (): Promise<HeliusState> => (await fetch(`${stack.replayUrl}/__control/helius`)).json();

beforeEach(async () => {
  await replayControl({ reset: true });
  await sql`update walltrack.config set helius_webhook_id = null, helius_webhook_url = null`;
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
  expect(await sync()).toEqual({ skipped: true });
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

test("a Helius failure marks the pending wallets error with the message, never the API key", async () => {
  await replayControl({ faults: { helius: { status: 500, body: '{"error":"internal"}' } } });
  const address = await addWallet();
  const report = await sync();
  expect(report.error).toMatch(/helius: server_error/);
  const [wallet] = await sql`select helius_sync_status, helius_sync_error from walltrack.wallets where address = ${address}`;
  expect(wallet.helius_sync_status).toBe("error");
  expect(wallet.helius_sync_error).toMatch(/server_error/);
  expect(wallet.helius_sync_error).not.toContain("test-helius-key");
  // Reactivation makes it pending again and the next sync recovers.
  await replayControl({ reset: true });
  await sql`select walltrack.set_wallet_active(${address}, false)`;
  await sql`select walltrack.set_wallet_active(${address}, true)`;
  expect(await sync()).toMatchObject({ skipped: false });
  const [after] = await sql`select helius_sync_status from walltrack.wallets where address = ${address}`;
  expect(after.helius_sync_status).toBe("synced");
});
