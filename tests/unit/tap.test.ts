import { expect, test } from "vitest";
import { countTap } from "../../scripts/lib/tap.ts";

test("counts ok and not ok lines per file", () => {
  const output = [
    "a.test.sql .. ",
    "1..3",
    "ok 1 - one",
    "not ok 2 - two",
    "# Failed test 2",
    "ok 3 - three",
    "Failed 1/3 subtests",
    "b.test.sql .. ",
    "1..1",
    "ok 1 - alone",
    "ok",
  ].join("\n");
  expect(countTap(output)).toEqual({ passed: 3, failed: 1, failures: ["a.test.sql: not ok 2 - two"] });
});

test("a file that died counts its missing tests, and one without a plan counts as a failure", () => {
  const output = ["c.test.sql .. ", "1..4", "ok 1 - first", "d.test.sql .. ", "psql: error"].join("\n");
  const count = countTap(output);
  expect(count.passed).toBe(1);
  expect(count.failed).toBe(4);
  expect(count.failures).toEqual(["c.test.sql: 3 planned tests did not run", "d.test.sql: no plan (the file died)"]);
});

test("a failing TODO test is an expected failure: neither passed nor failed", () => {
  const output = ["e.test.sql .. ", "1..2", "not ok 1 - known bug # TODO fix the ratio", "ok 2 - fine"].join("\n");
  expect(countTap(output)).toEqual({ passed: 1, failed: 0, failures: [] });
});
