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
    batch.transactions.push({ signature: tx.signature, raw: raw[i] });
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
