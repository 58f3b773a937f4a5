// Jupiter Price v3: GET {JUPITER_API_URL}/price/v3?ids=<mints> (at most 50), x-api-key when set.
// A mint missing from the answer has no reliable price: it is left out, never guessed. Each entry
// is read alone: one that is not a finite, positive, sane price is refused (pushed to `refused`
// when given) and the rest of the answer is used.
import { z } from "zod";
import { expectShape, type Fetch, requestJson } from "./api-client.ts";
import { parseUsdPrice, type PriceRefusal } from "./price.ts";

export const JUPITER_PRICE_BATCH = 50;

export type RefusedPrice = { mint: string; source: string; observed: string; reason: PriceRefusal };

// Only the answer's outline is required: an object of entries. What each entry holds is checked
// one by one below.
const answerShape = z.record(z.string(), z.unknown());

export async function fetchJupiterPrices(
  baseUrl: string,
  mints: string[],
  options: { apiKey?: string; fetch?: Fetch; timeoutMs?: number; refused?: RefusedPrice[] } = {},
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (let i = 0; i < mints.length; i += JUPITER_PRICE_BATCH) {
    const batch = mints.slice(i, i + JUPITER_PRICE_BATCH);
    const body = await requestJson("jupiter-price", `${baseUrl}/price/v3?ids=${batch.join(",")}`, {
      ...options,
      headers: options.apiKey ? { "x-api-key": options.apiKey } : {},
    });
    const answer = expectShape("jupiter-price", answerShape, body);
    for (const mint of batch) {
      const entry = answer[mint];
      if (entry === null || entry === undefined) continue;
      const observed = typeof entry === "object" ? (entry as { usdPrice?: unknown }).usdPrice : undefined;
      const parsed = parseUsdPrice(observed);
      if ("usd" in parsed) result.set(mint, parsed.usd);
      else options.refused?.push({ mint, source: "jupiter", observed: describe(observed), reason: parsed.refused });
    }
  }
  return result;
}

// What a source sent, for the operator's record (short, never the whole answer).
export const describe = (value: unknown) => (value === undefined ? "(missing)" : JSON.stringify(value) ?? String(value)).slice(0, 100);
