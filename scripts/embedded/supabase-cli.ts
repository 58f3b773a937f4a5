// The real Supabase CLI, for the Docker stack and pointed at a database URL (`--remote=<url>`) for
// the embedded one: migrations, reset with seed, lint and type generation all go through it, never
// through a hand-written runner. It also writes the Vault secrets the scheduled calls need.
import { bin, repoRoot } from "../lib/paths.ts";
import { run, type RunResult } from "../lib/run.ts";

function remote(url: string): string {
  return `--remote=${url}${url.includes("?") ? "&" : "?"}sslmode=disable`;
}

// What walltrack.invoke_edge_function reads from Vault to call the functions (pg_cron's jobs, the
// executor's kick): the URL the database reaches them at, and the key it calls them with. The CLI
// writes them (vault.create_secret, vault.update_secret) from [db.vault] in supabase/config.toml on
// `start` (a new database), `db reset`, `migration up` and `db push`, and only when these
// variables are set: the same path on the embedded stack, the Docker stack and a hosted project.
export type FunctionSecrets = { projectUrl: string; serviceRoleKey: string };

export function vaultEnv(secrets?: FunctionSecrets): Record<string, string> {
  return secrets
    ? { WALLTRACK_VAULT_PROJECT_URL: secrets.projectUrl, WALLTRACK_VAULT_SERVICE_ROLE_KEY: secrets.serviceRoleKey }
    : {};
}

// Under `supabase start` the database is a container: 127.0.0.1 is the container itself. It reaches
// the functions through Kong on the CLI's Docker network, by the alias the CLI gives the edge
// runtime as its own SUPABASE_URL (supabase/cli internal/functions/serve: http://kong:8000).
export const DOCKER_PROJECT_URL_FROM_DB = "http://kong:8000";

// The key the Docker stack's database calls the functions with, from `supabase status -o env`: the
// service_role key (SERVICE_ROLE_KEY="..."), or its sb_secret_ key (SECRET_KEY) when the CLI prints
// no legacy keys; the internal functions accept either (ADR-012).
export function serviceRoleKeyFromStatus(statusEnv: string): string {
  const values = new Map<string, string>();
  for (const line of statusEnv.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1], match[2].replace(/^"(.*)"$/, "$1"));
  }
  const key = values.get("SERVICE_ROLE_KEY") || values.get("SECRET_KEY");
  if (!key) throw new Error("`supabase status -o env` printed no SERVICE_ROLE_KEY nor SECRET_KEY: is the Docker stack running?");
  return key;
}

export function supabase(args: string[], inherit = false, env: Record<string, string> = {}): RunResult {
  return run(bin("supabase"), args, {
    cwd: repoRoot,
    stdio: inherit ? "inherit" : "pipe",
    env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", ...env },
  });
}

// A --remote URL on config.toml's [db] port (54322) is taken for the Docker stack, and a reset
// then asks Docker; moving the CLI's idea of the local port aside makes it a custom Postgres,
// which is what the embedded cluster is. Never for the Docker stack's own commands.
const embedded = (args: string[], env: Record<string, string> = {}) => supabase(args, false, { SUPABASE_DB_PORT: "54390", ...env });

function orThrow(what: string, result: RunResult): RunResult {
  if (result.status !== 0) throw new Error(`supabase ${what} failed (exit ${result.status})\n${result.stdout}${result.stderr}`);
  return result;
}

type Cli = typeof supabase;

// The Docker stack's functions secrets: the key from the running stack, the URL of Kong.
export function dockerFunctionSecrets(cli: Cli = supabase): FunctionSecrets {
  const status = orThrow("status -o env", cli(["status", "-o", "env"]));
  return { projectUrl: DOCKER_PROJECT_URL_FROM_DB, serviceRoleKey: serviceRoleKeyFromStatus(status.stdout) };
}

// `npm start` with Docker: `supabase start`, then `supabase migration up` with the functions
// secrets, since `start` writes [db.vault] only into a database it creates (a stack started again
// keeps what it had, maybe nothing). Migrations added since the database was made go in too.
// Returns the exit status.
export function startDockerStack(cli: Cli = supabase): number {
  const started = cli(["start"], true).status;
  if (started !== 0) return started;
  console.log("writing the functions' URL and key into Vault (supabase migration up)");
  return cli(["migration", "up", "--include-all", "--yes"], true, vaultEnv(dockerFunctionSecrets(cli))).status;
}

// --include-all: a migration merged from a branch may sort before one the database already has (the
// CLI refuses it otherwise); every migration the database lacks is applied, whatever its place.
export const migrationUp = (url: string, secrets?: FunctionSecrets) =>
  orThrow("migration up", embedded(["migration", "up", remote(url), "--include-all", "--yes"], vaultEnv(secrets)));
// Migrations only, or with story 1.1's mock data (supabase/seed.sql) when asked: a real stack
// starts with an empty book. The CLI writes the Vault secrets before the migrations and the seed.
export const resetDatabase = (url: string, { mockData = false, secrets }: { mockData?: boolean; secrets?: FunctionSecrets } = {}) =>
  orThrow("db reset", embedded(["db", "reset", remote(url), "--yes", ...(mockData ? ["--sql-paths", "./seed.sql"] : ["--no-seed"])],
    vaultEnv(secrets)));
export const generateTypes = (url: string) =>
  orThrow("gen types", embedded(["gen", "types", "typescript", remote(url), "--schema", "walltrack"]));
export const lintDatabase = (url: string) =>
  embedded(["db", "lint", remote(url), "--schema", "walltrack", "--level", "warning", "--fail-on", "warning"]);
