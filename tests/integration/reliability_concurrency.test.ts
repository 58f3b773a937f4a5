// Concurrency: parallel executors, parallel price ticks and a position closed by hand, all at once:
// no order executed twice, no second exit order for one trigger, no second breaker event.
import { afterAll, beforeAll, expect, test } from "vitest";
import { callFunction, connect, freshAddress, freshSignature, liftExposureLimits, replayControl, waitUntil, WSOL } from "./stack.ts";

const sql = connect();
let before: { max_consecutive_losses: number; simulation_slippage_percent: string };
beforeAll(async () => {
  await liftExposureLimits(sql);
  [before] = await sql<{ max_consecutive_losses: number; simulation_slippage_percent: string }[]>`select max_consecutive_losses, simulation_slippage_percent from walltrack.config`;
});
afterAll(async () => {
  await sql`select walltrack.reset_circuit_breaker()`;
  await sql`update walltrack.config set max_consecutive_losses = ${before.max_consecutive_losses},
                                        simulation_slippage_percent = ${before.simulation_slippage_percent}`;
  await sql.end();
});

test("executors, price ticks and a manual close at once: each exit once, one breaker activation", { timeout: 90_000 }, async () => {
  await sql`select walltrack.reset_circuit_breaker()`;
  // A fresh start for the breaker (it counts since its last deactivation), tripped by 3 losses in a row.
  await sql`select walltrack.activate_circuit_breaker('manual', 'simulation')`;
  await sql`select walltrack.reset_circuit_breaker()`;
  await sql`update walltrack.config set max_consecutive_losses = 3, simulation_slippage_percent = 0, sol_usd_price = 150`;

  const mints = [freshAddress(), freshAddress(), freshAddress(), freshAddress()];
  const wallet = freshAddress();
  await sql`select walltrack.add_wallet(${wallet}, 'concurrency')`;
  await sql`select walltrack.store_token_analyses(${sql.json(mints.map((m) => ({ address: m, source: "rugcheck", decimals: 6, liquidity_usd: "1", rugged: false })))})`;
  const positions: string[] = [];
  for (const mint of mints) {
    const [signal] = await sql`insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out, amount_in, amount_out, raw_payload)
                               select id, ${mint}, ${freshSignature()}, 'BUY', ${WSOL}, ${mint}, 1, 1000, '{}' from walltrack.wallets where address = ${wallet} returning id, wallet_id`;
    const [p] = await sql`insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot)
                          select ${signal.wallet_id}, t.id, ${signal.id}, 'simulation', e.id, walltrack.effective_exit_strategy(e.id)
                          from walltrack.tokens t, walltrack.exit_strategies e where t.address = ${mint} and e.is_default returning id`;
    await sql`insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out, amount_in, status, executed_at, amount_out, price_usd, value_usd)
              select p.wallet_id, p.token_id, p.id, ${signal.id}, 'entry', 'simulation', ${WSOL}, ${mint}, 6.666666667, 'executed', now(), 1000, 1, 1000
              from walltrack.positions p where p.id = ${p.id}`;
    positions.push(p.id);
  }
  // Every token falls 50 %: a stop loss for each; one position is also closed by hand at the same time.
  await replayControl({ reset: true, prices: Object.fromEntries(mints.map((m) => [m, "0.5"])) });
  await Promise.all([
    callFunction("price-monitor"), callFunction("price-monitor"), callFunction("price-monitor"),
    callFunction("order-executor"), callFunction("order-executor"),
    sql`select walltrack.close_position_manually(${positions[0]})`.catch(() => null),
  ]);
  await waitUntil("every position to close", async () => {
    await callFunction("order-executor");
    const [{ open }] = await sql`select count(*)::int as open from walltrack.positions where id in ${sql(positions)} and status <> 'closed'`;
    return open === 0;
  }, 60_000);

  const exits = await sql`select position_id, count(*)::int as executed, sum(amount_in) as sold from walltrack.orders
                          where position_id in ${sql(positions)} and order_type <> 'entry' and status = 'executed' group by position_id`;
  expect(exits).toHaveLength(4);
  for (const e of exits) {
    expect(e.executed).toBe(1); // one exit per position: the stop loss, or the manual close that beat it
    expect(Number(e.sold)).toBe(1000);
  }
  const [{ activations }] = await sql`select count(*)::int as activations from walltrack.circuit_breaker_events
                                      where event_type = 'activated' and deactivated_at is null`;
  expect(activations).toBe(1); // four losing closes, three of them enough: one event, never two
  const [config] = await sql`select circuit_breaker_active from walltrack.config`;
  expect(config.circuit_breaker_active).toBe(true);
});
