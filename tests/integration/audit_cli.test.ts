// npm run audit: who changed what and when, read from walltrack.audit_trail. A change made with the
// operator's commands is recorded as the CLI's (application_name walltrack-cli), one by hand in SQL
// as what that session was; --since and --table narrow it; a bad --since changes nothing and says why.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Keypair } from "@solana/web3.js";
import { afterAll, expect, test } from "vitest";
import { auditChange, sinceInterval } from "../../scripts/operator.ts";
import { connect, stack } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

async function op(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/operator.ts", ...args], {
      env: { ...process.env, WALLTRACK_DB_URL: stack.dbUrl },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

test("--since reads minutes, hours, days and weeks; anything else is refused", () => {
  expect(sinceInterval("30m")).toBe("30 minutes");
  expect(sinceInterval("12h")).toBe("12 hours");
  expect(sinceInterval("7d")).toBe("7 days");
  expect(sinceInterval("2w")).toBe("2 weeks");
  for (const bad of ["7", "d", "0d", "-1d", "7 days", "1y"]) expect(() => sinceInterval(bad), bad).toThrow(/--since must be/);
});

test("a change reads as field: old -> new", () => {
  expect(auditChange({ stop_loss_percent: 15 }, { stop_loss_percent: 12 })).toBe("stop_loss_percent: 15 -> 12");
  expect(auditChange(null, { mode: "live", label: "x" })).toBe('label: - -> "x"; mode: - -> "live"');
});

test("npm run audit shows the CLI's and a hand-made change with who made them, newest first", async () => {
  const wallet = Keypair.generate().publicKey.toBase58();
  expect((await op("wallet:add", wallet, "--label", "audited")).code).toBe(0);
  expect((await op("wallet:set", wallet, "--mode", "live")).code).toBe(0);
  await sql`update walltrack.exit_strategies set stop_loss_percent = stop_loss_percent + 1 where name = 'Aggressive'`;

  const audit = await op("audit", "--since", "10m");
  expect(audit.code).toBe(0);
  const lines = audit.out.trim().split("\n");
  const [walletId] = (await sql`select id from walltrack.wallets where address = ${wallet}`).map((r) => r.id);
  const mine = lines.filter((line) => line.includes(walletId));
  expect(mine).toHaveLength(2);
  expect(mine[0]).toMatch(new RegExp(`\\twallets\\t${walletId}\\tupdate\\tpostgres via walltrack-cli\\tmode: "simulation" -> "live"$`));
  expect(mine[1]).toMatch(/\twallets\t.*\tinsert\tpostgres via walltrack-cli\t.*label: - -> "audited"/);
  const strategy = lines.find((line) => line.includes("\texit_strategies\t") && line.includes("stop_loss_percent"));
  expect(strategy).toMatch(/\tupdate\tpostgres via postgres\.js\tstop_loss_percent: \d+(\.\d+)? -> \d+(\.\d+)?$/);
  expect(lines.indexOf(strategy!)).toBeLessThan(lines.indexOf(mine[0]));

  const onlyStrategies = await op("audit", "--since", "10m", "--table", "exit_strategies");
  expect(onlyStrategies.out).not.toContain("\twallets\t");
  const refused = await op("audit", "--since", "forever");
  expect(refused.code).toBe(2);
  expect(refused.out).toContain("--since must be a number and a unit");
});
