// A leader's SELL decided while the executor fills another exit of the same position (the scale-out
// the SELL's own price fired): the mirror exit must price its lot on the holdings as they are. It
// locks the position row (FOR UPDATE, the lock a fill takes) before reading it, so the fill waits
// for the decision, or the decision for the fill; never a lot computed from holdings a fill has
// changed meanwhile. Seen without the lock: an order named exit_mirror_partial that sold everything.
import { afterAll, expect, test } from "vitest";
import { connect, freshSignature, positionAtOneDollar, WSOL } from "./stack.ts";

const decider = connect();
const filler = connect();
afterAll(async () => {
  await decider.end();
  await filler.end();
});

test("while the mirror exit decides, a fill of the same position cannot take its row; once it is decided, it can", async () => {
  const { mint, positionId } = await positionAtOneDollar(decider);
  // The BUY decided, the leader's SELL recorded as processed: no processor takes either meanwhile.
  await decider`update walltrack.signals s set processed_at = now() from walltrack.positions p
                  where p.id = ${positionId} and s.id = p.signal_id`;
  const [sell] = await decider`
    insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                   amount_in, amount_out, raw_payload, processed_at)
    select p.wallet_id, ${mint}, ${freshSignature()}, 'SELL', ${mint}, ${WSOL}, 1000, 1, '{}', now()
      from walltrack.positions p where p.id = ${positionId}
    returning id`;

  let probe: unknown = "not run";
  await decider.begin(async (tx) => {
    const [decided] = await tx`select m.exit_orders from walltrack.signals s, walltrack.mirror_exit(s, 1, now()) m where s.id = ${sell.id}`;
    expect(decided.exit_orders).toBe(1);
    // The fill's own lock, asked without waiting, while the decision's transaction is open. A row
    // held only by the order's foreign key (FOR KEY SHARE) would grant it: then the fill could
    // have changed the holdings between the decision's read and its order.
    probe = await filler`select 1 from walltrack.positions where id = ${positionId} for no key update nowait`
      .then(() => "granted", (error: { code?: string }) => error.code);
  });
  expect(probe).toBe("55P03"); // lock_not_available
  // Once decided, the fill may take it: the mirror order's own fill (the executor its insert kicked)
  // may hold it for a moment, so this one waits, a few seconds at most.
  const taken = await filler.begin(async (tx) => {
    await tx`set local lock_timeout = '10s'`;
    return await tx`select id from walltrack.positions where id = ${positionId} for no key update`;
  });
  expect(taken).toHaveLength(1);
  const [order] = await filler`select order_type, amount_in::text from walltrack.orders where signal_id = ${sell.id}`;
  expect(order).toEqual({ order_type: "exit_mirror", amount_in: "1000" });
});
