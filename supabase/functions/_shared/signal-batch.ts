// Builds what one webhook delivery records, transaction by transaction: each transaction stands
// alone. A valid one gives the candidate signals of every participant (Postgres keeps those of
// watched wallets, so the delivery costs one round trip whatever its size) and its raw payload
// once; a refused one (malformed, nested too deep, inconsistent, unpriceable, or failing in any
// other way) gives a rejection with its reason and never costs the others their record.
import { classifyTransaction, participants } from "./classify.ts";
import { LIMITS, nestingDepthExceeds, parseEnhancedTransaction } from "./helius-transaction.ts";

export type SignalBatch = {
  received_at: string;
  transactions: { signature: string; raw: unknown }[];
  signals: Record<string, unknown>[];
};

export type Rejection = {
  position: number; // index in the delivery
  signature: string | null; // as sent, when it was a string
  reason: string;
  excerpt: string; // the start of the transaction as JSON, for the operator
};

export type RejectionBatch = { received_at: string; rejections: Rejection[] };

const EXCERPT_CHARS = 2000;
const SIGNATURE_CHARS = 128;
const REASON_CHARS = 2000;

// Postgres jsonb holds neither a NUL character nor a lone UTF-16 surrogate: one in any field of
// the raw payload (a token name, a memo) would fail the whole delivery. The fields WallTrack reads
// are validated base58; elsewhere NULs are dropped and lone surrogates become U+FFFD in what is
// kept for the audit trail. Recursive: only called on values whose depth was checked.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storableString = (value: string) => value.replaceAll("\u0000", "").replace(LONE_SURROGATE, "\uFFFD");
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storableString(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableString(k), storableJson(v)]));
  }
  return value;
}

// Whether JSON text, once parsed, holds no NUL and no lone surrogate: in valid JSON both can only
// be written as \u escapes (a raw control character or an unpaired surrogate is refused by the
// UTF-8 decoder or JSON.parse). Any \u0000 or \uD800-\uDFFF escape, even a paired or escaped
// one, answers false: the caller then cleans value by value (storableJson).
const NUL_OR_SURROGATE_ESCAPE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;
export const storableText = (json: string) => !NUL_OR_SURROGATE_ESCAPE.test(json);

function excerpt(raw: unknown): string {
  try {
    return storableString((JSON.stringify(raw) ?? String(raw)).slice(0, EXCERPT_CHARS));
  } catch (error) {
    return `(not serialisable: ${error instanceof Error ? error.message : String(error)})`;
  }
}

function givenSignature(raw: unknown): string | null {
  const signature = (raw as { signature?: unknown } | null)?.signature;
  return typeof signature === "string" ? storableString(signature.slice(0, SIGNATURE_CHARS)) : null;
}

// `storable`: the caller knows that no string of the delivery holds a NUL or a lone surrogate
// (storableText on its body), so each transaction is kept as it is, not copied value by value.
export function buildSignalBatch(raw: unknown[], receivedAt: Date, storable = false) {
  const batch: SignalBatch = { received_at: receivedAt.toISOString(), transactions: [], signals: [] };
  const rejected: RejectionBatch = { received_at: receivedAt.toISOString(), rejections: [] };
  const nowSeconds = Math.floor(receivedAt.getTime() / 1000);
  let failed = 0;
  let candidates = 0;
  const refuse = (position: number, reason: string) =>
    rejected.rejections.push({
      position,
      signature: givenSignature(raw[position]),
      reason: storableString(reason.slice(0, REASON_CHARS)),
      excerpt: excerpt(raw[position]),
    });

  raw.forEach((item, i) => {
    try {
      if (nestingDepthExceeds(item, LIMITS.depth)) return refuse(i, `nested deeper than ${LIMITS.depth} levels`);
      const parsed = parseEnhancedTransaction(item);
      if (!parsed.success) {
        return refuse(i, `not an enhanced transaction: ${
          parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")
        }`);
      }
      const tx = parsed.data;
      if (tx.transactionError !== null && tx.transactionError !== undefined) {
        failed += 1;
        return;
      }
      const classification = classifyTransaction(tx, () => true, nowSeconds);
      if (classification.refused) return refuse(i, classification.refused);
      candidates += participants(tx).size;
      // A price below 10^-18 of the quote per token is not a real trade (and cannot be stored).
      const priced = classification.signals.filter((s) => s.price !== "0");
      for (const s of classification.signals) {
        if (s.price === "0") refuse(i, `wallet ${s.wallet}: its price rounds to 0 at 18 decimal places`);
      }
      if (priced.length === 0) return;
      batch.transactions.push({ signature: tx.signature, raw: storable ? item : storableJson(item) });
      for (const s of priced) {
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
          quote_usd_price: s.quoteUsd,
          token_pair: s.tokenPair,
          transaction_signature: s.transactionSignature,
          slot: s.slot,
          block_time: s.blockTime,
        });
      }
    } catch (error) {
      refuse(i, `could not be classified: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return { batch, rejected, failed, participants: candidates };
}
