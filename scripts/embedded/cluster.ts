// A private PostgreSQL 15 cluster on a chosen port: initdb, configuration (pg_cron preloaded),
// start, stop, bootstrap. As root, the server runs as the `postgres` system user, since
// PostgreSQL refuses to run as root.
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../lib/paths.ts";
import { run, runOrThrow } from "../lib/run.ts";
import { pgBin } from "./system-packages.ts";

// url: postgres, the role everything of WallTrack runs as (not a superuser, as on Supabase).
// adminUrl: supabase_admin, the superuser, over the cluster's Unix socket (trust), for the
// bootstrap only; it also reaches a cluster made by an earlier version, where it has no password.
export type Cluster = { dataDir: string; port: number; url: string; adminUrl: string; logFile: string };

const PASSWORD = "postgres";

// A cluster owns the folder around its data folder (its log is there, and destroy removes it), so
// the data folder must be named `data` inside a folder of its own, never a shared one like /tmp.
export function clusterAt(dataDir: string, port: number): Cluster {
  if (path.basename(dataDir) !== "data" || ["/", os.tmpdir(), "/var/lib"].includes(path.dirname(dataDir))) {
    throw new Error(`a cluster's data folder is <a folder of its own>/data, not ${dataDir}`);
  }
  return {
    dataDir,
    port,
    url: `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    adminUrl: `postgresql://supabase_admin@/postgres?host=${encodeURIComponent(dataDir)}&port=${port}`,
    logFile: path.join(path.dirname(dataDir), `postgres-${port}.log`),
  };
}

const isRoot = () => process.getuid?.() === 0;

function asServerUser(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

function giveToServerUser(target: string): void {
  if (isRoot()) runOrThrow("chown", ["-R", "postgres:postgres", target]);
}

export function isInitialized(cluster: Cluster): boolean {
  return existsSync(path.join(cluster.dataDir, "PG_VERSION"));
}

export function initialize(cluster: Cluster): void {
  mkdirSync(cluster.dataDir, { recursive: true });
  const parent = path.dirname(cluster.dataDir);
  if (isRoot() && run("runuser", ["-u", "postgres", "--", "test", "-x", path.dirname(parent)]).status !== 0) {
    throw new Error(`the postgres user cannot reach ${parent}: PostgreSQL runs as postgres, so a cluster must live in a ` +
      `folder every parent of which it may enter (as root, WallTrack keeps its clusters under /var/lib/walltrack)`);
  }
  chmodSync(cluster.dataDir, 0o700);
  const pwDir = mkdtempSync(path.join(os.tmpdir(), "walltrack-pw-"));
  const pwFile = path.join(pwDir, "pw");
  writeFileSync(pwFile, `${PASSWORD}\n`);
  giveToServerUser(pwDir);
  // The server user must enter the cluster's own folder (a temporary folder is 0700) and own the
  // data folder; nothing above it is ever chowned, since it may be shared (/tmp).
  if (isRoot() && run("runuser", ["-u", "postgres", "--", "test", "-x", parent]).status !== 0) chmodSync(parent, 0o711);
  giveToServerUser(cluster.dataDir);
  try {
    runOrThrow(...asServerUser(pgBin("initdb"), [
      "-D", cluster.dataDir, "-U", "supabase_admin", "--pwfile", pwFile,
      "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
    ]));
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
  configure(cluster);
}

// The server settings of the stack, in walltrack.conf, included last by postgresql.conf and
// rewritten at every start, so a cluster made by an earlier version gets today's settings.
// pg_cron runs each job in a background worker: a job then needs no connection, so no password
// and no pg_hba entry (with a connection, a job of a password-authenticated role fails with
// "connection failed" and never runs).
export function configure(cluster: Cluster): void {
  const include = "include_if_exists = 'walltrack.conf'";
  const mainConf = path.join(cluster.dataDir, "postgresql.conf");
  const lines = readFileSync(mainConf, "utf8").split("\n");
  if (lines.filter((line) => line.trim() !== "").at(-1) !== include) {
    appendFileSync(mainConf, `\n# WallTrack embedded stack: its settings win over everything above\n${include}\n`);
  }
  writeFileSync(path.join(cluster.dataDir, "walltrack.conf"), [
    "# Written by WallTrack at every start (scripts/embedded/cluster.ts); edits are lost.",
    `port = ${cluster.port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${cluster.dataDir}'`,
    "shared_preload_libraries = 'pg_cron, pg_stat_statements'",
    "cron.database_name = 'postgres'",
    "cron.timezone = 'UTC'",
    "cron.use_background_workers = on",
    "cron.max_running_jobs = 16",
    "max_worker_processes = 32",
    "timezone = 'UTC'",
    "max_connections = 200",
    "",
  ].join("\n"));
  giveToServerUser(path.join(cluster.dataDir, "walltrack.conf"));
}

export function isRunning(cluster: Cluster): boolean {
  return isInitialized(cluster) && run(...asServerUser(pgBin("pg_ctl"), ["-D", cluster.dataDir, "status"])).status === 0;
}

export function start(cluster: Cluster): void {
  configure(cluster);
  if (isRunning(cluster)) {
    // Started by an earlier version with other server settings: a restart applies walltrack.conf.
    const setting = run("psql", ["-X", "-Atc", "show cron.use_background_workers", cluster.url]).stdout.trim();
    if (setting === "on") return;
    console.log("restarting the database to apply the stack's server settings");
    stop(cluster);
  }
  mkdirSync(path.dirname(cluster.logFile), { recursive: true });
  if (!existsSync(cluster.logFile)) writeFileSync(cluster.logFile, "");
  giveToServerUser(cluster.logFile);
  runOrThrow(...asServerUser(pgBin("pg_ctl"), ["-D", cluster.dataDir, "-l", cluster.logFile, "-w", "-t", "60", "start"]));
}

export function stop(cluster: Cluster): void {
  if (!isRunning(cluster)) return;
  runOrThrow(...asServerUser(pgBin("pg_ctl"), ["-D", cluster.dataDir, "-m", "fast", "-w", "stop"]));
}

export function destroy(cluster: Cluster): void {
  stop(cluster);
  rmSync(path.dirname(cluster.dataDir), { recursive: true, force: true });
}

export function psql(cluster: Cluster, args: string[], input?: string, url = cluster.url) {
  return runOrThrow("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", url, ...args], {
    env: { ...process.env, PGOPTIONS: "--client-min-messages=warning" },
    input,
  });
}

// Roles, extensions schema, pg_cron, Vault and pg_net stand-ins: what the Supabase image
// provides, made by its superuser.
export function bootstrap(cluster: Cluster): void {
  const cronExisted = psql(cluster, ["-Atc", "select count(*) from pg_extension where extname = 'pg_cron'"], undefined, cluster.adminUrl)
    .stdout.trim() === "1";
  psql(cluster, ["-f", path.join(repoRoot, "scripts/embedded/bootstrap.sql")], undefined, cluster.adminUrl);
  // pg_cron 1.4's scheduler, started before its extension existed, may never load the jobs
  // scheduled afterwards (seen on fresh clusters under load: the launcher idles, no job ever runs,
  // until the next restart). So the first bootstrap restarts the server, and the scheduler starts
  // with the extension in place, as it does on Supabase where the image ships it.
  if (!cronExisted) {
    stop(cluster);
    start(cluster);
  }
}

export function hasWalltrackSchema(cluster: Cluster): boolean {
  return psql(cluster, ["-Atc", "select count(*) from pg_namespace where nspname = 'walltrack'"]).stdout.trim() === "1";
}
