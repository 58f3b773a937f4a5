// The trading key, from the environment only (WALLTRACK_TRADING_KEY): a base58 64-byte secret
// key (as wallets export it) or a JSON array of 64 numbers (solana-keygen's file). It is never
// written to the database or a log line: errors say what is wrong with it, never what it is.
// ed25519 comes from @noble/curves (audited, no dependencies beyond @noble/hashes) rather than
// @solana/web3.js, whose module graph alone would push the executor past the hosted size limit.
import { ed25519 } from "@noble/curves/ed25519.js";
import bs58 from "bs58";

// A Solana secret key is the 32-byte seed followed by its 32-byte public key.
export type TradingKey = { seed: Uint8Array; publicKey: Uint8Array; address: string };

export function loadTradingKey(value: string | undefined | null): TradingKey | null {
  if (!value || value.trim() === "") return null;
  const text = value.trim();
  let bytes: Uint8Array;
  try {
    bytes = text.startsWith("[") ? Uint8Array.from(JSON.parse(text) as number[]) : Uint8Array.from(bs58.decode(text));
  } catch {
    throw new Error("WALLTRACK_TRADING_KEY is neither base58 nor a JSON array of bytes");
  }
  if (bytes.length !== 64) throw new Error(`WALLTRACK_TRADING_KEY must hold 64 bytes, it holds ${bytes.length}`);
  const seed = bytes.slice(0, 32);
  const publicKey = ed25519.getPublicKey(seed);
  // A key whose second half is not its seed's public key would sign for an address nobody expects.
  if (!publicKey.every((byte, i) => byte === bytes[32 + i])) {
    throw new Error("WALLTRACK_TRADING_KEY is not a valid ed25519 secret key");
  }
  return { seed, publicKey, address: bs58.encode(publicKey) };
}
