// The enhanced-transaction shape Helius posts, validated with zod. Tolerant of unknown fields and
// of every field WallTrack does not read; strict on the ones it does (signature, balance changes).
import { z } from "zod";

const base58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
export const solanaAddress = z.string().regex(base58, "not base58").min(32).max(44);
// An account field Helius fills with an address, or leaves empty (fee accounts sometimes are).
const account = z.string().max(64).regex(/^[1-9A-HJ-NP-Za-km-z]*$/, "not a base58 address");
const signature = z.string().regex(base58, "not base58").min(64).max(88);
const signedInteger = z.string().regex(/^-?\d{1,40}$/, "not an integer string");

const tokenBalanceChange = z.looseObject({
  userAccount: account,
  tokenAccount: account.optional(),
  mint: account,
  rawTokenAmount: z.looseObject({
    tokenAmount: signedInteger,
    decimals: z.number().int().min(0).max(18),
  }),
});

const accountData = z.looseObject({
  account: account,
  nativeBalanceChange: z.number().int().refine(Number.isSafeInteger, "not a safe integer"),
  tokenBalanceChanges: z.array(tokenBalanceChange).max(1000).optional().default([]),
});

const tokenTransfer = z.looseObject({
  fromUserAccount: account.nullish(),
  toUserAccount: account.nullish(),
  tokenAmount: z.number().finite(),
  mint: account,
  tokenStandard: z.string().max(64).nullish(),
});

const nativeTransfer = z.looseObject({
  fromUserAccount: account.nullish(),
  toUserAccount: account.nullish(),
  amount: z.number().int().refine(Number.isSafeInteger, "not a safe integer"),
});

export const enhancedTransaction = z.looseObject({
  signature,
  slot: z.number().int().min(0).refine(Number.isSafeInteger, "not a safe integer"),
  timestamp: z.number().int().min(0).refine(Number.isSafeInteger, "not a safe integer"),
  fee: z.number().int().min(0).refine(Number.isSafeInteger, "not a safe integer"),
  feePayer: account,
  type: z.string().max(100).optional(),
  source: z.string().max(100).optional(),
  transactionError: z.unknown().optional(),
  accountData: z.array(accountData).max(1000).optional().default([]),
  tokenTransfers: z.array(tokenTransfer).max(1000).optional().default([]),
  nativeTransfers: z.array(nativeTransfer).max(1000).optional().default([]),
});

export type EnhancedTransaction = z.infer<typeof enhancedTransaction>;
