// ADR-012's one check (supabase/functions/_shared/internal-auth.ts): which secrets the environment
// holds, and who passes: a server-side secret in Authorization: Bearer or apikey, nothing else.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { verifyJwtSettings } from "../../scripts/embedded/function-settings.ts";
import { holdsServerSecret, serverSecretCheck, serverSecrets } from "../../supabase/functions/_shared/internal-auth.ts";
import { LOCAL_JWT_SECRET, localApiKeys, signJwt } from "../../scripts/embedded/jwt.ts";

const { anonKey, serviceRoleKey } = await localApiKeys();
const sbSecret = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
const internal = "operator-chosen-internal-secret-0123456789";
const env = {
  SUPABASE_ANON_KEY: anonKey,
  SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
  SUPABASE_SECRET_KEYS: JSON.stringify({ default: sbSecret }),
  WALLTRACK_INTERNAL_SECRET: internal,
};
const userJwt = await signJwt({ sub: "7f0c1f6e-0d7e-4a43-9d55-2d4b8e2b8c11", role: "authenticated", aud: "authenticated",
  exp: Math.floor(Date.now() / 1000) + 3600 }, LOCAL_JWT_SECRET);

const request = (headers: Record<string, string>) => new Request("http://localhost/functions/v1/order-executor", { method: "POST", headers });
const check = serverSecretCheck(env);

describe("serverSecrets", () => {
  test("the operator's secret, the legacy service_role key and every new secret key, without blanks or repeats", () => {
    expect(serverSecrets({ ...env, SUPABASE_SECRET_KEYS: JSON.stringify({ default: sbSecret, ci: "sb_secret_two", again: sbSecret }) }))
      .toEqual([internal, serviceRoleKey, sbSecret, "sb_secret_two"]);
    expect(serverSecrets({ WALLTRACK_INTERNAL_SECRET: "  ", SUPABASE_SERVICE_ROLE_KEY: "" })).toEqual([]);
  });

  test("never the anon key, and a malformed SUPABASE_SECRET_KEYS adds nothing (fewer secrets, never an open door)", () => {
    expect(serverSecrets({ SUPABASE_ANON_KEY: anonKey })).toEqual([]);
    for (const malformed of ["sb_secret_plain_string", "[\"sb_secret_in_array\"]", "{\"default\": 42}", "null", ""]) {
      expect(serverSecrets({ SUPABASE_SECRET_KEYS: malformed })).toEqual([]);
    }
  });
});

describe("serverSecretCheck", () => {
  test.each([
    ["the service_role key as Bearer", { authorization: `Bearer ${serviceRoleKey}` }],
    ["an sb_secret_ key as Bearer", { authorization: `Bearer ${sbSecret}` }],
    ["an sb_secret_ key in apikey (how new keys travel), the anon key's place", { apikey: sbSecret }],
    ["WALLTRACK_INTERNAL_SECRET, lower-case scheme", { authorization: `bearer ${internal}` }],
    ["a user's JWT as Bearer with the secret key in apikey", { authorization: `Bearer ${userJwt}`, apikey: sbSecret }],
  ])("accepts %s", async (_name, headers) => {
    expect(await check(request(headers))).toEqual({ ok: true });
  });

  test.each([
    ["the anon key", { authorization: `Bearer ${anonKey}`, apikey: anonKey }, /credential refused/],
    ["a user's JWT (valid, signed with the project's secret)", { authorization: `Bearer ${userJwt}`, apikey: anonKey }, /credential refused/],
    ["a wrong sb_secret_ key", { authorization: "Bearer sb_secret_wrong0000000000000000000000" }, /credential refused/],
    ["the secret without its last character", { authorization: `Bearer ${sbSecret.slice(0, -1)}` }, /credential refused/],
    ["the secret with one more character", { apikey: `${sbSecret}x` }, /credential refused/],
    ["the secret without the Bearer scheme", { authorization: sbSecret }, /missing credential/],
    ["no credential", {}, /missing credential/],
  ])("refuses %s: 401 JSON saying what is needed, never echoing a secret", async (_name, headers, message) => {
    const result = await check(request(headers));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(401);
    expect(result.response.headers.get("content-type")).toBe("application/json");
    const text = await result.response.text();
    expect(JSON.parse(text).error).toMatch(message);
    expect(JSON.parse(text).error).toMatch(/service_role key, an sb_secret_ key, or WALLTRACK_INTERNAL_SECRET/);
    for (const secret of [serviceRoleKey, sbSecret, internal]) expect(text).not.toContain(secret);
  });

  test("with no server-side secret configured, nobody passes: 503 naming what to set", async () => {
    const result = await serverSecretCheck({ SUPABASE_ANON_KEY: anonKey })(request({ authorization: `Bearer ${anonKey}` }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(503);
    expect((await result.response.json()).error).toMatch(/WALLTRACK_INTERNAL_SECRET/);
  });
});

test("holdsServerSecret: any presented credential equal to any secret, nothing else", async () => {
  expect(await holdsServerSecret(["a", "b"], ["c", "b"])).toBe(true);
  expect(await holdsServerSecret(["a"], ["ab", "A", ""])).toBe(false);
  expect(await holdsServerSecret([], ["a"])).toBe(false);
  expect(await holdsServerSecret(["a"], [])).toBe(false);
});

// Any function but the two public ones is internal, today's four and any added later: the gateway
// must let non-JWT secret keys through to it (verify_jwt off) and its handler must check first.
test("every internal function has verify_jwt off and checks for a server-side secret before anything else", () => {
  const functionsDir = new URL("../../supabase/functions/", import.meta.url);
  const settings = verifyJwtSettings(readFileSync(new URL("../config.toml", functionsDir), "utf8"));
  const internal = readdirSync(functionsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_") && !["health", "helius-webhook"].includes(entry.name))
    .map((entry) => entry.name);
  expect(internal.sort()).toEqual(["capture-reconciler", "helius-sync", "notification-dispatcher", "order-executor", "price-monitor", "signal-processor"]);
  for (const name of internal) {
    expect(settings.get(name), `${name}: verify_jwt`).toBe(false);
    const source = readFileSync(new URL(`${name}/index.ts`, functionsDir), "utf8");
    // The job handler checks first (tests/unit/job_handler.test.ts); the function serves nothing else.
    expect(source, name).toContain(`Deno.serve(jobHandler("${name}", Deno.env.toObject(), `);
    expect(source.match(/Deno\.serve\(/g), name).toHaveLength(1);
  }
  expect(settings.get("health"), "health is public").toBe(false);
});
