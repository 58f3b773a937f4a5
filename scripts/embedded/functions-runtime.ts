// Starts and stops the Deno functions runtime (scripts/embedded/runtime.ts) as a background
// process with a pid file and a log file.
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { bin, repoRoot } from "../lib/paths.ts";
import { waitFor } from "../lib/run.ts";
import { localApiKeys } from "./jwt.ts";

export type Runtime = { port: number; dbUrl: string; pidFile: string; logFile: string; env?: Record<string, string> };

export const functionsUrl = (runtime: Runtime) => `http://127.0.0.1:${runtime.port}/functions/v1`;

function alivePid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export async function isServing(runtime: Runtime): Promise<boolean> {
  const { serviceRoleKey } = await localApiKeys();
  try {
    const response = await fetch(`${functionsUrl(runtime)}/health`, {
      headers: { authorization: `Bearer ${serviceRoleKey}` },
      signal: AbortSignal.timeout(2000),
    });
    await response.body?.cancel();
    return response.status === 200 || response.status === 503;
  } catch {
    return false;
  }
}

export async function startRuntime(runtime: Runtime): Promise<void> {
  if (alivePid(runtime.pidFile) && (await isServing(runtime))) return;
  await stopRuntime(runtime);
  const log = openSync(runtime.logFile, "a");
  const child = spawn(bin("deno"), [
    "run", "--quiet", "--no-prompt", "--allow-net", "--allow-env", "--allow-read", "--allow-sys",
    "--config", path.join(repoRoot, "supabase/functions/deno.json"),
    path.join(repoRoot, "scripts/embedded/runtime.ts"),
  ], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      ...runtime.env,
      WALLTRACK_DB_URL: runtime.dbUrl,
      WALLTRACK_FUNCTIONS_PORT: String(runtime.port),
    },
  });
  writeFileSync(runtime.pidFile, String(child.pid));
  child.unref();
  await waitFor(`the functions runtime on port ${runtime.port} (log: ${runtime.logFile})`, async () => {
    if (!alivePid(runtime.pidFile)) throw new Error(`it exited; see ${runtime.logFile}`);
    return (await isServing(runtime)) ? true : undefined;
  }, 60_000);
}

export async function stopRuntime(runtime: Runtime): Promise<void> {
  const pid = alivePid(runtime.pidFile);
  if (pid) {
    process.kill(pid, "SIGTERM");
    await waitFor("the functions runtime to stop", async () => (alivePid(runtime.pidFile) ? undefined : true), 10_000)
      .catch(() => process.kill(pid, "SIGKILL"));
  }
  rmSync(runtime.pidFile, { force: true });
}
