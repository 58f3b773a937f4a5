// The executor signs Jupiter's transactions with @noble/curves and its own reading of the wire
// format; @solana/web3.js (kept for tests only) is the reference it must agree with byte for byte.
import { ed25519 } from "@noble/curves/ed25519.js";
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";
import { expect, test } from "vitest";
import { MalformedTransaction, signTransaction } from "../../supabase/functions/_shared/solana-transaction.ts";
import { loadTradingKey } from "../../supabase/functions/_shared/trading-key.ts";
import { fixtureJson } from "../fixtures/shared.ts";

const blockhash = bs58.encode(new Uint8Array(32).fill(7));

function v0Transaction(payer: PublicKey, ...signers: PublicKey[]): VersionedTransaction {
  const instructions = [payer, ...signers].map((from) =>
    SystemProgram.transfer({ fromPubkey: from, toPubkey: Keypair.generate().publicKey, lamports: 1000 }));
  return new VersionedTransaction(new TransactionMessage({ payerKey: payer, recentBlockhash: blockhash, instructions }).compileToV0Message());
}

test("a v0 transaction is signed exactly as @solana/web3.js signs it, and the signature verifies", () => {
  const keypair = Keypair.generate();
  const key = loadTradingKey(bs58.encode(keypair.secretKey))!;
  const unsigned = v0Transaction(keypair.publicKey);
  const { signature, wire } = signTransaction(unsigned.serialize(), key);
  const expected = VersionedTransaction.deserialize(unsigned.serialize());
  expected.sign([keypair]);
  expect(Buffer.from(wire).toString("hex")).toBe(Buffer.from(expected.serialize()).toString("hex"));
  expect(signature).toBe(bs58.encode(expected.signatures[0]));
  const parsed = VersionedTransaction.deserialize(wire);
  expect(ed25519.verify(parsed.signatures[0], parsed.message.serialize(), keypair.publicKey.toBytes())).toBe(true);
});

test("a real Jupiter transaction (v0, lookup tables, compute budget) is signed as web3.js signs it, its message bytes untouched", () => {
  // Jupiter built it for its taker; the fee payer (account 0, the one signer) becomes the test key
  // so both signers can sign it. Nothing else of Jupiter's bytes changes.
  const order = fixtureJson<{ transaction: string; taker: string }>("jupiter/ultra-v1-order-aggregator.space-station-2025-03.json");
  const original = Buffer.from(order.transaction, "base64");
  const parsed = VersionedTransaction.deserialize(original);
  expect(parsed.version).toBe(0);
  expect(parsed.message.addressTableLookups.length).toBeGreaterThan(0);
  expect(parsed.message.staticAccountKeys[0].toBase58()).toBe(order.taker);
  const keypair = Keypair.generate();
  const payerAt = original.indexOf(parsed.message.staticAccountKeys[0].toBuffer());
  const unsigned = Uint8Array.from(original);
  unsigned.set(keypair.publicKey.toBytes(), payerAt);

  const { signature, wire } = signTransaction(unsigned, loadTradingKey(bs58.encode(keypair.secretKey))!);
  const expected = VersionedTransaction.deserialize(unsigned);
  expected.sign([keypair]);
  expect(Buffer.from(wire).toString("hex")).toBe(Buffer.from(expected.serialize()).toString("hex"));
  expect(signature).toBe(bs58.encode(expected.signatures[0]));
  // Only the signature slot (bytes 1-64) differs from what Jupiter sent.
  expect(Buffer.from(wire.subarray(65)).equals(Buffer.from(unsigned.subarray(65)))).toBe(true);
  expect(ed25519.verify(wire.subarray(1, 65), wire.subarray(65), keypair.publicKey.toBytes())).toBe(true);
});

test("a legacy transaction is signed in place as well", () => {
  const keypair = Keypair.generate();
  const legacy = new Transaction({ feePayer: keypair.publicKey, recentBlockhash: blockhash })
    .add(SystemProgram.transfer({ fromPubkey: keypair.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 }));
  const unsigned = legacy.serialize({ requireAllSignatures: false, verifySignatures: false });
  const { wire, signature } = signTransaction(unsigned, loadTradingKey(bs58.encode(keypair.secretKey))!);
  legacy.sign(keypair);
  expect(Buffer.from(wire).equals(legacy.serialize())).toBe(true);
  expect(signature).toBe(bs58.encode(legacy.signature!));
});

test("a transaction the key cannot complete is refused before anything is sent", () => {
  const mine = Keypair.generate();
  const key = loadTradingKey(bs58.encode(mine.secretKey))!;
  // Not a signer at all.
  expect(() => signTransaction(v0Transaction(Keypair.generate().publicKey).serialize(), key)).toThrow(/not a signer/);
  // A second signer whose signature nobody provides: the network would refuse it.
  expect(() => signTransaction(v0Transaction(mine.publicKey, Keypair.generate().publicKey).serialize(), key))
    .toThrow(/required from another signer/);
  // Truncated, empty, or a version this code does not know.
  const whole = v0Transaction(mine.publicKey).serialize();
  expect(() => signTransaction(whole.slice(0, 100), key)).toThrow(MalformedTransaction);
  expect(() => signTransaction(new Uint8Array(), key)).toThrow(MalformedTransaction);
  const v1 = whole.slice();
  v1[65] = 0x81;
  expect(() => signTransaction(v1, key)).toThrow(/version 1 is not supported/);
});
