// Signs a serialized Solana transaction (legacy or v0) as it comes from Jupiter's /swap: reads
// just enough of the wire format to find the message and the trading key's signature slot, signs
// the message bytes with ed25519 and writes the signature in place. Nothing else is re-encoded, so
// the bytes sent are the bytes Jupiter built.
// Wire format: compact-u16 signature count, 64-byte signatures, then the message: an optional
// version byte (high bit set), a 3-byte header whose first byte is the number of required
// signatures, compact-u16 account count, then 32-byte account keys (signers first).
import { ed25519 } from "@noble/curves/ed25519.js";
import bs58 from "bs58";
import type { TradingKey } from "./trading-key.ts";

export class MalformedTransaction extends Error {}

// Solana's compact-u16 (shortvec): 7 bits per byte, at most 3 bytes.
function readCompactU16(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    const byte = bytes[offset + i];
    if (byte === undefined) throw new MalformedTransaction("truncated length prefix");
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) return { value, next: offset + i + 1 };
  }
  throw new MalformedTransaction("length prefix longer than 3 bytes");
}

export function signTransaction(wire: Uint8Array, key: TradingKey): { signature: string; wire: Uint8Array } {
  const { value: signatureCount, next: signaturesAt } = readCompactU16(wire, 0);
  const messageAt = signaturesAt + 64 * signatureCount;
  if (signatureCount === 0 || messageAt >= wire.length) throw new MalformedTransaction("no signature slot or no message");
  let headerAt = messageAt;
  if (wire[messageAt] & 0x80) {
    if ((wire[messageAt] & 0x7f) !== 0) throw new MalformedTransaction(`message version ${wire[messageAt] & 0x7f} is not supported`);
    headerAt += 1;
  }
  const requiredSignatures = wire[headerAt];
  if (requiredSignatures !== signatureCount) {
    throw new MalformedTransaction(`${signatureCount} signature slots for ${requiredSignatures} required signatures`);
  }
  const { value: keyCount, next: keysAt } = readCompactU16(wire, headerAt + 3);
  if (keyCount < requiredSignatures || keysAt + 32 * keyCount > wire.length) throw new MalformedTransaction("account keys truncated");
  let slot = -1;
  for (let i = 0; i < requiredSignatures; i++) {
    const account = wire.subarray(keysAt + 32 * i, keysAt + 32 * (i + 1));
    if (account.every((byte, j) => byte === key.publicKey[j])) slot = i;
  }
  if (slot < 0) throw new MalformedTransaction(`the trading key ${key.address} is not a signer of this transaction`);
  const signed = wire.slice();
  signed.set(ed25519.sign(wire.subarray(messageAt), key.seed), signaturesAt + 64 * slot);
  // A signature still missing (zeros) would be refused by the network after we booked the send.
  for (let i = 0; i < signatureCount; i++) {
    if (signed.subarray(signaturesAt + 64 * i, signaturesAt + 64 * (i + 1)).every((byte) => byte === 0)) {
      throw new MalformedTransaction(`signature ${i} is required from another signer`);
    }
  }
  // The first signature is the transaction's id.
  return { signature: bs58.encode(signed.subarray(signaturesAt, signaturesAt + 64)), wire: signed };
}
