// The executor's rules that need no database: which switch refuses a live order (ADR-008), the
// trading key's formats and refusals, and the amounts read from a confirmed transaction.
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";
import { expect, test } from "vitest";
import { liveRefusal } from "../../supabase/functions/_shared/live-swap.ts";
import { actingDeadline, type Claim } from "../../supabase/functions/_shared/order-claims.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { ownerDeltas } from "../../supabase/functions/_shared/solana-rpc.ts";
import { loadTradingKey } from "../../supabase/functions/_shared/trading-key.ts";

const claim = (overrides: Partial<Claim>): Claim => ({
  id: "o", order_type: "entry", mode: "live", token_in: "So11111111111111111111111111111111111111112", token_out: "T",
  amount_in: "1", token_decimals: 6, lease: "2026-11-21T00:00:00Z", slippage_bps: 300, retry_count: 0, max_retries: 3, tx_signature: null,
  last_valid_block_height: null, swap_in_doubt: false, wallet_mode: "live", live_trading_enabled: true, priority_fee_lamports: 10000,
  sol_usd_price: "150", ...overrides,
});

test("a live entry needs the wallet live, the global switch on and a key; the refusal names the switch", () => {
  expect(liveRefusal(claim({}), true)).toBeNull();
  expect(liveRefusal(claim({ wallet_mode: "simulation" }), true)).toMatchObject({ code: "wallet_not_live" });
  expect(liveRefusal(claim({ live_trading_enabled: false }), true)).toMatchObject({ code: "live_trading_disabled" });
  expect(liveRefusal(claim({}), false)).toMatchObject({ code: "no_trading_key" });
});

test("exits of open live positions run with the global switch off (ADR-008), never without a key", () => {
  const exit = claim({ order_type: "exit_stop_loss", live_trading_enabled: false, wallet_mode: "simulation" });
  expect(liveRefusal(exit, true)).toBeNull();
  expect(liveRefusal(exit, false)).toMatchObject({ code: "no_trading_key" });
});

test("the trading key loads from base58 or a JSON byte array, and errors never echo it", () => {
  const key = Keypair.generate();
  expect(loadTradingKey(bs58.encode(key.secretKey))?.address).toBe(key.publicKey.toBase58());
  expect(loadTradingKey(JSON.stringify(Array.from(key.secretKey)))?.address).toBe(key.publicKey.toBase58());
  // 64 bytes whose second half is not the first half's public key: refused, not silently re-derived.
  const mismatched = Uint8Array.from([...key.secretKey.slice(0, 32), ...Keypair.generate().publicKey.toBytes()]);
  expect(() => loadTradingKey(bs58.encode(mismatched))).toThrow("not a valid ed25519 secret key");
  expect(loadTradingKey("")).toBeNull();
  expect(loadTradingKey(undefined)).toBeNull();
  const short = bs58.encode(key.secretKey.slice(0, 32));
  expect(() => loadTradingKey(short)).toThrow("must hold 64 bytes, it holds 32");
  try {
    loadTradingKey("0OIl-not-base58");
  } catch (error) {
    expect(String(error)).not.toContain("0OIl");
    expect(String(error)).toContain("neither base58 nor a JSON array");
  }
});

test("amounts that moved come from the confirmed transaction: fee added back, WSOL folded in", () => {
  const owner = Keypair.generate().publicKey.toBase58();
  const tx = {
    slot: 1,
    transaction: { message: { accountKeys: [owner, "Pool111111111111111111111111111111111111111"] } },
    meta: {
      err: null, fee: 5000,
      preBalances: [10_000_000_000, 0], postBalances: [8_997_955_000, 0],
      preTokenBalances: [{ accountIndex: 1, mint: "TOKEN", owner, uiTokenAmount: { amount: "0", decimals: 6 } }],
      postTokenBalances: [
        { accountIndex: 1, mint: "TOKEN", owner, uiTokenAmount: { amount: "123456789", decimals: 6 } },
        { accountIndex: 2, mint: "So11111111111111111111111111111111111111112", owner, uiTokenAmount: { amount: "0", decimals: 9 } },
      ],
    },
  };
  // 10 SOL -> 8.997955 SOL: 1.002045 SOL left, of which 5000 lamports were the network fee.
  expect(ownerDeltas(tx, owner, "TOKEN")).toEqual({ tokenRaw: 123456789n, lamports: -1_002_040_000n });
});

test("a run stops starting orders at its budget, or earlier when the lease SQL gives would not cover an order started last", () => {
  const fiveMinutes = 300_000; // walltrack.order_lease(), read with the claims
  expect(actingDeadline(1_000, readSettings({}), fiveMinutes)).toBe(1_000 + 20_000); // the budget
  expect(actingDeadline(1_000, readSettings({ EXECUTOR_BUDGET_MS: "100000" }), fiveMinutes)).toBe(1_000 + 100_000);
  // A 40 s lease with six API calls of up to 5 s still to make: start nothing after 10 s.
  expect(actingDeadline(1_000, readSettings({}), 40_000)).toBe(1_000 + 10_000);
});
