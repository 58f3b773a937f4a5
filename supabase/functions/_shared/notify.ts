// Delivers the notifications outbox (walltrack.notifications) to Telegram (Bot API sendMessage),
// Discord (a channel webhook) and a generic JSON webhook signed with HMAC-SHA256. The database
// decides what is due (claim: rate limit, backoff, lease); this module only sends and reports what
// each channel answered (record). A channel is used only when all its credentials are in the
// environment; they go into requests and nowhere else: no outcome, error or log line holds a URL or
// a token (Telegram's and Discord's URLs contain their secrets).
// Pure (no Deno globals, WebCrypto and fetch only): vitest imports it as is.
import type { JSONValue, Sql } from "postgres";

export type Env = Record<string, string | undefined>;
export type Channel = "telegram" | "discord" | "webhook";
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export type NotifySettings = {
  telegram: { apiUrl: string; botToken: string; chatId: string } | null;
  discord: { webhookUrl: string } | null;
  webhook: { url: string; secret: string } | null;
  timeoutMs: number;
};

// What walltrack.claim_notification_deliveries hands out.
export type Claimed = {
  notification_id: string;
  channel: Channel;
  claim_token: string;
  attempts: number;
  event_type: string;
  severity: "info" | "important" | "critical";
  title: string;
  body: string;
  details: Record<string, unknown>;
  created_at: string | Date;
};

// What walltrack.record_notification_deliveries takes back.
export type Outcome = {
  notification_id: string;
  channel: Channel;
  claim_token: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
  retryable: boolean;
  retry_after_seconds: number | null;
};

export type Answer = Pick<Outcome, "ok" | "status_code" | "error" | "retryable" | "retry_after_seconds">;

const trimSlash = (url: string) => url.replace(/\/+$/, "");
const present = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : null);

export function readNotifySettings(env: Env): NotifySettings {
  const botToken = present(env.TELEGRAM_BOT_TOKEN);
  const chatId = present(env.TELEGRAM_CHAT_ID);
  const discordUrl = present(env.DISCORD_WEBHOOK_URL);
  const webhookUrl = present(env.WALLTRACK_WEBHOOK_URL);
  const webhookSecret = present(env.WALLTRACK_WEBHOOK_SECRET);
  const timeout = Number(env.NOTIFY_TIMEOUT_MS ?? "");
  return {
    telegram: botToken && chatId ? { apiUrl: trimSlash(present(env.TELEGRAM_API_URL) ?? "https://api.telegram.org"), botToken, chatId } : null,
    discord: discordUrl ? { webhookUrl: discordUrl } : null,
    // An unsigned webhook would let anyone who learns the URL forge events: no secret, no channel.
    webhook: webhookUrl && webhookSecret ? { url: webhookUrl, secret: webhookSecret } : null,
    timeoutMs: Number.isSafeInteger(timeout) && timeout > 0 ? timeout : 10_000,
  };
}

export function configuredChannels(settings: NotifySettings): Channel[] {
  return (["telegram", "discord", "webhook"] as const).filter((channel) => settings[channel] !== null);
}

const MARK: Record<Claimed["severity"], string> = { info: "[info]", important: "[important]", critical: "[CRITICAL]" };

// The text a person reads (Telegram and Discord): severity, title, then the facts. Plain text, no
// parse mode: a token's symbol is never read as markup.
export function messageText(n: Pick<Claimed, "severity" | "title" | "body">, limit: number): string {
  const text = `${MARK[n.severity]} WallTrack: ${n.title}\n${n.body}`;
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

// What the signed webhook receives.
export function webhookPayload(n: Claimed): string {
  const createdAt = n.created_at instanceof Date ? n.created_at.toISOString() : n.created_at;
  return JSON.stringify({
    id: n.notification_id, event_type: n.event_type, severity: n.severity, title: n.title, body: n.body,
    details: n.details, created_at: createdAt,
  });
}

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function hmacKey(secret: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

// X-WallTrack-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. The
// timestamp is signed with the body, so a captured request cannot be replayed later than the
// receiver's tolerance.
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${timestamp}.${body}`));
  return `t=${timestamp},v1=${hex(mac)}`;
}

// The receiver's check, as the README documents it: the signature over the raw body, and a
// timestamp within the tolerance. crypto.subtle.verify compares in constant time.
export async function verifyWebhookSignature(secret: string, header: string | null, body: string, nowSeconds: number, toleranceSeconds = 300): Promise<boolean> {
  const parts = Object.fromEntries((header ?? "").split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isSafeInteger(timestamp) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? "")) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const mac = new Uint8Array(parts.v1.match(/../g)!.map((byte) => parseInt(byte, 16)));
  return await crypto.subtle.verify("HMAC", await hmacKey(secret), mac, encoder.encode(`${timestamp}.${body}`));
}

export type PreparedRequest = { url: string; init: RequestInit };

export async function prepareRequest(settings: NotifySettings, n: Claimed, nowSeconds: number): Promise<PreparedRequest> {
  const json = { "content-type": "application/json" };
  if (n.channel === "telegram" && settings.telegram) {
    const { apiUrl, botToken, chatId } = settings.telegram;
    return {
      url: `${apiUrl}/bot${botToken}/sendMessage`,
      init: { method: "POST", headers: json, body: JSON.stringify({ chat_id: chatId, text: messageText(n, 4096), disable_web_page_preview: true }) },
    };
  }
  if (n.channel === "discord" && settings.discord) {
    // wait=true: Discord answers once the message is saved ("when false a message that is not saved
    // does not return an error"), so a 200 means delivered. No mention is ever pinged.
    const url = new URL(settings.discord.webhookUrl);
    url.searchParams.set("wait", "true");
    return {
      url: url.toString(),
      init: { method: "POST", headers: json, body: JSON.stringify({ content: messageText(n, 2000), allowed_mentions: { parse: [] } }) },
    };
  }
  if (n.channel === "webhook" && settings.webhook) {
    const body = webhookPayload(n);
    return {
      url: settings.webhook.url,
      init: {
        method: "POST",
        headers: {
          ...json,
          "x-walltrack-delivery": n.notification_id,
          "x-walltrack-event": n.event_type,
          "x-walltrack-signature": await signWebhook(settings.webhook.secret, nowSeconds, body),
        },
        body,
      },
    };
  }
  throw new Error(`channel ${n.channel} has no credentials in the environment`);
}

function seconds(value: unknown): number | null {
  const number = typeof value === "string" ? Number(value) : value;
  return typeof number === "number" && Number.isFinite(number) && number >= 0 ? number : null;
}

const short = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 300);

// What a channel's answer means. Outages (429, 5xx, 408) are retried without using up attempts;
// other refusals (bad token, chat not found, unknown webhook) are counted toward max_attempts.
export async function readAnswer(channel: Channel, response: Response): Promise<Answer> {
  const status = response.status;
  const text = await response.text().catch(() => "");
  let body: Record<string, unknown> = {};
  try {
    const parsed = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed;
  } catch { /* not JSON: described by its status */ }
  const retryable = status === 429 || status === 408 || status >= 500;
  const headerRetry = seconds(response.headers.get("retry-after"));
  if (channel === "telegram") {
    // The Bot API: {"ok": true, "result": {...}} or {"ok": false, "error_code", "description", "parameters": {"retry_after"}}.
    if (status >= 200 && status < 300 && body.ok === true) return { ok: true, status_code: status, error: null, retryable: false, retry_after_seconds: null };
    const parameters = (body.parameters ?? {}) as Record<string, unknown>;
    const description = typeof body.description === "string" ? body.description : `HTTP ${status}`;
    return {
      ok: false, status_code: status, error: short(`telegram: ${description}`), retryable: retryable || status < 200 || (status < 300 && body.ok !== true),
      retry_after_seconds: seconds(parameters.retry_after) ?? headerRetry,
    };
  }
  if (status >= 200 && status < 300) return { ok: true, status_code: status, error: null, retryable: false, retry_after_seconds: null };
  // Discord: {"message", "retry_after" (seconds, float), "global"} on 429, {"message", "code"} otherwise.
  const message = typeof body.message === "string" ? body.message : `HTTP ${status}`;
  return {
    ok: false, status_code: status, error: short(`${channel}: ${message}`), retryable,
    retry_after_seconds: status === 429 ? (seconds(body.retry_after) ?? headerRetry) : headerRetry,
  };
}

// One send. A network failure or a timeout is an outage (retried); its message is not kept, as
// fetch errors quote the URL, which holds the bot token or the Discord webhook token.
export async function deliverOne(settings: NotifySettings, n: Claimed, fetchImpl: Fetch, nowSeconds: number): Promise<Outcome> {
  const base = { notification_id: n.notification_id, channel: n.channel, claim_token: n.claim_token };
  let request: PreparedRequest;
  try {
    request = await prepareRequest(settings, n, nowSeconds);
  } catch (error) {
    return { ...base, ok: false, status_code: null, error: (error as Error).message, retryable: true, retry_after_seconds: 300 };
  }
  try {
    const response = await fetchImpl(request.url, { ...request.init, signal: AbortSignal.timeout(settings.timeoutMs) });
    return { ...base, ...(await readAnswer(n.channel, response)) };
  } catch (error) {
    const what = (error as Error)?.name === "TimeoutError" ? `no answer within ${settings.timeoutMs} ms` : "network error (the channel could not be reached)";
    return { ...base, ok: false, status_code: null, error: `${n.channel}: ${what}`, retryable: true, retry_after_seconds: null };
  }
}

export type DispatchReport = { channels: Channel[]; claimed: number; delivered: number; retrying: number; failed: number; ignored: number };

// One run: claim what is due for the configured channels, send each channel's share in order (one
// at a time, so a 429 or an outage stops the rest of that channel's batch), channels side by side,
// then record every outcome in one call.
export async function dispatchNotifications(sql: Sql, settings: NotifySettings, fetchImpl: Fetch, now = () => Date.now()): Promise<DispatchReport> {
  const channels = configuredChannels(settings);
  if (channels.length === 0) return { channels, claimed: 0, delivered: 0, retrying: 0, failed: 0, ignored: 0 };
  // A batch stops at its first outage, so a run takes about one timeout per channel plus the sends.
  const leaseSeconds = Math.ceil((settings.timeoutMs * 3) / 1000) + 120;
  const claimed = await sql<Claimed[]>`
    select * from walltrack.claim_notification_deliveries(${channels}::text[], make_interval(secs => ${leaseSeconds}))`;
  const outcomes = (await Promise.all(channels.map(async (channel) => {
    const batch = claimed.filter((n) => n.channel === channel);
    const results: Outcome[] = [];
    for (const n of batch) {
      const last = results.at(-1);
      // After a 429 or an outage, the rest of the batch waits with it (same retry_after): a channel
      // that is down costs one timeout per run, not one per message.
      if (last && !last.ok && last.retryable) {
        results.push({ ...last, notification_id: n.notification_id, claim_token: n.claim_token,
                       error: `${channel}: not sent, ${last.status_code === 429 ? "the channel asked to wait" : "the channel is unavailable"}` });
        continue;
      }
      results.push(await deliverOne(settings, n, fetchImpl, Math.floor(now() / 1000)));
    }
    return results;
  }))).flat();
  if (outcomes.length === 0) return { channels, claimed: 0, delivered: 0, retrying: 0, failed: 0, ignored: 0 };
  const [{ recorded }] = await sql`select walltrack.record_notification_deliveries(${sql.json(outcomes as unknown as JSONValue)}) as recorded`;
  return { channels, claimed: claimed.length, ...(recorded as { delivered: number; retrying: number; failed: number; ignored: number }) };
}
