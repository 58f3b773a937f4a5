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
