// A leader's SELL mirrors out of the positions opened from that leader only: the real PumpSwap
// BUY and SELL payloads, adapted to one fresh wallet and token.
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { formatUnits, parseUnits } from "../../supabase/functions/_shared/decimal.ts";
import { adaptedFixture, connect, freshAddress, freshSignature, postWebhook, replayControl, waitUntil, liftExposureLimits } from "./stack.ts";

const sql = connect();
beforeAll(() => liftExposureLimits(sql));
afterAll(() => sql.end());
beforeEach(() => replayControl({ reset: true }));

const TRADER = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
const BUY_MINT = "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy";
const SELL_MINT = "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump";

function payload(name: string, wallet: string, mint: string, tokenMint: string) {
  const [original] = adaptedFixture(name, {}) as { signature: string }[];
  const body = adaptedFixture(name, { [TRADER]: wallet, [tokenMint]: mint, [original.signature]: freshSignature() });
  (body[0] as Record<string, unknown>).timestamp = Math.floor(Date.now() / 1000) - 1;
  return body as { signature: string }[];
}

const processed = (signature: string) =>
  waitUntil(`signal ${signature}`, async () => {
    const rows = await sql`select * from walltrack.signals where transaction_signature = ${signature} and processed_at is not null`;
    return rows.length ? rows[0] : undefined;
  });

async function watch(strategy: string) {
  const wallet = freshAddress();
  await sql`insert into walltrack.wallets (address, exit_strategy_id) select ${wallet}, id from walltrack.exit_strategies where name = ${strategy}`;
  return wallet;
}

test("a SELL of the leader creates one exit_mirror order for its own position, not another wallet's (whose scale-out its price fires)", async () => {
  const mint = freshAddress();
  const leader = await watch("Default");
  const other = await watch("Default");
  const buys = [payload("pump-amm-buy.sniper.json", leader, mint, BUY_MINT), payload("pump-amm-buy.sniper.json", other, mint, BUY_MINT)];
  for (const body of buys) {
    expect((await postWebhook(body)).status).toBe(200);
    expect(await processed(body[0].signature)).toMatchObject({ position_created: true });
  }

  const sell = payload("pump-amm-sell.sniper.json", leader, mint, SELL_MINT);
  await postWebhook(sell);
  const signal = await processed(sell[0].signature);
  expect(signal).toMatchObject({ signal_type: "SELL", filtered: false, position_created: false });

  // The kicked executor fills the simulated exit: the leader's SELL closes our position by mirror.
  const exits = await waitUntil("the mirror exit to fill", async () => {
    const rows = await sql`
      select o.order_type, o.status, o.amount_in, p.entry_amount, p.status as position_status, p.exit_reason, w.address
        from walltrack.orders o join walltrack.positions p on p.id = o.position_id join walltrack.wallets w on w.id = p.wallet_id
       where o.signal_id = ${signal.id}`;
    return rows.length === 1 && rows[0].status === "executed" && rows[0].position_status === "closed" ? rows : undefined;
  });
  expect(exits[0]).toMatchObject({ order_type: "exit_mirror", address: leader, position_status: "closed", exit_reason: "mirror" });
  // The sale is also a price (walltrack.apply_swap_prices), about 3x the buy's in these payloads:
  // both positions scale out at 2x when it is recorded; the mirror sells what that leaves, exactly.
  const [leaderExits] = await sql`
    select array_agg(o.order_type order by o.requested_at) as types, sum(o.amount_in) = max(p.entry_amount) as everything
      from walltrack.orders o join walltrack.positions p on p.id = o.position_id join walltrack.wallets w on w.id = p.wallet_id
     where w.address = ${leader} and o.order_type <> 'entry'`;
  expect(leaderExits).toEqual({ types: ["exit_scaling", "exit_mirror"], everything: true });
  // Default mirrors proportionally; the replayed RPC does not know this transaction, so the fraction
  // is unknown, the fallback (full) sold everything, and the signal says why.
  const [balances] = await sql`select unknown_reason from walltrack.leader_sell_balances where signal_id = ${signal.id}`;
  expect(balances).toEqual({ unknown_reason: "transaction_not_found" });
  const otherExits = await sql`
    select o.order_type from walltrack.orders o join walltrack.wallets w on w.id = o.wallet_id
     where w.address = ${other} and o.order_type <> 'entry'`;
  expect(otherExits).toEqual([{ order_type: "exit_scaling" }]);
});

test("a SELL with mirror exit off (Aggressive) is filtered mirror_exit_disabled; without a position, no_open_position", async () => {
  const mint = freshAddress();
  const aggressive = await watch("Aggressive");
  const buy = payload("pump-amm-buy.sniper.json", aggressive, mint, BUY_MINT);
  await postWebhook(buy);
  await processed(buy[0].signature);
  const sell = payload("pump-amm-sell.sniper.json", aggressive, mint, SELL_MINT);
  await postWebhook(sell);
  expect(await processed(sell[0].signature)).toMatchObject({ filtered: true, filter_reason: "mirror_exit_disabled" });

  const idle = await watch("Default");
  const lonely = payload("pump-amm-sell.sniper.json", idle, freshAddress(), SELL_MINT);
  await postWebhook(lonely);
  expect(await processed(lonely[0].signature)).toMatchObject({ filtered: true, filter_reason: "no_open_position" });
});

test("a leader selling a third of their bag: the position sells a third of what it holds, to the base unit", async () => {
  const mint = freshAddress();
  // A proportional template without scale-out levels: the SELL's price (about 3x the BUY's, and a
  // price like any other, walltrack.apply_swap_prices) fires no other exit, so the position holds
  // all it bought when its leader sells.
  const template = `Mirror third ${freshAddress().slice(0, 8)}`;
  await sql`insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent, mirror_mode)
            values (${template}, 20, 15, 'proportional')`;
  const leader = await watch(template);
  const buy = payload("pump-amm-buy.sniper.json", leader, mint, BUY_MINT);
  await postWebhook(buy);
  const opened = await processed(buy[0].signature);
  const entered = await waitUntil("the entry to fill", async () => {
    const [p] = await sql`select entry_amount from walltrack.positions where id = ${opened.position_id} and entry_amount is not null`;
    return p;
  });

  // The leader's SELL moves 3,666,988.222932 tokens (raw 3666988222932, 6 decimals): the confirmed
  // transaction shows they held three times that just before.
  const sell = payload("pump-amm-sell.sniper.json", leader, mint, SELL_MINT);
  const sold = 3666988222932n;
  await replayControl({ leaderTransactions: { [sell[0].signature]: {
    owner: leader, mint, before: (3n * sold).toString(), after: (2n * sold).toString(), decimals: 6 } } });
  await postWebhook(sell);
  const signal = await processed(sell[0].signature);
  expect(signal).toMatchObject({ filtered: false, position_id: opened.position_id });
  const [balances] = await sql`select held_before_raw, held_after_raw, source from walltrack.leader_sell_balances where signal_id = ${signal.id}`;
  expect(balances).toEqual({ held_before_raw: (3n * sold).toString(), held_after_raw: (2n * sold).toString(), source: "rpc_get_transaction" });

  // A third of what it holds, rounded down to the base unit of the mint as the database knows it
  // (the replayed RugCheck report says 9 decimals).
  const [{ decimals }] = await sql`select decimals from walltrack.tokens where address = ${mint}`;
  const third = formatUnits(parseUnits(entered.entry_amount, decimals) / 3n, decimals);
  const [exit] = await waitUntil("the mirror exit to fill", async () => {
    const rows = await sql`
      select o.order_type, o.status, o.amount_in, p.current_amount, p.status as position_status
        from walltrack.orders o join walltrack.positions p on p.id = o.position_id where o.signal_id = ${signal.id}`;
    return rows.length === 1 && rows[0].status === "executed" ? rows : undefined;
  });
  expect(exit).toMatchObject({ order_type: "exit_mirror_partial", amount_in: third, position_status: "open" });
  const [{ left }] = await sql`select (${entered.entry_amount}::numeric - ${third}::numeric)::text as left`;
  expect(exit.current_amount).toBe(left);
});
