// The operator CLI never hands the database password to a server whose certificate it cannot
// verify: a fake Postgres with a self-signed certificate asks for the password in clear text
// (AuthenticationCleartextPassword) and must not receive it, unless the operator names its CA
// (--db-ca) or explicitly relaxes the check (--db-insecure-tls).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startDashboard } from "../../scripts/dashboard.ts";
import { connectionOptions, main } from "../../scripts/operator.ts";

const HOST = "127.0.0.2"; // loopback, but not the embedded stack's address: TLS applies
const PASSWORD = "secret-db-password-123";
let dir: string;
let server: net.Server;
let port: number;
let received = "";

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "walltrack-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1",
    "-subj", `/CN=${HOST}`, "-addext", `subjectAltName=IP:${HOST}`], { stdio: "ignore" });
  const context = tls.createSecureContext({
    key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")),
  });
  server = net.createServer((socket) => {
    socket.once("data", () => { // SSLRequest: say yes, then speak TLS
      socket.write("S");
      const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
      secure.on("error", () => {});
      secure.once("data", () => { // the startup message: ask for the password in clear text
        secure.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
        secure.on("data", (chunk) => {
          received += chunk.toString("latin1");
          // then refuse, as a server would: ErrorResponse 28P01
          const fields = Buffer.from("SFATAL\0C28P01\0Mfake server\0\0", "latin1");
          const header = Buffer.alloc(5);
          header.write("E", 0, "latin1");
          header.writeInt32BE(fields.length + 4, 1);
          secure.end(Buffer.concat([header, fields]));
        });
      });
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  port = (server.address() as net.AddressInfo).port;
});

afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const url = () => `postgresql://postgres:${PASSWORD}@${HOST}:${port}/postgres`;

test("by default the certificate is verified: a self-signed server gets no password", async () => {
  received = "";
  const result = await main(["status", "--db-url", url()]);
  expect(result.code).toBe(1);
  expect(result.output).toMatch(/self-signed certificate/);
  expect(received).not.toContain(PASSWORD);
});

test("an sslmode=require in the URL does not turn verification off", async () => {
  received = "";
  const result = await main(["status", "--db-url", `${url()}?sslmode=require`]);
  expect(result.code).toBe(1);
  expect(received).not.toContain(PASSWORD);
});

test("--db-ca trusts the named CA (host name checked too); --db-insecure-tls relaxes explicitly", async () => {
  received = "";
  await main(["status", "--db-url", url(), "--db-ca", path.join(dir, "cert.pem")]);
  expect(received).toContain(PASSWORD);
  received = "";
  await main(["status", "--db-url", url(), "--db-insecure-tls"]);
  expect(received).toContain(PASSWORD);
});

test("the dashboard reaches a database as the CLI does: a self-signed server gets no password, --db-ca trusts it", async () => {
  received = "";
  const refused = await startDashboard({ dbUrl: url(), port: 0 });
  try {
    await expect(refused.sql`select 1`).rejects.toThrow(/self-signed certificate/);
  } finally {
    await refused.close();
  }
  expect(received).not.toContain(PASSWORD);
  const trusted = await startDashboard({ dbUrl: url(), caFile: path.join(dir, "cert.pem"), port: 0 });
  try {
    await expect(trusted.sql`select 1`).rejects.toThrow(/fake server/);
  } finally {
    await trusted.close();
  }
  expect(received).toContain(PASSWORD);
});

test("the embedded stack on this machine needs no TLS; every other host gets verified TLS", () => {
  expect(connectionOptions("postgresql://postgres:postgres@127.0.0.1:54322/postgres", {}).ssl).toBe(false);
  expect(connectionOptions("postgresql://u:p@db.abcdefgh.supabase.co:5432/postgres?sslmode=disable", {})).toEqual({
    url: "postgresql://u:p@db.abcdefgh.supabase.co:5432/postgres",
    ssl: { rejectUnauthorized: true, host: "db.abcdefgh.supabase.co", servername: "db.abcdefgh.supabase.co" },
  });
  expect(connectionOptions("postgresql://u:p@10.0.0.5:5432/postgres", { insecure: true }).ssl)
    .toMatchObject({ rejectUnauthorized: false, servername: undefined });
});
