// ADR-012 through the running stack: every internal function refuses the anon key, a user's JWT,
// a wrong secret and no credential with 401 JSON and does nothing (the work waiting for it stays
// waiting, no external API is called), then does that same work for a server-side secret: the
// service_role key, an sb_secret_ key (SUPABASE_SECRET_KEYS) or WALLTRACK_INTERNAL_SECRET.
// health answers anyone holding the anon key with up/down only, the details to a secret holder.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LOCAL_JWT_SECRET, signJwt } from "../../scripts/embedded/jwt.ts";
import {
  connect, copyBuy, freshAddress, freshSignature, liftExposureLimits, positionAtOneDollar, replayControl, replayRequests, stack, walletAndSafeToken, WSOL,
} from "./stack.ts";

const sql = connect();
type Headers = Record<string, string>;
let refused: [string, Headers][];

// pg_cron would do the waiting work on its own within a minute (that is its job): pause the
// WallTrack jobs while this file proves that a refused call did not do it.
beforeAll(async () => {
  await liftExposureLimits(sql);
  await sql`select cron.alter_job(jobid, active := false) from cron.job where jobname like 'walltrack-%'`;
  const userJwt = await signJwt({ sub: randomUUID(), role: "authenticated", aud: "authenticated",
    exp: Math.floor(Date.now() / 1000) + 3600 }, LOCAL_JWT_SECRET);
  refused = [
    ["the anon key", { authorization: `Bearer ${stack.anonKey}`, apikey: stack.anonKey }],
    ["a user's JWT", { authorization: `Bearer ${userJwt}`, apikey: stack.anonKey }],
    ["a wrong secret", { authorization: `Bearer sb_secret_${randomUUID().replaceAll("-", "")}` }],
    ["a wrong secret in apikey", { apikey: `${stack.serviceRoleKey}x` }],
    ["no credential", {}],
  ];
});
afterAll(async () => {
  await sql`select cron.alter_job(jobid, active := true) from cron.job where jobname like 'walltrack-%'`;
  await sql.end();
});

const post = (name: string, headers: Headers) =>
  fetch(`${stack.functionsUrl}/${name}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });

const accepted = (): [string, Headers][] => [
  ["an sb_secret_ key", { authorization: `Bearer ${stack.sbSecretKey}` }],
  ["the service_role key", { authorization: `Bearer ${stack.serviceRoleKey}` }],
  ["WALLTRACK_INTERNAL_SECRET in apikey", { apikey: stack.internalSecret }],
];

// Every refused credential: 401, a JSON error saying what is needed; then the waiting work is
// still waiting and no external API was asked anything. `replay` is what an accepted call would find.
async function expectAllRefused(name: string, untouched: () => Promise<void>, replay: Record<string, unknown> = {}) {
  await replayControl({ reset: true, ...replay });
  for (const [what, headers] of refused) {
    const response = await post(name, headers);
    expect(response.status, `${name} with ${what}`).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect((await response.json()).error, `${name} with ${what}`).toMatch(/server-side secret/);
  }
  await untouched();
  expect(await replayRequests()).toEqual([]);
}

async function expectAllAccepted(name: string) {
  for (const [what, headers] of accepted()) {
    const response = await post(name, headers);
    expect(response.status, `${name} with ${what}`).toBe(200);
  }
}

// Requests queued by earlier files (pg_net sends after commit, and an executor run claims every due
// order) must be delivered and answered before a waiting order can prove a refused call did nothing.
async function settled() {
  let quietSince = Date.now();
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const [{ queued }] = await sql`select count(*)::int as queued from net.http_request_queue`;
    if (queued > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 2_000) return;
  }
  throw new Error("pg_net's queue never emptied");
}

describe("order-executor", () => {
  test("refused credentials claim no order; a server-side secret executes the waiting exit", async () => {
    await settled();
    const { wallet, mint } = await walletAndSafeToken(sql, "simulation");
    // A simulated entry fills at once; its manual exit waits for the executor. Created without the
    // trigger's kick, so only a call of ours can run the executor.
    const signalId = await copyBuy(sql, wallet, mint);
    await sql.begin(async (tx) => {
      await tx`select set_config('walltrack.order_executor_kicked', 'yes', true)`;
      await tx`select walltrack.close_position_manually(p.id) from walltrack.positions p where p.signal_id = ${signalId}`;
    });
    const order = async () => (await sql`select o.status, o.claimed_until, o.retry_count from walltrack.orders o
      join walltrack.positions p on p.id = o.position_id where p.signal_id = ${signalId} and o.order_type <> 'entry'`)[0];
    expect(await order()).toMatchObject({ status: "pending", claimed_until: null, retry_count: 0 });

    await expectAllRefused("order-executor", async () => {
      expect(await order()).toMatchObject({ status: "pending", claimed_until: null, retry_count: 0 });
    });
    await expectAllAccepted("order-executor");
    expect((await order()).status).toBe("executed");
  });
});

describe("price-monitor", () => {
  test("refused credentials sample no price; a server-side secret applies the replayed price", async () => {
    const { mint, positionId } = await positionAtOneDollar(sql);
    const price = async () => (await sql`select current_price from walltrack.positions where id = ${positionId}`)[0].current_price;
    const before = await price();

    await expectAllRefused("price-monitor", async () => {
      expect(await price()).toBe(before);
    }, { prices: { [mint]: "1.1" } });
    await expectAllAccepted("price-monitor");
    expect(await price()).toBe("1.1");
  });
});

describe("signal-processor", () => {
  test("refused credentials process no signal; a server-side secret processes it", async () => {
    const { wallet, mint } = await walletAndSafeToken(sql, "simulation");
    const [{ recorded }] = await sql`select walltrack.record_signals(${sql.json({
      received_at: new Date().toISOString(), transactions: [],
      signals: [{ wallet, signal_type: "BUY", token_mint: mint, token_decimals: 6, token_in: WSOL, token_out: mint,
        amount_in: "1", amount_out: "1000000", price: "0.000001", price_all_in: "0.000001", price_usd: null,
        transaction_signature: freshSignature(), slot: 1, block_time: Math.floor(Date.now() / 1000) }],
    })}) as recorded`;
    const [id] = recorded.recorded as string[];
    const processedAt = async () => (await sql`select processed_at from walltrack.signals where id = ${id}`)[0].processed_at;

    await expectAllRefused("signal-processor", async () => {
      expect(await processedAt()).toBeNull();
    });
    await expectAllAccepted("signal-processor");
    expect(await processedAt()).not.toBeNull();
  });
});

describe("helius-sync", () => {
  test("refused credentials call Helius never; a server-side secret pushes the pending wallet", async () => {
    await sql`update walltrack.config set helius_webhook_id = null, helius_sync_next_attempt_at = null, helius_sync_failures = 0`;
    const address = freshAddress();
    await sql`select walltrack.add_wallet(${address}, 'auth test')`;
    const status = async () => (await sql`select helius_sync_status from walltrack.wallets where address = ${address}`)[0].helius_sync_status;

    await expectAllRefused("helius-sync", async () => {
      expect(await status()).toBe("pending");
      const heliusState = await (await fetch(`${stack.replayUrl}/__control/helius`)).json();
      expect(heliusState.calls).toEqual([]);
    });
    await expectAllAccepted("helius-sync");
    expect(await status()).toBe("synced");
  });
});

describe("notification-dispatcher", () => {
  test("refused credentials send nothing; a server-side secret delivers the pending notification", async () => {
    await sql`update walltrack.notification_channels set is_enabled = (channel = 'webhook'), level = 'all', paused_until = null`;
    await sql`delete from walltrack.notification_deliveries where status = 'pending'`;
    const key = `auth-test:${randomUUID()}`;
    await sql`insert into walltrack.notifications (event_type, severity, title, body, dedupe_key) values ('exit_fired', 'info', 'auth test', 'b', ${key})`;
    const status = async () => (await sql`select d.status from walltrack.notification_deliveries d
                                           join walltrack.notifications n on n.id = d.notification_id where n.dedupe_key = ${key}`)[0].status;
    try {
      await expectAllRefused("notification-dispatcher", async () => {
        expect(await status()).toBe("pending");
      });
      await expectAllAccepted("notification-dispatcher");
      expect(await status()).toBe("delivered");
    } finally {
      await sql`update walltrack.notification_channels set is_enabled = false`;
    }
  });
});

describe("health", () => {
  const health = (headers: Headers) => fetch(`${stack.functionsUrl}/health`, { headers });

  test("public: no credential, the anon key, a user's JWT or a wrong secret get up/down only, no internal detail", async () => {
    for (const [what, headers] of refused) {
      const response = await health(headers);
      const body = await response.json();
      expect(Object.keys(body), what).toEqual(["status"]);
      expect(response.status, what).toBe(body.status === "ok" ? 200 : 503);
    }
  });

  test("a server-side secret gets the details", async () => {
    for (const [what, headers] of accepted()) {
      const body = await (await health(headers)).json();
      expect(body, what).toMatchObject({ database: "ok", config: true, migration: expect.any(String) });
    }
  });
});
