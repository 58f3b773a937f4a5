// Classification of every real Helius payload in fixtures//helius: the signal or its
// absence, with exact amounts and prices (fixtures/API.md section 1.4 lists what each yields).
import { expect, test } from "vitest";
import { classifyTransaction, USDC_MINT, WSOL_MINT } from "../../supabase/functions/_shared/classify.ts";
import { enhancedTransaction, type EnhancedTransaction } from "../../supabase/functions/_shared/helius-transaction.ts";
import { fixtureJson } from "../fixtures/shared.ts";

function load(name: string): EnhancedTransaction {
  const [raw] = fixtureJson<unknown[]>(`helius/${name}`);
  return enhancedTransaction.parse(raw);
}

const classify = (name: string, ...watched: string[]) =>
  classifyTransaction(load(name), (address) => watched.includes(address));

test("Raydium BUY: 0.01 SOL for 18663.358445 tokens (events.swap names the pool, not the wallet)", () => {
  const wallet = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
  const { signals } = classify("raydium-swap-sol-buy.dex-scraper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    wallet,
    signalType: "BUY",
    tokenMint: "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump",
    tokenDecimals: 6,
    quoteMint: WSOL_MINT,
    tokenIn: WSOL_MINT,
    tokenOut: "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump",
    amountIn: "0.01",
    amountOut: "18663.358445",
    price: "0.00000053580924513",
    priceAllIn: "0.00000053580924513",
    priceUsd: null,
    slot: 275222716,
    blockTime: 1719909927,
  })]);
});

test("Jupiter 150 SOL BUY although events.swap says the reverse: net 751433.550388798 tokens", () => {
  const wallet = "EM1K8QuPHnJNGLvoiFB5PpBePj2j6pUY64LFv3uEgFGJ";
  const { signals } = classify("jupiter-buy-150sol-eventsswap-reversed.solana-bot-worker.json", wallet);
  expect(signals).toHaveLength(1);
  expect(signals[0]).toMatchObject({
    signalType: "BUY",
    tokenMint: "GtDZKAqvMZMnti46ZewMiXCa4oXF4bZxwQPoKzXPFxZn",
    amountIn: "150",
    amountOut: "751433.550388798",
    price: "0.000199618449192731",
  });
  expect(Number(signals[0].price)).toBeCloseTo(1.996e-4, 7);
});

test("Jupiter SELL to USDC: 5.806953935 tokens for 0.005063 USDC, priced in USD at once", () => {
  const wallet = "2rbMgYvzAb3xDk6vXrzKkY3VwsmyDZsJTkvB3JJYsRzA";
  const { signals } = classify("jupiter-sell-token-to-usdc.solana-bot-worker.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "SELL",
    tokenMint: "6mCZc5CNvHBaWJLrtervkrAhX1DTfWJzThAJU2w2y5P2",
    quoteMint: USDC_MINT,
    tokenIn: "6mCZc5CNvHBaWJLrtervkrAhX1DTfWJzThAJU2w2y5P2",
    tokenOut: USDC_MINT,
    amountIn: "5.806953935",
    amountOut: "0.005063",
    price: "0.000871885683384537",
    priceUsd: "0.000871885683384537",
  })]);
});

test("AURY SELL to USDC: 24.780010555 AURY for 52.293757 USDC", () => {
  const wallet = "AV6VwqhnPSPJQU9i4xfHNscNkkm5GYSP4TajCKS4LAhh";
  const { signals } = classify("jupiter-v2-swap-aury-usdc.rotki.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "SELL",
    tokenMint: "AURYydfxJib1ZkTir1Jn1J9ECYUtjb6rKQVmtYaixWPP",
    amountIn: "24.780010555",
    amountOut: "52.293757",
    price: "2.110320206843027311",
    priceUsd: "2.110320206843027311",
  })]);
});

test("PumpSwap BUY without events.swap: swap-leg 20.040000002 SOL, all-in 20.262039284 SOL", () => {
  const wallet = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
  const { signals } = classify("pump-amm-buy.sniper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY",
    tokenMint: "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy",
    amountIn: "20.262039284",
    amountOut: "19418974.01253",
    price: "0.0000010319803708",
    priceAllIn: "0.000001043414511546",
  })]);
});

test("PumpSwap SELL: 3666988.222932 tokens, swap-leg 11.263971513 SOL, net 11.15050786 SOL", () => {
  const wallet = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
  const { signals } = classify("pump-amm-sell.sniper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "SELL",
    tokenMint: "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump",
    tokenIn: "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump",
    tokenOut: WSOL_MINT,
    amountIn: "3666988.222932",
    amountOut: "11.15050786",
    price: "0.000003071722849438",
    priceAllIn: "0.00000304078093032",
  })]);
});

test("pump.fun BUY typed TRANSFER: native SOL to the curve is the swap leg", () => {
  const wallet = "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya";
  const { signals } = classify("pumpfun-buy-typed-TRANSFER-2024.dex-scraper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY",
    tokenMint: "HM9VaVVkqdJRWjMiRcLaGGSr88dj3coF3Dtx2xG2pump",
    amountIn: "1.625801595",
    amountOut: "5048448.040797",
    price: "0.00000031550963051",
    priceAllIn: "0.000000322039878763",
  })]);
});

test("Jupiter RFQ typed UNKNOWN: a BUY of 0.00287442 tokens (8 dp) for 0.052708178 SOL", () => {
  const wallet = "7rhxnLV8C77o6d8oz26AgK8x8m5ePsdeRawjqvojbjnQ";
  const { signals } = classify("jupiter-rfq-unknown-type.rotki.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY",
    tokenMint: "7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs",
    tokenDecimals: 8,
    amountIn: "0.052708178",
    amountOut: "0.00287442",
    price: "18.336978590463467413",
    priceAllIn: "18.336978590463467413",
  })]);
});

test("DCA fill: no signal for the user (no quote leg of its own) nor for the keeper fee payer", () => {
  const user = "nNjcdBEjFyBYLB4hkAXpC4EjjwzXbFRywtvPBLqCfVG";
  const keeper = "DCAKxn5PFNN1mBREPWGdk1RXg5aVH9rPErLfBFEi2Emb";
  const result = classify("jupiter-buy-sol-to-token-dca-keeper.solana-bot-worker.json", user, keeper);
  expect(result.signals).toEqual([]);
  expect(result.ignored).toEqual(expect.arrayContaining([
    { wallet: user, reason: "token received without a quote leg the other way" },
    { wallet: keeper, reason: "no token balance changed" },
  ]));
});

test("transfers are not signals: SOL sent, and a token sent while SOL left only as rent", () => {
  expect(classify("transfer-sol.dex-scraper.json", "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya").signals).toEqual([]);
  const sender = "CvYVDrvLLCdPfKMDLKXG9KtRg7D1aMimmdTZXiHDg4Pg";
  const result = classify("transfer-token.dex-scraper.json", sender);
  expect(result.signals).toEqual([]);
  expect(result.ignored).toEqual([{ wallet: sender, reason: "token sent without a quote leg the other way" }]);
});

test("an NFT sale is not a signal", () => {
  const buyer = "CKs1E69a2e9TmH4mKKLrXFF8kD3ZnwKjoEuXa6sz9WqX";
  const result = classify("docs-example-nft-sale.helius-docs.json", buyer);
  expect(result.signals).toEqual([]);
  expect(result.ignored).toEqual([{ wallet: buyer, reason: "non-fungible token (NFT) trade" }]);
});

test("every watched wallet in a transaction gets its own signal, not only the fee payer", () => {
  const buyer = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
  const poolAuthority = "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1";
  const { signals } = classify("raydium-swap-sol-buy.dex-scraper.json", buyer, poolAuthority);
  expect(signals.map((s) => [s.wallet, s.signalType, s.amountIn, s.amountOut]).sort()).toEqual([
    [buyer, "BUY", "0.01", "18663.358445"],
    [poolAuthority, "SELL", "18663.358445", "0.01"],
  ].sort());
});

test("unknown wallets are ignored entirely", () => {
  expect(classify("raydium-swap-sol-buy.dex-scraper.json")).toEqual({ signals: [], ignored: [] });
});

test("a failed transaction yields nothing", () => {
  const tx = { ...load("raydium-swap-sol-buy.dex-scraper.json"), transactionError: { InstructionError: [2, "Custom"] } };
  expect(classifyTransaction(tx, () => true)).toEqual({ signals: [], ignored: [] });
});

test("a token->token swap (two tokens moved) is not a signal", () => {
  const tx = load("jupiter-v2-swap-aury-usdc.rotki.json");
  const wallet = "AV6VwqhnPSPJQU9i4xfHNscNkkm5GYSP4TajCKS4LAhh";
  // Relabel USDC as another non-quote mint: the wallet then gave AURY and got a second token.
  const relabeled = {
    ...tx,
    accountData: tx.accountData.map((a) => ({
      ...a,
      tokenBalanceChanges: a.tokenBalanceChanges.map((c) =>
        c.mint === USDC_MINT ? { ...c, mint: "6mJqqT5TMgveDvxzBt3hrjGkPV5VAj7tacxFCT3GebXh" } : c
      ),
    })),
  };
  expect(classifyTransaction(relabeled, (a) => a === wallet)).toEqual({
    signals: [],
    ignored: [{ wallet, reason: "2 tokens changed (token-to-token or multi-token)" }],
  });
});
