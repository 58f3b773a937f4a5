// The check npm test runs on the functions the way the Supabase CLI resolves them: it fails on a
// config that needs the repository's node_modules, and the size it measures counts npm packages.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { checkIsolated, isolatedFunctions, measureFunction } from "../../scripts/lib/function-bundle.ts";

const isolated = isolatedFunctions();
afterAll(() => isolated.cleanup());

test("every function resolves from a copy of supabase/functions alone; a node_modules-bound config would not", () => {
  expect(isolated.functions).toEqual(expect.arrayContaining(["order-executor", "helius-webhook", "health"]));
  expect(() => checkIsolated(isolated)).not.toThrow();
  const config = path.join(isolated.dir, "deno.json");
  const original = readFileSync(config, "utf8");
  try {
    writeFileSync(config, original.replace('"nodeModulesDir": "none"', '"nodeModulesDir": "manual"'));
    expect(() => checkIsolated(isolated)).toThrow(/node_modules/);
  } finally {
    writeFileSync(config, original);
  }
}, 60_000);

test("a function's size counts its npm packages whole, so the executor outweighs health", () => {
  const health = measureFunction(isolated, "health");
  const executor = measureFunction(isolated, "order-executor");
  expect(health.npmPackages).toBe(1); // postgres
  expect(executor.npmPackages).toBeGreaterThan(health.npmPackages);
  expect(executor.bytes).toBeGreaterThan(health.bytes + 2_000_000); // zod alone is several MB
  expect(executor.brotliBytes).toBeGreaterThan(0);
  expect(executor.brotliBytes).toBeLessThan(executor.bytes);
}, 60_000);
