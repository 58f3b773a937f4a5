// The embedded stack's functions runtime (Deno): serves every supabase/functions/<name>/index.ts at
// /functions/v1/<name> like Supabase's edge runtime, with the env vars the platform injects, and
// runs the pg_net stand-in's worker. Started by `npm start` and by the test harness.
import postgres from "postgres";
import { functionEnvironment, parseDotenv } from "./dotenv.ts";
import { requiresJwt, verifyJwtSettings } from "./function-settings.ts";
import { LOCAL_JWT_SECRET, localApiKeys, verifyJwt } from "./jwt.ts";
import { drainHttpQueue, forgetExpiredResponses } from "./net-worker.ts";
import { installEdgeRuntime, wallClockLimitMs, withWallClockLimit } from "./edge-runtime.ts";

type Handler = (request: Request, info?: unknown) => Response | Promise<Response>;

const root = new URL("../../", import.meta.url);
const functionsDir = new URL("supabase/functions/", root);
const port = Number(Deno.env.get("WALLTRACK_FUNCTIONS_PORT") ?? "54321");
const dbUrl = Deno.env.get("WALLTRACK_DB_URL") ?? "postgresql://postgres:postgres@127.0.0.1:54322/postgres";
const envFile = Deno.env.get("WALLTRACK_ENV_FILE") ?? new URL(".env", functionsDir).pathname;

async function readTextIfExists(path: string | URL): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function prepareEnvironment(): Promise<void> {
  const keys = await localApiKeys(LOCAL_JWT_SECRET);
  const injected = {
    SUPABASE_URL: `http://127.0.0.1:${port}`,
    SUPABASE_DB_URL: dbUrl,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    SUPABASE_JWT_SECRET: LOCAL_JWT_SECRET,
  };
  const fileText = await readTextIfExists(envFile);
  const environment = functionEnvironment(fileText ? parseDotenv(fileText) : {}, Deno.env.toObject(), injected);
  for (const [key, value] of Object.entries(environment)) Deno.env.set(key, value);
}

// Each function calls Deno.serve(handler) at import, as on Supabase; the router captures the
// handler instead of opening a port per function.
async function loadFunctions(): Promise<Map<string, Handler>> {
  const handlers = new Map<string, Handler>();
  const realServe = Deno.serve;
  try {
    for await (const entry of Deno.readDir(functionsDir)) {
      if (!entry.isDirectory || entry.name.startsWith("_") || entry.name.startsWith(".")) continue;
      const indexUrl = new URL(`${entry.name}/index.ts`, functionsDir);
      if ((await readTextIfExists(indexUrl)) === null) continue;
      let captured: Handler | undefined;
      // deno-lint-ignore no-explicit-any
      (Deno as any).serve = (...args: any[]) => {
        const candidate = args.find((a) => typeof a === "function") ?? args.find((a) => a?.handler)?.handler;
        captured = candidate;
        return { finished: Promise.resolve(), shutdown: async () => {}, ref() {}, unref() {}, addr: null };
      };
      await import(indexUrl.href);
      if (!captured) throw new Error(`function ${entry.name}: index.ts did not call Deno.serve(handler)`);
      handlers.set(entry.name, captured);
    }
  } finally {
    // deno-lint-ignore no-explicit-any
    (Deno as any).serve = realServe;
  }
  return handlers;
}

function jsonError(status: number, error: string): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { "content-type": "application/json" } });
}

async function startNetWorker(): Promise<void> {
  const sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
  let draining = false;
  let again = false;
  const drain = async () => {
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    try {
      do {
        again = false;
        while ((await drainHttpQueue(sql)) > 0) { /* keep draining while the queue has requests */ }
      } while (again);
      await forgetExpiredResponses(sql);
    } catch (error) {
      console.error(`net worker: ${error instanceof Error ? error.message : error}`);
    } finally {
      draining = false;
    }
  };
  await sql.listen("net_http_request_queue", () => void drain());
  setInterval(() => void drain(), 1000); // backstop for requests queued while not listening
  await drain();
}

await prepareEnvironment();
installEdgeRuntime();
const wallClockMs = wallClockLimitMs(Deno.env.toObject());
const configToml = (await readTextIfExists(new URL("supabase/config.toml", root))) ?? "";
const jwtSettings = verifyJwtSettings(configToml);
const handlers = await loadFunctions();

Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {
  console.log(`functions runtime: http://127.0.0.1:${port}/functions/v1/{${[...handlers.keys()].join(",")}}`);
} }, async (request) => {
  const match = /^\/functions\/v1\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(new URL(request.url).pathname);
  if (!match) return jsonError(404, "not found: functions are served at /functions/v1/<name>");
  const name = match[1];
  const handler = handlers.get(name);
  if (!handler) return jsonError(404, `function not found: ${name}`);
  if (requiresJwt(jwtSettings, name)) {
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!token) return jsonError(401, "missing authorization header: Bearer <anon or service_role key>");
    const check = await verifyJwt(token, Deno.env.get("SUPABASE_JWT_SECRET") ?? LOCAL_JWT_SECRET);
    if (!check.ok) return jsonError(401, `invalid JWT: ${check.reason}`);
  }
  try {
    return await withWallClockLimit(handler, wallClockMs, (ms) =>
      console.error(`function ${name}: wall-clock limit of ${ms} ms reached, answered 546 WORKER_LIMIT`))(request);
  } catch (error) {
    console.error(`function ${name} crashed: ${error instanceof Error ? error.stack : error}`);
    return jsonError(500, `function ${name} failed`);
  }
});

// After the functions listen: requests queued while the runtime was down (the seed's executor kick,
// a job that ran meanwhile) are delivered to functions that answer, not refused by this very process.
await startNetWorker();
