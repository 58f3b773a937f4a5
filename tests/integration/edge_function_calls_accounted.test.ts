// Every call from the database is accounted for: a call of walltrack.invoke_edge_function that an
// endpoint answers 500, or that nothing answers, is counted in walltrack.edge_function_call_health,
// named by health (degraded) and carried by status_summary (`npm run status`); its outcome is copied
// before pg_net forgets the response (pg_net.ttl), and a later success clears the problem.
// The calls go to a local endpoint: Vault's project_url is switched for the one call, in the
// calling transaction, so no other session ever sees it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { forgetExpiredResponses } from "../../scripts/embedded/net-worker.ts";
import { connect, stack, waitUntil } from "./stack.ts";

const sql = connect();
let answer = 500;
const endpoint = createServer((request, response) => {
  request.resume();
  request.on("end", () => response.writeHead(answer, { "content-type": "application/json" }).end(`{"answered":${answer}}`));
});
let endpointUrl = "";
let closedUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  // Health is checked by later files: these test functions must not leave it degraded.
  await sql`delete from walltrack.edge_function_calls where function_name like 'test-accounting-%'`;
  endpoint.close();
  await sql.end();
});

async function invokeAt(projectUrl: string, functionName: string): Promise<string> {
  return await sql.begin(async (tx) => {
    const [{ id, original }] = await tx`
      select id, decrypted_secret as original from vault.decrypted_secrets where name = 'project_url'`;
    await tx`select vault.update_secret(${id}, ${projectUrl})`;
    const [{ request }] = await tx`select walltrack.invoke_edge_function(${functionName}) as request`;
    await tx`select vault.update_secret(${id}, ${original})`;
    return request as string;
  });
}

type CallHealth = {
  last_outcome: string; last_status_code: number | null; failures_1h: string; failures_since_success: string; problem: string | null;
};
const callHealth = async (name: string) =>
  (await sql<CallHealth[]>`select last_outcome, last_status_code, failures_1h, failures_since_success, problem
                           from walltrack.edge_function_call_health where function_name = ${name}`)[0];
const settled = (name: string) =>
  waitUntil(`the call of ${name} answered`, async () => {
    const row = await callHealth(name);
    return row && row.last_outcome !== "pending" && row;
  });
const health = async () =>
  await (await fetch(`${stack.functionsUrl}/health`, { headers: { authorization: `Bearer ${stack.serviceRoleKey}` } })).json();

test("a 500 is counted, named by health and carried by status_summary; a later success clears it", async () => {
  answer = 500;
  const request = await invokeAt(endpointUrl, "test-accounting-flaky");
  expect(request).toMatch(/^\d+$/);
  expect(await settled("test-accounting-flaky")).toEqual({
    last_outcome: "failed", last_status_code: 500, failures_1h: "1", failures_since_success: "1",
    problem: 'its last call failed: HTTP 500 {"answered":500}',
  });
  const degraded = await health();
  expect(degraded.status).toBe("degraded");
  expect(degraded.calls).toContainEqual({ function: "test-accounting-flaky", problem: 'its last call failed: HTTP 500 {"answered":500}' });
  const [{ calls }] = await sql`select walltrack.status_summary() -> 'edge_function_calls' as calls`;
  expect(calls).toContainEqual(expect.objectContaining({
    function: "test-accounting-flaky", last_outcome: "failed", failures_1h: 1, failures_24h: 1,
  }));

  answer = 200;
  await invokeAt(endpointUrl, "test-accounting-flaky");
  await waitUntil("the second call answered", async () => (await callHealth("test-accounting-flaky")).last_outcome === "succeeded");
  expect(await callHealth("test-accounting-flaky")).toEqual({
    last_outcome: "succeeded", last_status_code: 200, failures_1h: "1", failures_since_success: "0", problem: null,
  });
  expect((await health()).calls ?? []).not.toContainEqual(expect.objectContaining({ function: "test-accounting-flaky" }));
});

test("a call nothing answers (connection refused) is counted as an error with pg_net's message", async () => {
  await invokeAt(closedUrl, "test-accounting-refused");
  const row = await settled("test-accounting-refused");
  expect(row.last_outcome).toBe("error");
  expect(row.last_status_code).toBeNull();
  expect(row.problem).toMatch(/^its last call failed: .+/);
});

test("the outcome is copied before pg_net forgets the response (pg_net.ttl), so the count survives it", async () => {
  answer = 503;
  const request = await invokeAt(endpointUrl, "test-accounting-forgotten");
  await settled("test-accounting-forgotten");
  // The next call (any session's) copies what pg_net recorded for the calls before it.
  await sql`select walltrack.record_edge_function_outcomes()`;
  const [copied] = await sql`select status_code, error, answered_at is not null as answered
                             from walltrack.edge_function_calls where request_id = ${request}`;
  expect(copied).toEqual({ status_code: 503, error: '{"answered":503}', answered: true });
  // pg_net's worker forgets responses older than pg_net.ttl; as it would with a TTL of zero, now.
  await sql.begin(async (tx) => {
    await tx`set local pg_net.ttl = '0 seconds'`;
    await forgetExpiredResponses(tx);
  });
  expect(await sql`select id from net._http_response where id = ${request}`).toHaveLength(0);
  expect((await callHealth("test-accounting-forgotten")).problem).toBe('its last call failed: HTTP 503 {"answered":503}');
});
