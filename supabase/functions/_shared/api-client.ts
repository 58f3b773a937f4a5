// The one HTTP client of every external API (RugCheck, DexScreener, Jupiter, Helius, the Solana
// RPC). Its rules, in one place:
// - timeout: each request is given `timeoutMs` (API_TIMEOUT_MS), then abandoned as `timeout`;
// - retry: none here. One request is one attempt; the caller's schedule is the retry (an order
//   through walltrack.record_order_failure's backoff, safety and prices at the next run), so no
//   function spends its time budget sleeping on an API;
// - 429: `rate_limited`, with the wait the API asked for in seconds from now (Retry-After as
//   seconds or a date, or Jupiter's x-ratelimit-reset as a unix time), bounded to
//   [1, MAX_RATE_LIMIT_WAIT_SECONDS] so a wrong header cannot park an order for hours;
// - every other failure sorted into the kinds the pipeline reacts to: server_error (5xx),
//   client_error (other 4xx), malformed (not the JSON we expect), network;
// - no error carries a query string: API keys travel there (Helius).
export type ApiFailureKind = "timeout" | "rate_limited" | "server_error" | "client_error" | "malformed" | "network";

export class ApiError extends Error {
  constructor(
    readonly api: string,
    readonly kind: ApiFailureKind,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${api}: ${kind}${status ? ` (HTTP ${status})` : ""}: ${message}`);
  }
}

export type Fetch = typeof fetch;

export const DEFAULT_TIMEOUT_MS = 5000;
export const MAX_RATE_LIMIT_WAIT_SECONDS = 600;

export type RequestOptions = {
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  body?: unknown; // sent as JSON
  timeoutMs?: number;
  fetch?: Fetch;
  // Prefixes every message (the RPC method, Helius's verb and path) in place of the URL.
  context?: string;
};

// The wait a 429 asks for, in whole seconds from `nowMs`, bounded; null when the answer names none.
export function rateLimitWait(headers: Headers, nowMs = Date.now()): number | null {
  const bound = (seconds: number) => Math.min(MAX_RATE_LIMIT_WAIT_SECONDS, Math.max(1, Math.ceil(seconds)));
  // x-ratelimit-reset is a unix time when it is one (Jupiter), else a number of seconds.
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (headers.get("x-ratelimit-reset") && Number.isFinite(reset) && reset > 0) return bound(reset > 1e9 ? reset - nowMs / 1000 : reset);
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) return null;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return bound(Number(retryAfter));
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? bound((date - nowMs) / 1000) : null;
}

const withoutQuery = (text: string) => text.replace(/\?[^\s)"'<>]*/g, "?…");

// One request, its answer parsed as JSON, or an ApiError of one of the kinds above.
export async function requestJson(api: string, url: string, options: RequestOptions = {}): Promise<unknown> {
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = options.context ? `${options.context}: ` : "";
  let response: Response;
  try {
    response = await send(url, {
      method: options.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ApiError(api, timedOut ? "timeout" : "network", `${context}${timedOut ? `no answer within ${timeoutMs} ms` : withoutQuery(String(error))}`);
  }
  const text = await response.text();
  const excerpt = `${context}${withoutQuery(text.slice(0, 200))}`;
  if (response.status === 429) throw new ApiError(api, "rate_limited", excerpt, 429, rateLimitWait(response.headers));
  if (response.status >= 500) throw new ApiError(api, "server_error", excerpt, response.status);
  if (response.status >= 400) throw new ApiError(api, "client_error", excerpt, response.status);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(api, "malformed", `${context}body is not JSON: ${JSON.stringify(withoutQuery(text.slice(0, 80)))}`, response.status);
  }
}

// Validates an answer with a zod-like schema; a mismatch is a `malformed` failure of that API.
export function expectShape<T>(
  api: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } } },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(api, "malformed", parsed.error.message.slice(0, 300));
  return parsed.data;
}
