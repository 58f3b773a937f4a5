// The pg_net stand-in really delivers: a request queued with net.http_post reaches a local HTTP
// endpoint (method, headers, body), and the response is recorded in net._http_response.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { connect } from "./stack.ts";

const sql = connect();
const received: { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }[] = [];
let arrival: () => void;
const arrived = new Promise<void>((resolve) => (arrival = resolve));
const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    received.push({ method: request.method, url: request.url, headers: request.headers, body });
    response.writeHead(202, { "content-type": "application/json" }).end('{"accepted":true}');
    arrival();
  });
});

beforeAll(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
afterAll(async () => {
  server.close();
  await sql.end();
});

test("net.http_post reaches a local endpoint and its response is recorded", async () => {
  const { port } = server.address() as AddressInfo;
  const [{ id }] = await sql`
    select net.http_post(
      url := ${`http://127.0.0.1:${port}/hook`},
      body := '{"job": "sweep", "amount": "123.456789012345678901"}'::jsonb,
      params := '{"source": "pg_cron"}'::jsonb,
      headers := '{"Content-Type": "application/json", "Authorization": "Bearer test-token"}'::jsonb
    ) as id`;

  await arrived;
  expect(received).toHaveLength(1);
  expect(received[0].method).toBe("POST");
  expect(received[0].url).toBe("/hook?source=pg_cron");
  expect(received[0].headers.authorization).toBe("Bearer test-token");
  expect(JSON.parse(received[0].body)).toEqual({ job: "sweep", amount: "123.456789012345678901" });

  const deadline = Date.now() + 10_000;
  let rows: { status_code: number; content: string; timed_out: boolean }[] = [];
  while (rows.length === 0 && Date.now() < deadline) {
    rows = await sql`select status_code, content, timed_out from net._http_response where id = ${id}`;
    if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(rows).toEqual([{ status_code: 202, content: '{"accepted":true}', timed_out: false }]);
  const [{ queued }] = await sql`select count(*)::int as queued from net.http_request_queue where id = ${id}`;
  expect(queued).toBe(0);
});

test("a request to an endpoint that does not answer is recorded as an error, not lost", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const [{ id }] = await sql`select net.http_get(${`http://127.0.0.1:${port}/gone`}) as id`;
  const deadline = Date.now() + 10_000;
  let rows: { status_code: number | null; error_msg: string | null }[] = [];
  while (rows.length === 0 && Date.now() < deadline) {
    rows = await sql`select status_code, error_msg from net._http_response where id = ${id}`;
    if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(rows).toHaveLength(1);
  expect(rows[0].status_code).toBeNull();
  expect(rows[0].error_msg).toMatch(/.+/);
});
