// Programs, sysvars and well-known mints are recognised as not wallets; real wallets are not.
import { Keypair, PublicKey } from "@solana/web3.js";
import { expect, test } from "vitest";
import { notAWallet } from "../../scripts/lib/not-a-wallet.ts";
import { USDC_MINT, USDT_MINT, WSOL_MINT } from "../../supabase/functions/_shared/mints.ts";
import { fixtureText } from "../fixtures/shared.ts";

test("programs, sysvars and mints are named", () => {
  expect(notAWallet("11111111111111111111111111111111")).toBe("the System Program (a program)");
  expect(notAWallet("SysvarC1ock11111111111111111111111111111111")).toBe("a sysvar");
  expect(notAWallet("SysvarRecentB1ockHashes11111111111111111111")).toBe("a sysvar");
  expect(notAWallet("EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v")).toBe("the USDC mint (a token mint)");
  expect(notAWallet("pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA")).toBe("the PumpSwap AMM program (a program)");
  // a native program not in the list is still known by its padding
  expect(notAWallet("ZkTokenProof1111111111111111111111111111111")).toMatch(/native program or sysvar/);
});

test("every address the list names is a real 32-byte key, and no real wallet of the fixtures is refused", () => {
  const source = fixtureText("../scripts/lib/not-a-wallet.ts");
  const listed = [...source.matchAll(/^\s+"?([1-9A-HJ-NP-Za-km-z]{32,44})"?: "/gm)].map((m) => m[1]);
  expect(listed.length).toBeGreaterThan(32);
  for (const address of [...listed, WSOL_MINT, USDC_MINT, USDT_MINT]) expect(new PublicKey(address).toBase58()).toBe(address);
  const traders = ["Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L", "EM1K8QuPHnJNGLvoiFB5PpBePj2j6pUY64LFv3uEgFGJ",
    "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm", "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya", "5awoNsCULYySQaxHsGYxd9Xm7cr3GjyTZj8FmU4zsVEf"];
  for (const wallet of traders) expect(notAWallet(wallet), wallet).toBeNull();
  for (let i = 0; i < 1000; i++) expect(notAWallet(Keypair.generate().publicKey.toBase58())).toBeNull();
});
