// Notifications through the running stack: a leader's real PumpSwap BUY and SELL, delivered by the
// Helius webhook, open and close a simulated position; the outbox rows the database writes on the
// way are delivered by the notification-dispatcher to the replays of Telegram (Bot API), Discord
// (execute webhook) and the signed JSON webhook, each message once per channel at its level. Then a
// second trade while Telegram is down (502) and Discord answers a 429 with retry_after: the webhook
// gets its messages at once, the others once the channels are back, and no message arrives twice
// although pg_cron's own job dispatches too, all along.
import { afterAll, beforeAll, expect, test } from "vitest";
import { verifyWebhookSignature } from "../../supabase/functions/_shared/notify.ts";
import type { ReceivedNotification } from "../support/replay.ts";
import { fixtureText } from "../fixtures/shared.ts";
import {
  adaptedFixture, callFunction, connect, freshAddress, freshSignature, liftExposureLimits, postWebhook, replayControl, stack, waitUntil,
} from "./stack.ts";

const sql = connect();
const webhookSecret = process.env.WALLTRACK_TEST_NOTIFY_WEBHOOK_SECRET ?? "";

beforeAll(async () => {
  await liftExposureLimits(sql);
  await replayControl({ reset: true });
  // The operator turns the channels on: Telegram and the webhook get every event, Discord the
  // important and critical ones.
  await sql`update walltrack.notification_channels set is_enabled = true, paused_until = null, rate_limit_per_minute = 60,
              level = case channel when 'discord' then 'important' else 'all' end`;
});
afterAll(async () => {
  await sql`update walltrack.notification_channels set is_enabled = false, paused_until = null`;
  // What other files' trades wrote meanwhile stays out of their way.
  await sql`delete from walltrack.notification_deliveries where status = 'pending'`;
  // The two losing closes here count toward the breaker (consecutive losses, win rate) of every later
  // file: leave a fresh start, as an operator's reset does.
  await sql`select walltrack.reset_circuit_breaker()`;
  await sql`select walltrack.activate_circuit_breaker('manual', 'simulation')`;
  await sql`select walltrack.reset_circuit_breaker()`;
  await sql.end();
});

const TRADER = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
const BUY_MINT = "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy";
const SELL_MINT = "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump";

function payload(name: string, wallet: string, mint: string, tokenMint: string) {
  const [original] = adaptedFixture(name, {}) as { signature: string }[];
  const body = adaptedFixture(name, { [TRADER]: wallet, [tokenMint]: mint, [original.signature]: freshSignature() });
  (body[0] as Record<string, unknown>).timestamp = Math.floor(Date.now() / 1000) - 1;
  return body as { signature: string }[];
}

// A leader buys and sells a fresh token through the webhook: our position opens, mirrors out, closes.
async function trade(): Promise<{ positionId: string; symbol: string }> {
  const leader = freshAddress();
  const mint = freshAddress();
  await sql`insert into walltrack.wallets (address, label, exit_strategy_id)
            select ${leader}, 'notify leader', id from walltrack.exit_strategies where name = 'Default'`;
  expect((await postWebhook(payload("pump-amm-buy.sniper.json", leader, mint, BUY_MINT))).status).toBe(200);
  const position = await waitUntil("the BUY to open a position", async () => {
    const rows = await sql`select p.id, coalesce(t.symbol, walltrack.short_address(t.address)) as symbol
                             from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
                            where t.address = ${mint} and p.entry_price is not null`;
    return rows[0];
  });
  expect((await postWebhook(payload("pump-amm-sell.sniper.json", leader, mint, SELL_MINT))).status).toBe(200);
  await waitUntil("the mirror exit to close it", async () => {
    const [row] = await sql`select status from walltrack.positions where id = ${position.id}`;
    return row.status === "closed";
  });
  return { positionId: position.id, symbol: position.symbol };
}

const received = async (): Promise<ReceivedNotification[]> => await (await fetch(`${stack.replayUrl}/__control/notifications`)).json();

const dispatch = async () => {
  const response = await callFunction("notification-dispatcher");
  expect(response.status).toBe(200);
  return await response.json();
};

// What each channel received about one trade, in words: "<event>" for the webhook (its JSON),
// the title line for Telegram and Discord (their text).
async function about({ positionId, symbol }: { positionId: string; symbol: string }) {
  const all = await received();
  const text = (n: ReceivedNotification) => JSON.parse(n.body)[n.service === "telegram" ? "text" : "content"] as string;
  return {
    telegram: all.filter((n) => n.service === "telegram" && text(n).includes(` ${symbol} (`)).map((n) => text(n).split("\n")[0]),
    discord: all.filter((n) => n.service === "discord" && text(n).includes(` ${symbol} (`)).map((n) => text(n).split("\n")[0]),
    webhook: all.filter((n) => n.service === "notify-webhook" && JSON.parse(n.body).details.position_id === positionId),
  };
}

// The leader's SELL is a price too (walltrack.apply_swap_prices): at 2x it fires the Default
// strategy's first scale-out, and the mirror exit sells what that leaves: two exits, two fills,
// whose PnLs add up to the position's, to the last digit.
async function expectedTitles({ positionId, symbol }: { positionId: string; symbol: string }) {
  const [{ pnl, exact }] = await sql`select walltrack.usd(realized_pnl_usd) as pnl, realized_pnl_usd::text as exact
                                       from walltrack.positions where id = ${positionId}`;
  const fills = await sql`select walltrack.usd((details ->> 'exit_pnl_usd')::numeric) as pnl, details ->> 'exit_pnl_usd' as exact
                            from walltrack.notifications where event_type = 'exit_filled' and details ->> 'position_id' = ${positionId}`;
  expect(fills).toHaveLength(2);
  const [{ sum }] = await sql`select (${fills[0].exact}::numeric + ${fills[1].exact}::numeric)::text as sum`;
  expect(sum).toBe(exact);
  const filled = fills.map((f) => `[important] WallTrack: Exit filled ${symbol} (simulation): ${f.pnl}`);
  const closed = `[important] WallTrack: Closed ${symbol} (simulation, mirror): ${pnl}`;
  return {
    all: [
      `[info] WallTrack: Opened ${symbol} (simulation)`,
      `[info] WallTrack: scaling exit fired: ${symbol} (simulation)`,
      `[info] WallTrack: mirror exit fired: ${symbol} (simulation)`,
      ...filled,
      closed,
    ],
    important: [...filled, closed],
  };
}
const EVENTS = ["exit_filled", "exit_filled", "exit_fired", "exit_fired", "position_closed", "position_opened"];

test("a trade walked through the stack reaches Telegram, Discord and the signed webhook, each message once at its level", async () => {
  const first = await trade();
  await waitUntil("every channel to have the trade", async () => {
    await dispatch();
    const now = await about(first);
    return now.telegram.length >= 6 && now.discord.length >= 3 && now.webhook.length >= 6;
  }, 20_000);
  const expected = await expectedTitles(first);
  const got = await about(first);
  expect([...got.telegram].sort()).toEqual([...expected.all].sort());
  expect([...got.discord].sort()).toEqual([...expected.important].sort());
  expect(got.webhook.map((n) => JSON.parse(n.body).event_type).sort()).toEqual(EVENTS);

  // The webhook as its receiver checks it: signed over timestamp and raw body, one delivery id each.
  for (const n of got.webhook) {
    expect(await verifyWebhookSignature(webhookSecret, n.headers["x-walltrack-signature"], n.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(n.headers["x-walltrack-delivery"]).toBe(JSON.parse(n.body).id);
  }
  // The closing message carries the position's exact PnL.
  const closed = got.webhook.map((n) => JSON.parse(n.body)).find((b) => b.event_type === "position_closed");
  const [{ realized }] = await sql`select realized_pnl_usd::text as realized from walltrack.positions where id = ${first.positionId}`;
  expect(closed.details.realized_pnl_usd).toBe(realized);

  // Telegram's requests went to the bot's sendMessage with the configured chat; Discord's waited.
  const raw = await received();
  expect(raw.filter((n) => n.service === "telegram").every((n) => /^\/telegram\/bot\d+:[\w-]+\/sendMessage$/.test(n.path)
    && JSON.parse(n.body).chat_id === "-100123456789")).toBe(true);
  expect(raw.filter((n) => n.service === "discord").every((n) => n.path.includes("wait=true"))).toBe(true);

  // Delivered is recorded per channel.
  const deliveries = await sql`select d.channel, d.status from walltrack.notification_deliveries d
                                 join walltrack.notifications n on n.id = d.notification_id
                                where n.details ->> 'position_id' = ${first.positionId} order by 1, 2`;
  expect(deliveries.every((d) => d.status === "delivered")).toBe(true);
  expect(deliveries.filter((d) => d.channel === "discord")).toHaveLength(3);
}, 60_000);

test("while Telegram is down and Discord rate-limits, nothing is lost and nothing arrives twice", async () => {
  // Telegram answers 502 (its recorded Bad Gateway) until it is back; Discord answers one 429.
  await replayControl({ faults: {
    telegram: { status: 502, body: fixtureText("telegram/sendMessage-502-bad-gateway.journal-capture.json") },
    discord: { status: 429, body: fixtureText("discord/execute-webhook-429-short.json"), times: 1 },
  } });
  const second = await trade();
  await waitUntil("the webhook to have the second trade", async () => {
    await dispatch();
    return (await about(second)).webhook.length >= 6;
  }, 20_000);
  expect((await about(second)).telegram).toEqual([]);
  const [telegram] = await sql`select d.status, d.last_status_code, d.last_error from walltrack.notification_deliveries d
                                 join walltrack.notifications n on n.id = d.notification_id
                                where n.details ->> 'position_id' = ${second.positionId} and d.channel = 'telegram'
                                order by d.last_attempt_at desc nulls last limit 1`;
  expect(telegram).toMatchObject({ status: "pending" });
  const status = await sql`select walltrack.notifications_status() -> 'channels' -> 'telegram' as telegram`;
  expect(Number(status[0].telegram.pending)).toBeGreaterThanOrEqual(6);

  // Telegram is back (an empty fault is none); after the backoff (15 s after a first failure)
  // everything waiting goes out.
  await replayControl({ faults: { telegram: {}, discord: {} } });
  await waitUntil("Telegram and Discord to catch up", async () => {
    await dispatch();
    const now = await about(second);
    return now.telegram.length >= 6 && now.discord.length >= 3;
  }, 45_000);
  // One more run finds nothing to send again.
  await dispatch();
  const expected = await expectedTitles(second);
  const got = await about(second);
  expect([...got.telegram].sort()).toEqual([...expected.all].sort());
  expect([...got.discord].sort()).toEqual([...expected.important].sort());
  expect(got.webhook.map((n) => JSON.parse(n.body).event_type).sort()).toEqual(EVENTS);
  const counts = await sql`select d.channel, count(*)::int as delivered from walltrack.notification_deliveries d
                             join walltrack.notifications n on n.id = d.notification_id
                            where n.details ->> 'position_id' = ${second.positionId} and d.status = 'delivered'
                            group by 1 order by 1`;
  expect(counts).toEqual([{ channel: "discord", delivered: 3 }, { channel: "telegram", delivered: 6 }, { channel: "webhook", delivered: 6 }]);
}, 90_000);
