// The functions' Postgres client fits Supabase's transaction pooler: no prepared statement is left
// on a server connection, and an isolate holds at most two connections.
import postgres from "postgres";
import { afterAll, expect, test } from "vitest";
import { connectDatabase } from "../../supabase/functions/_shared/database.ts";
import { stack } from "./stack.ts";

const clients: postgres.Sql[] = [];
afterAll(() => Promise.all(clients.map((c) => c.end())));
const open = <T extends postgres.Sql>(client: T) => (clients.push(client), client);

const preparedOnThisConnection = async (sql: postgres.Sql) => {
  await sql`select ${1}::integer as one`;
  await sql`select ${2}::integer as one`;
  const [{ n }] = await sql`select count(*)::integer as n from pg_catalog.pg_prepared_statements`;
  return n;
};

test("the functions' client prepares no statement (a pooled server connection would not have it)", async () => {
  expect(await preparedOnThisConnection(open(connectDatabase(stack.dbUrl, 1)))).toBe(0);
  // The check can fail: postgres.js with its defaults leaves named statements behind.
  expect(await preparedOnThisConnection(open(postgres(stack.dbUrl, { max: 1, onnotice: () => {} })))).toBeGreaterThan(0);
});

test("an isolate's pool holds at most two connections, however many queries wait", async () => {
  const sql = open(connectDatabase(stack.dbUrl));
  const pids = await Promise.all(Array.from({ length: 6 }, () =>
    sql`select pg_catalog.pg_backend_pid() as pid, pg_catalog.pg_sleep(0.05)`.then(([row]) => row.pid as number)));
  expect(new Set(pids).size).toBe(2);
  expect(() => connectDatabase(stack.dbUrl, 4)).toThrow("1 to 2 connections, not 4");
});

test("the pooler's URL (WALLTRACK_DB_POOLER_URL), when set, is used instead of SUPABASE_DB_URL", async () => {
  const unreachable = "postgresql://postgres:postgres@127.0.0.1:1/postgres";
  const sql = open(connectDatabase(unreachable, 1, stack.dbUrl));
  const [{ one }] = await sql`select 1 as one`;
  expect(one).toBe(1);
  expect(() => connectDatabase(undefined, 1, "")).toThrow("SUPABASE_DB_URL is not set");
});
