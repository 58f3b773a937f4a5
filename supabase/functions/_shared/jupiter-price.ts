// Jupiter Price v3: GET {JUPITER_API_URL}/price/v3?ids=<mints> (at most 50), x-api-key when set.
// A mint missing from the answer has no reliable price: it is left out, never guessed.
import { z } from "zod";
import { expectShape, type Fetch, getJson } from "./api-client.ts";

export const JUPITER_PRICE_BATCH = 50;

const prices = z.record(z.string(), z.looseObject({ usdPrice: z.number().positive() }).nullable());

export async function fetchJupiterPrices(
  baseUrl: string,
  mints: string[],
  options: { apiKey?: string; fetch?: Fetch; timeoutMs?: number } = {},
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (let i = 0; i < mints.length; i += JUPITER_PRICE_BATCH) {
    const batch = mints.slice(i, i + JUPITER_PRICE_BATCH);
    const body = await getJson("jupiter-price", `${baseUrl}/price/v3?ids=${batch.join(",")}`, {
      ...options,
      headers: options.apiKey ? { "x-api-key": options.apiKey } : {},
    });
    const answer = expectShape("jupiter-price", prices, body);
    for (const mint of batch) {
      const entry = answer[mint];
      if (entry) result.set(mint, String(entry.usdPrice));
    }
  }
  return result;
}
