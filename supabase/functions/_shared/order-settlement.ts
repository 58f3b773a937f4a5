// Settlement: where a sent swap stands on chain, and every outcome of a live order recorded with
// one SQL call under the executor's lease: the fill (the amounts that actually moved), a failed
// attempt (retried with backoff, the wait an API asked for), or a wait that is not an attempt.
import type { Sql } from "postgres";
import { ApiError } from "./api-client.ts";
import { formatUnits } from "./decimal.ts";
import { SOL_DECIMALS } from "./mints.ts";
import type { Claim, LiveOutcome } from "./order-claims.ts";
import { feesPaid, ownerDeltas, type SolanaRpc } from "./solana-rpc.ts";

const landed = (status: { confirmationStatus: string | null } | null) =>
  status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized";

export function failureCode(error: unknown): { code: string; message: string; retryAfter: number | null } {
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
export async function recordFailure(sql: Sql, claim: Claim, code: string, message: string, retryAfter: number | null, final = false): Promise<LiveOutcome> {
  const [{ outcome }] = await sql<{ outcome: "retry" | "failed" | "lease_lost" }[]>`
    select walltrack.record_order_failure(${claim.id}::uuid, ${code}, ${message}, ${retryAfter}::integer, ${final},
                                          ${claim.lease}::text::timestamptz) as outcome`;
  return outcome === "lease_lost" ? { id: claim.id, outcome: "released", code: outcome } : { id: claim.id, outcome, code };
}

// A wait, not an attempt; likewise only under this executor's lease.
export async function defer(sql: Sql, claim: Claim, code: string, message: string, seconds: number): Promise<LiveOutcome> {
  const [{ deferred }] = await sql<{ deferred: boolean }[]>`
    select walltrack.defer_order(${claim.id}::uuid, ${code}, ${message}, ${seconds}, ${claim.lease}::text::timestamptz) as deferred`;
  return deferred ? { id: claim.id, outcome: "deferred", code } : { id: claim.id, outcome: "released", code: "lease_lost" };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Where a sent transaction stands. The block height is read BEFORE the status: a transaction can
// only be called expired when the chain was already past its last valid height and, after that,
// no trace of it exists. A status seen but not yet confirmed ("processed") is a wait, never a miss.
export async function settle(rpc: SolanaRpc, signature: string, lastValidBlockHeight: number) {
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
export async function confirm(rpc: SolanaRpc, signature: string, lastValidBlockHeight: number, pollMs: number,
                       now: () => number, deadline: number) {
  for (;;) {
    const result = await settle(rpc, signature, lastValidBlockHeight);
    if (result.state !== "pending" || result.height > lastValidBlockHeight + CONFIRM_GRACE_BLOCKS) return result;
    const left = deadline - now();
    if (left <= 0) return { ...result, budgetSpent: true };
    await sleep(Math.min(pollMs, left));
  }
}

// A confirmed swap: what the owner's balances did, recorded as the order's fill, with the fees paid.
export async function recordFill(sql: Sql, claim: Claim, rpc: SolanaRpc, owner: string, signature: string, slot: number): Promise<LiveOutcome> {
  const tx = await rpc.transaction(signature);
  if (!tx) throw new ApiError("solana-rpc", "malformed", `confirmed transaction ${signature} not returned`);
  const buying = claim.order_type === "entry";
  const token = buying ? claim.token_out : claim.token_in;
  const { tokenRaw, lamports } = ownerDeltas(tx, owner, token);
  const decimals = claim.token_decimals!;
  const fill = {
    tx_signature: signature,
    block_number: slot,
    amount_in: buying ? formatUnits(-lamports, SOL_DECIMALS) : formatUnits(-tokenRaw, decimals),
    amount_out: buying ? formatUnits(tokenRaw, decimals) : formatUnits(lamports, SOL_DECIMALS),
  };
  // The fees it actually paid, exact lamports, on the order before its fill (an executed order never
  // changes): one statement, the CTE first.
  const { networkFee, priorityFee } = feesPaid(tx, owner);
  await sql`
    with fees as (select walltrack.record_order_fees(${claim.id}::uuid, ${networkFee.toString()}::bigint, ${priorityFee.toString()}::bigint))
    select walltrack.record_order_fill(${claim.id}::uuid, ${sql.json(fill)}) from fees`;
  return { id: claim.id, outcome: "executed" };
}

// A sent swap that did not fill (expired without a trace, or failed on chain): a failed attempt.
// One that landed and failed still paid its fee: read from the transaction and deducted from the
// position, after the attempt is counted (the fee is best effort: an RPC or price failure never
// keeps the attempt from being recorded; the fee is recorded once per transaction).
export async function recordMiss(sql: Sql, claim: Claim, signature: string, lastValidBlockHeight: number,
                    result: { state: "expired" } | { state: "failed"; err: unknown },
                    fees?: { rpc: SolanaRpc; payer: string }): Promise<LiveOutcome> {
  if (result.state === "expired") {
    return await recordFailure(sql, claim, "blockhash_expired", `transaction ${signature} did not land before block ${lastValidBlockHeight}`, null);
  }
  const outcome = await recordFailure(sql, claim, "transaction_failed", `transaction ${signature} failed on chain: ${JSON.stringify(result.err)}`, null);
  if (fees) await recordFailedSwapFee(sql, claim, signature, fees.rpc, fees.payer);
  return outcome;
}

export async function recordFailedSwapFee(sql: Sql, claim: Claim, signature: string, rpc: SolanaRpc, payer: string): Promise<boolean> {
  try {
    const tx = await rpc.transaction(signature);
    if (!tx) return false;
    const { networkFee, priorityFee } = feesPaid(tx, payer);
    if (networkFee === 0n) return false;
    await sql`select walltrack.record_failed_swap_fee(${claim.id}::uuid, ${signature}, ${networkFee.toString()}::bigint,
                                                      ${priorityFee.toString()}::bigint)`;
    return true;
  } catch (error) {
    // The code only: an RPC error's message may carry its URL, and with it a key.
    console.error(`order ${claim.id}: the fee of failed transaction ${signature} was not recorded (${failureCode(error).code})`);
    return false;
  }
}
