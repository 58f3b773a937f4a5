// Builds the argument of walltrack.record_signals from a validated delivery: the candidate signals
// of every participant of every successful transaction (Postgres keeps those of watched wallets,
// so the delivery costs one round trip whatever its size), and each raw transaction once.
import { classifyTransaction, participants } from "./classify.ts";
import type { EnhancedTransaction } from "./helius-transaction.ts";

export type SignalBatch = {
  received_at: string;
  transactions: { signature: string; raw: unknown }[];
  signals: Record<string, unknown>[];
};

// Postgres jsonb cannot hold a NUL character: one in any field of the raw payload (a token name, a
// memo) would make the whole delivery fail and Helius retry it forever. The fields WallTrack reads
// are validated base58; elsewhere NULs are dropped from what is kept for the audit trail.
export function withoutNulCharacters(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replaceAll("\u0000", "") : value;
  if (Array.isArray(value)) return value.map(withoutNulCharacters);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNulCharacters(k) as string, withoutNulCharacters(v)]));
  }
  return value;
}

export function buildSignalBatch(transactions: EnhancedTransaction[], raw: unknown[], receivedAt: Date) {
  const batch: SignalBatch = { received_at: receivedAt.toISOString(), transactions: [], signals: [] };
  let failed = 0;
  transactions.forEach((tx, i) => {
    if (tx.transactionError !== null && tx.transactionError !== undefined) {
      failed += 1;
      return;
    }
    const { signals } = classifyTransaction(tx, () => true);
    if (signals.length === 0) return;
    batch.transactions.push({ signature: tx.signature, raw: withoutNulCharacters(raw[i]) });
    for (const s of signals) {
      batch.signals.push({
        wallet: s.wallet,
        signal_type: s.signalType,
        token_mint: s.tokenMint,
        token_decimals: s.tokenDecimals,
        token_in: s.tokenIn,
        token_out: s.tokenOut,
        amount_in: s.amountIn,
        amount_out: s.amountOut,
        price: s.price,
        price_all_in: s.priceAllIn,
        price_usd: s.priceUsd,
        transaction_signature: s.transactionSignature,
        slot: s.slot,
        block_time: s.blockTime,
      });
    }
  });
  return { batch, failed, participants: transactions.reduce((n, tx) => n + participants(tx).size, 0) };
}
