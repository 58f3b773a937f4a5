// Exact decimal arithmetic on BigInt for token amounts and prices: amounts never pass through a
// float. Decimal strings are plain ("123.45", "-0.001"), never exponent notation.

// A raw integer amount with `decimals` places, as a decimal string: (1500000, 6) -> "1.5".
export function formatUnits(raw: bigint, decimals: number): string {
  const negative = raw < 0n;
  const digits = (negative ? -raw : raw).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

// A decimal string to a raw integer with `decimals` places; refuses more precision than that.
export function parseUnits(value: string, decimals: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ""] = match;
  if (fraction.replace(/0+$/, "").length > decimals) {
    throw new Error(`${value} has more than ${decimals} decimal places`);
  }
  const raw = BigInt(whole + fraction.slice(0, decimals).padEnd(decimals, "0"));
  return sign ? -raw : raw;
}

// A JSON number that Helius already divided by 10^decimals (tokenTransfers[].tokenAmount), back to
// a raw integer. Doubles carry about 15 significant digits, enough for one transfer of WSOL
// (9 places) below ten million SOL; rounding to the mint's places removes the binary noise.
export function rawFromFloat(value: number, decimals: number): bigint {
  if (!Number.isFinite(value)) throw new Error(`not a finite amount: ${value}`);
  // toFixed switches to exponent notation from 1e21 on.
  if (Math.abs(value) >= 1e21) throw new Error(`amount out of range: ${value}`);
  return parseUnits(value.toFixed(decimals), decimals);
}

// numerator / denominator as a decimal string with `scale` fractional digits, rounded half up
// (away from zero). Both operands are raw integers already brought to the same unit.
export function divide(numerator: bigint, denominator: bigint, scale = 18): string {
  if (denominator === 0n) throw new Error("division by zero");
  const negative = (numerator < 0n) !== (denominator < 0n);
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const factor = 10n ** BigInt(scale);
  const quotient = (n * factor * 2n + d) / (2n * d);
  const text = formatUnits(quotient, scale);
  return negative && quotient !== 0n ? `-${text}` : text;
}

// The ratio of two token amounts given as raw integers with their own decimals: the price of one
// unit of `base` in units of `quote`, e.g. SOL per token.
export function unitPrice(quoteRaw: bigint, quoteDecimals: number, baseRaw: bigint, baseDecimals: number, scale = 18): string {
  // (quote / 10^qd) / (base / 10^bd) = quote * 10^bd / (base * 10^qd)
  return divide(quoteRaw * 10n ** BigInt(baseDecimals), baseRaw * 10n ** BigInt(quoteDecimals), scale);
}

export const abs = (value: bigint) => (value < 0n ? -value : value);
