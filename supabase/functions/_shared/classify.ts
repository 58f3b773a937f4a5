// Turns one enhanced transaction into BUY/SELL signals, one per watched wallet that traded in it
// (ADR-007). Only the wallet's own balance changes and its transfers with the other side count:
// Helius's `type`, `events.swap`, `feePayer` and `tokenStandard` are unreliable (fixtures/API.md
// section 1.3), so they are never read.
//
// A transaction is first checked for what cannot be true of a real one (`inconsistency`): an
// account listed twice, a token account with two balance changes, a mint with two decimals or
// with the wrong decimals for a known mint, a block time in the future. Such input is refused,
// never half-trusted.
//
// For a watched wallet W:
//   token deltas   = W's tokenBalanceChanges summed by mint (exact integers)
//   quote mints    = SOL (native + WSOL), USDC, USDT; every other mint is a token, quote-like
//                    assets (LSTs, other stablecoins, wrapped majors) included: whether a swap
//                    into one is a conversion is the decision's (walltrack.token_list_reason), from
//                    a list the operator edits without a code change
//   the token      = exactly one token moved; a token with 0 decimals is an NFT or a receipt
//                    (a position NFT, an LP position), whatever label Helius gives it
//   token for token = exactly two tokens moved, one in and one out, each with a counterparty:
//                    both readings are offered (BUY of what came in paid in what went out, SELL of
//                    what went out paid in what came in, `tokenPair`), and Postgres keeps the one
//                    the token lists make true (walltrack.token_pair_reading_kept): a memecoin
//                    paid in mSOL or PYUSD is a BUY, mSOL -> JitoSOL a conversion, two ordinary
//                    tokens nothing. The quote's USD price is then the asset's, fetched at the
//                    decision.
//   counterparty   = who sent W the token (BUY) or received it (SELL) in tokenTransfers; a token
//                    minted to W, burned by W or moved without a transfer has none: not a trade
//   swap leg       = the quote that went to the other side (BUY) or came from it (SELL):
//                    a stablecoin moved the other way by a transfer, else W's WSOL transfers,
//                    else W's native SOL transfers with the counterparties (pump.fun curves),
//                    else what the counterparties' own SOL changed by, when W's moved the
//                    other way (a program moving lamports without a transfer instruction).
//                    Rent, network fees and tips never go to the counterparty, so a token that
//                    arrived while SOL left only as rent (an airdrop claim, a migration) has no
//                    swap leg and is not a signal.
//   BUY / SELL     = the token up / down with a swap leg the other way.
// The signal's quote amount is the swap leg and `price` is swap leg / token. `priceAllIn` is W's
// whole change of the quote per token: for SOL the native change (network fee included when W
// paid it, rent and tips included) plus the WSOL change; null when that change does not go the
// trade's way (a sale whose proceeds do not cover its fees).
// Not signals: transfers, airdrops, mints and burns, NFT trades, DCA or limit fills whose quote
// leg belongs to a keeper, swaps of more than two tokens, and anything whose quote moved only as
// rent or fees.
import { abs, formatUnits, rawFromFloat, unitPrice } from "./decimal.ts";
import type { EnhancedTransaction } from "./helius-transaction.ts";
import { SOL_DECIMALS, USDC_MINT, USDT_MINT, WSOL_MINT } from "./mints.ts";

const STABLE_DECIMALS: Record<string, number> = { [USDC_MINT]: 6, [USDT_MINT]: 6 };
const KNOWN_DECIMALS: Record<string, number> = { [WSOL_MINT]: SOL_DECIMALS, ...STABLE_DECIMALS };
// Block times come from the validators' clocks; a few seconds of skew against ours is normal, a
// block time minutes ahead is not (and would slip past the stale-signal filter).
export const FUTURE_TOLERANCE_SECONDS = 120;

export type Signal = {
  wallet: string;
  signalType: "BUY" | "SELL";
  tokenMint: string;
  tokenDecimals: number;
  quoteMint: string; // WSOL_MINT stands for SOL, native or wrapped
  tokenIn: string;
  tokenOut: string;
  amountIn: string; // exact, in token units; the quote side is the swap leg
  amountOut: string;
  price: string; // swap leg per token, in the quote
  priceAllIn: string | null; // the wallet's whole quote change per token (network fee, rent, tips included)
  priceUsd: string | null; // known at once only for a stable quote
  quoteUsd: string | null; // a USD stablecoin quote is worth 1; SOL and token quotes are priced at the decision
  tokenPair: boolean; // one of the two readings of a token-for-token swap
  transactionSignature: string;
  slot: number;
  blockTime: number; // unix seconds (Helius `timestamp`)
};

export type NotASignal = { wallet: string; reason: string };

// `refused`: the transaction itself cannot be trusted, so nobody's signal is taken from it.
export type Classification = { signals: Signal[]; ignored: NotASignal[]; refused?: string };

type Delta = { raw: bigint; decimals: number };
type TokenTransfer = EnhancedTransaction["tokenTransfers"][number];
type NativeTransfer = EnhancedTransaction["nativeTransfers"][number];

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

// Why a transaction cannot be taken as it is, or null. `nowSeconds` is the webhook's clock.
export function inconsistency(tx: EnhancedTransaction, nowSeconds: number): string | null {
  if (tx.timestamp > nowSeconds + FUTURE_TOLERANCE_SECONDS) {
    // No "by how much": a redelivery seconds later must give the same reason (one row per refusal).
    return `block time ${tx.timestamp} is more than ${FUTURE_TOLERANCE_SECONDS} s ahead of the webhook's clock`;
  }
  const accounts = new Set<string>();
  const tokenAccounts = new Set<string>();
  const decimals = new Map<string, number>(Object.entries(KNOWN_DECIMALS));
  for (const entry of tx.accountData) {
    if (accounts.has(entry.account)) return `accountData lists account ${entry.account} twice`;
    accounts.add(entry.account);
    for (const change of entry.tokenBalanceChanges) {
      // A token account holds one mint: it has one balance change per transaction.
      const tokenAccount = change.tokenAccount || entry.account;
      if (tokenAccounts.has(tokenAccount)) return `token account ${tokenAccount} has two balance changes`;
      tokenAccounts.add(tokenAccount);
      const known = decimals.get(change.mint);
      const given = change.rawTokenAmount.decimals;
      if (known === undefined) decimals.set(change.mint, given);
      else if (known !== given) {
        return change.mint in KNOWN_DECIMALS
          ? `mint ${change.mint} is given ${given} decimals; it has ${known}`
          : `mint ${change.mint} is given ${given} and ${known} decimals in one transaction`;
      }
    }
  }
  return null;
}

// Each wallet's deltas and transfers, gathered in one pass so that classifying every participant
// costs the size of the transaction, not its square (50,000 participants once held the runtime
// for 20 s).
type Index = {
  tokens: Map<string, Map<string, Delta>>;
  native: Map<string, bigint>;
  tokenTransfers: Map<string, TokenTransfer[]>;
  nativeTransfers: Map<string, NativeTransfer[]>;
};

function push<T>(map: Map<string, T[]>, key: string | null | undefined, value: T) {
  if (!key) return;
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexTransaction(tx: EnhancedTransaction): Index {
  const index: Index = { tokens: new Map(), native: new Map(), tokenTransfers: new Map(), nativeTransfers: new Map() };
  for (const entry of tx.accountData) {
    index.native.set(entry.account, BigInt(entry.nativeBalanceChange));
    for (const change of entry.tokenBalanceChanges) {
      let deltas = index.tokens.get(change.userAccount);
      if (!deltas) index.tokens.set(change.userAccount, deltas = new Map());
      const previous = deltas.get(change.mint);
      deltas.set(change.mint, {
        raw: (previous?.raw ?? 0n) + BigInt(change.rawTokenAmount.tokenAmount),
        decimals: change.rawTokenAmount.decimals,
      });
    }
  }
  for (const transfer of tx.tokenTransfers) {
    push(index.tokenTransfers, transfer.fromUserAccount, transfer);
    if (transfer.toUserAccount !== transfer.fromUserAccount) push(index.tokenTransfers, transfer.toUserAccount, transfer);
  }
  for (const transfer of tx.nativeTransfers) {
    push(index.nativeTransfers, transfer.fromUserAccount, transfer);
    if (transfer.toUserAccount !== transfer.fromUserAccount) push(index.nativeTransfers, transfer.toUserAccount, transfer);
  }
  return index;
}

// Transfers that carry something from W to another party (paying) or from another party to W.
const outgoing = (t: { fromUserAccount?: string | null; toUserAccount?: string | null }, wallet: string) =>
  t.fromUserAccount === wallet && !!t.toUserAccount && t.toUserAccount !== wallet;
const incoming = (t: { fromUserAccount?: string | null; toUserAccount?: string | null }, wallet: string) =>
  t.toUserAccount === wallet && !!t.fromUserAccount && t.fromUserAccount !== wallet;

// The SOL that went to (BUY) or came from (SELL) the other side of the trade: the wallet's WSOL
// transfers or, when it paid in native SOL (pump.fun curves), its native transfers with the
// counterparties of the token. Not both: an RFQ fill shows one payment as a WSOL transfer and as
// its native twin. A program may also move lamports out of an account it owns without a transfer
// instruction (a curve paying a seller): then the counterparties' own balance change is the leg,
// provided the wallet's SOL moved the trade's way too.
function solSwapLeg(index: Index, wallet: string, counterparties: Set<string>, buying: boolean, walletSol: bigint): bigint {
  const moves = buying ? outgoing : incoming;
  const wrapped = (index.tokenTransfers.get(wallet) ?? [])
    .filter((t) => t.mint === WSOL_MINT && moves(t, wallet))
    .reduce((sum, t) => sum + rawFromFloat(t.tokenAmount, SOL_DECIMALS), 0n);
  if (wrapped > 0n) return wrapped;
  const native = (index.nativeTransfers.get(wallet) ?? [])
    .filter((t) => moves(t, wallet) && counterparties.has((buying ? t.toUserAccount : t.fromUserAccount) ?? ""))
    .reduce((sum, t) => sum + BigInt(t.amount), 0n);
  if (native > 0n || walletSol === 0n || (walletSol > 0n) === buying) return native;
  return [...counterparties]
    .map((party) => index.native.get(party) ?? 0n)
    .reduce((sum, change) => sum + (buying ? (change > 0n ? change : 0n) : (change < 0n ? -change : 0n)), 0n);
}

// Who sent W the token (BUY) or received it (SELL), or why it was not a trade.
function counterpartiesOf(index: Index, wallet: string, mint: string, buying: boolean): Set<string> | string {
  const legs = (index.tokenTransfers.get(wallet) ?? [])
    .filter((t) => t.mint === mint && (buying ? t.toUserAccount === wallet : t.fromUserAccount === wallet));
  if (!buying && legs.some((t) => !t.toUserAccount && !t.toTokenAccount)) return "burn: the token was destroyed, not sold";
  const counterparties = new Set(
    legs.map((t) => (buying ? t.fromUserAccount : t.toUserAccount)).filter((a): a is string => !!a && a !== wallet),
  );
  if (counterparties.size === 0) {
    return `token ${buying ? "received" : "sent"} without a counterparty (minted, burned or moved outside a transfer)`;
  }
  return counterparties;
}

type Quote = { mint: string; decimals: number; leg: bigint; allIn: bigint; usd: string | null };

function signalOf(tx: EnhancedTransaction, wallet: string, mint: string, token: Delta, quote: Quote, tokenPair: boolean): Signal {
  const buying = token.raw > 0n;
  const tokenAmount = abs(token.raw);
  const price = unitPrice(quote.leg, quote.decimals, tokenAmount, token.decimals);
  // What the wallet paid in all (BUY) or kept in all (SELL); only meaningful the trade's way.
  const allIn = buying ? -quote.allIn : quote.allIn;
  const priceAllIn = allIn > 0n ? unitPrice(allIn, quote.decimals, tokenAmount, token.decimals) : null;
  const tokenUnits = formatUnits(tokenAmount, token.decimals);
  const quoteUnits = formatUnits(quote.leg, quote.decimals);
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
    priceAllIn: priceAllIn === "0" ? null : priceAllIn,
    // A USD stablecoin is taken at 1; SOL and a token quote need their USD price, at the decision.
    priceUsd: quote.usd === "1" ? price : null,
    quoteUsd: quote.usd,
    tokenPair,
    transactionSignature: tx.signature,
    slot: tx.slot,
    blockTime: tx.timestamp,
  };
}

// Two tokens, one in and one out, each moved by a transfer with another party: both readings.
function tokenPair(tx: EnhancedTransaction, index: Index, wallet: string, tokens: [string, Delta][]): Signal[] | NotASignal {
  const received = tokens.find(([, d]) => d.raw > 0n);
  const sent = tokens.find(([, d]) => d.raw < 0n);
  if (!received || !sent) return { wallet, reason: `2 tokens changed the same way (${tokens[0][1].raw > 0n ? "both received" : "both sent"})` };
  for (const [mint, delta] of [received, sent]) {
    const counterparties = counterpartiesOf(index, wallet, mint, delta.raw > 0n);
    if (typeof counterparties === "string") return { wallet, reason: `token for token: ${counterparties}` };
  }
  const asQuote = ([mint, delta]: [string, Delta]): Quote => ({ mint, decimals: delta.decimals, leg: abs(delta.raw), allIn: delta.raw, usd: null });
  return [
    signalOf(tx, wallet, received[0], received[1], asQuote(sent), true),
    signalOf(tx, wallet, sent[0], sent[1], asQuote(received), true),
  ];
}

function classifyWallet(tx: EnhancedTransaction, index: Index, wallet: string): Signal[] | NotASignal {
  const deltas = index.tokens.get(wallet) ?? new Map<string, Delta>();
  if ([...deltas.values()].some((d) => d.raw !== 0n && d.decimals === 0)) {
    return { wallet, reason: "non-fungible token (NFT) trade: a token with 0 decimals moved" };
  }
  const tokens = [...deltas.entries()].filter(([mint, d]) => !(mint in KNOWN_DECIMALS) && d.raw !== 0n);
  if (tokens.length === 0) return { wallet, reason: "no token balance changed" };
  if (tokens.length === 2) return tokenPair(tx, index, wallet, tokens);
  if (tokens.length > 2) return { wallet, reason: `${tokens.length} tokens changed (multi-token)` };

  const [[mint, token]] = tokens;
  const buying = token.raw > 0n;
  const transfers = index.tokenTransfers.get(wallet) ?? [];
  const counterparties = counterpartiesOf(index, wallet, mint, buying);
  if (typeof counterparties === "string") return { wallet, reason: counterparties };

  const stable = Object.entries(STABLE_DECIMALS).find(([q]) => {
    const raw = deltas.get(q)?.raw ?? 0n;
    return raw !== 0n && (raw > 0n) !== buying && transfers.some((t) => t.mint === q && (buying ? outgoing : incoming)(t, wallet));
  });
  const solAllIn = (index.native.get(wallet) ?? 0n) + (deltas.get(WSOL_MINT)?.raw ?? 0n);
  const quote: Quote = stable
    ? { mint: stable[0], decimals: stable[1], leg: abs(deltas.get(stable[0])!.raw), allIn: deltas.get(stable[0])!.raw, usd: "1" }
    : { mint: WSOL_MINT, decimals: SOL_DECIMALS, leg: solSwapLeg(index, wallet, counterparties, buying, solAllIn), allIn: solAllIn, usd: null };
  if (quote.leg === 0n) {
    const onlyRent = solAllIn !== 0n && (solAllIn > 0n) !== buying;
    return {
      wallet,
      reason: `token ${buying ? "received" : "sent"} without a quote leg the other way${onlyRent ? ": SOL moved only as rent or fees, not with the counterparty" : ""}`,
    };
  }

  return [signalOf(tx, wallet, mint, token, quote, false)];
}

export function classifyTransaction(
  tx: EnhancedTransaction,
  isWatched: (address: string) => boolean,
  nowSeconds = Math.floor(Date.now() / 1000),
): Classification {
  const result: Classification = { signals: [], ignored: [] };
  if (tx.transactionError !== null && tx.transactionError !== undefined) return result;
  const refused = inconsistency(tx, nowSeconds);
  if (refused) return { ...result, refused };
  const index = indexTransaction(tx);
  for (const wallet of participants(tx)) {
    if (!isWatched(wallet)) continue;
    const outcome = index.tokens.has(wallet) ? classifyWallet(tx, index, wallet) : { wallet, reason: "no token balance changed" };
    if (Array.isArray(outcome)) result.signals.push(...outcome);
    else result.ignored.push(outcome);
  }
  return result;
}
