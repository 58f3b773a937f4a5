// What a USD price from an outside source must be before anything is computed from it: a finite,
// positive decimal no larger than MAX_USD_PRICE. Each source's answer is read entry by entry, so one
// malformed entry ("Infinity", NaN, a negative, 1e300) is refused alone and never spoils the batch.
// walltrack.apply_prices refuses the same values again in SQL, as the last line.

// No token trades above a billion USD a unit: a price beyond that is a source's error.
export const MAX_USD_PRICE = 1_000_000_000;

export type PriceRefusal = "not_a_number" | "not_positive" | "absurd";
export type ParsedPrice = { usd: string } | { refused: PriceRefusal };

// A decimal in plain or exponent notation (what JSON numbers and the APIs' strings look like).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

// A price as a plain decimal string (no exponent), exact for a string and for what a JSON number
// printed as: "1.5e-9" -> "0.0000000015".
export function parseUsdPrice(value: unknown): ParsedPrice {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : null;
  if (text === null || !DECIMAL.test(text)) return { refused: "not_a_number" };
  const plain = plainDecimal(text);
  if (plain === null) return { refused: "absurd" };
  if (plain.startsWith("-") || /^0(\.0*)?$/.test(plain)) return { refused: "not_positive" };
  const [whole] = plain.split(".");
  if (BigInt(whole) > BigInt(MAX_USD_PRICE) || (BigInt(whole) === BigInt(MAX_USD_PRICE) && /\.\d*[1-9]/.test(plain))) {
    return { refused: "absurd" };
  }
  return { usd: plain };
}

// "1.25e-3" -> "0.00125", "-2E2" -> "-200"; null when the exponent is beyond any real price.
function plainDecimal(text: string): string | null {
  const match = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const [, sign, whole, fraction, exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) return null;
  let digits = (whole + fraction).replace(/^0+/, "");
  if (digits === "") return "0";
  // The decimal point sits after `point` digits of `whole + fraction` (leading zeros dropped).
  let point = whole.replace(/^0+/, "").length + exponent;
  if (whole.replace(/^0+/, "") === "") point = -(fraction.length - fraction.replace(/^0+/, "").length) + exponent;
  let integer: string;
  let decimals: string;
  if (point <= 0) {
    integer = "0";
    decimals = "0".repeat(-point) + digits;
  } else if (point >= digits.length) {
    integer = digits + "0".repeat(point - digits.length);
    decimals = "";
  } else {
    integer = digits.slice(0, point);
    decimals = digits.slice(point);
  }
  decimals = decimals.replace(/0+$/, "");
  digits = decimals ? `${integer}.${decimals}` : integer;
  return sign === "-" ? `-${digits}` : digits;
}
