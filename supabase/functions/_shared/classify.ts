// Turns one enhanced transaction into BUY/SELL signals, one per watched wallet that traded in it
// (ADR-007). Only the wallet's own net balance deltas count: Helius's `type`, `events.swap` and
// `feePayer` are unreliable (fixtures/API.md section 1.3), so they are never read.
//
// For a watched wallet W:
//   token deltas  = sum of W's tokenBalanceChanges by mint (exact integers)
//   SOL delta     = W's nativeBalanceChange + the network fee when W paid it + W's WSOL delta
//   quote mints   = SOL (native + WSOL), USDC, USDT; every other mint is a token
//   BUY           = exactly one token up and a quote down; SELL = one token down and a quote up
// Anything else is not a signal: NFT trades (a non-fungible tokenStandard), transfers and airdrops
// (no quote leg), DCA or limit fills whose
// quote leg belongs to a keeper, token->token swaps (two tokens move: ambiguous which side we
// would copy, and no real sample exists), and a token whose quote moved the same way (rent, fees).
// When a stablecoin moved opposite to the token it is the quote, since SOL then only moved by fees.
import { abs, formatUnits, rawFromFloat, unitPrice } from "./decimal.ts";
import type { EnhancedTransaction } from "./helius-transaction.ts";

export const WSOL_MINT = "So11111111111111111111111111111111111111112";
export const USDC_MINT = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
export const USDT_MINT = "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB";
const SOL_DECIMALS = 9;
const STABLE_DECIMALS: Record<string, number> = { [USDC_MINT]: 6, [USDT_MINT]: 6 };

export type Signal = {
  wallet: string;
  signalType: "BUY" | "SELL";
  tokenMint: string;
  tokenDecimals: number;
  quoteMint: string; // WSOL_MINT stands for SOL, native or wrapped
  tokenIn: string;
  tokenOut: string;
  amountIn: string; // exact, in token units
  amountOut: string;
  price: string; // swap-leg price of one token in the quote
  priceAllIn: string; // the wallet's whole quote delta per token (fee, rent and bot fees included)
  priceUsd: string | null; // known at once only for a stable quote
  transactionSignature: string;
  slot: number;
  blockTime: number; // unix seconds (Helius `timestamp`)
};

export type NotASignal = { wallet: string; reason: string };

export type Classification = { signals: Signal[]; ignored: NotASignal[] };

type Delta = { raw: bigint; decimals: number };

export function participants(tx: EnhancedTransaction): Set<string> {
  const addresses = new Set<string>([tx.feePayer]);
  for (const account of tx.accountData) {
    addresses.add(account.account);
    for (const change of account.tokenBalanceChanges) addresses.add(change.userAccount);
  }
  for (const transfer of [...tx.tokenTransfers, ...tx.nativeTransfers]) {
    if (transfer.fromUserAccount) addresses.add(transfer.fromUserAccount);
    if (transfer.toUserAccount) addresses.add(transfer.toUserAccount);
  }
  addresses.delete("");
  return addresses;
}

function tokenDeltas(tx: EnhancedTransaction, wallet: string): Map<string, Delta> {
  const deltas = new Map<string, Delta>();
  for (const account of tx.accountData) {
    for (const change of account.tokenBalanceChanges) {
      if (change.userAccount !== wallet) continue;
      const previous = deltas.get(change.mint);
      deltas.set(change.mint, {
        raw: (previous?.raw ?? 0n) + BigInt(change.rawTokenAmount.tokenAmount),
        decimals: change.rawTokenAmount.decimals,
      });
    }
  }
  return deltas;
}

function solDelta(tx: EnhancedTransaction, wallet: string, wsol: bigint): bigint {
  const native = tx.accountData
    .filter((account) => account.account === wallet)
    .reduce((sum, account) => sum + BigInt(account.nativeBalanceChange), 0n);
  return native + (tx.feePayer === wallet ? BigInt(tx.fee) : 0n) + wsol;
}

// The SOL that went to (BUY) or came from (SELL) the other side of the trade: the wallet's WSOL
// transfers or, when it paid in native SOL (pump.fun curves), its native transfers with the
// accounts that moved the token. Not both: an RFQ fill shows one payment as a WSOL transfer and
// as its native twin. Closer to the pool price than the all-in delta, which carries rent and fees.
function solSwapLeg(tx: EnhancedTransaction, wallet: string, mint: string, buying: boolean): bigint {
  const counterparties = new Set(
    tx.tokenTransfers
      .filter((t) => t.mint === mint && (buying ? t.toUserAccount === wallet : t.fromUserAccount === wallet))
      .map((t) => (buying ? t.fromUserAccount : t.toUserAccount))
      .filter((a): a is string => !!a && a !== wallet),
  );
  const wrapped = tx.tokenTransfers
    .filter((t) => t.mint === WSOL_MINT && (buying ? t.fromUserAccount === wallet : t.toUserAccount === wallet))
    .reduce((sum, t) => sum + rawFromFloat(t.tokenAmount, SOL_DECIMALS), 0n);
  const native = tx.nativeTransfers
    .filter((t) =>
      buying
        ? t.fromUserAccount === wallet && counterparties.has(t.toUserAccount ?? "")
        : t.toUserAccount === wallet && counterparties.has(t.fromUserAccount ?? "")
    )
    .reduce((sum, t) => sum + BigInt(t.amount), 0n);
  return wrapped > 0n ? wrapped : native;
}

function nonFungibleMints(tx: EnhancedTransaction): Set<string> {
  return new Set(
    tx.tokenTransfers.filter((t) => t.tokenStandard && !t.tokenStandard.startsWith("Fungible")).map((t) => t.mint),
  );
}

function classifyWallet(tx: EnhancedTransaction, wallet: string): Signal | NotASignal {
  const deltas = tokenDeltas(tx, wallet);
  const nfts = nonFungibleMints(tx);
  if ([...nfts].some((mint) => (deltas.get(mint)?.raw ?? 0n) !== 0n)) return { wallet, reason: "non-fungible token (NFT) trade" };
  const sol = solDelta(tx, wallet, deltas.get(WSOL_MINT)?.raw ?? 0n);
  const quotes: { mint: string; raw: bigint; decimals: number }[] = [
    ...Object.entries(STABLE_DECIMALS).map(([mint, decimals]) => ({ mint, raw: deltas.get(mint)?.raw ?? 0n, decimals })),
    { mint: WSOL_MINT, raw: sol, decimals: SOL_DECIMALS },
  ];
  const tokens = [...deltas.entries()].filter(([mint, d]) => !(mint in STABLE_DECIMALS) && mint !== WSOL_MINT && d.raw !== 0n);
  if (tokens.length === 0) return { wallet, reason: "no token balance changed" };
  if (tokens.length > 1) return { wallet, reason: `${tokens.length} tokens changed (token-to-token or multi-token)` };

  const [[mint, token]] = tokens;
  const buying = token.raw > 0n;
  const quote = quotes.find((q) => q.raw !== 0n && (q.raw > 0n) !== buying);
  if (!quote) return { wallet, reason: `token ${buying ? "received" : "sent"} without a quote leg the other way` };

  const tokenAmount = abs(token.raw);
  const quoteAllIn = abs(quote.raw);
  const swapLeg = quote.mint === WSOL_MINT ? solSwapLeg(tx, wallet, mint, buying) : quoteAllIn;
  const quoteSwapLeg = swapLeg > 0n ? swapLeg : quoteAllIn;
  const price = unitPrice(quoteSwapLeg, quote.decimals, tokenAmount, token.decimals);
  const tokenUnits = formatUnits(tokenAmount, token.decimals);
  const quoteUnits = formatUnits(quoteAllIn, quote.decimals);
  return {
    wallet,
    signalType: buying ? "BUY" : "SELL",
    tokenMint: mint,
    tokenDecimals: token.decimals,
    quoteMint: quote.mint,
    tokenIn: buying ? quote.mint : mint,
    tokenOut: buying ? mint : quote.mint,
    amountIn: buying ? quoteUnits : tokenUnits,
    amountOut: buying ? tokenUnits : quoteUnits,
    price,
    priceAllIn: unitPrice(quoteAllIn, quote.decimals, tokenAmount, token.decimals),
    // A stablecoin is taken at 1 USD; a SOL price needs SOL/USD, looked up when the signal is processed.
    priceUsd: quote.mint === WSOL_MINT ? null : price,
    transactionSignature: tx.signature,
    slot: tx.slot,
    blockTime: tx.timestamp,
  };
}

export function classifyTransaction(tx: EnhancedTransaction, isWatched: (address: string) => boolean): Classification {
  const result: Classification = { signals: [], ignored: [] };
  if (tx.transactionError !== null && tx.transactionError !== undefined) return result;
  for (const wallet of participants(tx)) {
    if (!isWatched(wallet)) continue;
    const outcome = classifyWallet(tx, wallet);
    if ("signalType" in outcome) result.signals.push(outcome);
    else result.ignored.push(outcome);
  }
  return result;
}
