// The notification channels' side of the dispatcher (supabase/functions/_shared/notify.ts): which
// channels the environment configures, what each request looks like, how each recorded answer of
// Telegram and Discord is read (ok, refusals, 429 with retry_after), the webhook's HMAC signature as
// a receiver verifies it, and that no outcome ever carries a credential.
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  type Claimed, configuredChannels, deliverOne, messageText, prepareRequest, readAnswer, readNotifySettings, signWebhook,
  verifyWebhookSignature, webhookPayload,
} from "../../supabase/functions/_shared/notify.ts";
import { fixtureText } from "../fixtures/shared.ts";

const TOKEN = "7000000001:AAFakeTokenForTests_abcdefghijklmnop";
const DISCORD_TOKEN = "discord-token-for-tests-abcdefghijklmnopqrstuvwxyz";
const env = {
  TELEGRAM_API_URL: "http://replay.test/telegram/",
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_CHAT_ID: "-100123456789",
  DISCORD_WEBHOOK_URL: `http://replay.test/discord/api/webhooks/1234567890123456789/${DISCORD_TOKEN}`,
  WALLTRACK_WEBHOOK_URL: "http://replay.test/notify-webhook/walltrack",
  WALLTRACK_WEBHOOK_SECRET: "whsec-for-tests",
};
const settings = readNotifySettings(env);

const claimed = (channel: Claimed["channel"], over: Partial<Claimed> = {}): Claimed => ({
  notification_id: "0b7c8f6e-1111-4222-8333-444455556666", channel, claim_token: "9a7c8f6e-1111-4222-8333-444455556666", attempts: 1,
  event_type: "position_closed", severity: "important", title: "Closed BONK (simulation, stop_loss): -20.00 USD",
  body: "Position copied from leader closed by stop_loss.", details: { realized_pnl_usd: "-20.000000001" },
  created_at: new Date("2026-12-05T10:00:00Z"), ...over,
});

const answer = (status: number, body: string | null, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "content-type": "application/json", ...headers } });

describe("settings", () => {
  test("a channel is configured only with all its credentials; the webhook never without its secret", () => {
    expect(configuredChannels(settings)).toEqual(["telegram", "discord", "webhook"]);
    expect(settings.telegram?.apiUrl).toBe("http://replay.test/telegram");
    expect(configuredChannels(readNotifySettings({ TELEGRAM_BOT_TOKEN: TOKEN }))).toEqual([]);
    expect(configuredChannels(readNotifySettings({ WALLTRACK_WEBHOOK_URL: env.WALLTRACK_WEBHOOK_URL }))).toEqual([]);
    expect(configuredChannels(readNotifySettings({ DISCORD_WEBHOOK_URL: " " }))).toEqual([]);
    expect(readNotifySettings({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_CHAT_ID: "1" }).telegram?.apiUrl).toBe("https://api.telegram.org");
  });
});

describe("requests", () => {
  test("Telegram: sendMessage of the bot, plain text to the chat", async () => {
    const { url, init } = await prepareRequest(settings, claimed("telegram"), 1_700_000_000);
    expect(url).toBe(`http://replay.test/telegram/bot${TOKEN}/sendMessage`);
    const body = JSON.parse(init.body as string);
    expect(body).toEqual({ chat_id: "-100123456789", text: "[important] WallTrack: Closed BONK (simulation, stop_loss): -20.00 USD\nPosition copied from leader closed by stop_loss.", disable_web_page_preview: true });
    expect(body.parse_mode).toBeUndefined();
  });

  test("Discord: the webhook with wait=true, no mention ever pinged, content within 2,000 characters", async () => {
    const { url, init } = await prepareRequest(settings, claimed("discord", { body: "x".repeat(5000) }), 1_700_000_000);
    expect(new URL(url).searchParams.get("wait")).toBe("true");
    const body = JSON.parse(init.body as string);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toHaveLength(2000);
    expect(body.content.endsWith("…")).toBe(true);
  });

  test("webhook: the notification as JSON, its id and type in headers, signed over timestamp and body", async () => {
    const n = claimed("webhook");
    const { url, init } = await prepareRequest(settings, n, 1_700_000_000);
    const headers = init.headers as Record<string, string>;
    expect(url).toBe(env.WALLTRACK_WEBHOOK_URL);
    expect(headers["x-walltrack-delivery"]).toBe(n.notification_id);
    expect(headers["x-walltrack-event"]).toBe("position_closed");
    expect(JSON.parse(init.body as string)).toEqual({ id: n.notification_id, event_type: "position_closed", severity: "important",
      title: n.title, body: n.body, details: { realized_pnl_usd: "-20.000000001" }, created_at: "2026-12-05T10:00:00.000Z" });
    // What the README tells a receiver to compute, with Node's own HMAC.
    const expected = createHmac("sha256", "whsec-for-tests").update(`1700000000.${init.body}`).digest("hex");
    expect(headers["x-walltrack-signature"]).toBe(`t=1700000000,v1=${expected}`);
  });

  test("messages longer than the limit are cut, shorter ones kept whole", () => {
    expect(messageText({ severity: "critical", title: "T", body: "B" }, 100)).toBe("[CRITICAL] WallTrack: T\nB");
    expect(messageText({ severity: "info", title: "T", body: "B".repeat(200) }, 50)).toHaveLength(50);
  });
});

describe("webhook signature, as a receiver checks it", () => {
  test("accepts the signed body within the tolerance; refuses a changed body, another secret, an old or malformed header", async () => {
    const body = webhookPayload(claimed("webhook"));
    const header = await signWebhook("whsec-for-tests", 1_700_000_000, body);
    expect(await verifyWebhookSignature("whsec-for-tests", header, body, 1_700_000_100)).toBe(true);
    expect(await verifyWebhookSignature("whsec-for-tests", header, body.replace("-20", "+20"), 1_700_000_100)).toBe(false);
    expect(await verifyWebhookSignature("another-secret", header, body, 1_700_000_100)).toBe(false);
    expect(await verifyWebhookSignature("whsec-for-tests", header, body, 1_700_000_301)).toBe(false);
    expect(await verifyWebhookSignature("whsec-for-tests", null, body, 1_700_000_000)).toBe(false);
    expect(await verifyWebhookSignature("whsec-for-tests", "t=1700000000,v1=zz", body, 1_700_000_000)).toBe(false);
  });
});

describe("answers, from the recorded responses", () => {
  test("Telegram ok", async () => {
    expect(await readAnswer("telegram", answer(200, fixtureText("telegram/sendMessage-ok.recorded-2021.json"))))
      .toEqual({ ok: true, status_code: 200, error: null, retryable: false, retry_after_seconds: null });
  });

  test("Telegram 429: retried after parameters.retry_after", async () => {
    expect(await readAnswer("telegram", answer(429, fixtureText("telegram/sendMessage-429-retry-after.journal-capture.json"))))
      .toEqual({ ok: false, status_code: 429, error: "telegram: Too Many Requests: retry after 5", retryable: true, retry_after_seconds: 5 });
  });

  test("Telegram 502 is an outage (retried); 400 chat not found and 401 are refusals (counted)", async () => {
    expect(await readAnswer("telegram", answer(502, fixtureText("telegram/sendMessage-502-bad-gateway.journal-capture.json"))))
      .toMatchObject({ ok: false, retryable: true, error: "telegram: Bad Gateway" });
    expect(await readAnswer("telegram", answer(400, fixtureText("telegram/sendMessage-400-chat-not-found.json"))))
      .toMatchObject({ ok: false, retryable: false, status_code: 400, error: "telegram: Bad Request: chat not found" });
    expect(await readAnswer("telegram", answer(401, fixtureText("telegram/sendMessage-401-unauthorized.json"))))
      .toMatchObject({ ok: false, retryable: false, error: "telegram: Unauthorized" });
  });

  test("Discord 429: retry_after in seconds (a float) from the body, else the Retry-After header", async () => {
    expect(await readAnswer("discord", answer(429, fixtureText("discord/execute-webhook-429-user.discord-docs.json"), { "retry-after": "65" })))
      .toEqual({ ok: false, status_code: 429, error: "discord: You are being rate limited.", retryable: true, retry_after_seconds: 64.57 });
    expect(await readAnswer("discord", answer(429, "<html>slow down</html>", { "retry-after": "65" })))
      .toMatchObject({ retryable: true, retry_after_seconds: 65, error: "discord: HTTP 429" });
  });

  test("Discord 200 (wait=true) and 204 are delivered; 404 Unknown Webhook is a refusal", async () => {
    expect((await readAnswer("discord", answer(200, JSON.stringify({ id: "1", type: 0 })))).ok).toBe(true);
    expect((await readAnswer("discord", answer(204, null))).ok).toBe(true);
    expect(await readAnswer("discord", answer(404, fixtureText("discord/execute-webhook-404-unknown-webhook.json"))))
      .toMatchObject({ ok: false, retryable: false, status_code: 404, error: "discord: Unknown Webhook" });
  });

  test("the webhook: 2xx delivered, 5xx and 408 retried, 4xx counted", async () => {
    expect((await readAnswer("webhook", answer(204, null))).ok).toBe(true);
    expect(await readAnswer("webhook", answer(503, "down"))).toMatchObject({ ok: false, retryable: true });
    expect(await readAnswer("webhook", answer(408, ""))).toMatchObject({ ok: false, retryable: true });
    expect(await readAnswer("webhook", answer(403, ""))).toMatchObject({ ok: false, retryable: false });
  });
});

describe("outcomes never carry a credential", () => {
  test("a network error quoting the URL (as fetch's errors do) is recorded without it", async () => {
    for (const channel of ["telegram", "discord"] as const) {
      const failing = async (input: string | URL | Request) => {
        throw new TypeError(`error sending request for url (${String(input)}): connection refused`);
      };
      const outcome = await deliverOne(settings, claimed(channel), failing, 1_700_000_000);
      expect(outcome).toMatchObject({ ok: false, retryable: true, status_code: null });
      expect(JSON.stringify(outcome)).not.toContain(TOKEN);
      expect(JSON.stringify(outcome)).not.toContain(DISCORD_TOKEN);
    }
  });

  test("a timeout is an outage, said in words", async () => {
    const slow = (_input: string | URL | Request, init?: RequestInit) => new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
    });
    const outcome = await deliverOne({ ...settings, timeoutMs: 20 }, claimed("webhook"), slow, 1_700_000_000);
    expect(outcome).toMatchObject({ ok: false, retryable: true, error: "webhook: no answer within 20 ms" });
  });
});
