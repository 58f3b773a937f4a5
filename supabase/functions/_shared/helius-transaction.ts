// The enhanced-transaction shape Helius posts, validated with zod. Tolerant of unknown fields and
// of every field WallTrack does not read; strict on the ones it does (signature, balance changes,
// transfers), and bounded by what one Solana transaction can hold, so that the work a delivery
// costs is bounded too (the hosted runtime allows 2 s of CPU per request).
import { z } from "zod";

const base58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
// A public key is 32 bytes: 32 to 44 base58 characters.
export const solanaAddress = z.string().regex(base58, "not base58").min(32).max(44);
// An account field Helius fills with an address or leaves empty (the missing side of a mint or a
// burn, fee accounts sometimes).
const account = z.union([z.literal(""), solanaAddress]);
const signature = z.string().regex(base58, "not base58").min(64).max(88);

// SPL token amounts are u64: a balance cannot change by more than 2^64 - 1 base units.
export const U64_MAX = 18446744073709551615n;
const INTEGER = /^-?\d{1,20}$/;
// zod runs every check even after one fails: the range check must not assume the format.
const tokenDelta = z.string().regex(INTEGER, "not an integer string of at most 20 digits")
  .refine((value) => !INTEGER.test(value) || (value.startsWith("-") ? -BigInt(value) : BigInt(value)) <= U64_MAX,
    "beyond the u64 range of a token amount");
const safeInteger = z.number().int().refine(Number.isSafeInteger, "not a safe integer");

// What one transaction can hold: at most 256 account keys (one-byte indexes), each token account
// holding one mint. Transfers are instructions and inner instructions; real swaps routed through
// several pools show a few dozen.
export const LIMITS = {
  accounts: 256,
  tokenBalanceChanges: 256,
  tokenTransfers: 512,
  nativeTransfers: 512,
  // Enhanced transactions nest about 7 levels (events.swap.innerSwaps[].tokenInputs[].rawTokenAmount).
  depth: 32,
} as const;

const tokenBalanceChange = z.looseObject({
  userAccount: solanaAddress,
  tokenAccount: account.optional(),
  mint: solanaAddress,
  rawTokenAmount: z.looseObject({
    tokenAmount: tokenDelta,
    decimals: z.number().int().min(0).max(18),
  }),
});

const accountData = z.looseObject({
  account: solanaAddress,
  nativeBalanceChange: safeInteger,
  tokenBalanceChanges: z.array(tokenBalanceChange).max(LIMITS.tokenBalanceChanges).optional().default([]),
});

const tokenTransfer = z.looseObject({
  fromUserAccount: account.nullish(),
  toUserAccount: account.nullish(),
  fromTokenAccount: account.nullish(),
  toTokenAccount: account.nullish(),
  // Helius divides by 10^decimals: at most u64 base units of a mint with no decimals.
  tokenAmount: z.number().finite().min(0).max(Number(U64_MAX)),
  mint: solanaAddress,
  tokenStandard: z.string().max(64).nullish(),
});

const nativeTransfer = z.looseObject({
  fromUserAccount: account.nullish(),
  toUserAccount: account.nullish(),
  amount: safeInteger.refine((value) => value >= 0, "a negative transfer"),
});

export const enhancedTransaction = z.looseObject({
  signature,
  slot: safeInteger.refine((value) => value >= 0, "a negative slot"),
  timestamp: safeInteger.refine((value) => value >= 0, "a negative timestamp"),
  fee: safeInteger.refine((value) => value >= 0, "a negative fee"),
  feePayer: solanaAddress,
  type: z.string().max(100).optional(),
  source: z.string().max(100).optional(),
  transactionError: z.unknown().optional(),
  accountData: z.array(accountData).max(LIMITS.accounts).optional().default([]),
  tokenTransfers: z.array(tokenTransfer).max(LIMITS.tokenTransfers).optional().default([]),
  nativeTransfers: z.array(nativeTransfer).max(LIMITS.nativeTransfers).optional().default([]),
}).refine(
  (tx) => tx.accountData.reduce((n, a) => n + a.tokenBalanceChanges.length, 0) <= LIMITS.tokenBalanceChanges,
  `more than ${LIMITS.tokenBalanceChanges} token balance changes`,
);

export type EnhancedTransaction = z.infer<typeof enhancedTransaction>;

// How deeply a JSON value nests, walked without recursion (a hostile 5,000-level nesting must not
// overflow the stack), stopping as soon as `limit` is exceeded.
export function nestingDepthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return false;
}

// The same shape checked by hand, for speed: zod costs about 0.1 ms per real transaction, most of
// a delivery's CPU. It never decides alone that a transaction is bad: it returns the transaction
// as enhancedTransaction would parse it (defaults filled in), or null as soon as anything is not
// plainly valid, and the caller then asks zod for the verdict and its words. So a refusal and its
// reason are zod's, and the fast path can only be stricter than zod (tests/unit/
// fast_transaction_check.test.ts holds it to zod's output on every fixture and on mutations).
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const isAddress = (value: unknown) =>
  typeof value === "string" && value.length >= 32 && value.length <= 44 && base58.test(value);
const isAccount = (value: unknown) => value === "" || isAddress(value);
const isOptionalAccount = (value: unknown) => value === undefined || value === null || isAccount(value);
const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isSafe = (value: unknown) => Number.isSafeInteger(value);
const isTokenDelta = (value: unknown) =>
  typeof value === "string" && INTEGER.test(value) && (value.startsWith("-") ? -BigInt(value) : BigInt(value)) <= U64_MAX;
const isShortString = (value: unknown, max: number) => typeof value === "string" && value.length <= max;
const U64_MAX_NUMBER = Number(U64_MAX);

function plainBalanceChange(change: unknown): boolean {
  if (!isObject(change) || !isAddress(change.userAccount) || !isAddress(change.mint)) return false;
  if (change.tokenAccount !== undefined && !isAccount(change.tokenAccount)) return false;
  const raw = change.rawTokenAmount;
  return isObject(raw) && isTokenDelta(raw.tokenAmount) && Number.isSafeInteger(raw.decimals)
    && (raw.decimals as number) >= 0 && (raw.decimals as number) <= 18;
}

export function plainEnhancedTransaction(item: unknown): EnhancedTransaction | null {
  if (!isObject(item)) return null;
  const tx = item;
  if (typeof tx.signature !== "string" || tx.signature.length < 64 || tx.signature.length > 88 || !base58.test(tx.signature)) return null;
  if (!isCount(tx.slot) || !isCount(tx.timestamp) || !isCount(tx.fee) || !isAddress(tx.feePayer)) return null;
  if (tx.type !== undefined && !isShortString(tx.type, 100)) return null;
  if (tx.source !== undefined && !isShortString(tx.source, 100)) return null;

  let accountData = tx.accountData === undefined ? [] : tx.accountData;
  if (!Array.isArray(accountData) || accountData.length > LIMITS.accounts) return null;
  let balanceChanges = 0;
  let filled: unknown[] | null = null; // copies only when a default must be filled in
  for (let i = 0; i < accountData.length; i++) {
    const account = accountData[i];
    if (!isObject(account) || !isAddress(account.account) || !isSafe(account.nativeBalanceChange)) return null;
    const changes = account.tokenBalanceChanges;
    if (changes === undefined) {
      filled ??= accountData.slice();
      filled[i] = { ...account, tokenBalanceChanges: [] };
      continue;
    }
    if (!Array.isArray(changes) || changes.length > LIMITS.tokenBalanceChanges) return null;
    for (const change of changes) if (!plainBalanceChange(change)) return null;
    balanceChanges += changes.length;
  }
  if (balanceChanges > LIMITS.tokenBalanceChanges) return null;
  if (filled) accountData = filled;

  const tokenTransfers = tx.tokenTransfers === undefined ? [] : tx.tokenTransfers;
  if (!Array.isArray(tokenTransfers) || tokenTransfers.length > LIMITS.tokenTransfers) return null;
  for (const t of tokenTransfers) {
    if (!isObject(t) || !isOptionalAccount(t.fromUserAccount) || !isOptionalAccount(t.toUserAccount)
      || !isOptionalAccount(t.fromTokenAccount) || !isOptionalAccount(t.toTokenAccount) || !isAddress(t.mint)) return null;
    if (typeof t.tokenAmount !== "number" || !Number.isFinite(t.tokenAmount) || t.tokenAmount < 0 || t.tokenAmount > U64_MAX_NUMBER) return null;
    if (t.tokenStandard !== undefined && t.tokenStandard !== null && !isShortString(t.tokenStandard, 64)) return null;
  }
  const nativeTransfers = tx.nativeTransfers === undefined ? [] : tx.nativeTransfers;
  if (!Array.isArray(nativeTransfers) || nativeTransfers.length > LIMITS.nativeTransfers) return null;
  for (const t of nativeTransfers) {
    if (!isObject(t) || !isOptionalAccount(t.fromUserAccount) || !isOptionalAccount(t.toUserAccount) || !isCount(t.amount)) return null;
  }
  return { ...tx, accountData, tokenTransfers, nativeTransfers } as EnhancedTransaction;
}

// enhancedTransaction.safeParse's answer, by the fast path when it can tell.
export function parseEnhancedTransaction(item: unknown): ReturnType<typeof enhancedTransaction.safeParse> {
  const plain = plainEnhancedTransaction(item);
  return plain ? { success: true, data: plain } as ReturnType<typeof enhancedTransaction.safeParse> : enhancedTransaction.safeParse(item);
}
