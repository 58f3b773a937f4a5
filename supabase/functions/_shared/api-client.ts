// One GET of JSON from an external API with a timeout, and failures sorted into the kinds the
// pipeline reacts to: timeout, rate_limited (429, with the reset time when sent), server_error
// (5xx), client_error (other 4xx), malformed (not the JSON we expect), network.
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

export async function getJson(
  api: string,
  url: string,
  options: { headers?: Record<string, string>; timeoutMs?: number; fetch?: Fetch } = {},
): Promise<unknown> {
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      headers: { accept: "application/json", ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new ApiError(api, timedOut ? "timeout" : "network", timedOut ? `no answer within ${options.timeoutMs ?? 5000} ms` : String(error));
  }
  const text = await response.text();
  if (response.status === 429) {
    const reset = Number(response.headers.get("x-ratelimit-reset") ?? response.headers.get("retry-after"));
    throw new ApiError(api, "rate_limited", text.slice(0, 200), 429, Number.isFinite(reset) && reset > 0 ? reset : null);
  }
  if (response.status >= 500) throw new ApiError(api, "server_error", text.slice(0, 200), response.status);
  if (response.status >= 400) throw new ApiError(api, "client_error", text.slice(0, 200), response.status);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(api, "malformed", `body is not JSON: ${JSON.stringify(text.slice(0, 80))}`, response.status);
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
