import type { Sql } from "postgres";
import { expect, test } from "vitest";
import { checkHealth } from "../../supabase/functions/_shared/health.ts";

const answering = (row: object) => (async () => [row]) as unknown as Sql;

test("ok when config exists and the pg_cron scheduler runs", async () => {
  const health = await checkHealth(answering({ migration: "20261121000900", config: true, cron_scheduler: true, jobs: [], calls: [] }));
  expect(health).toEqual({
    status: "ok", database: "ok", migration: "20261121000900", config: true, cron_scheduler: true, jobs: [], calls: [],
  });
});

test("degraded, naming the job, when a scheduled job failed its last run or is late", async () => {
  const jobs = [{ job: "walltrack-price-monitor", problem: "its last run failed: connection failed" }];
  const health = await checkHealth(answering({ migration: "20261121000900", config: true, cron_scheduler: true, jobs, calls: [] }));
  expect(health.status).toBe("degraded");
  expect(health.jobs).toEqual(jobs);
});

test("degraded, naming the function, when its last call from the database failed though the job succeeded", async () => {
  const calls = [{ function: "price-monitor", problem: "its last call failed: HTTP 401 invalid JWT" }];
  const health = await checkHealth(answering({ migration: "20261121000900", config: true, cron_scheduler: true, jobs: [], calls }));
  expect(health.status).toBe("degraded");
  expect(health.calls).toEqual(calls);
});

test("degraded, naming the part, when pg_cron is not running", async () => {
  const health = await checkHealth(answering({ migration: "20261121000900", config: true, cron_scheduler: false, jobs: [], calls: [] }));
  expect(health.status).toBe("degraded");
  expect(health.cron_scheduler).toBe(false);
});

test("degraded with the driver's message when the database is unreachable", async () => {
  const refusing = (async () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:54322");
  }) as unknown as Sql;
  expect(await checkHealth(refusing)).toEqual({
    status: "degraded",
    database: "unreachable",
    migration: null,
    config: false,
    cron_scheduler: false,
    jobs: [],
    calls: [],
    error: "connect ECONNREFUSED 127.0.0.1:54322",
  });
});
