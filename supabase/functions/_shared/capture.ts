// Capture completeness (issue 14): one reconciliation run, I/O only. The rules (which wallets,
// how far each cursor stands, what counts as missing, how a run is recorded and backed off) are
// SQL; this module asks the chain and Helius and hands the answers over.
//   claim (walltrack.claim_capture_run: single-flight lease, plan)
//   -> per wallet, its signatures since its cursor (getSignaturesForAddress, bounded pages)
//   -> which of them nothing recorded (walltrack.capture_missing_signatures)
//   -> those fetched in enhanced form (Helius POST /v0/transactions, batches of 100), classified by
//      the webhook's own buildSignalBatch and recorded through its own record_signals and
//      record_rejected_transactions (walltrack.record_recovered_transactions), marked recovered or
//      polled
//   -> the recorded signals processed as the webhook processes them
//   -> the cursors, report and any failure recorded with the lease (walltrack.finish_capture_run).
// A 429 or an outage stops the run (the backoff in SQL waits, the 429's Retry-After when longer);
// a wallet whose transactions were not all answered keeps its cursor and is walked again.
import type { JSONValue, Sql } from "postgres";
import { z } from "zod";
import { ApiError, expectShape, type Fetch, requestJson } from "./api-client.ts";
import { type ProcessingReport, processSignals } from "./process-signals.ts";
import type { Settings } from "./settings.ts";
import { buildSignalBatch } from "./signal-batch.ts";
import { type SignatureInfo, SIGNATURES_PAGE_LIMIT, SolanaRpc } from "./solana-rpc.ts";

// Helius's parse-transactions API takes at most 100 signatures a call.
export const HELIUS_PARSE_BATCH = 100;

export type Cursor = {
  wallet_id: string;
  address: string;
  watch_since: number; // unix seconds: nothing older is a missed trade
  last_signature: string | null;
  walk_top: string | null;
  walk_before: string | null;
};

export type CursorState = {
  wallet_id: string;
  watch_since: number;
  last_signature: string | null;
  last_block_time: number | null;
  walk_top: string | null;
  walk_before: string | null;
  error: string | null;
};

type Plan = { delivery: "recovered" | "polled"; settle_seconds: number; pages_per_wallet: number; fetches_per_run: number; wallets: Cursor[] };

type Claim =
  | { claimed: true; lease: string; plan: Plan }
  | { claimed: false; reason: "no_active_wallets" | "running" | "backing_off"; failures: number; next_attempt_at: string | null };

export type CaptureReport = {
  skipped: boolean;
  reason?: "no_active_wallets" | "running" | "backing_off";
  failures?: number;
  next_attempt_at?: string | null;
  delivery?: "recovered" | "polled";
  wallets_checked?: number;
  wallets_reconciled?: number;
  signatures_seen?: number;
  failed_transactions_skipped?: number;
  missing?: number;
  fetched?: number;
  not_returned?: number;
  signals_recorded?: number;
  duplicates?: number;
  transactions_refused?: number;
  processing?: Pick<ProcessingReport, "processed" | "opened" | "exit_orders" | "deferred" | "filtered"> | { error: string };
  error?: string;
};

// Longer than one run can take: its budget, then one RPC call, one Helius call and the processing.
export const leaseSeconds = (settings: Settings) =>
  Math.min(3600, Math.ceil((settings.captureBudgetMs + 3 * settings.apiTimeoutMs) / 1000) + 60);

// POST /v0/transactions?api-key=... {"transactions": [signature, ...]}: the enhanced transactions
// Helius knows, as its webhook sends them (fixtures/PROVENANCE.md). The key travels in the query
// string, which the client keeps out of every error.
export async function heliusParseTransactions(settings: Settings, signatures: string[], fetchImpl: Fetch = fetch): Promise<unknown[]> {
  if (signatures.length === 0 || signatures.length > HELIUS_PARSE_BATCH) {
    throw new Error(`Helius parses 1 to ${HELIUS_PARSE_BATCH} transactions a call, not ${signatures.length}`);
  }
  const url = `${settings.heliusApiUrl}/v0/transactions?api-key=${encodeURIComponent(settings.heliusApiKey ?? "")}`;
  const answer = await requestJson("helius", url, {
    method: "POST", body: { transactions: signatures }, timeoutMs: settings.apiTimeoutMs, fetch: fetchImpl, context: "POST /v0/transactions",
  });
  return expectShape("helius", z.array(z.unknown()), answer);
}

export type Walk = { seen: SignatureInfo[]; next: CursorState; complete: boolean };

// One wallet's signatures since its cursor, newest first, at most `pages` pages. A new walk starts
// at the chain's head, leaving what is younger than the settle time to the webhook (until the next
// run); a backlog longer than the pages is walked back over the next runs (walk_top, walk_before)
// before the cursor moves to walk_top. A wallet never reconciled stops at watch_since.
export async function walkSignatures(
  rpc: SolanaRpc,
  cursor: Cursor,
  options: { nowSeconds: number; settleSeconds: number; pages: number },
): Promise<Walk> {
  const cutoff = options.nowSeconds - options.settleSeconds;
  const settled = (e: SignatureInfo) => options.settleSeconds === 0 || (e.blockTime !== null && e.blockTime <= cutoff);
  let top = cursor.walk_top;
  let topTime: number | null = null;
  let before = cursor.walk_before;
  const seen: SignatureInfo[] = [];
  let complete = false;
  for (let page = 0; page < options.pages && !complete; page++) {
    const entries = await rpc.signaturesForAddress(cursor.address, { before, until: cursor.last_signature, limit: SIGNATURES_PAGE_LIMIT });
    let kept = top === null ? entries.filter(settled) : entries;
    if (cursor.last_signature === null) {
      const older = kept.findIndex((e) => e.blockTime !== null && e.blockTime < cursor.watch_since);
      if (older >= 0) {
        kept = kept.slice(0, older);
        complete = true;
      }
    }
    if (top === null && kept.length > 0) {
      top = kept[0].signature;
      topTime = kept[0].blockTime;
    }
    seen.push(...kept);
    if (entries.length < SIGNATURES_PAGE_LIMIT) complete = true;
    else before = entries[entries.length - 1].signature;
  }
  const base = { wallet_id: cursor.wallet_id, watch_since: cursor.watch_since, error: null };
  const next: CursorState = complete
    ? { ...base, last_signature: top ?? cursor.last_signature, last_block_time: topTime, walk_top: null, walk_before: null }
    : top === null
    ? { ...base, last_signature: cursor.last_signature, last_block_time: null, walk_top: null, walk_before: null }
    : { ...base, last_signature: cursor.last_signature, last_block_time: null, walk_top: top, walk_before: before };
  return { seen, next, complete };
}

const unchanged = (cursor: Cursor, error: string | null): CursorState => ({
  wallet_id: cursor.wallet_id, watch_since: cursor.watch_since, last_signature: cursor.last_signature, last_block_time: null,
  walk_top: cursor.walk_top, walk_before: cursor.walk_before, error,
});

// A failure of the service as a whole (not of one wallet's question) stops the run.
const stopsTheRun = (error: unknown) =>
  !(error instanceof ApiError) || ["rate_limited", "timeout", "network", "server_error"].includes(error.kind);

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

const signatureOf = (tx: unknown) => {
  const signature = (tx as { signature?: unknown } | null)?.signature;
  return typeof signature === "string" ? signature : null;
};

export async function reconcileCapture(sql: Sql, settings: Settings, fetchImpl: Fetch = fetch, clock: () => number = Date.now): Promise<CaptureReport> {
  const [{ claim }] = await sql<{ claim: Claim }[]>`
    select walltrack.claim_capture_run(make_interval(secs => ${leaseSeconds(settings)})) as claim`;
  if (!claim.claimed) {
    const { reason, failures, next_attempt_at } = claim;
    return reason === "no_active_wallets" ? { skipped: true, reason } : { skipped: true, reason, failures, next_attempt_at };
  }
  const { lease, plan } = claim;
  const deadline = clock() + settings.captureBudgetMs;
  const rpc = new SolanaRpc(settings.solanaRpcUrl, fetchImpl, settings.apiTimeoutMs);
  const nowSeconds = Math.floor(clock() / 1000);
  let stop: unknown = null;

  // 1. The chain: each wallet's signatures since its cursor, one wallet after another.
  const walks = new Map<string, { cursor: Cursor; walk?: Walk; error?: string }>();
  for (const cursor of plan.wallets) {
    if (stop !== null || clock() >= deadline) break;
    try {
      const walk = await walkSignatures(rpc, cursor, { nowSeconds, settleSeconds: plan.settle_seconds, pages: plan.pages_per_wallet });
      walks.set(cursor.wallet_id, { cursor, walk });
    } catch (error) {
      if (stopsTheRun(error)) stop = error;
      else walks.set(cursor.wallet_id, { cursor, error: message(error) });
    }
  }

  // 2. What nothing recorded. A failed transaction is no signal (the webhook skips it too).
  const ownersOf = new Map<string, string[]>();
  let seen = 0;
  let failedSkipped = 0;
  for (const { cursor, walk } of walks.values()) {
    for (const entry of walk?.seen ?? []) {
      seen += 1;
      if (entry.err !== null) {
        failedSkipped += 1;
        continue;
      }
      ownersOf.set(entry.signature, [...(ownersOf.get(entry.signature) ?? []), cursor.wallet_id]);
    }
  }
  let missing: string[] = [];
  if (ownersOf.size > 0) {
    [{ missing }] = await sql<{ missing: string[] }[]>`
      select walltrack.capture_missing_signatures(${[...ownersOf.keys()]}::text[]) as missing`;
  }
  // Wallet by wallet in the plan's order, so that within the bound whole wallets are reconciled.
  const rank = new Map(plan.wallets.map((w, i) => [w.wallet_id, i]));
  const order = (s: string) => Math.min(...(ownersOf.get(s) ?? []).map((id) => rank.get(id) ?? Infinity));
  const queue = [...missing].sort((a, b) => order(a) - order(b)).slice(0, plan.fetches_per_run);
  if (queue.length > 0 && !settings.heliusApiKey && stop === null) {
    stop = new Error("HELIUS_API_KEY is not set in the functions' environment: missing transactions cannot be fetched");
  }

  // 3. Fetched in enhanced form, recorded through the webhook's path, 100 at a time.
  const asked = new Set<string>(); // sent in a call Helius answered
  const answered = new Set<string>(); // and returned by it
  const recordedIds: string[] = [];
  let duplicates = 0;
  let refused = 0;
  for (let i = 0; i < queue.length && stop === null && clock() < deadline; i += HELIUS_PARSE_BATCH) {
    const batchOf = queue.slice(i, i + HELIUS_PARSE_BATCH);
    let parsed: unknown[];
    try {
      parsed = await heliusParseTransactions(settings, batchOf, fetchImpl);
    } catch (error) {
      stop = error;
      break;
    }
    for (const signature of batchOf) asked.add(signature);
    const wanted = new Set(batchOf);
    const returned = parsed.filter((tx) => wanted.has(signatureOf(tx) ?? ""));
    const fetched = [...new Set(returned.map((tx) => signatureOf(tx)!))];
    if (returned.length === 0) continue;
    const { batch, rejected } = buildSignalBatch(returned, new Date(clock()));
    const [{ result }] = await sql<{ result: { recorded: string[]; duplicates: number; rejected: number } }[]>`
      select walltrack.record_recovered_transactions(${sql.json(batch as unknown as JSONValue)},
        ${sql.json(rejected as unknown as JSONValue)}, ${fetched}::text[], ${plan.delivery}) as result`;
    recordedIds.push(...result.recorded);
    duplicates += result.duplicates;
    refused += result.rejected;
    for (const signature of fetched) answered.add(signature);
  }

  // 4. A wallet is reconciled when its walk succeeded and each of its missing transactions was
  // answered; any other keeps its cursor and is walked again by the next run.
  const missingOf = new Map<string, string[]>();
  for (const signature of missing) {
    for (const id of ownersOf.get(signature) ?? []) missingOf.set(id, [...(missingOf.get(id) ?? []), signature]);
  }
  const cursors: CursorState[] = [];
  let reconciled = 0;
  for (const { cursor, walk, error } of walks.values()) {
    if (!walk) {
      cursors.push(unchanged(cursor, error ?? null));
      continue;
    }
    const open = (missingOf.get(cursor.wallet_id) ?? []).filter((s) => !answered.has(s));
    if (open.length === 0) {
      reconciled += walk.complete ? 1 : 0;
      cursors.push(walk.next);
    } else {
      // Asked but not returned: Helius does not know it (yet). Not asked: the run's bound or stop.
      const notReturned = open.filter((s) => asked.has(s));
      cursors.push(unchanged(cursor, notReturned.length > 0 ? `Helius did not return ${notReturned.length} transaction(s), e.g. ${notReturned[0]}` : null));
    }
  }

  // 5. Decided as the webhook's signals are (the sweeper picks up anything left over).
  let processing: CaptureReport["processing"];
  if (recordedIds.length > 0) {
    try {
      const { processed, opened, exit_orders, deferred, filtered } = await processSignals(sql, settings, recordedIds, fetchImpl);
      processing = { processed, opened, exit_orders, deferred, filtered };
    } catch (error) {
      console.error(`capture-reconciler: processing failed: ${message(error)}`);
      processing = { error: "processing failed; the signal sweeper will process these signals" };
    }
  }

  const report: CaptureReport = {
    skipped: false,
    delivery: plan.delivery,
    wallets_checked: [...walks.values()].filter((w) => w.walk).length,
    wallets_reconciled: reconciled,
    signatures_seen: seen,
    failed_transactions_skipped: failedSkipped,
    missing: missing.length,
    fetched: answered.size,
    not_returned: [...asked].filter((s) => !answered.has(s)).length,
    signals_recorded: recordedIds.length,
    duplicates,
    transactions_refused: refused,
    ...(processing ? { processing } : {}),
    ...(stop !== null ? { error: message(stop) } : {}),
  };
  const retryAfter = stop instanceof ApiError ? stop.retryAfterSeconds : null;
  const [{ held }] = await sql<{ held: boolean }[]>`
    select walltrack.finish_capture_run(${lease}, ${sql.json({
      cursors, report, ...(stop !== null ? { error: message(stop), retry_after_seconds: retryAfter } : {}),
    } as unknown as JSONValue)}) as held`;
  if (!held) throw new Error("the reconciliation's lease expired and was claimed again before its outcome was recorded");
  return report;
}
