// The checks npm test runs on the functions the way the Supabase CLI resolves and bundles them: the
// resolution fails on a config that needs the repository's node_modules, and the size is that of
// the bundle the CLI would upload: the same module graph, npm packages whole, over the limit fails.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { checkIsolated, type DenoGraph, denoInfo, isolatedFunctions, measureFunction, oversized } from "../../scripts/lib/function-bundle.ts";

const isolated = isolatedFunctions();
afterAll(() => isolated.cleanup());

// The file: modules reachable from the root through value imports (`deno info` also lists the
// modules reached only by `import type`).
function localCodeModules(graph: DenoGraph): string[] {
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const reached = new Set<string>();
  const pending = [...graph.roots];
  while (pending.length > 0) {
    const specifier = pending.pop()!;
    if (reached.has(specifier) || !specifier.startsWith("file:")) continue;
    reached.add(specifier);
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dependency.code) pending.push(dependency.code.specifier);
    }
  }
  return [...reached].sort();
}

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

test("a function's bundle holds its own modules (as Deno resolves them) and its npm packages whole", async () => {
  const health = await measureFunction(isolated, "health");
  const executor = await measureFunction(isolated, "order-executor");
  // Each eszip carries exactly the local modules of Deno's own graph of the function that code
  // reaches (a module imported only for its types is erased, as the runtime's bundler erases it).
  for (const name of isolated.functions) {
    expect((await measureFunction(isolated, name)).modules, name).toEqual(localCodeModules(denoInfo(isolated, name)));
  }
  expect(executor.modules).toContain(`file://${isolated.dir}/_shared/solana-transaction.ts`);
  expect(health.npmPackages).toBe(1); // postgres
  expect(executor.npmPackages).toBeGreaterThan(health.npmPackages);
  expect(executor.npmBytes).toBeGreaterThan(health.npmBytes + 2_000_000); // zod alone is several MB
  expect(executor.bytes).toBe(executor.eszipBytes + executor.npmBytes);
  expect(executor.uploadBytes).toBeGreaterThan(4);
  expect(executor.uploadBytes).toBeLessThan(executor.bytes);
  expect(oversized([health, executor])).toEqual([]);
}, 60_000);

test("a function whose graph passes 20 MB is named by the check", async () => {
  // 21 MB that no compressor shrinks much, imported by health in the copy.
  const ballast = path.join(isolated.dir, "_shared", "ballast.json");
  const entry = path.join(isolated.dir, "health", "index.ts");
  const original = readFileSync(entry, "utf8");
  try {
    writeFileSync(ballast, JSON.stringify(randomBytes(15_750_000).toString("base64")));
    writeFileSync(entry, `import ballast from "../_shared/ballast.json" with { type: "json" };\nconsole.log(ballast.length);\n${original}`);
    const heavy = await measureFunction(isolated, "health");
    expect(heavy.eszipBytes).toBeGreaterThan(21_000_000);
    expect(heavy.uploadBytes).toBeGreaterThan(15_000_000);
    expect(oversized([heavy]).map((size) => size.name)).toEqual(["health"]);
  } finally {
    writeFileSync(entry, original);
  }
}, 120_000);
