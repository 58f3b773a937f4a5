// The mints are written once on each side: mints.ts for TypeScript, walltrack.wsol_mint() for SQL.
// They must say the same thing, and no other source file may spell a mint out again.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, test } from "vitest";
import { repoRoot } from "../../scripts/lib/paths.ts";
import { USDC_MINT, USDT_MINT, WSOL_MINT } from "../../supabase/functions/_shared/mints.ts";
import { connect } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

test("walltrack.wsol_mint() is mints.ts's WSOL_MINT", async () => {
  const [{ mint }] = await sql<{ mint: string }[]>`select walltrack.wsol_mint() as mint`;
  expect(mint).toBe(WSOL_MINT);
});

test("no function, migration or script spells a mint out besides mints.ts and walltrack.wsol_mint()", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const file = path.join(dir, name);
      return statSync(file).isDirectory() ? files(file) : /\.(ts|sql)$/.test(name) ? [file] : [];
    });
  const sources = ["supabase/functions", "supabase/migrations", "scripts", "bench", "tests/support"].flatMap((dir) => files(path.join(repoRoot, dir)));
  const spelled = sources.flatMap((file) =>
    [WSOL_MINT, USDC_MINT, USDT_MINT].filter((mint) => readFileSync(file, "utf8").includes(mint)).map((mint) => `${path.relative(repoRoot, file)}: ${mint}`));
  expect(spelled.sort()).toEqual([
    `supabase/functions/_shared/mints.ts: ${USDC_MINT}`,
    `supabase/functions/_shared/mints.ts: ${USDT_MINT}`,
    `supabase/functions/_shared/mints.ts: ${WSOL_MINT}`,
    `supabase/migrations/20261205130000_mints_decimals_and_simulated_fills.sql: ${WSOL_MINT}`,
  ].sort());
});
