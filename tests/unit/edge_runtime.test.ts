import { afterEach, expect, test, vi } from "vitest";
import {
  DEFAULT_WALL_CLOCK_MS, installEdgeRuntime, wallClockLimitMs, withWallClockLimit, WORKER_LIMIT_BODY, WORKER_LIMIT_STATUS,
} from "../../scripts/embedded/edge-runtime.ts";
import { runInBackground } from "../../supabase/functions/_shared/process-signals.ts";

afterEach(() => {
  delete (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime;
});

const request = () => new Request("http://127.0.0.1/functions/v1/x");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a request past the wall-clock limit gets 546 WORKER_LIMIT, as the edge runtime answers", async () => {
  const reached = vi.fn();
  const limited = withWallClockLimit(async () => {
    await sleep(500);
    return new Response("late");
  }, 30, reached);
  const response = await limited(request());
  expect(response.status).toBe(WORKER_LIMIT_STATUS);
  expect(await response.json()).toEqual(WORKER_LIMIT_BODY);
  expect(WORKER_LIMIT_STATUS).toBe(546);
  expect(reached).toHaveBeenCalledWith(30);
});

test("a request within the limit gets the function's own answer, and its errors stay errors", async () => {
  const limited = withWallClockLimit(async () => new Response("ok", { status: 201 }), 1000);
  const response = await limited(request());
  expect(response.status).toBe(201);
  expect(await response.text()).toBe("ok");
  await expect(withWallClockLimit(() => { throw new Error("boom"); }, 1000)(request())).rejects.toThrow("boom");
});

test("the limit is 150 s (hosted free plan) unless configured, and a bad setting is refused", () => {
  expect(wallClockLimitMs({})).toBe(150_000);
  expect(DEFAULT_WALL_CLOCK_MS).toBe(150_000);
  expect(wallClockLimitMs({ WALLTRACK_FUNCTIONS_WALL_CLOCK_MS: "2500" })).toBe(2500);
  expect(() => wallClockLimitMs({ WALLTRACK_FUNCTIONS_WALL_CLOCK_MS: "soon" })).toThrow(/positive integer/);
  expect(() => wallClockLimitMs({ WALLTRACK_FUNCTIONS_WALL_CLOCK_MS: "-1" })).toThrow(/positive integer/);
});

test("EdgeRuntime.waitUntil keeps the work and logs a failure instead of throwing", async () => {
  const log = vi.fn();
  const edge = installEdgeRuntime(globalThis, log);
  expect((globalThis as { EdgeRuntime?: unknown }).EdgeRuntime).toBe(edge);
  let release!: () => void;
  edge.waitUntil(new Promise<void>((resolve) => { release = resolve; }));
  edge.waitUntil(Promise.reject(new Error("lost")));
  expect(edge.pending()).toBe(2);
  release();
  await sleep(0);
  expect(edge.pending()).toBe(0);
  expect(log).toHaveBeenCalledWith("EdgeRuntime.waitUntil: lost");
});

test("runInBackground hands the work to EdgeRuntime.waitUntil when the runtime provides it", async () => {
  const edge = installEdgeRuntime(globalThis, () => {});
  const waitUntil = vi.spyOn(edge, "waitUntil");
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  runInBackground(Promise.reject(new Error("db down")), "test work");
  expect(waitUntil).toHaveBeenCalledTimes(1);
  await sleep(0);
  expect(errors).toHaveBeenCalledWith("test work failed: db down");
  errors.mockRestore();
});

test("runInBackground without EdgeRuntime lets the work run and still logs its failure", async () => {
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  expect(() => runInBackground(Promise.reject(new Error("db down")), "plain")).not.toThrow();
  await sleep(0);
  expect(errors).toHaveBeenCalledWith("plain failed: db down");
  errors.mockRestore();
});
