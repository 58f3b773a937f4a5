// npm start | stop | run db:reset | run status: the WallTrack stack. With a reachable Docker engine
// it is the standard `supabase start`; otherwise the embedded default (DESIGN.md section 3): a private
// PostgreSQL 15 cluster on Supabase's local ports plus the Deno functions runtime.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { clustersDir, stateDir } from "./lib/paths.ts";
import { run } from "./lib/run.ts";
import * as cluster from "./embedded/cluster.ts";
import { functionsUrl, isServing, type Runtime, startRuntime, stopRuntime } from "./embedded/functions-runtime.ts";
import { localApiKeys } from "./embedded/jwt.ts";
import {
  dockerFunctionSecrets, type FunctionSecrets, generateTypes, lintDatabase, migrationUp, resetDatabase, startDockerStack, supabase,
  vaultEnv,
} from "./embedded/supabase-cli.ts";
import { ensureSystemPackages } from "./embedded/system-packages.ts";

// Supabase's local ports by default. A second stack on the same machine (the unattended system
// test starts one exactly as the README says, on other ports) sets these.
const DB_PORT = Number(process.env.WALLTRACK_DB_PORT ?? 54322);
const FUNCTIONS_PORT = Number(process.env.WALLTRACK_FUNCTIONS_PORT ?? 54321);
const stackDir = process.env.WALLTRACK_STATE_DIR ?? stateDir;
const dataRoot = process.env.WALLTRACK_STATE_DIR ?? clustersDir;

const db = cluster.clusterAt(path.join(dataRoot, "db", "data"), DB_PORT);
const runtime: Runtime = {
  port: FUNCTIONS_PORT,
  dbUrl: db.url,
  pidFile: path.join(stackDir, "functions.pid"),
  logFile: path.join(stackDir, "functions.log"),
};

function useDocker(): boolean {
  const choice = process.env.WALLTRACK_STACK;
  if (choice === "embedded") return false;
  const dockerUp = run("sh", ["-c", "docker info >/dev/null 2>&1"]).status === 0;
  if (choice === "docker" && !dockerUp) throw new Error("WALLTRACK_STACK=docker but no Docker engine answers `docker info`");
  return dockerUp;
}

function startDatabase(): void {
  ensureSystemPackages(false);
  mkdirSync(stackDir, { recursive: true });
  if (!cluster.isInitialized(db)) {
    console.log(`creating the embedded database cluster in ${db.dataDir}`);
    cluster.initialize(db);
  }
  cluster.start(db);
  cluster.bootstrap(db);
}

// What the embedded database calls the functions with: the runtime on loopback, the local key.
async function embeddedFunctionSecrets(): Promise<FunctionSecrets> {
  return { projectUrl: `http://127.0.0.1:${FUNCTIONS_PORT}`, serviceRoleKey: (await localApiKeys()).serviceRoleKey };
}

async function start(): Promise<void> {
  if (useDocker()) {
    process.exitCode = startDockerStack();
    return;
  }
  startDatabase();
  const secrets = await embeddedFunctionSecrets();
  if (cluster.hasWalltrackSchema(db)) {
    migrationUp(db.url, secrets);
  } else {
    console.log("applying migrations (supabase db reset --no-seed): the book starts empty");
    resetDatabase(db.url, { secrets });
    restartForCron();
  }
  // Every job rescheduled from today's definitions, so a database made by an earlier version runs
  // the jobs of this one.
  cluster.psql(db, ["-c", "select walltrack.schedule_jobs()"]);
  await startRuntime(runtime);
  await status();
}

// `supabase db reset` drops pg_cron with every object of the database and the first migration
// creates it again: pg_cron 1.4's scheduler keeps the dropped extension's job table in its cache and
// never runs a job until the server restarts (a fresh stack's jobs never ran: the system test
// waited on a schedule that was idle). So every reset is followed by a restart.
function restartForCron(): void {
  cluster.stop(db);
  cluster.start(db);
}

async function stop(): Promise<void> {
  if (useDocker()) {
    process.exitCode = supabase(["stop"], true).status;
    return;
  }
  await stopRuntime(runtime);
  cluster.stop(db);
  console.log(`WallTrack stopped (data kept in ${db.dataDir}; \`npm run db:reset\` rebuilds it)`);
}

async function reset(): Promise<void> {
  if (useDocker()) {
    process.exitCode = supabase(["db", "reset"], true, vaultEnv(dockerFunctionSecrets())).status;
    return;
  }
  startDatabase();
  resetDatabase(db.url, { secrets: await embeddedFunctionSecrets() });
  restartForCron();
  console.log("database rebuilt from supabase/migrations: an empty book");
}

// Story 1.1's mock data (supabase/seed.sql) on a rebuilt database, for exploring. The database is
// then marked as holding mock data: no order of it is ever sent live.
async function mock(): Promise<void> {
  if (useDocker()) {
    process.exitCode = supabase(["db", "reset", "--sql-paths", "./seed.sql"], true, vaultEnv(dockerFunctionSecrets())).status;
    return;
  }
  startDatabase();
  resetDatabase(db.url, { mockData: true, secrets: await embeddedFunctionSecrets() });
  restartForCron();
  console.log("database rebuilt from supabase/migrations with story 1.1's mock data (never traded live)");
}

async function status(): Promise<void> {
  if (useDocker()) {
    process.exitCode = supabase(["status"], true).status;
    return;
  }
  const { anonKey, serviceRoleKey } = await localApiKeys();
  const dbUp = cluster.isRunning(db);
  const functionsUp = dbUp && (await isServing(runtime));
  console.log([
    "WallTrack (embedded stack: PostgreSQL 15 + Deno functions runtime)",
    `  database      ${dbUp ? "running" : "stopped"}   ${db.url}`,
    `  functions     ${functionsUp ? "running" : "stopped"}   ${functionsUrl(runtime)}/<name>`,
    `  anon key      ${anonKey}`,
    `  service key   ${serviceRoleKey}`,
    "",
    "  inspect:      psql " + db.url,
    "                psql " + db.url + " -c 'select * from walltrack.positions'",
    `  logs:         ${db.logFile}, ${runtime.logFile}`,
    "  Studio needs the Docker stack (`supabase start`); on the embedded stack use psql.",
  ].join("\n"));
}

async function lint(): Promise<void> {
  if (useDocker()) {
    process.exitCode = supabase(["db", "lint", "--schema", "walltrack", "--level", "warning"], true).status;
    return;
  }
  const result = lintDatabase(db.url);
  process.stdout.write(result.stdout + result.stderr);
  process.exitCode = result.status;
}

async function types(): Promise<void> {
  if (useDocker()) {
    process.exitCode = supabase(["gen", "types", "typescript", "--local", "--schema", "walltrack"], true).status;
    return;
  }
  process.stdout.write(generateTypes(db.url).stdout);
}

const commands: Record<string, () => Promise<void>> = { start, stop, reset, mock, status, lint, types };
const command = commands[process.argv[2] ?? ""];
if (!command) {
  console.error(`usage: stack.ts ${Object.keys(commands).join("|")}`);
  process.exit(2);
}
command().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
