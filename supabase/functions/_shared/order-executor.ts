// The order executor, I/O only: claim due orders (walltrack.claim_orders), fill the simulation
// ones in SQL, and run each live one through Jupiter and the Solana RPC, recording every outcome
// with one SQL call. Live trading needs two switches (ADR-008): an entry runs only when its wallet
// is live, config.live_trading_enabled is on and a trading key is in the environment; exits of
// open live positions run whenever a key is present.
import type { JSONValue, Sql } from "postgres";
import { ApiError, type Fetch } from "./api-client.ts";
import { formatUnits } from "./decimal.ts";
import { fetchQuote, fetchSwap } from "./jupiter-swap.ts";
import { SOL_DECIMALS } from "./mints.ts";
import type { Settings } from "./settings.ts";
import { ownerDeltas, type SolanaRpc } from "./solana-rpc.ts";
import { MalformedTransaction, signTransaction } from "./solana-transaction.ts";
import type { TradingKey } from "./trading-key.ts";

export type Claim = {
  id: string;
  order_type: string;
  mode: "simulation" | "live";
  token_in: string;
  token_out: string;
  amount_in: string;
  token_decimals: number | null;
  lease: string;
  slippage_bps: number;
  retry_count: number;
  max_retries: number;
  tx_signature: string | null;
  last_valid_block_height: number | null;
  swap_in_doubt: boolean;
  wallet_mode: string;
  live_trading_enabled: boolean;
  priority_fee_lamports: number;
  sol_usd_price: string | null;
};

// deadline: the epoch milliseconds by which this invocation stops acting (settings.executorBudgetMs
// after it started); now: the clock, replaceable in tests.
export type ExecutorDeps = { key: TradingKey | null; rpc: SolanaRpc; fetch?: Fetch; pollMs?: number; now?: () => number };

export type LiveOutcome = { id: string; outcome: "executed" | "retry" | "failed" | "deferred" | "released"; code?: string };


// Decimal string to raw integer, cutting digits the mint cannot hold (never rounding up: we
// cannot sell more than we hold).
function toRaw(amount: string, decimals: number): bigint {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, "0"));
}

// Why a live order may not run: the switch that is off, or null (ADR-008).
export function liveRefusal(claim: Claim, hasKey: boolean): { code: string; message: string } | null {
  if (claim.order_type === "entry") {
    if (claim.wallet_mode !== "live") return { code: "wallet_not_live", message: "the wallet is not in live mode" };
    if (!claim.live_trading_enabled) {
      return { code: "live_trading_disabled", message: "walltrack.config.live_trading_enabled is off" };
    }
  }
  if (!hasKey) return { code: "no_trading_key", message: "WALLTRACK_TRADING_KEY is not set in the functions' environment" };
  return null;
}

const landed = (status: { confirmationStatus: string | null } | null) =>
  status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized";

function failureCode(error: unknown): { code: string; message: string; retryAfter: number | null } {
  if (error instanceof ApiError) {
    const code = error.api === "jupiter-quote" && error.status === 400 ? "no_route"
      : error.kind === "rate_limited" ? "rate_limited"
      : error.kind === "timeout" ? `${error.api}_timeout`
      : error.kind === "server_error" ? `${error.api}_unavailable`
      : error.kind === "malformed" ? `${error.api}_malformed`
      : `${error.api}_${error.kind}`;
    return { code, message: error.message, retryAfter: error.retryAfterSeconds };
  }
  return { code: "unexpected", message: error instanceof Error ? error.message : String(error), retryAfter: null };
}

// A failed attempt, recorded only while this executor's lease holds (else the order is another's).
// Leases travel as text: a timestamptz parameter would be cut to milliseconds and never match.
async function recordFailure(sql: Sql, claim: Claim, code: string, message: string, retryAfter: number | null, final = false): Promise<LiveOutcome> {
  const [{ outcome }] = await sql<{ outcome: "retry" | "failed" | "lease_lost" }[]>`
    select walltrack.record_order_failure(${claim.id}::uuid, ${code}, ${message}, ${retryAfter}::integer, ${final},
                                          ${claim.lease}::text::timestamptz) as outcome`;
  return outcome === "lease_lost" ? { id: claim.id, outcome: "released", code: outcome } : { id: claim.id, outcome, code };
}

// A wait, not an attempt; likewise only under this executor's lease.
async function defer(sql: Sql, claim: Claim, code: string, message: string, seconds: number): Promise<LiveOutcome> {
  const [{ deferred }] = await sql<{ deferred: boolean }[]>`
    select walltrack.defer_order(${claim.id}::uuid, ${code}, ${message}, ${seconds}, ${claim.lease}::text::timestamptz) as deferred`;
  return deferred ? { id: claim.id, outcome: "deferred", code } : { id: claim.id, outcome: "released", code: "lease_lost" };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Where a sent transaction stands. The block height is read BEFORE the status: a transaction can
// only be called expired when the chain was already past its last valid height and, after that,
// no trace of it exists. A status seen but not yet confirmed ("processed") is a wait, never a miss.
async function settle(rpc: SolanaRpc, signature: string, lastValidBlockHeight: number) {
  const height = await rpc.blockHeight();
  const status = await rpc.signatureStatus(signature);
  if (status && landed(status)) {
    return status.err ? { state: "failed" as const, err: status.err } : { state: "confirmed" as const, slot: status.slot };
  }
  if (!status && height > lastValidBlockHeight) return { state: "expired" as const };
  return { state: "pending" as const, height };
}

// Blocks past its last valid height that a transaction seen but unconfirmed is waited for here
// (about a minute); after that it is re-checked on a later run, so no executor polls forever.
const CONFIRM_GRACE_BLOCKS = 150;

// Follows a sent transaction until it is confirmed, failed, its blockhash expired, or (still
// pending) the grace past its last valid height or this invocation's budget ran out: the budget
// is checked here too, since one confirmation can outlast a hosted function's wall clock.
async function confirm(rpc: SolanaRpc, signature: string, lastValidBlockHeight: number, pollMs: number,
                       now: () => number, deadline: number) {
  for (;;) {
    const result = await settle(rpc, signature, lastValidBlockHeight);
    if (result.state !== "pending" || result.height > lastValidBlockHeight + CONFIRM_GRACE_BLOCKS) return result;
    const left = deadline - now();
    if (left <= 0) return { ...result, budgetSpent: true };
    await sleep(Math.min(pollMs, left));
  }
}

async function recordFill(sql: Sql, claim: Claim, deps: ExecutorDeps, signature: string, slot: number): Promise<LiveOutcome> {
  const tx = await deps.rpc.transaction(signature);
  if (!tx) throw new ApiError("solana-rpc", "malformed", `confirmed transaction ${signature} not returned`);
  const buying = claim.order_type === "entry";
  const token = buying ? claim.token_out : claim.token_in;
  const { tokenRaw, lamports } = ownerDeltas(tx, deps.key!.address, token);
  const decimals = claim.token_decimals!;
  const fill = {
    tx_signature: signature,
    block_number: slot,
    amount_in: buying ? formatUnits(-lamports, SOL_DECIMALS) : formatUnits(-tokenRaw, decimals),
    amount_out: buying ? formatUnits(tokenRaw, decimals) : formatUnits(lamports, SOL_DECIMALS),
  };
  await sql`select walltrack.record_order_fill(${claim.id}::uuid, ${sql.json(fill)})`;
  return { id: claim.id, outcome: "executed" };
}

// A sent swap that did not fill (expired without a trace, or failed on chain): a failed attempt.
function recordMiss(sql: Sql, claim: Claim, signature: string, lastValidBlockHeight: number,
                    result: { state: "expired" } | { state: "failed"; err: unknown }): Promise<LiveOutcome> {
  return result.state === "expired"
    ? recordFailure(sql, claim, "blockhash_expired", `transaction ${signature} did not land before block ${lastValidBlockHeight}`, null)
    : recordFailure(sql, claim, "transaction_failed", `transaction ${signature} failed on chain: ${JSON.stringify(result.err)}`, null);
}

async function executeLive(sql: Sql, settings: Settings, deps: ExecutorDeps & { now: () => number }, claim: Claim,
                           deadline: number): Promise<LiveOutcome> {
  // A transaction of an earlier attempt may be on the network: settle it before anything else, so
  // no switch turned off meanwhile can mark failed a swap that landed.
  if (claim.tx_signature && claim.last_valid_block_height) {
    let result;
    try {
      result = await settle(deps.rpc, claim.tx_signature, claim.last_valid_block_height);
    } catch (error) {
      const { code, message } = failureCode(error);
      return await defer(sql, claim, "awaiting_confirmation", `${code} while settling ${claim.tx_signature}: ${message}`, 10);
    }
    if (result.state === "pending") {
      return await defer(sql, claim, "awaiting_confirmation", `transaction ${claim.tx_signature} may still land`, 10);
    }
    if (result.state === "confirmed") {
      if (!deps.key || claim.token_decimals === null) {
        return await defer(sql, claim, "awaiting_confirmation", `transaction ${claim.tx_signature} landed but cannot be accounted without the key and the decimals`, 60);
      }
      try {
        return await recordFill(sql, claim, deps, claim.tx_signature, result.slot);
      } catch (error) {
        const { code, message } = failureCode(error);
        return await defer(sql, claim, "awaiting_confirmation", `${code} while recording ${claim.tx_signature}: ${message}`, 10);
      }
    }
    // Expired without a trace, or landed and failed on chain. An attempt whose swap was in doubt
    // was never counted: count it now, so a cause that keeps repeating runs out of retries instead
    // of sending swaps forever. Once counted, the order goes on to a new attempt.
    if (claim.swap_in_doubt) {
      return await recordMiss(sql, claim, claim.tx_signature, claim.last_valid_block_height, result);
    }
  }
  const refusal = liveRefusal(claim, deps.key !== null);
  if (refusal) {
    return await recordFailure(sql, claim, refusal.code, refusal.message, null, true);
  }
  if (!claim.sol_usd_price) {
    return await defer(sql, claim, "no_sol_price", "no SOL/USD price recorded yet to value the fill", 60);
  }
  if (claim.token_decimals === null) {
    return await recordFailure(sql, claim, "unknown_decimals", `the decimals of ${claim.order_type === "entry" ? claim.token_out : claim.token_in} are unknown: the amount cannot be sent`, null, true);
  }
  const pollMs = deps.pollMs ?? 500;
  let sent: string | null = null; // once a transaction may be on the network, a failure is a wait, not an attempt
  try {
    const buying = claim.order_type === "entry";
    const quote = await fetchQuote(settings.jupiterUrl, {
      inputMint: claim.token_in,
      outputMint: claim.token_out,
      amountRaw: toRaw(claim.amount_in, buying ? SOL_DECIMALS : claim.token_decimals),
      slippageBps: claim.slippage_bps,
    }, { apiKey: settings.jupiterApiKey, fetch: deps.fetch, timeoutMs: settings.apiTimeoutMs });
    const swap = await fetchSwap(settings.jupiterUrl, {
      quote,
      userPublicKey: deps.key!.address,
      priorityFeeLamports: claim.priority_fee_lamports,
    }, { apiKey: settings.jupiterApiKey, fetch: deps.fetch, timeoutMs: settings.apiTimeoutMs });

    let signed: { signature: string; wire: Uint8Array };
    try {
      signed = signTransaction(Uint8Array.from(atob(swap.swapTransaction), (c) => c.charCodeAt(0)), deps.key!);
    } catch (error) {
      const why = error instanceof MalformedTransaction ? error.message : "not base64";
      throw new ApiError("jupiter-swap", "malformed", `swapTransaction is not a transaction this key can sign: ${why}`);
    }
    const signature = signed.signature;
    // Recorded before sending, and only while this executor still holds the order: after this
    // point the signature is on the books, so a crash can never lead to a second, blind swap.
    // The lease comes back extended over the confirmation: this executor's token from now on.
    const [{ lease }] = await sql<{ lease: string | null }[]>`select walltrack.record_order_submission(${claim.id}::uuid, ${sql.json({
      lease: claim.lease,
      replaces_signature: claim.tx_signature,
      tx_signature: signature,
      quote_id: quote.contextSlot != null ? String(quote.contextSlot) : null, // v1 quotes carry no id: the quote's slot
      route: quote.routePlan as JSONValue,
      priority_fee_lamports: swap.prioritizationFeeLamports ?? claim.priority_fee_lamports,
      last_valid_block_height: swap.lastValidBlockHeight,
      amount_out_expected: formatUnits(BigInt(quote.outAmount), buying ? claim.token_decimals : SOL_DECIMALS),
    })})::text as lease`;
    if (!lease) return { id: claim.id, outcome: "released", code: "lease_lost" };
    claim = { ...claim, lease };
    sent = signature;
    let base64 = "";
    for (const byte of signed.wire) base64 += String.fromCharCode(byte);
    await deps.rpc.sendTransaction(btoa(base64));

    const result = await confirm(deps.rpc, signature, swap.lastValidBlockHeight, pollMs, deps.now, deadline);
    if (result.state === "confirmed") return await recordFill(sql, claim, deps, signature, result.slot);
    if (result.state === "pending") {
      // A wait, not an attempt: the next run settles this signature before anything else.
      const why = "budgetSpent" in result
        ? `this run's time budget (EXECUTOR_BUDGET_MS) ran out while transaction ${signature} was unconfirmed at block ${result.height}`
        : `transaction ${signature} seen but not confirmed by block ${result.height}`;
      return await defer(sql, claim, "awaiting_confirmation", why, "budgetSpent" in result ? 1 : 10);
    }
    return await recordMiss(sql, claim, signature, swap.lastValidBlockHeight, result);
  } catch (error) {
    const { code, message, retryAfter } = failureCode(error);
    if (sent) {
      // The swap may have landed: never count this as a failed attempt (a failed entry would
      // strand bought tokens, a failed exit would sell again). Check its signature next time.
      return await defer(sql, claim, "awaiting_confirmation", `${code} after sending ${sent}: ${message}`, 10);
    }
    return await recordFailure(sql, claim, code, message, retryAfter);
  }
}

export type ExecutorReport = {
  claimed: number;
  simulation: { filled: number; cancelled: number; deferred: number; failed: number };
  live: LiveOutcome[];
};

// Hands back claims this invocation will not act on, through SQL and under their leases.
async function releaseClaims(sql: Sql, claims: Claim[]): Promise<void> {
  if (claims.length === 0) return;
  await sql`select walltrack.release_order_claims(${sql.json(claims.map((c) => ({ id: c.id, lease: c.lease })))})`;
}

export async function executeOrders(sql: Sql, settings: Settings, deps: ExecutorDeps, batch = 20): Promise<ExecutorReport> {
  const now = deps.now ?? Date.now;
  // The budget starts before the claim: it bounds the whole invocation, which must end well
  // within the hosted wall clock (150 s on the free plan) and ideally within pg_net's 30 s.
  const deadline = now() + settings.executorBudgetMs;
  const [{ claims }] = await sql<{ claims: Claim[] }[]>`select walltrack.claim_orders(${batch}) as claims`;
  const simulated = claims.filter((c) => c.mode === "simulation");
  const report: ExecutorReport = { claimed: claims.length, simulation: { filled: 0, cancelled: 0, deferred: 0, failed: 0 }, live: [] };
  const live = claims.filter((c) => c.mode === "live");
  let simulationDone = simulated.length === 0;
  let next = 0; // live claims before this index were acted on; the rest are still held
  try {
    if (!simulationDone) {
      [{ result: report.simulation }] = await sql`select walltrack.fill_simulated_orders(${simulated.map((c) => c.id)}::uuid[]) as result`;
      simulationDone = true;
    }
    // One at a time: each live order is a real swap from one wallet; parallel swaps would race
    // for the same balance. Once the budget is spent the claims not started are released at once,
    // so the next run (a minute later at most) takes them instead of waiting out their lease.
    for (; next < live.length; next++) {
      if (now() >= deadline) break;
      report.live.push(await executeLive(sql, settings, { ...deps, now }, live[next], deadline));
    }
  } finally {
    // Whatever was not acted on, budget spent or an error thrown: not left leased for 5 minutes.
    const rest = live.slice(next);
    try {
      await releaseClaims(sql, simulationDone ? rest : [...simulated, ...rest]);
      report.live.push(...rest.map((c) => ({ id: c.id, outcome: "released" as const, code: "budget_spent" })));
    } catch (error) {
      // The database is what failed: the leases run out on their own (claim_orders' 5 minutes).
      console.error(`order-executor: could not release ${rest.length} claim(s): ${error instanceof Error ? error.message : error}`);
    }
  }
  return report;
}
