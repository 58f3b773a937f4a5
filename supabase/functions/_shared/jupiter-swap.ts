// Jupiter Metis v1: GET {JUPITER_API_URL}/swap/v1/quote, then POST /swap/v1/swap with the quote
// unchanged; the answer is an unsigned VersionedTransaction (base64) valid until
// lastValidBlockHeight. Amounts are raw integer strings. x-api-key when a key is set.
import { z } from "zod";
import { ApiError, expectShape, type Fetch, requestJson } from "./api-client.ts";

const quote = z.looseObject({
  inputMint: z.string(),
  inAmount: z.string().regex(/^\d+$/),
  outputMint: z.string(),
  outAmount: z.string().regex(/^\d+$/),
  otherAmountThreshold: z.string().regex(/^\d+$/),
  slippageBps: z.number().int(),
  routePlan: z.array(z.unknown()),
  priceImpactPct: z.string().regex(/^-?\d+(\.\d+)?$/).nullish(), // a decimal fraction (0.01 = 1 %)
  contextSlot: z.number().int().nullish(),
});
export type Quote = z.infer<typeof quote>;

const swap = z.looseObject({
  swapTransaction: z.string().min(1),
  lastValidBlockHeight: z.number().int().positive(),
  prioritizationFeeLamports: z.number().int().nullish(),
});
export type Swap = z.infer<typeof swap>;

type Options = { apiKey?: string | null; fetch?: Fetch; timeoutMs?: number };

const headers = (apiKey?: string | null): Record<string, string> => (apiKey ? { "x-api-key": apiKey } : {});

export async function fetchQuote(
  baseUrl: string,
  request: { inputMint: string; outputMint: string; amountRaw: bigint; slippageBps: number },
  options: Options = {},
): Promise<Quote> {
  const query = new URLSearchParams({
    inputMint: request.inputMint,
    outputMint: request.outputMint,
    amount: request.amountRaw.toString(),
    slippageBps: String(request.slippageBps),
    restrictIntermediateTokens: "true",
  });
  const body = await requestJson("jupiter-quote", `${baseUrl}/swap/v1/quote?${query}`, { ...options, headers: headers(options.apiKey) });
  const parsed = expectShape("jupiter-quote", quote, body);
  if (parsed.inputMint !== request.inputMint || parsed.outputMint !== request.outputMint) {
    throw new ApiError("jupiter-quote", "malformed", "quote is for other mints than asked");
  }
  return parsed;
}

// prioritizationFeeLamports of the request: a number of lamports, or Jupiter's estimate at a
// priority level with a cap ({priorityLevelWithMaxLamports: {priorityLevel, maxLamports}},
// walltrack.priority_fee_request).
export type PriorityFee = number | { priorityLevelWithMaxLamports: { priorityLevel: string; maxLamports: number } };

export async function fetchSwap(
  baseUrl: string,
  request: { quote: Quote; userPublicKey: string; priorityFeeLamports: PriorityFee },
  options: Options = {},
): Promise<Swap> {
  const body = await requestJson("jupiter-swap", `${baseUrl}/swap/v1/swap`, {
    ...options,
    method: "POST",
    headers: headers(options.apiKey),
    body: {
      quoteResponse: request.quote,
      userPublicKey: request.userPublicKey,
      wrapAndUnwrapSol: true,
      dynamicComputeUnitLimit: true,
      prioritizationFeeLamports: request.priorityFeeLamports,
    },
  });
  return expectShape("jupiter-swap", swap, body);
}
