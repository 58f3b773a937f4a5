import { expect, test } from "vitest";
import { divide, formatUnits, parseUnits, rawFromFloat, unitPrice } from "../../supabase/functions/_shared/decimal.ts";

test("formatUnits places the decimal point exactly, without exponent or trailing zeros", () => {
  expect(formatUnits(18663358445n, 6)).toBe("18663.358445");
  expect(formatUnits(-5000n, 9)).toBe("-0.000005");
  expect(formatUnits(150000000000n, 9)).toBe("150");
  expect(formatUnits(0n, 6)).toBe("0");
  expect(formatUnits(986522966206510436n, 9)).toBe("986522966.206510436"); // past 2^53, exact
});

test("parseUnits inverts formatUnits and refuses extra precision or non-numbers", () => {
  expect(parseUnits("18663.358445", 6)).toBe(18663358445n);
  expect(parseUnits("-0.5", 9)).toBe(-500000000n);
  expect(parseUnits("1.10", 1)).toBe(11n);
  expect(() => parseUnits("0.0000001", 6)).toThrow("more than 6 decimal places");
  expect(() => parseUnits("1e-7", 9)).toThrow("not a decimal number");
});

test("rawFromFloat recovers lamports from Helius's decimal-adjusted floats", () => {
  expect(rawFromFloat(20.040000002, 9)).toBe(20040000002n);
  expect(rawFromFloat(0.01, 9)).toBe(10000000n);
  expect(rawFromFloat(0.000027145, 9)).toBe(27145n);
  expect(() => rawFromFloat(Number.NaN, 9)).toThrow("not a finite amount");
});

test("divide rounds half away from zero at the given scale", () => {
  expect(divide(1n, 3n, 4)).toBe("0.3333");
  expect(divide(2n, 3n, 4)).toBe("0.6667");
  expect(divide(-1n, 8n, 2)).toBe("-0.13");
  expect(divide(10n, 4n, 0)).toBe("3");
  expect(() => divide(1n, 0n)).toThrow("division by zero");
});

test("unitPrice divides amounts of different decimals", () => {
  // 0.01 SOL (9 dp) for 18663.358445 tokens (6 dp)
  expect(unitPrice(10000000n, 9, 18663358445n, 6)).toBe("0.00000053580924513");
  // 52.293757 USDC (6 dp) for 24.780010555 AURY (9 dp)
  expect(unitPrice(52293757n, 6, 24780010555n, 9, 6)).toBe("2.11032");
});
