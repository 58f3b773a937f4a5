// The executor's time budget (EXECUTOR_BUDGET_MS): a default that answers pg_net within its 30 s,
// and a bound that keeps the worst case under the hosted functions' wall clock.
import { expect, test } from "vitest";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";

test("the executor's budget defaults below pg_net's 30 s wait and can be set", () => {
  expect(readSettings({}).executorBudgetMs).toBe(20_000);
  expect(readSettings({ EXECUTOR_BUDGET_MS: "60000" }).executorBudgetMs).toBe(60_000);
});

test("a budget that could outlast the 150 s wall clock with the calls in flight is refused, naming both settings", () => {
  expect(() => readSettings({ EXECUTOR_BUDGET_MS: "150000" })).toThrow(/EXECUTOR_BUDGET_MS \(150000\) plus six API_TIMEOUT_MS \(5000\)/);
  expect(() => readSettings({ EXECUTOR_BUDGET_MS: "100000", API_TIMEOUT_MS: "10000" })).toThrow(/below the hosted wall clock/);
  expect(readSettings({ EXECUTOR_BUDGET_MS: "100000", API_TIMEOUT_MS: "5000" }).executorBudgetMs).toBe(100_000);
  expect(() => readSettings({ EXECUTOR_BUDGET_MS: "-1" })).toThrow(/positive integer/);
});
