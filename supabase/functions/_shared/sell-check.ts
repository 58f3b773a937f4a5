// The sell check before entry, I/O only: for each token walltrack.sell_checks_needed names, what
// Jupiter would give for the SOL we would spend (buy leg) and for selling back what that buys
// (sell leg), and the mint account's Token-2022 transfer fee and hook (Solana RPC getAccountInfo,
// jsonParsed). walltrack.store_sell_checks keeps the amounts and computes the round trip;
// walltrack.sell_check_reason judges them. Jupiter's "no route" is a measurement (stored, the BUY
// refused sell_no_route); any other failure of either API is no measurement at all: nothing is
// stored for that token and its BUYs are filtered sell_check_unavailable, never bought blind.
import { z } from "zod";
import { ApiError, expectShape, type Fetch } from "./api-client.ts";
import { fetchQuote, type Quote } from "./jupiter-swap.ts";
import { WSOL_MINT } from "./mints.ts";
import type { Settings } from "./settings.ts";
import { SolanaRpc } from "./solana-rpc.ts";

export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";

export type SellCheckNeed = { mint: string; size_usd: string | number; sol_in_lamports: string };

// One row of walltrack.store_sell_checks. Amounts are raw integers as decimal strings.
export type SellCheck = {
  mint: string;
  size_usd: string | number;
  outcome: "route" | "no_route";
  sol_in_lamports: string;
  token_raw: string | null;
  sol_out_lamports: string | null;
  price_impact_fraction: string | null; // Jupiter's priceImpactPct (a fraction) of the sell leg
  token_2022: boolean;
  transfer_fee_bps: number;
  transfer_hook_program: string | null;
};

export type SellCheckResult = { checks: SellCheck[]; failures: { mint: string; errors: string[] }[] };

// Jupiter answers HTTP 400 with one of these codes when it cannot route a pair (the second for a
// token it refuses to trade): a fact about the token, not a failure of the API.
const NO_ROUTE = /COULD_NOT_FIND_ANY_ROUTE|TOKEN_NOT_TRADABLE/;

export function isNoRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && NO_ROUTE.test(error.message);
}

const extension = z.looseObject({ extension: z.string(), state: z.unknown().nullish() });
const transferFee = z.looseObject({ transferFeeBasisPoints: z.number().int().min(0).max(10_000) });
const feeConfig = z.looseObject({ newerTransferFee: transferFee, olderTransferFee: transferFee });
const hook = z.looseObject({ programId: z.string().nullable() });
const mintAccount = z.looseObject({
  value: z.looseObject({
    owner: z.string(),
    data: z.looseObject({
      parsed: z.looseObject({ type: z.literal("mint"), info: z.looseObject({ extensions: z.array(extension).nullish() }) }),
    }),
  }).nullable(),
});

export type MintExtensions = { token2022: boolean; transferFeeBps: number; transferHookProgram: string | null };

// What a mint account says about selling: its program, the transfer fee (the higher of the older
// and the newer fee: the newer one takes effect at an epoch we do not ask for), and the program of
// an active transfer hook (a hook extension without a program calls nothing).
export function mintExtensions(result: unknown, mint: string): MintExtensions {
  const parsed = expectShape("solana-rpc", mintAccount, result);
  if (!parsed.value) throw new ApiError("solana-rpc", "malformed", `getAccountInfo: no account for mint ${mint}`);
  const { owner } = parsed.value;
  if (owner !== TOKEN_PROGRAM && owner !== TOKEN_2022_PROGRAM) {
    throw new ApiError("solana-rpc", "malformed", `getAccountInfo: ${mint} is owned by ${owner}, not a token program`);
  }
  let transferFeeBps = 0;
  let transferHookProgram: string | null = null;
  for (const e of parsed.value.data.parsed.info.extensions ?? []) {
    if (e.extension === "transferFeeConfig") {
      const fee = expectShape("solana-rpc", feeConfig, e.state);
      transferFeeBps = Math.max(fee.newerTransferFee.transferFeeBasisPoints, fee.olderTransferFee.transferFeeBasisPoints);
    } else if (e.extension === "transferHook") {
      transferHookProgram = expectShape("solana-rpc", hook, e.state).programId;
    }
  }
  return { token2022: owner === TOKEN_2022_PROGRAM, transferFeeBps, transferHookProgram };
}

async function fetchMintExtensions(rpc: SolanaRpc, mint: string): Promise<MintExtensions> {
  const result = await rpc.call<unknown>("getAccountInfo", [mint, { encoding: "jsonParsed", commitment: "confirmed" }]);
  return mintExtensions(result, mint);
}

// Both legs; null when Jupiter has no route for one of them.
async function roundTrip(settings: Settings, mint: string, lamports: bigint, fetchImpl?: Fetch): Promise<{ buy: Quote; sell: Quote } | null> {
  const options = { apiKey: settings.jupiterApiKey, fetch: fetchImpl, timeoutMs: settings.apiTimeoutMs };
  try {
    const buy = await fetchQuote(settings.jupiterUrl, { inputMint: WSOL_MINT, outputMint: mint, amountRaw: lamports, slippageBps: 50 }, options);
    if (BigInt(buy.outAmount) === 0n) return null;
    const sell = await fetchQuote(settings.jupiterUrl, { inputMint: mint, outputMint: WSOL_MINT, amountRaw: BigInt(buy.outAmount), slippageBps: 50 }, options);
    return { buy, sell };
  } catch (error) {
    if (isNoRoute(error)) return null;
    throw error;
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function measureSellChecks(needs: SellCheckNeed[], settings: Settings, fetchImpl?: Fetch): Promise<SellCheckResult> {
  const rpc = new SolanaRpc(settings.solanaRpcUrl, fetchImpl, settings.apiTimeoutMs);
  const outcomes = await Promise.allSettled(needs.map(async (need): Promise<SellCheck> => {
    const [trip, mint] = await Promise.all([
      roundTrip(settings, need.mint, BigInt(need.sol_in_lamports), fetchImpl),
      fetchMintExtensions(rpc, need.mint),
    ]);
    return {
      mint: need.mint,
      size_usd: need.size_usd,
      outcome: trip ? "route" : "no_route",
      sol_in_lamports: need.sol_in_lamports,
      token_raw: trip?.buy.outAmount ?? null,
      sol_out_lamports: trip?.sell.outAmount ?? null,
      price_impact_fraction: trip ? String(trip.sell.priceImpactPct ?? "0") : null,
      token_2022: mint.token2022,
      transfer_fee_bps: mint.transferFeeBps,
      transfer_hook_program: mint.transferHookProgram,
    };
  }));
  const checks: SellCheck[] = [];
  const failures: SellCheckResult["failures"] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === "fulfilled") checks.push(outcome.value);
    else failures.push({ mint: needs[i].mint, errors: [describe(outcome.reason)] });
  });
  return { checks, failures };
}
