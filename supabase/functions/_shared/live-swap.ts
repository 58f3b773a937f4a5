// A live swap: the switches that allow it (ADR-008), then Jupiter quote -> swap -> sign -> record
// the submission under the lease -> send -> confirm, each outcome settled (order-settlement.ts).
// A transaction an earlier attempt sent is settled before anything else.
import type { JSONValue, Sql } from "postgres";
import { ApiError, type Fetch } from "./api-client.ts";
import { formatUnits } from "./decimal.ts";
import { fetchQuote, fetchSwap, type PriorityFee } from "./jupiter-swap.ts";
import { SOL_DECIMALS } from "./mints.ts";
import type { Claim, LiveOutcome } from "./order-claims.ts";
import { confirm, defer, failureCode, recordFailure, recordFill, recordMiss, settle } from "./order-settlement.ts";
import type { Settings } from "./settings.ts";
import type { SolanaRpc } from "./solana-rpc.ts";
import { MalformedTransaction, signTransaction } from "./solana-transaction.ts";
import type { TradingKey } from "./trading-key.ts";

// now: the clock, replaceable in tests. executeLive's deadline: the epoch milliseconds by which the
// run stops acting (actingDeadline, order-claims.ts).
export type ExecutorDeps = { key: TradingKey | null; rpc: SolanaRpc; fetch?: Fetch; pollMs?: number; now?: () => number };

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

export async function executeLive(sql: Sql, settings: Settings, deps: ExecutorDeps & { now: () => number }, claim: Claim,
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
        return await recordFill(sql, claim, deps.rpc, deps.key.address, claim.tx_signature, result.slot);
      } catch (error) {
        const { code, message } = failureCode(error);
        return await defer(sql, claim, "awaiting_confirmation", `${code} while recording ${claim.tx_signature}: ${message}`, 10);
      }
    }
    // Expired without a trace, or landed and failed on chain. An attempt whose swap was in doubt
    // was never counted: count it now, so a cause that keeps repeating runs out of retries instead
    // of sending swaps forever. Once counted, the order goes on to a new attempt.
    if (claim.swap_in_doubt) {
      return await recordMiss(sql, claim, claim.tx_signature, claim.last_valid_block_height, result,
        deps.key ? { rpc: deps.rpc, payer: deps.key.address } : undefined);
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
    // The configuration's rule (walltrack.priority_fee_request): Jupiter's estimate at a priority
    // level under the operator's cap, or a fixed number.
    const [{ fee }] = await sql<{ fee: PriorityFee }[]>`select walltrack.priority_fee_request() as fee`;
    const swap = await fetchSwap(settings.jupiterUrl, {
      quote,
      userPublicKey: deps.key!.address,
      priorityFeeLamports: fee,
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
      priority_fee_lamports: swap.prioritizationFeeLamports ?? (typeof fee === "number" ? fee : null),
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
    if (result.state === "confirmed") return await recordFill(sql, claim, deps.rpc, deps.key!.address, signature, result.slot);
    if (result.state === "pending") {
      // A wait, not an attempt: the next run settles this signature before anything else.
      const why = "budgetSpent" in result
        ? `this run's time budget (EXECUTOR_BUDGET_MS) ran out while transaction ${signature} was unconfirmed at block ${result.height}`
        : `transaction ${signature} seen but not confirmed by block ${result.height}`;
      return await defer(sql, claim, "awaiting_confirmation", why, "budgetSpent" in result ? 1 : 10);
    }
    return await recordMiss(sql, claim, signature, swap.lastValidBlockHeight, result, { rpc: deps.rpc, payer: deps.key!.address });
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
