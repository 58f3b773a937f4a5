// npm test: every suite against a database built for the run. It never touches a stack the user
// started: its own PostgreSQL cluster (temporary folder, port 54332) and functions runtime (54331).
// Ends with one line "N passed, N failed" summing every suite; exits non-zero on any failure.
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as cluster from "./embedded/cluster.ts";
import { functionsUrl, type Runtime } from "./embedded/functions-runtime.ts";
import { lintDatabase, resetDatabase } from "./embedded/supabase-cli.ts";
import { ensureSystemPackages } from "./embedded/system-packages.ts";
import { checkIsolated, type FunctionSize, isolatedFunctions, measureAll, megabytes, oversized, SIZE_LIMIT_BYTES } from "./lib/function-bundle.ts";
import { bin, repoRoot } from "./lib/paths.ts";
import { run, runAsync } from "./lib/run.ts";
import { countTap } from "./lib/tap.ts";
import { startThrowaway, type Throwaway } from "./lib/throwaway-stack.ts";
import { freePort } from "./lib/ports.ts";
import { notifyReplayEnv } from "../tests/support/replay.ts";
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";

type Suite = { name: string; passed: number; failed: number; failures: string[] };

const DB_PORT = Number(process.env.WALLTRACK_TEST_DB_PORT ?? 54332);
const FUNCTIONS_PORT = Number(process.env.WALLTRACK_TEST_FUNCTIONS_PORT ?? 54331);
const REPLAY_PORT = Number(process.env.WALLTRACK_TEST_REPLAY_PORT ?? 54333);
const suites: Suite[] = [];

function record(name: string, passed: number, failed: number, failures: string[] = []): void {
  suites.push({ name, passed, failed, failures });
  console.log(`${name}: ${passed} passed, ${failed} failed`);
  for (const failure of failures) console.log(`  FAIL ${failure}`);
}

function step(name: string, action: () => void): boolean {
  try {
    action();
    record(name, 1, 0);
    return true;
  } catch (error) {
    record(name, 0, 1, [error instanceof Error ? error.message : String(error)]);
    return false;
  }
}

async function stepAsync(name: string, action: () => Promise<void>): Promise<boolean> {
  try {
    await action();
    record(name, 1, 0);
    return true;
  } catch (error) {
    record(name, 0, 1, [error instanceof Error ? error.message : String(error)]);
    return false;
  }
}

async function typeChecks(): Promise<void> {
  step("typescript (tsc --noEmit)", () => {
    const result = run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"], { cwd: repoRoot });
    if (result.status !== 0) throw new Error(result.stdout + result.stderr);
  });
  step("deno check (edge functions and the embedded runtime)", () => {
    const functionsDir = path.join(repoRoot, "supabase/functions");
    const entries = readdirSync(functionsDir)
      .map((name) => path.join(functionsDir, name, "index.ts"))
      .filter((file) => existsSync(file));
    const result = run(bin("deno"), [
      "check", "--quiet", "--config", path.join(functionsDir, "deno.json"),
      ...entries, path.join(repoRoot, "scripts/embedded/runtime.ts"),
    ], { cwd: repoRoot });
    if (result.status !== 0) throw new Error(result.stdout + result.stderr);
  });
  // As `supabase functions serve/deploy` resolve them: a copy of supabase/functions alone, its
  // deno.json as the import map, DENO_NO_PACKAGE_JSON=1. This also fills Deno's npm cache, which
  // the functions runtime started later reads.
  const isolated = isolatedFunctions();
  try {
    const resolved = step("functions resolve and type-check from an isolated copy of supabase/functions (the CLI's way)", () => {
      if (isolated.functions.length === 0) throw new Error("no function found in supabase/functions");
      checkIsolated(isolated);
    });
    if (!resolved) return;
    await stepAsync(`every function's deployable size under ${megabytes(SIZE_LIMIT_BYTES)} MB`, async () => {
      const sizes: FunctionSize[] = await measureAll(isolated);
      for (const size of sizes) {
        console.log(`  ${size.name.padEnd(18)} ${megabytes(size.bytes).padStart(7)} MB bundled (${size.modules.length} modules, ${size.npmPackages} npm packages), upload ${megabytes(size.uploadBytes)} MB`);
      }
      const over = oversized(sizes);
      if (over.length > 0) throw new Error(over.map((size) => `${size.name}: ${megabytes(size.bytes)} MB bundled, ${megabytes(size.uploadBytes)} MB upload`).join("; "));
    });
  } finally {
    isolated.cleanup();
  }
}

function pgTap(db: cluster.Cluster): void {
  const result = run("pg_prove", [
    "--verbose", "--ext", ".sql", "-r", "-h", "127.0.0.1", "-p", String(db.port), "-U", "postgres", "-d", "postgres",
    path.join(repoRoot, "supabase/tests/database"),
  ], { env: { ...process.env, PGPASSWORD: "postgres" } });
  const count = countTap(result.stdout);
  if (result.status !== 0 && count.failed === 0) {
    count.failed = 1;
    // pg_prove names a bad plan or a script that died in its summary on stdout; stderr holds notices.
    const summary = result.stdout.slice(result.stdout.indexOf("Test Summary Report")).trim();
    count.failures.push(`pg_prove exited ${result.status}: ${summary || result.stderr.trim().split("\n").slice(-20).join("\n")}`);
  }
  if (count.passed + count.failed === 0) {
    count.failed = 1;
    count.failures.push("no pgTAP test ran");
  }
  record("pgTAP", count.passed, count.failed, count.failures);
}

// One vitest run (a config file) with its JSON report read back into a counted suite.
async function vitest(name: string, config: string, env: Record<string, string>, report: string): Promise<void> {
  // Async: the replay server of the external APIs lives in this process and must keep answering.
  const status = await runAsync(bin("vitest"), ["run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...env },
  });
  try {
    const summary = JSON.parse(readFileSync(report, "utf8"));
    const failures = summary.testResults
      .flatMap((file: { assertionResults: { status: string; fullName: string }[] }) => file.assertionResults)
      .filter((test: { status: string }) => test.status === "failed")
      .map((test: { fullName: string }) => test.fullName);
    // A file that fails to load has no assertion results: count it, so it cannot hide.
    const brokenFiles = summary.testResults.filter(
      (file: { status: string; assertionResults: unknown[] }) => file.status === "failed" && file.assertionResults.length === 0,
    ).length;
    const failed = summary.numFailedTests + brokenFiles + (summary.numTotalTests === 0 ? 1 : 0);
    if (summary.numTotalTests === 0) failures.push(`no ${name} test ran`);
    record(name, summary.numPassedTests, failed, failures);
    if (status !== 0 && failed === 0) record(`${name} exit status`, 0, 1, [`vitest exited ${status}`]);
  } catch (error) {
    record(name, 0, 1, [`no ${name} report (exit ${status}): ${error}`]);
  }
}

async function componentTests({ db, runtime, anonKey, serviceRoleKey, replayUrl }: Throwaway): Promise<void> {
  await vitest("vitest", "vitest.config.ts", {
    WALLTRACK_TEST_DB_URL: db.url,
    WALLTRACK_TEST_FUNCTIONS_URL: functionsUrl(runtime),
    WALLTRACK_TEST_ANON_KEY: anonKey,
    WALLTRACK_TEST_SERVICE_ROLE_KEY: serviceRoleKey,
    WALLTRACK_TEST_REPLAY_URL: replayUrl,
    WALLTRACK_TEST_WEBHOOK_SECRET: runtime.env?.HELIUS_WEBHOOK_SECRET ?? "",
    WALLTRACK_TEST_INTERNAL_SECRET: runtime.env?.WALLTRACK_INTERNAL_SECRET ?? "",
    WALLTRACK_TEST_SB_SECRET_KEY: JSON.parse(runtime.env?.SUPABASE_SECRET_KEYS ?? "{}").default ?? "",
    WALLTRACK_TEST_NOTIFY_WEBHOOK_SECRET: runtime.env?.WALLTRACK_WEBHOOK_SECRET ?? "",
    // The crash-and-restart suite stops and starts this runtime itself.
    WALLTRACK_TEST_RUNTIME: JSON.stringify(runtime),
  }, path.join(path.dirname(db.dataDir), "vitest.json"));
}

// The system tests start their own stack with `npm start` and wait on its schedule: they run
// beside everything else, from the start.
async function systemTests(): Promise<void> {
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "walltrack-system-report-"));
  try {
    await vitest("system tests (a started stack left to its schedule)", "vitest.system.config.ts", {}, path.join(reportDir, "vitest.json"));
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

// No secret the functions hold may appear in a walltrack table (views read the same rows) or in
// the functions' log, after everything the suites did.
function noSecretLeaked(db: cluster.Cluster, runtime: Runtime): void {
  const names = ["HELIUS_WEBHOOK_SECRET", "WALLTRACK_TRADING_KEY", "HELIUS_API_KEY", "WALLTRACK_INTERNAL_SECRET", "SUPABASE_SECRET_KEYS",
    "TELEGRAM_BOT_TOKEN", "DISCORD_WEBHOOK_URL", "WALLTRACK_WEBHOOK_SECRET"];
  // The secret of a JSON map is its default key; of the Discord webhook URL, its token (the last segment).
  const secretOf = (name: string) =>
    name === "SUPABASE_SECRET_KEYS" ? JSON.parse(runtime.env?.[name] ?? "{}").default
      : name === "DISCORD_WEBHOOK_URL" ? runtime.env?.[name]?.split("/").at(-1) : runtime.env?.[name];
  const secrets = names
    .map((name) => [name, secretOf(name)] as const)
    .filter((entry): entry is readonly [string, string] => !!entry[1]);
  step("no secret in any walltrack table or the functions' log", () => {
    const dump = run("pg_dump", ["--data-only", "--schema=walltrack", db.url]);
    if (dump.status !== 0) throw new Error(dump.stderr);
    const log = readFileSync(runtime.logFile, "utf8");
    const leaks = secrets.flatMap(([name, value]) => [
      ...(dump.stdout.includes(value) ? [`${name} found in the walltrack data`] : []),
      ...(log.includes(value) ? [`${name} found in the functions' log`] : []),
    ]);
    if (secrets.length < names.length) leaks.push("the runtime was started without its secrets: nothing was checked");
    if (leaks.length > 0) throw new Error(leaks.join("; "));
  });
}

async function benchSmoke(): Promise<void> {
  // Its stack starts late in the run, beside the suites' open connections: on ports free now
  // (scripts/lib/ports.ts) unless given.
  const env = {
    ...process.env,
    WALLTRACK_BENCH_DB_PORT: process.env.WALLTRACK_BENCH_DB_PORT ?? String(await freePort()),
    WALLTRACK_BENCH_FUNCTIONS_PORT: process.env.WALLTRACK_BENCH_FUNCTIONS_PORT ?? String(await freePort()),
  };
  const status = await runAsync(bin("tsx"), [path.join(repoRoot, "bench/bench.ts"), "--smoke"], { cwd: repoRoot, env, stdio: ["ignore", "inherit", "inherit"] });
  step("npm run bench, smoke sizes", () => {
    if (status !== 0) throw new Error(`bench --smoke exited ${status}`);
    const { rows } = JSON.parse(readFileSync(path.join(repoRoot, "bench/results/smoke.json"), "utf8"));
    const trips = rows.filter((r: { case: string }) => r.case.includes("DB round trips per request"));
    if (rows.length < 10 || trips.length === 0) throw new Error(`bench wrote ${rows.length} rows`);
    const notOne = trips.filter((r: { figure: number }) => r.figure !== 1);
    if (notOne.length > 0) throw new Error(`webhook round trips per request not 1: ${JSON.stringify(notOne)}`);
  });
}

async function main(): Promise<number> {
  ensureSystemPackages(true);
  await typeChecks();
  const system = systemTests();
  const workDir = mkdtempSync(path.join(os.tmpdir(), "walltrack-test-"));
  let stack: Throwaway | null = null;
  try {
    // The external APIs are the replay of fixtures/ on loopback: no test reaches the internet.
    stack = await startThrowaway({
      dataDir: path.join(workDir, "data"),
      runDir: path.join(workDir, "run"),
      dbPort: DB_PORT,
      functionsPort: FUNCTIONS_PORT,
      replayPort: REPLAY_PORT,
      env: {
        HELIUS_WEBHOOK_SECRET: `test-secret-${randomUUID()}`,
        API_TIMEOUT_MS: "1500",
        // One poll per scheduled price-monitor run, as before polling: the integration suites move
        // prices and call the monitor themselves, and a background poller between two of their
        // steps would race them. Polling is tested by tests/unit/price_monitor_polling and, on a
        // stack with the default budget, by the system test.
        PRICE_MONITOR_BUDGET_MS: "1",
        HELIUS_API_KEY: "test-helius-key",
        // Server-side secrets the internal functions accept besides the service_role key (ADR-012):
        // the operator's own, and a new-style secret key as hosted projects inject them.
        WALLTRACK_INTERNAL_SECRET: `test-internal-${randomUUID()}`,
        SUPABASE_SECRET_KEYS: JSON.stringify({ default: `sb_secret_${randomUUID().replaceAll("-", "")}` }),
        // A throwaway key: live orders are signed for real and sent to the replayed chain.
        WALLTRACK_TRADING_KEY: bs58.encode(Keypair.generate().secretKey),
        // The notification channels, on the replay, with credentials of their real shape.
        ...notifyReplayEnv(`http://127.0.0.1:${REPLAY_PORT}`, {
          telegramToken: `7${randomUUID().replace(/\D/g, "").slice(0, 9)}:AA${randomUUID().replaceAll("-", "")}`,
          discordToken: `discord-${randomUUID().replaceAll("-", "")}${randomUUID().replaceAll("-", "")}`,
          webhookSecret: `whsec-${randomUUID()}`,
        }),
      },
    });
    const { db, runtime } = stack;
    const built = step("migrations and mock data (supabase db reset --remote --sql-paths ./seed.sql)", () => {
      resetDatabase(db.url, { mockData: true, secrets: stack!.vaultSecrets });
      // The reset drops and re-creates pg_cron; its scheduler runs no job until a restart (see
      // restartForCron in scripts/stack.ts), and the suites rely on the stack's schedule.
      cluster.stop(db);
      cluster.start(db);
    });
    if (built) {
      step("supabase db lint --remote (walltrack, warnings fail)", () => {
        const lint = lintDatabase(db.url);
        const output = `${lint.stdout}${lint.stderr}`;
        if (lint.status !== 0 || !output.includes("No schema errors found")) throw new Error(output.trim());
      });
      pgTap(db);
      // `supabase test db` must leave no drift: the fixtures schema of 000_test_helpers is dropped by
      // the last test file, and the strict stack is what every suite ran on.
      step("pgTAP leaves no drift (schema tests gone) on a strict stack (postgres not a superuser)", () => {
        const state = cluster.psql(db, ["-Atc", `select (select count(*) from pg_namespace where nspname = 'tests')
          || ',' || (select rolsuper from pg_roles where rolname = 'postgres')`]).stdout.trim();
        if (state !== "0,false") throw new Error(`tests schemas, postgres superuser: ${state}`);
      });
      await stack.startFunctions();
      await componentTests(stack);
      noSecretLeaked(db, runtime);
    }
  } catch (error) {
    record("harness", 0, 1, [error instanceof Error ? error.message : String(error)]);
    try {
      if (stack) console.log(readFileSync(stack.runtime.logFile, "utf8"));
    } catch { /* no runtime log */ }
  } finally {
    await stack?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  await system;
  await benchSmoke();
  const passed = suites.reduce((sum, s) => sum + s.passed, 0);
  const failed = suites.reduce((sum, s) => sum + s.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

process.exitCode = await main();
