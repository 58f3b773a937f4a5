// A stack that lives for one run: a fresh PostgreSQL cluster of its own (bootstrapped as the
// Supabase image would be), the replay of the external APIs (fixtures/ on loopback, no network),
// and the functions runtime pointed at both. `npm test`, `npm run demo` and `npm run bench` each
// start one; they differ only in ports, folders, how the schema is built and the runtime's secrets.
// The caller builds the schema between `startThrowaway` and `startFunctions`, passing `vaultSecrets`
// to the CLI command that builds it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Server } from "node:http";
import * as cluster from "../embedded/cluster.ts";
import { functionsUrl, type Runtime, startRuntime, stopRuntime } from "../embedded/functions-runtime.ts";
import { localApiKeys } from "../embedded/jwt.ts";
import { Replay, replayUrls, serve } from "../../tests/support/replay.ts";

export type ThrowawayOptions = {
  dataDir: string; // <a folder of its own>/data: the folder is emptied first and removed by stop()
  runDir: string; // the runtime's pid and log files
  dbPort: number;
  functionsPort: number;
  replayPort?: number; // 0 (default): any free port
  env?: Record<string, string>; // the runtime's environment besides the replay's URLs
};

export type Throwaway = {
  db: cluster.Cluster;
  replay: Replay;
  replayUrl: string;
  runtime: Runtime;
  anonKey: string;
  serviceRoleKey: string;
  functionUrl: (name: string) => string;
  // POST to a function as pg_cron does (service_role key), the answer's JSON.
  callFunction: (name: string, body?: unknown) => Promise<unknown>;
  // Vault's project URL and key for pg_cron, for the CLI to write ([db.vault]) when it builds the schema.
  vaultSecrets: { projectUrl: string; serviceRoleKey: string };
  startFunctions: () => Promise<void>;
  // Runtime and replay stopped; the cluster and its folder removed unless kept (the demo's).
  stop: (options?: { keepDatabase?: boolean }) => Promise<void>;
};

export async function startThrowaway(options: ThrowawayOptions): Promise<Throwaway> {
  const db = cluster.clusterAt(options.dataDir, options.dbPort);
  cluster.destroy(db);
  mkdirSync(path.dirname(db.dataDir), { recursive: true });
  mkdirSync(options.runDir, { recursive: true });
  const replay = new Replay();
  let served: { server: Server; url: string } | null = null;
  try {
    cluster.initialize(db);
    cluster.start(db);
    cluster.bootstrap(db);
    served = await serve(replay, options.replayPort ?? 0);
  } catch (error) {
    served?.server.close();
    cluster.destroy(db);
    throw error;
  }
  const { server, url: replayUrl } = served;
  const { anonKey, serviceRoleKey } = await localApiKeys();
  const runtime: Runtime = {
    port: options.functionsPort,
    dbUrl: db.url,
    pidFile: path.join(options.runDir, "functions.pid"),
    logFile: path.join(options.runDir, "functions.log"),
    env: { ...replayUrls(replayUrl), ...options.env },
  };
  const functionUrl = (name: string) => `${functionsUrl(runtime)}/${name}`;
  return {
    db,
    replay,
    replayUrl,
    runtime,
    anonKey,
    serviceRoleKey,
    functionUrl,
    callFunction: async (name, body = {}) => {
      const response = await fetch(functionUrl(name), {
        method: "POST",
        headers: { authorization: `Bearer ${serviceRoleKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return await response.json();
    },
    vaultSecrets: { projectUrl: `http://127.0.0.1:${options.functionsPort}`, serviceRoleKey },
    startFunctions: async () => {
      await startRuntime(runtime);
    },
    stop: async ({ keepDatabase = false } = {}) => {
      await stopRuntime(runtime).catch(() => {});
      server.close();
      if (!keepDatabase) cluster.destroy(db);
    },
  };
}
