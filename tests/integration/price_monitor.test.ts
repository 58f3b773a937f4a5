// The price monitor through the running stack: prices from the replayed Jupiter Price v3 move an
// open simulated position through the Default strategy (the example: entry 1.00 for 1,000
// tokens; 2.00 sells 500, 3.00 sells 250, the rest leaves by the trailing stop after a peak of 4.00),
// the kicked executor fills each exit, and the realized PnL is exact.
import { afterAll, beforeAll, expect, test } from "vitest";
import { callFunction, connect, liftExposureLimits, positionAtOneDollar, replayControl, waitUntil } from "./stack.ts";

const sql = connect();
let slippageBefore: string;
beforeAll(async () => {
  await liftExposureLimits(sql);
  [{ simulation_slippage_percent: slippageBefore }] = await sql`select simulation_slippage_percent from walltrack.config`;
  await sql`update walltrack.config set simulation_slippage_percent = 0`; // fills at exactly the observed price
});
afterAll(async () => {
  await sql`update walltrack.config set simulation_slippage_percent = ${slippageBefore}`;
  await sql.end();
});

async function tick(mint: string, usd: string) {
  await replayControl({ prices: { [mint]: usd } });
  const response = await callFunction("price-monitor");
  expect(response.status).toBe(200);
  return response.json();
}

const settled = (positionId: string) =>
  waitUntil("exits to settle", async () => {
    const [{ open }] = await sql`select count(*)::int as open from walltrack.orders
                                 where position_id = ${positionId} and status in ('pending', 'submitted')`;
    return open === 0;
  });

test("Default strategy: scale out at 2x and 3x, then the trailing stop after a peak closes it with realized PnL 1600.00", async () => {
  await replayControl({ reset: true });
  const { mint, positionId } = await positionAtOneDollar(sql);

  const first = await tick(mint, "2");
  expect(first.applied).toMatchObject({ exit_orders_created: 1 });
  await settled(positionId);
  await tick(mint, "2"); // the same price again creates nothing
  await tick(mint, "3");
  await settled(positionId);
  await tick(mint, "4");
  await tick(mint, "3.4"); // 4.00 x (1 - 15 %) = 3.40: the trailing stop fires
  await settled(positionId);

  const exits = await sql`select order_type, scaling_level, amount_in, price_usd, status from walltrack.orders
                          where position_id = ${positionId} and order_type <> 'entry' order by executed_at`;
  expect(exits).toEqual([
    { order_type: "exit_scaling", scaling_level: 1, amount_in: "500", price_usd: "2", status: "executed" },
    { order_type: "exit_scaling", scaling_level: 2, amount_in: "250", price_usd: "3", status: "executed" },
    { order_type: "exit_trailing_stop", scaling_level: null, amount_in: "250", price_usd: "3.4", status: "executed" },
  ]);
  const [position] = await sql`select * from walltrack.positions where id = ${positionId}`;
  // 500 x (2 - 1) + 250 x (3 - 1) + 250 x (3.4 - 1) = 500 + 500 + 600
  expect(Number(position.realized_pnl_usd)).toBe(1600);
  expect(position).toMatchObject({ status: "closed", exit_reason: "trailing_stop", current_amount: "0", exit_amount: "1000",
    peak_price: "4", trailing_stop_armed: true, scaling_levels_fired: [1, 2] });
  // weighted exit price: (500 x 2 + 250 x 3 + 250 x 3.4) / 1000 = 2.6
  expect(position.exit_price).toBe("2.6");
});

test("a token no source prices keeps its last price; the run still succeeds", async () => {
  await replayControl({ reset: true });
  const { mint, positionId } = await positionAtOneDollar(sql);
  await tick(mint, "1.1");
  await replayControl({ reset: true, unknownToDexscreener: [mint] });
  const report = await (await callFunction("price-monitor")).json();
  expect(report.unpriced).toContain(mint);
  const [position] = await sql`select current_price from walltrack.positions where id = ${positionId}`;
  expect(position.current_price).toBe("1.1");
});

test("Infinity from every source is refused, recorded and never applied; a jump waits for a second observation", async () => {
  await replayControl({ reset: true });
  const { mint, positionId } = await positionAtOneDollar(sql);
  await tick(mint, "1.1");
  // Jupiter's answer cannot hold Infinity (it becomes null), DexScreener's string does: both refused.
  const report = await tick(mint, "Infinity");
  expect(report.refused.map((r: { source: string; reason: string }) => [r.source, r.reason])).toEqual([
    ["jupiter", "not_a_number"], ["dexscreener", "not_a_number"],
  ]);
  expect(report.applied).toMatchObject({ positions_repriced: 0, prices_refused: 2 });
  const refusals = await sql`select source, observed, reason from walltrack.price_refusals where token_address = ${mint} order by source desc`;
  expect(refusals).toEqual([
    { source: "jupiter", observed: "null", reason: "not_a_number" },
    { source: "dexscreener", observed: '"Infinity"', reason: "not_a_number" },
  ]);
  // A tick of 1e300 is absurd; 50 (x45) is a jump: refused once, applied at the second observation.
  await tick(mint, "1e300");
  expect((await tick(mint, "50")).applied).toMatchObject({ positions_repriced: 0, prices_refused: 1 });
  const [before] = await sql`select current_price from walltrack.positions where id = ${positionId}`;
  expect(before.current_price).toBe("1.1");
  expect((await tick(mint, "50")).applied).toMatchObject({ positions_repriced: 1, exit_orders_created: 2 });
  await settled(positionId);
});
