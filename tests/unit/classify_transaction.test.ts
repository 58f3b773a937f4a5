// Classification of every real Helius payload in fixtures/helius: the signal or its absence, with
// exact amounts and prices (fixtures/API.md section 1.4 lists what each yields), and the shapes no
// real capture shows, hand-made and said so.
import { expect, test } from "vitest";
import { classifyTransaction } from "../../supabase/functions/_shared/classify.ts";
import { USDC_MINT, WSOL_MINT } from "../../supabase/functions/_shared/mints.ts";
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
    // all-in: the wallet's whole SOL change, 0.010036298 SOL with the network fee
    priceAllIn: "0.000000537754125528",
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

test("PumpSwap BUY without events.swap: swap-leg 20.040000002 SOL, all-in 20.262269284 SOL (network fee included)", () => {
  const wallet = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
  const { signals } = classify("pump-amm-buy.sniper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY",
    tokenMint: "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy",
    amountIn: "20.040000002",
    amountOut: "19418974.01253",
    price: "0.0000010319803708",
    priceAllIn: "0.000001043426355683",
  })]);
});

test("PumpSwap SELL: 3666988.222932 tokens, swap-leg 11.263971513 SOL, all-in (net of every fee) about 11.143 SOL", () => {
  const wallet = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
  const { signals } = classify("pump-amm-sell.sniper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "SELL",
    tokenMint: "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump",
    tokenIn: "44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump",
    tokenOut: WSOL_MINT,
    amountIn: "3666988.222932",
    amountOut: "11.263971513",
    price: "0.000003071722849438",
    priceAllIn: "0.00000303873429135",
  })]);
});

test("pump.fun BUY typed TRANSFER: native SOL to the curve is the swap leg", () => {
  const wallet = "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya";
  const { signals } = classify("pumpfun-buy-typed-TRANSFER-2024.dex-scraper.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY",
    tokenMint: "HM9VaVVkqdJRWjMiRcLaGGSr88dj3coF3Dtx2xG2pump",
    amountIn: "1.592833976",
    amountOut: "5048448.040797",
    price: "0.00000031550963051",
    priceAllIn: "0.000000322041859768",
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
    priceAllIn: "18.340525392948838374",
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
  expect(result.ignored).toEqual([{ wallet: buyer, reason: "non-fungible token (NFT) trade: a token with 0 decimals moved" }]);
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

test("a token->token swap offers both readings (Postgres keeps the one the token lists make true), exact to the base unit", () => {
  const wallet = "AV6VwqhnPSPJQU9i4xfHNscNkkm5GYSP4TajCKS4LAhh";
  const AURY = "AURYydfxJib1ZkTir1Jn1J9ECYUtjb6rKQVmtYaixWPP";
  const OTHER = "6mJqqT5TMgveDvxzBt3hrjGkPV5VAj7tacxFCT3GebXh";
  // USDC relabeled everywhere as another token: the wallet gave 24.780010555 AURY for 52.293757 of it
  // (prices: 24.780010555 / 52.293757 and its inverse, to 18 places, half up).
  const relabeled = enhancedTransaction.parse(JSON.parse(JSON.stringify(fixtureJson<unknown[]>("helius/jupiter-v2-swap-aury-usdc.rotki.json")[0])
    .replaceAll(USDC_MINT, OTHER)));
  const { signals, ignored } = classifyTransaction(relabeled, (a) => a === wallet);
  expect(ignored).toEqual([]);
  expect(signals).toEqual([
    expect.objectContaining({ signalType: "BUY", tokenMint: OTHER, quoteMint: AURY, tokenIn: AURY, tokenOut: OTHER,
      amountIn: "24.780010555", amountOut: "52.293757", price: "0.473861737549283369", priceUsd: null, quoteUsd: null, tokenPair: true }),
    expect.objectContaining({ signalType: "SELL", tokenMint: AURY, quoteMint: OTHER, tokenIn: AURY, tokenOut: OTHER,
      amountIn: "24.780010555", amountOut: "52.293757", price: "2.110320206843027311", priceUsd: null, quoteUsd: null, tokenPair: true }),
  ]);
  // Every one-token swap stays a single reading, with a USD stablecoin worth 1.
  const [usdc] = classifyTransaction(load("jupiter-v2-swap-aury-usdc.rotki.json"), (a) => a === wallet).signals;
  expect(usdc).toMatchObject({ signalType: "SELL", tokenMint: AURY, quoteMint: USDC_MINT, quoteUsd: "1", tokenPair: false });
  expect(usdc.priceUsd).toBe(usdc.price);
});

test("two tokens that both came in (or both left), or one without a counterparty, are not a token->token swap", () => {
  const wallet = "AV6VwqhnPSPJQU9i4xfHNscNkkm5GYSP4TajCKS4LAhh";
  const tx = load("jupiter-v2-swap-aury-usdc.rotki.json");
  // Only the balance changes relabeled: the second token moved without any transfer with another party.
  const untransferred = {
    ...tx,
    accountData: tx.accountData.map((a) => ({
      ...a,
      tokenBalanceChanges: a.tokenBalanceChanges.map((c) =>
        c.mint === USDC_MINT ? { ...c, mint: "6mJqqT5TMgveDvxzBt3hrjGkPV5VAj7tacxFCT3GebXh" } : c
      ),
    })),
  };
  expect(classifyTransaction(untransferred, (a) => a === wallet)).toEqual({
    signals: [],
    ignored: [{ wallet, reason: "token for token: token received without a counterparty (minted, burned or moved outside a transfer)" }],
  });
  const bothIn = {
    ...untransferred,
    accountData: untransferred.accountData.map((a) => ({
      ...a,
      tokenBalanceChanges: a.tokenBalanceChanges.map((c) =>
        c.userAccount === wallet ? { ...c, rawTokenAmount: { ...c.rawTokenAmount, tokenAmount: c.rawTokenAmount.tokenAmount.replace("-", "") } } : c
      ),
    })),
  };
  expect(classifyTransaction(bothIn, (a) => a === wallet).ignored).toEqual([{ wallet, reason: "2 tokens changed the same way (both received)" }]);
});

// Shapes added for issue 12 (fixtures/PROVENANCE.md says where each comes from).

test("Meteora DBC BUY typed TRANSFER: 0.2 WSOL to the curve; all-in adds rent and the 80,000-lamport fee", () => {
  const wallet = "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf";
  const { signals } = classify("meteora-dbc-buy-typed-TRANSFER.solana-launchpad.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY",
    tokenMint: "GLZPY8BKvz4SskptWRpNZ29UJPmS9BYx1enRHUa9oSDx",
    quoteMint: WSOL_MINT,
    amountIn: "0.2",
    amountOut: "322281812.767019",
    price: "0.000000000620574888",
    // 0.20211928 SOL = 0.2 swap + 0.00203928 rent of the token account + 0.00008 network fee
    priceAllIn: "0.000000000627150748",
  })]);
});

test("Meteora DBC SELL typed UNKNOWN: WSOL from the curve is the swap leg", () => {
  const wallet = "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf";
  const { signals } = classify("meteora-dbc-sell-typed-UNKNOWN.solana-launchpad.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "SELL",
    tokenMint: "GLZPY8BKvz4SskptWRpNZ29UJPmS9BYx1enRHUa9oSDx",
    amountIn: "322281812",
    amountOut: "0.191296014",
    price: "0.000000000593567514",
    priceAllIn: "0.000000000593319284",
  })]);
});

test("Meteora DAMM v2 BUY after the migration: 1 SOL for 98989904.042605 tokens", () => {
  const wallet = "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf";
  const { signals } = classify("meteora-damm-v2-buy.solana-launchpad.json", wallet);
  expect(signals).toEqual([expect.objectContaining({
    signalType: "BUY", amountIn: "1", amountOut: "98989904.042605", price: "0.000000010102040301",
    priceAllIn: "0.000000010107141831",
  })]);
});

test("a dust SELL whose proceeds do not cover its fee: priced by its swap leg, no all-in price", () => {
  const wallet = "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf";
  const { signals } = classify("meteora-damm-v2-sell-dust.solana-launchpad.json", wallet);
  // 0.00001913 SOL received, 0.00008 SOL network fee: the wallet is 0.00006087 SOL poorer
  expect(signals).toEqual([expect.objectContaining({
    signalType: "SELL", amountIn: "1000", amountOut: "0.00001913", price: "0.00000001913", priceAllIn: null,
  })]);
});

test("a pool migration that mints a position NFT (decimals 0, no tokenTransfers entry) while paying fees and rent is not a BUY", () => {
  const payer = "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf";
  const result = classify("meteora-dbc-migration-position-nft.solana-launchpad.json", payer);
  expect(result.signals).toEqual([]);
  expect(result.ignored).toEqual([{ wallet: payer, reason: "non-fungible token (NFT) trade: a token with 0 decimals moved" }]);
  // Labelled Fungible by Helius or not: a position NFT is known by its decimals and amount.
  const position = "ECiDWQ4TjwnCyeUUJ4kVSKBWDqZphhNZ2xxW2xzykFg6";
  const labelled = { ...load("meteora-dbc-migration-position-nft.solana-launchpad.json") };
  labelled.tokenTransfers = [...labelled.tokenTransfers, {
    fromUserAccount: "", toUserAccount: payer, tokenAmount: 1, mint: position, tokenStandard: "Fungible",
  }];
  expect(classifyTransaction(labelled, (a) => a === payer).signals).toEqual([]);
});

test("a fresh pump.fun token labelled UnknownStandard is still a fungible BUY; an NFT labelled Fungible is still an NFT", () => {
  const wallet = "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya";
  const tx = load("pumpfun-buy-typed-TRANSFER-2024.dex-scraper.json");
  const unknown = { ...tx, tokenTransfers: tx.tokenTransfers.map((t) => ({ ...t, tokenStandard: "UnknownStandard" })) };
  expect(classifyTransaction(unknown, (a) => a === wallet).signals).toEqual([expect.objectContaining({ signalType: "BUY" })]);

  const buyer = "CKs1E69a2e9TmH4mKKLrXFF8kD3ZnwKjoEuXa6sz9WqX";
  const nft = load("docs-example-nft-sale.helius-docs.json");
  const fungibleLabel = { ...nft, tokenTransfers: nft.tokenTransfers.map((t) => ({ ...t, tokenStandard: "Fungible" })) };
  expect(classifyTransaction(fungibleLabel, (a) => a === buyer)).toMatchObject({
    signals: [], ignored: [{ wallet: buyer, reason: "non-fungible token (NFT) trade: a token with 0 decimals moved" }],
  });
});

test("a burn is not a sale, even when closing the token account refunds rent", () => {
  const wallet = "BGkpRfK8L5Yy7A8wimA4CXra2GhFxdSWK944Ap6dPKCu";
  // The real transaction burns a fungible token and a 0-decimal one: not a signal either way.
  expect(classify("burn-tokens-closing-accounts.xray.json", wallet).signals).toEqual([]);
  expect(classify("burn-nfts.xray.json", wallet).signals).toEqual([]);
  // Derived (said so): only its fungible burn, as an LP-token burn would be. The wallet's SOL went
  // up by the rent of the closed accounts; main took that for a SELL's proceeds.
  const tx = load("burn-tokens-closing-accounts.xray.json");
  const fungibleOnly = {
    ...tx,
    tokenTransfers: tx.tokenTransfers.filter((t) => t.mint === "idoLztG5ZGMVEjjoQWjeSu2eVkVsp3YnrFZKf7dNi4j"),
    accountData: tx.accountData.map((a) => ({
      ...a, tokenBalanceChanges: a.tokenBalanceChanges.filter((c) => c.mint === "idoLztG5ZGMVEjjoQWjeSu2eVkVsp3YnrFZKf7dNi4j"),
    })),
  };
  expect(classifyTransaction(fungibleOnly, (a) => a === wallet)).toEqual({
    signals: [], ignored: [{ wallet, reason: "burn: the token was destroyed, not sold" }],
  });
});

test("USDC for SOL is no signal: both sides are quotes, no token moved", () => {
  const wallet = "MatrfYnDmsBrdnETpW2S6uksrChkGwyN4RRCXtTPZsv";
  expect(classify("jupiter-swap-usdc-to-sol.xray.json", wallet)).toEqual({
    signals: [], ignored: [{ wallet, reason: "no token balance changed" }],
  });
});

test("a real airdrop claim (1500 SEND from a Merkle distributor), SOL paid only as rent and fee, is not a BUY", () => {
  const wallet = "FCHTRYx6npkQCogtpZtEFLJeevAFGbDHhJyvqvT6F4kX";
  // The wallet paid 0.00203928 SOL of token-account rent, 0.0019488 of claim-status rent and a
  // 0.000305 fee: main took those 0.00429308 SOL for the price of 1500 tokens.
  expect(classify("airdrop-claim-merkle-distributor.dashy-staging.json", wallet)).toEqual({
    signals: [],
    ignored: [{ wallet, reason: "token received without a quote leg the other way: SOL moved only as rent or fees, not with the counterparty" }],
  });
});

// Added for issue 18 (more real kinds that could pass for a BUY or SELL; fixtures/PROVENANCE.md).

const nobodysSignals = (name: string) => classifyTransaction(load(name), () => true).signals;

test("a real Raydium pool creation is a liquidity deposit: no SELL of the token given, no BUY of the LP token got", () => {
  const creator = "3D2LiiU2B5JTCnKhtNmg1TyBGwfsNgVqnEQ7b2yXU1Gz";
  // The creator gives 1,000,000,000 of 99EKbL… and 450 WSOL to the Raydium authority 5Q544f…, pays the
  // 0.4 SOL creation fee and rents (450.45332556 SOL in all), and gets 2121319.34355964 of the LP
  // token 8XUuHH…, minted to it: the LP token has no counterparty, so the pair is no swap.
  expect(classify("raydium-create-pool-lp-add.dex-scraper.json", creator)).toEqual({
    signals: [],
    ignored: [{ wallet: creator, reason: "token for token: token received without a counterparty (minted, burned or moved outside a transfer)" }],
  });
  expect(nobodysSignals("raydium-create-pool-lp-add.dex-scraper.json")).toEqual([]);
  // The same with a pump.fun token: 100,000,000 of 7bC1Kr…pump and 22 SOL for 1483238.697419 LP.
  const other = "BGQvwzmUwWQynZc2oB9HzVo3jxC4wouT5BE3NDLHKhZM";
  expect(classify("raydium-create-pool-pump-token-lp-add.dex-scraper.json", other)).toEqual({
    signals: [],
    ignored: [{ wallet: other, reason: "token for token: token received without a counterparty (minted, burned or moved outside a transfer)" }],
  });
  expect(nobodysSignals("raydium-create-pool-pump-token-lp-add.dex-scraper.json")).toEqual([]);
});

test("the same creator burning all its LP tokens half an hour later (rent of the closed account back) is no SELL", () => {
  const creator = "3D2LiiU2B5JTCnKhtNmg1TyBGwfsNgVqnEQ7b2yXU1Gz";
  // 2121319.34355964 LP burned; 0.00203928 SOL of rent back, a 0.010005 SOL fee and 0.00003928 to
  // the burn service: the wallet is 0.008005 SOL poorer, and nothing came from a buyer.
  expect(classify("raydium-lp-token-burn.dex-scraper.json", creator)).toEqual({
    signals: [], ignored: [{ wallet: creator, reason: "burn: the token was destroyed, not sold" }],
  });
  expect(nobodysSignals("raydium-lp-token-burn.dex-scraper.json")).toEqual([]);
});

test("a real NFT bought for 0.25 SOL on Magic Eden is not a BUY, and its seller's escrowed sale is not a SELL", () => {
  const buyer = "MatrfYnDmsBrdnETpW2S6uksrChkGwyN4RRCXtTPZsv";
  expect(classify("nft-purchase-sol-magic-eden.xray.json", buyer)).toEqual({
    signals: [], ignored: [{ wallet: buyer, reason: "non-fungible token (NFT) trade: a token with 0 decimals moved" }],
  });
  expect(nobodysSignals("nft-purchase-sol-magic-eden.xray.json")).toEqual([]);
  // The same wallet selling a listed NFT for 0.1 SOL: the NFT leaves Magic Eden's escrow, not the
  // seller, whose only change is the SOL it got.
  expect(classify("nft-sale-for-sol-magic-eden.xray.json", buyer)).toEqual({
    signals: [], ignored: [{ wallet: buyer, reason: "no token balance changed" }],
  });
  expect(nobodysSignals("nft-sale-for-sol-magic-eden.xray.json")).toEqual([]);
});

test("a real wallet's 50 transactions (USDC/SOL swaps, stakes, transfers, cNFT mints, an airdrop claim) hold no signal for it", () => {
  const wallet = "FCHTRYx6npkQCogtpZtEFLJeevAFGbDHhJyvqvT6F4kX";
  const history = fixtureJson<unknown[]>("helius/wallet-history-50-transactions.dashy-staging.json").map((t) => enhancedTransaction.parse(t));
  expect(history).toHaveLength(50);
  const signals = history.flatMap((tx) => classifyTransaction(tx, (a) => a === wallet).signals);
  expect(signals).toEqual([]);
});

// Hand-made shapes (no real capture of them was found in the public corpus; said so in
// fixtures/PROVENANCE.md). Addresses are arbitrary valid base58.
const W = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
const TOKEN = "Fm9rHUTF5v3hwMLbStjZXqNBBoZyGriQaFM6sTFz3K8A";
const LP = "4k3Dyjzvzp8eMZWUXbBCjEvwSkkk59S5iCNLY3QrkX6R";
const POOL = "58oQChx4yWmvKdwLLZzBi4ChoCc2fqCUWBkwMihLYQo2";
const ATA = "HQ2UUt18uJqKaQFJhgV9zaTdQxUZjNrsKFgoEDquBkcx";
const LP_ACCOUNT = "7YttLkHDoNj9wyDur5pM1ejNaAvT9X4eqaYcHQqtj2G5";
const FEE_RECIPIENT = "MERLuDFBMmsHnsBPZw2sDQZHvXFMwp8EdjudcU2HKky";
const shape = (over: Partial<EnhancedTransaction>): EnhancedTransaction => enhancedTransaction.parse({
  signature: "5".repeat(87), slot: 1, timestamp: 1760000000, fee: 5000, feePayer: W, transactionError: null,
  accountData: [], tokenTransfers: [], nativeTransfers: [], ...over,
});
const change = (owner: string, mint: string, raw: string, decimals = 6, tokenAccount?: string) =>
  ({ userAccount: owner, mint, rawTokenAmount: { tokenAmount: raw, decimals }, ...(tokenAccount ? { tokenAccount } : {}) });

test("lamports a program moves without a transfer instruction: the counterparty's own SOL change is the leg", () => {
  // The real pump.fun BUY with its native transfers left out: the curve's balance rose by what it was paid.
  const wallet = "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya";
  const tx = load("pumpfun-buy-typed-TRANSFER-2024.dex-scraper.json");
  expect(classifyTransaction({ ...tx, nativeTransfers: [] }, (a) => a === wallet).signals).toEqual([
    expect.objectContaining({ signalType: "BUY", amountIn: "1.592833976", price: "0.00000031550963051" }),
  ]);
  // A curve SELL paid out of the curve's lamports: 1 SOL gross, 0.01 to the fee recipient, 0.99 to W.
  const CURVE = POOL;
  const sell = shape({
    accountData: [
      { account: W, nativeBalanceChange: 990_000_000 - 5000, tokenBalanceChanges: [] },
      { account: CURVE, nativeBalanceChange: -1_000_000_000, tokenBalanceChanges: [] },
      { account: FEE_RECIPIENT, nativeBalanceChange: 10_000_000, tokenBalanceChanges: [] },
      { account: ATA, nativeBalanceChange: 0, tokenBalanceChanges: [change(W, TOKEN, "-1000000000", 6, ATA)] },
      { account: LP_ACCOUNT, nativeBalanceChange: 0, tokenBalanceChanges: [change(CURVE, TOKEN, "1000000000", 6, LP_ACCOUNT)] },
    ],
    tokenTransfers: [{ fromUserAccount: W, toUserAccount: CURVE, fromTokenAccount: ATA, toTokenAccount: LP_ACCOUNT, tokenAmount: 1000, mint: TOKEN }],
  });
  expect(classifyTransaction(sell, (a) => a === W).signals).toEqual([expect.objectContaining({
    signalType: "SELL", amountIn: "1000", amountOut: "1", price: "0.001", priceAllIn: "0.000989995",
  })]);
  // ...but only when the wallet's SOL moved the trade's way: a token sent while SOL only left is no sale.
  const gift = { ...sell, accountData: sell.accountData.map((a) => (a.account === W ? { ...a, nativeBalanceChange: -5000 } : a)) };
  expect(classifyTransaction(gift, (a) => a === W).signals).toEqual([]);
});

test("LP deposits and withdrawals are not trades: two tokens move, or the LP token is minted or burned", () => {
  const wsolIn = { fromUserAccount: W, toUserAccount: POOL, tokenAmount: 1, mint: WSOL_MINT };
  // Both sides deposited: the token and the LP token move.
  const deposit = shape({
    accountData: [{ account: W, nativeBalanceChange: -1_000_005_000, tokenBalanceChanges: [change(W, TOKEN, "-100", 6, ATA), change(W, LP, "50", 9, LP_ACCOUNT)] }],
    tokenTransfers: [wsolIn, { fromUserAccount: W, toUserAccount: POOL, tokenAmount: 0.0001, mint: TOKEN }, { fromUserAccount: "", toUserAccount: W, tokenAmount: 0.00000005, mint: LP }],
  });
  expect(classifyTransaction(deposit, (a) => a === W).ignored).toEqual([{ wallet: W,
    reason: "token for token: token received without a counterparty (minted, burned or moved outside a transfer)" }]);
  // One-sided SOL deposit: WSOL paid to the pool, the LP token minted to the wallet by nobody.
  const oneSided = shape({
    accountData: [{ account: W, nativeBalanceChange: -1_000_005_000, tokenBalanceChanges: [change(W, LP, "50", 9)] }],
    tokenTransfers: [wsolIn, { fromUserAccount: "", toUserAccount: W, tokenAmount: 0.00000005, mint: LP }],
  });
  expect(classifyTransaction(oneSided, (a) => a === W).ignored).toEqual([
    { wallet: W, reason: "token received without a counterparty (minted, burned or moved outside a transfer)" },
  ]);
  // One-sided withdrawal: the LP token burned, SOL paid out by the pool.
  const withdrawal = shape({
    accountData: [{ account: W, nativeBalanceChange: 999_995_000, tokenBalanceChanges: [change(W, LP, "-50", 9)] }],
    tokenTransfers: [{ fromUserAccount: W, toUserAccount: "", fromTokenAccount: ATA, toTokenAccount: "", tokenAmount: 0.00000005, mint: LP }],
    nativeTransfers: [{ fromUserAccount: POOL, toUserAccount: W, amount: 1_000_000_000 }],
  });
  expect(classifyTransaction(withdrawal, (a) => a === W).ignored).toEqual([{ wallet: W, reason: "burn: the token was destroyed, not sold" }]);
});
