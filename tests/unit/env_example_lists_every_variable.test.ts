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

test("every variable a function reads (Deno.env.get or settings.ts) is in .env.example", () => {
  const used = new Set<string>();
  const reads = [
    /Deno\.env\.get\(\s*["']([A-Z0-9_]+)["']\s*\)/g, // Deno.env.get("NAME")
    /\benv\.([A-Z][A-Z0-9_]+)/g, // env.NAME in settings.ts
    /\(env,\s*["']([A-Z0-9_]+)["']/g, // positiveInteger(env, "NAME", ...)
  ];
  for (const file of sourceFiles(functionsDir)) {
    const text = readFileSync(file, "utf8");
    for (const pattern of reads) for (const match of text.matchAll(pattern)) used.add(match[1]);
  }
  expect(used).toContain("HELIUS_WEBHOOK_SECRET");
  // The server-side secrets the internal functions accept (ADR-012) are read, hence documented.
  for (const name of ["WALLTRACK_INTERNAL_SECRET", "SUPABASE_SERVICE_ROLE_KEY", "SUPABASE_SECRET_KEYS"]) expect(used).toContain(name);
  expect(used.size).toBeGreaterThan(0);
  const example = readFileSync(path.join(functionsDir, ".env.example"), "utf8");
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z0-9_]+)=/gm)].map((m) => m[1]));
  expect([...used].filter((name) => !documented.has(name))).toEqual([]);
});
