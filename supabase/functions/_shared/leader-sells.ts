// The leader's balances around each SELL a proportional mirror exit needs (issue 14): what they
// held of the token just before the transaction and just after, read from the confirmed
// transaction (Solana RPC getTransaction). Helius's enhanced payload cannot give the balance before:
// its tokenBalanceChanges are changes only. One call per SELL, one attempt (api-client.ts); what
// could not be read is reported with its reason, and walltrack.mirror_exit then applies the
// strategy's fallback.
import type { Fetch } from "./api-client.ts";
import type { Settings } from "./settings.ts";
import { ownerTokenBalances, SolanaRpc } from "./solana-rpc.ts";
import { failureCode } from "./order-settlement.ts";

export type SellToMeasure = { signal_id: string; signature: string; wallet: string; mint: string };

export type LeaderSellBalances =
  | { signal_id: string; held_before_raw: string; held_after_raw: string; token_decimals: number | null; source: "rpc_get_transaction" }
  | { signal_id: string; unknown_reason: "rpc_unavailable" | "transaction_not_found" | "transaction_failed"; detail: string };

// Calls in flight at once: a batch of many SELLs never floods the RPC.
const CONCURRENCY = 8;

export async function measureLeaderSells(sells: SellToMeasure[], settings: Settings, fetchImpl?: Fetch): Promise<LeaderSellBalances[]> {
  const rpc = new SolanaRpc(settings.solanaRpcUrl, fetchImpl, settings.apiTimeoutMs);
  const results: LeaderSellBalances[] = [];
  for (let i = 0; i < sells.length; i += CONCURRENCY) {
    results.push(...await Promise.all(sells.slice(i, i + CONCURRENCY).map((sell) => measure(rpc, sell))));
  }
  return results;
}

async function measure(rpc: SolanaRpc, sell: SellToMeasure): Promise<LeaderSellBalances> {
  const unknown = (unknown_reason: "rpc_unavailable" | "transaction_not_found" | "transaction_failed", detail: string) =>
    ({ signal_id: sell.signal_id, unknown_reason, detail });
  try {
    const tx = await rpc.transaction(sell.signature);
    if (!tx) return unknown("transaction_not_found", `getTransaction ${sell.signature}: not found at confirmed commitment`);
    if (tx.meta?.err) return unknown("transaction_failed", `failed on chain: ${JSON.stringify(tx.meta.err)}`);
    const { before, after, decimals } = ownerTokenBalances(tx, sell.wallet, sell.mint);
    // A balance that did not go down is recorded by SQL as its reason (not_a_sale, no_balance_before).
    return { signal_id: sell.signal_id, held_before_raw: before.toString(), held_after_raw: after.toString(),
             token_decimals: decimals, source: "rpc_get_transaction" };
  } catch (error) {
    const { code, message } = failureCode(error);
    return unknown("rpc_unavailable", `${code}: ${message}`);
  }
}
