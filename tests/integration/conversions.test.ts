// Conversions through the running stack (issue 17): a leader swapping SOL, USDC or USDT into a
// quote-like asset (a stablecoin, a liquid-staking SOL token, a wrapped major) or out of one, or
// one quote-like asset for another, is recorded with the outcome `conversion`, never a position
// and never a mirror exit; a token paid in a quote-like asset is a BUY (or SELL) valued through
// that asset's USD price. The WETH swap
// is a real payload as recorded; no real enhanced transaction of an LST, WBTC or PYUSD swap was
// found in public sources, so those are real payloads with the traded mint replaced (derived
// variants, fixtures/PROVENANCE.md "Quote-like assets").
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { USDC_MINT } from "../../supabase/functions/_shared/mints.ts";
import { buildSignalBatch } from "../../supabase/functions/_shared/signal-batch.ts";
import { adaptedFixture, callFunction, connect, freshAddress, freshSignature, liftExposureLimits, postWebhook, replayControl, replayRequests,
         waitUntil } from "./stack.ts";

const sql = connect();
beforeAll(() => liftExposureLimits(sql));
afterAll(() => sql.end());
beforeEach(() => replayControl({ reset: true }));

const WETH = "7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs";
const WBTC = "3NZ9JMVBmGAqocybic2c7LQCJScmgsAZ6vQqTDzcqmJh";
const JITOSOL = "J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn";
const PYUSD = "2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo";
const MSOL = "mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So";

// The payloads, their traders and what they traded.
const RFQ = { file: "jupiter-rfq-unknown-type.rotki.json", trader: "7rhxnLV8C77o6d8oz26AgK8x8m5ePsdeRawjqvojbjnQ" };
const RAYDIUM = { file: "raydium-swap-sol-buy.dex-scraper.json", trader: "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L",
                  mint: "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump" };
// A Jupiter v2 swap of AURY for USDC: the seller and the buyer are both real traders of it.
const AURY_SWAP = { file: "jupiter-v2-swap-aury-usdc.rotki.json", seller: "AV6VwqhnPSPJQU9i4xfHNscNkkm5GYSP4TajCKS4LAhh",
                    buyer: "9T1koZp2PNJgspcx3G22yLiChBUfYzAjs2dhj2kgw2LZ", mint: "AURYydfxJib1ZkTir1Jn1J9ECYUtjb6rKQVmtYaixWPP" };
const USDC_SELL = { file: "jupiter-sell-token-to-usdc.solana-bot-worker.json", trader: "2rbMgYvzAb3xDk6vXrzKkY3VwsmyDZsJTkvB3JJYsRzA",
                    mint: "6mCZc5CNvHBaWJLrtervkrAhX1DTfWJzThAJU2w2y5P2" };

// POSTs `file` with its trader replaced by a fresh watched wallet, its signature by a fresh one and
// the given mints replaced, stamped as just confirmed; returns the decided signal. `prepare` runs
// once the wallet is watched, before the delivery.
async function deliver(file: string, trader: string, mints: Record<string, string> = {},
                       prepare: (wallet: string) => Promise<unknown> = async () => {}) {
  const wallet = freshAddress();
  await sql`insert into walltrack.wallets (address, label, mode, exit_strategy_id)
            select ${wallet}, 'conversion test', 'simulation', id from walltrack.exit_strategies where name = 'Default'`;
  await prepare(wallet);
  const [{ signature: original }] = adaptedFixture(file, {}) as { signature: string }[];
  const signature = freshSignature();
  const body = adaptedFixture(file, { [trader]: wallet, [original]: signature, ...mints }) as Record<string, unknown>[];
  body[0].timestamp = Math.floor(Date.now() / 1000) - 2;
  const response = await postWebhook(body);
  expect(response.status).toBe(200);
  expect((await response.json()).signals_recorded).toBe(1);
  const [signal] = await waitUntil(`signal ${signature} to be processed`, async () => {
    const rows = await sql`select * from walltrack.signals where transaction_signature = ${signature} and processed_at is not null`;
    return rows.length ? rows : undefined;
  });
  return { wallet, signal };
}

const ordersOf = (wallet: string) =>
  sql`select o.id from walltrack.orders o join walltrack.positions p on p.id = o.position_id
      join walltrack.wallets w on w.id = p.wallet_id where w.address = ${wallet}`;

test("wrapped major, real payload: 0.0527 SOL into Wormhole WETH through a Jupiter RFQ is a conversion", async () => {
  const { wallet, signal } = await deliver(RFQ.file, RFQ.trader);
  expect(signal).toMatchObject({ signal_type: "BUY", token_address: WETH, filter_reason: "conversion",
    filtered: true, position_created: false, position_id: null });
  expect(await ordersOf(wallet)).toHaveLength(0);
});

test("wrapped major, derived: SOL into WBTC is a conversion", async () => {
  const { wallet, signal } = await deliver(RAYDIUM.file, RAYDIUM.trader, { [RAYDIUM.mint]: WBTC });
  expect(signal).toMatchObject({ signal_type: "BUY", token_address: WBTC, filter_reason: "conversion", position_id: null });
  expect(await ordersOf(wallet)).toHaveLength(0);
});

test("liquid staking, derived: SOL into JitoSOL through a pool is a conversion", async () => {
  const { wallet, signal } = await deliver(RAYDIUM.file, RAYDIUM.trader, { [RAYDIUM.mint]: JITOSOL });
  expect(signal).toMatchObject({ signal_type: "BUY", token_address: JITOSOL, filter_reason: "conversion", position_id: null });
  expect(await ordersOf(wallet)).toHaveLength(0);
});

test("stablecoin, derived: PYUSD sold for USDC by a wallet holding a PYUSD position is a conversion, not a mirror exit", async () => {
  // The sale's own USDC price (the derived payload keeps the original token's): the position is held
  // at it, since the sale, like every watched swap, is also a price for it (walltrack.apply_swap_prices).
  const [probe] = adaptedFixture(USDC_SELL.file, {}) as Record<string, unknown>[];
  probe.timestamp = Math.floor(Date.now() / 1000);
  const price = String(buildSignalBatch([probe], new Date()).batch.signals.find((s) => s.wallet === USDC_SELL.trader)!.price);
  // The position a conversion must not touch: as if the wallet's PYUSD had been bought before the list.
  const holdPyusd = async (wallet: string) => {
    await sql`insert into walltrack.tokens (address, symbol, decimals) values (${PYUSD}, 'PYUSD', 6) on conflict (address) do nothing`;
    await sql`insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount,
                                               entry_value_usd, entry_timestamp, current_amount, status)
              select w.id, t.id, 'simulation', w.exit_strategy_id, ${price}::numeric, 100, 100 * ${price}::numeric,
                     now() - interval '1 day', 100, 'open'
              from walltrack.wallets w, walltrack.tokens t where w.address = ${wallet} and t.address = ${PYUSD}`;
  };
  const { wallet, signal } = await deliver(USDC_SELL.file, USDC_SELL.trader, { [USDC_SELL.mint]: PYUSD }, holdPyusd);
  expect(signal).toMatchObject({ signal_type: "SELL", token_address: PYUSD, filter_reason: "conversion", position_id: null });
  expect(await ordersOf(wallet)).toHaveLength(0);
  const [position] = await sql`select p.status, p.current_amount, p.price_source, p.current_price = ${price}::numeric as at_sale_price
                                 from walltrack.positions p join walltrack.wallets w on w.id = p.wallet_id
                               where w.address = ${wallet}`;
  expect(position).toEqual({ status: "open", current_amount: "100", price_source: "leader_swap", at_sale_price: true });
});

test("an operator-added mint (npm run token:deny -- MINT --kind liquid_staking) is a conversion without a code change", async () => {
  const mint = freshAddress();
  await sql`select walltrack.list_token(${mint}, 'deny', 'liquid_staking', 'newSOL', 'a new LST')`;
  const { wallet, signal } = await deliver(RAYDIUM.file, RAYDIUM.trader, { [RAYDIUM.mint]: mint });
  expect(signal).toMatchObject({ signal_type: "BUY", token_address: mint, filter_reason: "conversion", position_id: null });
  expect(await ordersOf(wallet)).toHaveLength(0);
});

test("the same payload with a memecoin, on no list, is still copied", async () => {
  const { signal } = await deliver(RAYDIUM.file, RAYDIUM.trader, { [RAYDIUM.mint]: freshAddress() });
  expect(signal).toMatchObject({ signal_type: "BUY", filter_reason: null, position_created: true });
});

test("token for token, derived: mSOL swapped for PYUSD (two quote-like assets) is one conversion", async () => {
  const { wallet, signal } = await deliver(AURY_SWAP.file, AURY_SWAP.seller, { [AURY_SWAP.mint]: MSOL, [USDC_MINT]: PYUSD });
  expect(signal).toMatchObject({ signal_type: "BUY", token_address: PYUSD, token_in: MSOL, token_out: PYUSD,
    amount_in: "24.780010555", amount_out: "52.293757", filter_reason: "conversion", position_id: null });
  expect(await ordersOf(wallet)).toHaveLength(0);
});

test("token for token, derived: a memecoin paid in PYUSD is a BUY valued through PYUSD's USD price, exactly", async () => {
  const memecoin = freshAddress();
  await replayControl({ prices: { [PYUSD]: "0.99971" } });
  const { signal } = await deliver(AURY_SWAP.file, AURY_SWAP.buyer, { [AURY_SWAP.mint]: memecoin, [USDC_MINT]: PYUSD });
  expect(signal).toMatchObject({ signal_type: "BUY", token_address: memecoin, token_in: PYUSD, amount_in: "52.293757",
    amount_out: "24.780010555", quote_usd_price: "0.99971", price_source: "jupiter", filter_reason: null, position_created: true });
  const [{ expected }] = await sql`select trim_scale(${signal.price}::numeric * 0.99971)::text as expected`;
  expect(signal.price_usd).toBe(expected);
  // The leader paid 52.293757 PYUSD for 24.780010555 tokens: 2.110319... PYUSD each.
  expect(signal.price.startsWith("2.1103")).toBe(true);
});

test("token for token, derived: a memecoin sold for mSOL is a SELL valued through mSOL's price (no position: nothing to mirror)", async () => {
  const memecoin = freshAddress();
  await replayControl({ prices: { [MSOL]: "212.4" } });
  const { signal } = await deliver(AURY_SWAP.file, AURY_SWAP.seller, { [AURY_SWAP.mint]: memecoin, [USDC_MINT]: MSOL });
  expect(signal).toMatchObject({ signal_type: "SELL", token_address: memecoin, token_out: MSOL, quote_usd_price: "212.4",
    filter_reason: "no_open_position" });
  const [{ expected }] = await sql`select trim_scale(${signal.price}::numeric * 212.4)::text as expected`;
  expect(signal.price_usd).toBe(expected);
});

test("token for token: while no source prices the asset paid with, the BUY waits (never valued as SOL or a dollar), then is decided", async () => {
  const memecoin = freshAddress();
  const asset = freshAddress();
  await sql`select walltrack.list_token(${asset}, 'deny', 'stablecoin', 'NEWUSD', 'a stablecoin the operator added')`;
  const wallet = freshAddress();
  await sql`insert into walltrack.wallets (address, label, mode, exit_strategy_id)
            select ${wallet}, 'conversion test', 'simulation', id from walltrack.exit_strategies where name = 'Default'`;
  const signature = freshSignature();
  const [{ signature: original }] = adaptedFixture(AURY_SWAP.file, {}) as { signature: string }[];
  const body = adaptedFixture(AURY_SWAP.file, { [AURY_SWAP.buyer]: wallet, [original]: signature, [AURY_SWAP.mint]: memecoin,
                                                [USDC_MINT]: asset }) as Record<string, unknown>[];
  body[0].timestamp = Math.floor(Date.now() / 1000) - 2;
  expect((await (await postWebhook(body)).json()).signals_recorded).toBe(1);
  // The processor ran (and answered) without a price for the asset: the signal is still undecided.
  await waitUntil("the processor to ask for the asset's price", async () =>
    (await replayRequestsFor(asset)).length > 0 || undefined);
  const [waiting] = await sql`select processed_at, price_usd, quote_usd_price from walltrack.signals where transaction_signature = ${signature}`;
  expect(waiting).toEqual({ processed_at: null, price_usd: null, quote_usd_price: null });
  // The asset gets a price; the next run (the sweeper's call) decides the BUY through it.
  await replayControl({ prices: { [asset]: "1.0002" } });
  expect((await callFunction("signal-processor")).status).toBe(200);
  const [decided] = await waitUntil("the BUY to be decided", async () => {
    const rows = await sql`select * from walltrack.signals where transaction_signature = ${signature} and processed_at is not null`;
    return rows.length ? rows : undefined;
  });
  expect(decided).toMatchObject({ token_in: asset, quote_usd_price: "1.0002", position_created: true });
});

const replayRequestsFor = async (mint: string) =>
  (await replayRequests()).filter((r) => r.service === "dexscreener" && r.path.includes(mint));

test("token for token: two ordinary tokens are not recorded (which side would be copied?)", async () => {
  const wallet = freshAddress();
  await sql`insert into walltrack.wallets (address, label, mode, exit_strategy_id)
            select ${wallet}, 'conversion test', 'simulation', id from walltrack.exit_strategies where name = 'Default'`;
  const [{ signature: original }] = adaptedFixture(AURY_SWAP.file, {}) as { signature: string }[];
  const body = adaptedFixture(AURY_SWAP.file, { [AURY_SWAP.seller]: wallet, [original]: freshSignature(),
                                                [USDC_MINT]: freshAddress() }) as Record<string, unknown>[];
  body[0].timestamp = Math.floor(Date.now() / 1000) - 2;
  const answer = await (await postWebhook(body)).json();
  expect(answer.signals_recorded).toBe(0);
  const rows = await sql`select s.id from walltrack.signals s join walltrack.wallets w on w.id = s.wallet_id where w.address = ${wallet}`;
  expect(rows).toHaveLength(0);
});
