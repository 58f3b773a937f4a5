import { expect, test } from "vitest";
import { localApiKeys, signJwt, verifyJwt } from "../../scripts/embedded/jwt.ts";

const secret = "a-test-secret-of-at-least-thirty-two-characters";

test("a signed token verifies and returns its claims", async () => {
  const token = await signJwt({ role: "service_role", exp: 2_000_000_000 }, secret);
  expect(await verifyJwt(token, secret, 1_900_000_000)).toEqual({
    ok: true,
    claims: { role: "service_role", exp: 2_000_000_000 },
  });
});

test("a wrong secret, a tampered payload, an expired token and garbage are refused", async () => {
  const token = await signJwt({ role: "anon", exp: 2_000_000_000 }, secret);
  expect(await verifyJwt(token, "another-secret-of-at-least-thirty-two-chars")).toEqual({ ok: false, reason: "bad signature" });
  const [header, , signature] = token.split(".");
  const forgedBody = Buffer.from(JSON.stringify({ role: "service_role", exp: 2_000_000_000 })).toString("base64url");
  expect(await verifyJwt(`${header}.${forgedBody}.${signature}`, secret)).toEqual({ ok: false, reason: "bad signature" });
  expect(await verifyJwt(token, secret, 2_000_000_001)).toEqual({ ok: false, reason: "expired" });
  expect(await verifyJwt("abc", secret)).toEqual({ ok: false, reason: "not a JWT" });
  expect(await verifyJwt("a.b.c", secret)).toEqual({ ok: false, reason: "malformed JWT" });
});

test("local keys are Supabase's well-known local anon and service_role keys", async () => {
  const { anonKey, serviceRoleKey } = await localApiKeys();
  // The values `supabase start` prints, so tools configured for the Docker stack work unchanged.
  expect(anonKey).toBe(
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0",
  );
  expect(serviceRoleKey).toBe(
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU",
  );
});
