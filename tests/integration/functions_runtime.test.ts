// The embedded functions runtime serves supabase/functions/<name> at /functions/v1/<name> with the
// platform's env vars, and the health function reports the real database state (its details to a
// server-side secret only: tests/integration/internal_functions_need_a_server_secret.test.ts).
import { afterAll, expect, test } from "vitest";
import { connect, stack } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

const health = (headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${stack.functionsUrl}/health`, { method, headers });

test("health answers 200 with the applied migration, config and pg_cron scheduler", async () => {
  const response = await health({ authorization: `Bearer ${stack.serviceRoleKey}` });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/json");
  const [{ latest }] = await sql`select max(version) as latest from supabase_migrations.schema_migrations`;
  expect(await response.json()).toEqual({
    status: "ok",
    database: "ok",
    migration: latest,
    config: true,
    cron_scheduler: true,
    jobs: [],
    calls: [],
  });
});

test("health is public (verify_jwt off): no token, a malformed token, a forged token and the anon key get the status only", async () => {
  const forged = stack.anonKey.slice(0, stack.anonKey.lastIndexOf(".") + 1) + "forgedsignature";
  const attempts: Record<string, string>[] = [{}, { authorization: "Bearer not-a-jwt" }, { authorization: `Bearer ${forged}` },
    { authorization: `Bearer ${stack.anonKey}` }];
  for (const headers of attempts) {
    const response = await health(headers);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  }
});

test("a wrong method is 405 with a JSON error", async () => {
  const response = await health({ authorization: `Bearer ${stack.serviceRoleKey}` }, "POST");
  expect(response.status).toBe(405);
  expect(await response.json()).toEqual({ error: "method POST not allowed: use GET" });
});

test("an unknown function and a path outside /functions/v1 are 404 with a JSON error", async () => {
  const unknown = await fetch(`${stack.functionsUrl}/no-such-function`);
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toEqual({ error: "function not found: no-such-function" });
  const outside = await fetch(stack.functionsUrl.replace("/functions/v1", "/rest/v1/x"));
  expect(outside.status).toBe(404);
});

test("functions get SUPABASE_DB_URL of the stack under test, not the user's stack", async () => {
  // The health body names the latest migration of the database it reached; prove it is this one by
  // writing a marker migration row only this database has.
  await sql`insert into supabase_migrations.schema_migrations (version, name) values ('99990101000000', 'test_marker')`;
  try {
    const response = await health({ authorization: `Bearer ${stack.serviceRoleKey}` });
    expect((await response.json()).migration).toBe("99990101000000");
  } finally {
    await sql`delete from supabase_migrations.schema_migrations where version = '99990101000000'`;
  }
});
