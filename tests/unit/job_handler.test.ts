// The one shape of the internal POST jobs (supabase/functions/_shared/job.ts): the secret checked
// before anything else, POST only, the report as JSON, a failure logged and answered 503 without
// its message.
import { afterEach, expect, test, vi } from "vitest";
import { jobHandler } from "../../supabase/functions/_shared/job.ts";

const secret = "operator-chosen-internal-secret-0123456789";
const env = { WALLTRACK_INTERNAL_SECRET: secret };
const request = (method: string, headers: Record<string, string> = { authorization: `Bearer ${secret}` }) =>
  new Request("http://localhost/functions/v1/price-monitor", { method, headers, body: method === "POST" ? "{}" : undefined });
afterEach(() => vi.restoreAllMocks());

test("no credential: refused before the method is even looked at, and the job never runs", async () => {
  const run = vi.fn(async () => ({ done: true }));
  const handle = jobHandler("price-monitor", env, run, "try later");
  expect((await handle(request("POST", {}))).status).toBe(401);
  expect((await handle(request("GET", {}))).status).toBe(401);
  expect((await handle(request("GET", { authorization: "Bearer not-the-secret" }))).status).toBe(401);
  expect(run).not.toHaveBeenCalled();
});

test("with the secret: POST runs the job and answers its report as JSON; other methods are 405", async () => {
  const handle = jobHandler("price-monitor", env, async () => ({ applied: 3 }), "try later");
  const answer = await handle(request("POST"));
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("application/json");
  expect(await answer.json()).toEqual({ applied: 3 });
  expect((await handle(request("GET"))).status).toBe(405);
});

test("a job that throws: logged under its name, answered 503 with what happens next, never its message", async () => {
  const log = vi.spyOn(console, "error").mockImplementation(() => {});
  const handle = jobHandler("price-monitor", env, async () => {
    throw new Error("connection to 10.0.0.7:6543 refused");
  }, "price monitoring failed; the next run will try again");
  const answer = await handle(request("POST"));
  expect(answer.status).toBe(503);
  expect(await answer.json()).toEqual({ error: "price monitoring failed; the next run will try again" });
  expect(log).toHaveBeenCalledWith("price-monitor: connection to 10.0.0.7:6543 refused");
});
