// The one shape of the internal POST jobs (signal-processor, order-executor, price-monitor,
// helius-sync), which pg_cron and triggers call: the server-side secret checked first (ADR-012,
// before anything about the request is answered), POST only, the job run, its report as JSON.
// A job that throws is logged under its name and answered 503 with what happens next; its message
// stays in the log, since it may describe internals.
import { json, jsonError } from "./http.ts";
import { type Env, serverSecretCheck } from "./internal-auth.ts";

export function jobHandler(name: string, env: Env, run: (request: Request) => Promise<unknown>, whenFailed: string): (request: Request) => Promise<Response> {
  const authorize = serverSecretCheck(env);
  return async (request) => {
    const auth = await authorize(request);
    if (!auth.ok) return auth.response;
    if (request.method !== "POST") return jsonError(405, `method ${request.method} not allowed: use POST`);
    try {
      return json(200, await run(request));
    } catch (error) {
      console.error(`${name}: ${error instanceof Error ? error.message : error}`);
      return jsonError(503, whenFailed);
    }
  };
}
