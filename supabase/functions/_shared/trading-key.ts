// The trading key, from the environment only (WALLTRACK_TRADING_KEY): a base58 64-byte secret
// key (as wallets export it) or a JSON array of 64 numbers (solana-keygen's file). It is never
// written to the database or a log line: errors say what is wrong with it, never what it is.
import { Keypair } from "@solana/web3.js";
import bs58 from "bs58";

export function loadTradingKey(value: string | undefined | null): Keypair | null {
  if (!value || value.trim() === "") return null;
  const text = value.trim();
  let bytes: Uint8Array;
  try {
    bytes = text.startsWith("[") ? Uint8Array.from(JSON.parse(text) as number[]) : Uint8Array.from(bs58.decode(text));
  } catch {
    throw new Error("WALLTRACK_TRADING_KEY is neither base58 nor a JSON array of bytes");
  }
  if (bytes.length !== 64) throw new Error(`WALLTRACK_TRADING_KEY must hold 64 bytes, it holds ${bytes.length}`);
  try {
    return Keypair.fromSecretKey(bytes);
  } catch {
    throw new Error("WALLTRACK_TRADING_KEY is not a valid ed25519 secret key");
  }
}
