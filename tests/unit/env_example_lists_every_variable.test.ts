// .env.example documents every variable a function reads, with a comment above it.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

const functionsDir = new URL("../../supabase/functions/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

test("every Deno.env.get(...) name in supabase/functions is in .env.example", () => {
  const used = new Set<string>();
  for (const file of sourceFiles(functionsDir)) {
    for (const match of readFileSync(file, "utf8").matchAll(/Deno\.env\.get\(\s*["']([A-Z0-9_]+)["']\s*\)/g)) {
      used.add(match[1]);
    }
  }
  expect(used.size).toBeGreaterThan(0);
  const example = readFileSync(path.join(functionsDir, ".env.example"), "utf8");
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z0-9_]+)=/gm)].map((m) => m[1]));
  expect([...used].filter((name) => !documented.has(name))).toEqual([]);
});
