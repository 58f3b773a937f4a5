// Every observed swap is a price, through the running webhook: a real PumpSwap SELL (fixture
// pump-amm-sell.sniper.json, adapted to a fresh watched wallet and token) reprices another
// wallet's open position in that token before Helius gets its 200: its swap-leg price x the last
// SOL/USD, exactly, from leader_swap, and the stop loss it crosses is an exit order at once.
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildSignalBatch } from "../../supabase/functions/_shared/signal-batch.ts";
import { adaptedFixture, connect, freshAddress, freshSignature, liftExposureLimits, positionAt, postWebhook } from "./stack.ts";

const sql = connect();
beforeAll(() => liftExposureLimits(sql));
afterAll(() => sql.end());

const TRADER = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
const SELL_MINT = "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump";
const SOL_USD = "187.123456";

function sale(wallet: string, mint: string) {
  const [original] = adaptedFixture("pump-amm-sell.sniper.json", {}) as { signature: string }[];
  const body = adaptedFixture("pump-amm-sell.sniper.json", { [TRADER]: wallet, [SELL_MINT]: mint, [original.signature]: freshSignature() });
  (body[0] as Record<string, unknown>).timestamp = Math.floor(Date.now() / 1000) - 1;
  return body as { signature: string }[];
}

test("another watched wallet's real sale reprices the open position at once, exactly, and crosses its stop loss", async () => {
  const seller = freshAddress();
  await sql`insert into walltrack.wallets (address, exit_strategy_id) select ${seller}, id from walltrack.exit_strategies where name = 'Default'`;
  await sql`update walltrack.config set sol_usd_price = ${SOL_USD}, sol_usd_price_at = now()`;

  // The sale's swap-leg price in SOL, as the webhook will classify it; the position entered 25 %
  // above its USD value, so that the sale is a 20 % fall: the stop loss (20 %) fires at once.
  const probe = sale(seller, freshAddress());
  const signal = buildSignalBatch(probe, new Date()).batch.signals.find((s) => s.wallet === seller)!;
  const price = String(signal.price);
  expect(signal.signal_type).toBe("SELL");
  const [{ entry }] = await sql`select (${price}::numeric * ${SOL_USD}::numeric * 1.25)::text as entry`;
  const { mint, positionId } = await positionAt(sql, entry);
  const body = sale(seller, mint);

  const response = await postWebhook(body);
  expect(response.status).toBe(200);
  // No waiting: the price was applied in the statement that recorded the signal.
  const [repriced] = await sql`
    select p.current_price::text, p.price_source,
           p.current_price = s.price * ${SOL_USD}::numeric as exact
      from walltrack.positions p, walltrack.signals s
     where p.id = ${positionId} and s.transaction_signature = ${body[0].signature}`;
  expect(repriced).toMatchObject({ price_source: "leader_swap", exact: true });
  const [{ expected }] = await sql`select trim_scale(${price}::numeric * ${SOL_USD}::numeric)::text as expected`;
  expect(repriced.current_price).toBe(expected);
  const exits = await sql`select order_type, amount_in::text from walltrack.orders where position_id = ${positionId} and order_type <> 'entry'`;
  expect(exits).toEqual([{ order_type: "exit_stop_loss", amount_in: "1000" }]);
});
