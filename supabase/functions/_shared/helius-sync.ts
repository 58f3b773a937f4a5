// Pushes the watchlist to the one global Helius webhook (ADR-001): nothing when no wallet is
// pending (or failed its last sync), nor in poll delivery mode; otherwise GET the webhook (create it when config has none, or Helius no longer has it),
// merge, and PUT the full object with accountAddresses = every active wallet, then record the
// outcome in one SQL call. Each edit costs Helius credits, hence the batching.
// Single-flight: a run first claims the sync's lease (walltrack.claim_helius_sync), so concurrent
// runs never create a second webhook; a run whose lease is refused (another runs, or the backoff
// after failures holds) does nothing. The outcome is recorded with the lease, which releases it.
import { z } from "zod";
import type { JSONValue, Sql } from "postgres";
import { ApiError, expectShape, type Fetch, requestJson } from "./api-client.ts";
import type { Settings } from "./settings.ts";

export const MAX_WEBHOOK_ADDRESSES = 100_000;

const webhook = z.looseObject({
  webhookID: z.string(),
  webhookURL: z.string().optional(),
  transactionTypes: z.array(z.string()).optional(),
  accountAddresses: z.array(z.string()).optional(),
  webhookType: z.string().optional(),
  authHeader: z.string().optional(),
});
type Webhook = z.infer<typeof webhook>;

type Plan = { pending_wallet_ids: string[]; addresses: string[]; webhook_id: string | null; webhook_url: string | null };

type Claim =
  | { claimed: true; lease: string; plan: Plan }
  | { claimed: false; reason: "nothing_pending" | "poll_mode" | "running" | "backing_off"; failures: number; next_attempt_at: string | null };

export type SyncReport = {
  skipped: boolean;
  reason?: "nothing_pending" | "poll_mode" | "running" | "backing_off";
  failures?: number;
  next_attempt_at?: string | null;
  webhook_id?: string;
  created?: boolean;
  addresses?: number;
  wallets?: number;
  error?: string;
};

// Longer than one run can take (at most two Helius calls, each bounded by the API timeout), so a
// live run never loses it; short enough that a runtime dead mid-sync delays the next one little.
export const leaseSeconds = (settings: Settings) => Math.min(3600, Math.ceil((2 * settings.apiTimeoutMs) / 1000) + 60);

export async function heliusWebhookCall(settings: Settings, method: "GET" | "POST" | "PUT", path: string, body: unknown, fetchImpl: Fetch): Promise<Webhook | null> {
  // The key travels in the query string (Helius's scheme): the client keeps it out of every error.
  const url = `${settings.heliusApiUrl}${path}?api-key=${encodeURIComponent(settings.heliusApiKey ?? "")}`;
  let answer: unknown;
  try {
    answer = await requestJson("helius", url, { method, body, timeoutMs: settings.apiTimeoutMs, fetch: fetchImpl, context: `${method} ${path}` });
  } catch (error) {
    // A webhook Helius no longer has: created again by the caller.
    if (method === "GET" && error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
  return expectShape("helius", webhook, answer);
}

export async function syncHeliusAddresses(sql: Sql, settings: Settings, fetchImpl: Fetch = fetch): Promise<SyncReport> {
  const [{ claim }] = await sql<{ claim: Claim }[]>`
    select walltrack.claim_helius_sync(make_interval(secs => ${leaseSeconds(settings)})) as claim`;
  if (!claim.claimed) {
    const { reason, failures, next_attempt_at } = claim;
    // Poll delivery mode keeps no webhook (walltrack.claim_helius_sync): nothing to push, ever.
    return reason === "nothing_pending" || reason === "poll_mode" ? { skipped: true, reason } : { skipped: true, reason, failures, next_attempt_at };
  }
  const { lease, plan } = claim;
  const finish = async (outcome: JSONValue): Promise<void> => {
    const [{ held }] = await sql<{ held: boolean }[]>`select walltrack.finish_helius_sync(${lease}, ${sql.json(outcome)}) as held`;
    if (!held) throw new Error("the sync's lease expired and was claimed again before its outcome was recorded");
  };
  const fail = async (message: string): Promise<SyncReport> => {
    await finish({ wallet_ids: plan.pending_wallet_ids, error: message });
    return { skipped: false, wallets: plan.pending_wallet_ids.length, error: message };
  };
  if (!settings.heliusApiKey) return fail("HELIUS_API_KEY is not set in the functions' environment");
  if (!settings.heliusWebhookSecret) return fail("HELIUS_WEBHOOK_SECRET is not set: the webhook would be unauthenticated");
  if (plan.addresses.length > MAX_WEBHOOK_ADDRESSES) {
    return fail(`${plan.addresses.length} active wallets: one Helius webhook holds at most ${MAX_WEBHOOK_ADDRESSES}`);
  }
  const ours = {
    webhookURL: settings.heliusWebhookUrl,
    transactionTypes: ["ANY"], // ADR-007: classify every transaction ourselves
    webhookType: "enhanced",
    authHeader: settings.heliusWebhookSecret,
    accountAddresses: plan.addresses,
  };
  let id: string;
  let created = false;
  try {
    const existing = plan.webhook_id ? await heliusWebhookCall(settings, "GET", `/v0/webhooks/${plan.webhook_id}`, undefined, fetchImpl) : null;
    if (existing) {
      // PUT replaces the whole configuration: send everything Helius has, with our fields on top.
      const { webhookID: _id, wallet: _wallet, ...rest } = existing as Webhook & { wallet?: string };
      const updated = await heliusWebhookCall(settings, "PUT", `/v0/webhooks/${existing.webhookID}`, { ...rest, ...ours }, fetchImpl);
      id = updated?.webhookID ?? existing.webhookID;
    } else {
      const made = await heliusWebhookCall(settings, "POST", "/v0/webhooks", ours, fetchImpl);
      id = made!.webhookID;
      created = true;
    }
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
  await finish({ wallet_ids: plan.pending_wallet_ids, addresses: plan.addresses, webhook_id: id, webhook_url: settings.heliusWebhookUrl });
  return { skipped: false, webhook_id: id, created, addresses: plan.addresses.length, wallets: plan.pending_wallet_ids.length };
}
