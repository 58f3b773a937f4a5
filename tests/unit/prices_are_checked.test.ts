// A price from an outside source is read entry by entry: non-finite, non-positive and absurd values
// are refused alone, and the rest of the answer is used (issue 12: "Infinity" from DexScreener was
// stored; one malformed entry failed a whole 50-mint Jupiter batch).
import { expect, test } from "vitest";
import { fetchDexscreenerPairs, usdPriceFromPairs } from "../../supabase/functions/_shared/dexscreener.ts";
import { fetchJupiterPrices, type RefusedPrice } from "../../supabase/functions/_shared/jupiter-price.ts";
import { MAX_USD_PRICE, parseUsdPrice } from "../../supabase/functions/_shared/price.ts";

// A fetch answering every request with this exact JSON text (JSON.stringify cannot write 1e400).
const answering = (text: string) => (async () => new Response(text, { status: 200, headers: { "content-type": "application/json" } })) as typeof fetch;

test("a sane price becomes a plain decimal string, exactly", () => {
  expect(parseUsdPrice(147.48)).toEqual({ usd: "147.48" });
  expect(parseUsdPrice("0.000012345")).toEqual({ usd: "0.000012345" });
  expect(parseUsdPrice(1.5e-9)).toEqual({ usd: "0.0000000015" });
  expect(parseUsdPrice("2.5E3")).toEqual({ usd: "2500" });
  expect(parseUsdPrice("007.10")).toEqual({ usd: "7.1" });
  expect(parseUsdPrice(MAX_USD_PRICE)).toEqual({ usd: "1000000000" });
});

test("non-finite, non-numeric, non-positive and absurd prices are refused with their reason", () => {
  for (const value of ["Infinity", "-Infinity", "NaN", Infinity, NaN, "", "1,5", "0x10", null, undefined, {}, [], true, "1e"]) {
    expect(parseUsdPrice(value), String(value)).toEqual({ refused: "not_a_number" });
  }
  for (const value of [0, -1, "-0.5", "0.000", "-0", -1e-9]) {
    expect(parseUsdPrice(value), String(value)).toEqual({ refused: "not_positive" });
  }
  for (const value of [1e300, "1e300", "1000000000.01", MAX_USD_PRICE * 10, "1e99999"]) {
    expect(parseUsdPrice(value), String(value)).toEqual({ refused: "absurd" });
  }
});

test("Jupiter: one malformed entry is refused alone, the rest of the batch is used", async () => {
  const refused: RefusedPrice[] = [];
  const prices = await fetchJupiterPrices("http://jupiter.test", ["Good", "Huge", "Inf", "Text", "Neg", "Junk", "NoPrice", "Absent"], {
    fetch: answering(`{"Good": {"usdPrice": 1.25}, "Huge": {"usdPrice": 1e300}, "Inf": {"usdPrice": 1e400},
      "Text": {"usdPrice": "Infinity"}, "Neg": {"usdPrice": -3}, "Junk": "garbage", "NoPrice": {"liquidity": 5}, "Absent": null}`),
    refused,
  });
  expect([...prices]).toEqual([["Good", "1.25"]]);
  expect(refused).toEqual([
    { mint: "Huge", source: "jupiter", observed: "1e+300", reason: "absurd" },
    { mint: "Inf", source: "jupiter", observed: "null", reason: "not_a_number" },
    { mint: "Text", source: "jupiter", observed: '"Infinity"', reason: "not_a_number" },
    { mint: "Neg", source: "jupiter", observed: "-3", reason: "not_positive" },
    { mint: "Junk", source: "jupiter", observed: "(missing)", reason: "not_a_number" },
    { mint: "NoPrice", source: "jupiter", observed: "(missing)", reason: "not_a_number" },
  ]);
});

test("DexScreener: a pair priced Infinity is refused, a malformed pair is dropped, the sane deepest pair is used", async () => {
  const pair = (address: string, priceUsd: unknown, liquidity: number) =>
    ({ chainId: "solana", dexId: "raydium", pairAddress: `P${address}${liquidity}`, baseToken: { address }, quoteToken: { address: "Q" },
       priceUsd, liquidity: { usd: liquidity } });
  const pairs = await fetchDexscreenerPairs("http://dex.test", ["A", "B"], {
    fetch: answering(JSON.stringify([
      pair("A", "Infinity", 900_000), pair("A", "0.0042", 10_000), pair("A", "NaN", 5),
      { chainId: "solana", broken: true }, pair("B", 7, 1), pair("B", "3.5", 2),
    ])),
  });
  expect(pairs).toHaveLength(4); // the broken pair and B's pair with a numeric priceUsd are dropped, alone
  const refused: RefusedPrice[] = [];
  expect(usdPriceFromPairs(pairs, "A", refused)).toBe("0.0042");
  expect(refused.map((r) => [r.observed, r.reason])).toEqual([['"Infinity"', "not_a_number"], ['"NaN"', "not_a_number"]]);
  expect(usdPriceFromPairs(pairs, "B")).toBe("3.5");
});

test("hostile input: whatever a source sends, parsing never throws and only a sane plain decimal passes", () => {
  let seed = 12;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pieces = ["0", "1", "9", ".", "-", "+", "e", "E", "Infinity", "NaN", " ", "x", "\u0000", "\ud800", "1e400", "00", "5e-7"];
  const values: unknown[] = [1e308, -1e308, Number.MIN_VALUE, -0, 2 ** 53, 1e-400, Number.MAX_SAFE_INTEGER];
  for (let i = 0; i < 5000; i++) {
    values.push(Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join(""));
    values.push((random() - 0.3) * 10 ** Math.floor(random() * 40 - 20));
  }
  for (const value of values) {
    const parsed = parseUsdPrice(value);
    if ("usd" in parsed) {
      expect(parsed.usd, String(value)).toMatch(/^\d+(\.\d*[1-9])?$/);
      expect(parsed.usd, String(value)).not.toMatch(/^0(\.0*)?$/);
      expect(Number(parsed.usd) <= MAX_USD_PRICE, String(value)).toBe(true);
    } else {
      expect(["not_a_number", "not_positive", "absurd"]).toContain(parsed.refused);
    }
  }
});
