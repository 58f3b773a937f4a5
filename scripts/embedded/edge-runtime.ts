// What Supabase's edge runtime gives a function beyond Deno, for the embedded runtime: the
// `EdgeRuntime` global with waitUntil, and the per-request wall-clock limit. Plain TypeScript (no
// Deno API) so the Node unit tests exercise the same code the Deno runtime runs.

// The hosted limit on the free plan (400 s on paid plans; `supabase functions serve` uses 400 s).
export const DEFAULT_WALL_CLOCK_MS = 150_000;

// What the edge runtime answers when a worker is stopped by a resource limit (the Supabase CLI's
// functions main: Deno.errors.WorkerRequestCancelled -> 546 WORKER_LIMIT).
export const WORKER_LIMIT_STATUS = 546;
export const WORKER_LIMIT_BODY = {
  code: "WORKER_LIMIT",
  message: "Worker failed to respond due to a resource limit (please check logs)",
};

type Handler = (request: Request) => Response | Promise<Response>;

export function wallClockLimitMs(env: Record<string, string | undefined>): number {
  const raw = env.WALLTRACK_FUNCTIONS_WALL_CLOCK_MS;
  if (raw === undefined || raw === "") return DEFAULT_WALL_CLOCK_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`WALLTRACK_FUNCTIONS_WALL_CLOCK_MS must be a positive integer of milliseconds, got ${raw}`);
  return ms;
}

// A request whose handler has not answered within the limit gets 546, as on Supabase. The hosted
// runtime then also kills the worker; here the handler runs on in the shared process, so the
// answer, not the work, is what this reproduces (the function must not rely on running longer).
export function withWallClockLimit(handler: Handler, limitMs: number, onLimit: (ms: number) => void = () => {}): Handler {
  return async (request) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<Response>((resolve) => {
      timer = setTimeout(() => {
        onLimit(limitMs);
        resolve(new Response(JSON.stringify(WORKER_LIMIT_BODY), {
          status: WORKER_LIMIT_STATUS,
          headers: { "content-type": "application/json" },
        }));
      }, limitMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => handler(request)), limit]);
    } finally {
      clearTimeout(timer);
    }
  };
}

export type EdgeRuntimeGlobal = { waitUntil(promise: Promise<unknown>): void; pending(): number };

// EdgeRuntime.waitUntil: the runtime keeps working on the promise after the response is sent; a
// rejection is logged, never thrown into a finished request.
export function installEdgeRuntime(target: object = globalThis, log: (message: string) => void = console.error): EdgeRuntimeGlobal {
  const pending = new Set<Promise<unknown>>();
  const edgeRuntime: EdgeRuntimeGlobal = {
    waitUntil(promise: Promise<unknown>) {
      const tracked = Promise.resolve(promise)
        .catch((error) => log(`EdgeRuntime.waitUntil: ${error instanceof Error ? error.message : error}`))
        .finally(() => pending.delete(tracked));
      pending.add(tracked);
    },
    pending: () => pending.size,
  };
  Object.defineProperty(target, "EdgeRuntime", { value: edgeRuntime, configurable: true, writable: false });
  return edgeRuntime;
}
