// ADR-012: the internal functions (signal-processor, order-executor, price-monitor, helius-sync)
// act only for a caller holding a server-side secret. The gateway's verify_jwt is no such check:
// the anon key is public by design and every signed-up user holds a valid JWT, and the new
// `sb_secret_...` keys are not JWTs at all, so verify_jwt is off for these functions
// (supabase/config.toml) and each one calls the check below first, before any database or API work.
//
// Accepted secrets, from the function's environment:
// - WALLTRACK_INTERNAL_SECRET, when the operator sets one (`supabase secrets set`; the platform
//   refuses names starting with SUPABASE_);
// - SUPABASE_SERVICE_ROLE_KEY, the legacy service_role JWT the platform injects; the Vault secret
//   `service_role_key` that pg_cron sends (walltrack.invoke_edge_function) is this key by default;
// - every key of SUPABASE_SECRET_KEYS, which hosted functions get by default for the new API keys:
//   "The `secret` keys JSON dictionary for your Supabase API" (https://supabase.com/docs/guides/functions/secrets,
//   "Default secrets"), a JSON object of key name -> `sb_secret_...` key, e.g. {"default": "sb_secret_..."}.
// Pure (no Deno globals, WebCrypto only): the caller passes its environment, so vitest runs it as is.
import { jsonError } from "./http.ts";

export type Env = Record<string, string | undefined>;
export type AuthResult = { ok: true } | { ok: false; response: Response };

const HOW = "Authorization: Bearer <secret> (or the apikey header) with the service_role key, an sb_secret_ key, " +
  "or WALLTRACK_INTERNAL_SECRET";

// Every server-side secret the environment holds. A malformed SUPABASE_SECRET_KEYS adds nothing:
// fewer accepted secrets, never an open door.
export function serverSecrets(env: Env): string[] {
  const secrets = [env.WALLTRACK_INTERNAL_SECRET, env.SUPABASE_SERVICE_ROLE_KEY];
  if (env.SUPABASE_SECRET_KEYS) {
    try {
      const keys: unknown = JSON.parse(env.SUPABASE_SECRET_KEYS);
      if (keys && typeof keys === "object" && !Array.isArray(keys)) secrets.push(...Object.values(keys).filter((k) => typeof k === "string"));
    } catch { /* not JSON: no key from it */ }
  }
  return [...new Set(secrets.map((s) => s?.trim() ?? "").filter((s) => s.length > 0))];
}

// What the caller presents: the Bearer token and the apikey header (supabase-js sends both).
export function presentedCredentials(request: Request): string[] {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  const apikey = request.headers.get("apikey")?.trim();
  return [bearer, apikey].filter((c): c is string => !!c);
}

// Compared as SHA-256 digests, so every comparison is of 32 bytes and lengths leak nothing, with
// every byte and every pair visited: the time taken does not depend on which secret matched, nor
// on where two strings first differ.
const encoder = new TextEncoder();
const digest = async (text: string) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ (b[i] ?? 0);
  return difference === 0;
}

export async function holdsServerSecret(credentials: string[], secrets: string[]): Promise<boolean> {
  const wanted = await Promise.all(secrets.map(digest));
  let match = false;
  for (const credential of credentials) {
    const given = await digest(credential);
    for (const secret of wanted) match = sameBytes(given, secret) || match;
  }
  return match;
}

// The one check every internal handler makes: built once from the environment, called first thing
// with each request. Refusals are JSON and say what is needed; a secret is never echoed or logged.
export function serverSecretCheck(env: Env): (request: Request) => Promise<AuthResult> {
  const secrets = serverSecrets(env);
  return async (request) => {
    if (secrets.length === 0) {
      return { ok: false, response: jsonError(503, "no server-side secret is configured for this function: set WALLTRACK_INTERNAL_SECRET, or let the platform inject SUPABASE_SERVICE_ROLE_KEY or SUPABASE_SECRET_KEYS") };
    }
    const credentials = presentedCredentials(request);
    if (credentials.length === 0) {
      return { ok: false, response: jsonError(401, `missing credential: this internal function needs a server-side secret in ${HOW}`) };
    }
    if (!(await holdsServerSecret(credentials, secrets))) {
      return { ok: false, response: jsonError(401, `credential refused: this internal function needs a server-side secret in ${HOW}; the anon or publishable key and user JWTs are not accepted`) };
    }
    return { ok: true };
  };
}
