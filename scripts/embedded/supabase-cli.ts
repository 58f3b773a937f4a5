// The real Supabase CLI pointed at a database URL (`--remote=<url>`): migrations, reset with seed,
// lint and type generation all go through it, never through a hand-written runner.
import { bin, repoRoot } from "../lib/paths.ts";
import { run, type RunResult } from "../lib/run.ts";

function remote(url: string): string {
  return `--remote=${url}${url.includes("?") ? "&" : "?"}sslmode=disable`;
}

export function supabase(args: string[], inherit = false): RunResult {
  return run(bin("supabase"), args, {
    cwd: repoRoot,
    stdio: inherit ? "inherit" : "pipe",
    // A --remote URL on config.toml's [db] port (54322) is taken for the Docker stack, and a reset
    // then asks Docker; moving the CLI's idea of the local port aside makes it a custom Postgres,
    // which is what the embedded cluster is.
    env: { ...process.env, SUPABASE_DB_PORT: "54390", SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
  });
}

function orThrow(what: string, result: RunResult): RunResult {
  if (result.status !== 0) throw new Error(`supabase ${what} failed (exit ${result.status})\n${result.stdout}${result.stderr}`);
  return result;
}

export const migrationUp = (url: string) => orThrow("migration up", supabase(["migration", "up", remote(url), "--yes"]));
// Migrations only, or with story 1.1's mock data (supabase/seed.sql) when asked: a real stack
// starts with an empty book.
export const resetDatabase = (url: string, { mockData = false } = {}) =>
  orThrow("db reset", supabase(["db", "reset", remote(url), "--yes", ...(mockData ? ["--sql-paths", "./seed.sql"] : ["--no-seed"])]));
export const generateTypes = (url: string) =>
  orThrow("gen types", supabase(["gen", "types", "typescript", remote(url), "--schema", "walltrack"]));
export const lintDatabase = (url: string) =>
  supabase(["db", "lint", remote(url), "--schema", "walltrack", "--level", "warning", "--fail-on", "warning"]);
