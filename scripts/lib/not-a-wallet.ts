// Addresses that are recognisably not a wallet anyone trades from: programs, sysvars and
// well-known mints. Watching one makes no sense (the System Program appears in almost every
// transaction) and would only feed the classifier noise. Used by `wallet:add`; the mints the
// database already knows are checked there too.
import { USDC_MINT, USDT_MINT, WSOL_MINT } from "../../supabase/functions/_shared/mints.ts";

const PROGRAMS: Record<string, string> = {
  "11111111111111111111111111111111": "the System Program",
  TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA: "the SPL Token program",
  TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb: "the Token-2022 program",
  ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL: "the Associated Token Account program",
  MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr: "the Memo program",
  Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo: "the Memo program (v1)",
  ComputeBudget111111111111111111111111111111: "the Compute Budget program",
  AddressLookupTab1e1111111111111111111111111: "the Address Lookup Table program",
  BPFLoader1111111111111111111111111111111111: "the BPF Loader",
  BPFLoader2111111111111111111111111111111111: "the BPF Loader 2",
  BPFLoaderUpgradeab1e11111111111111111111111: "the upgradeable BPF Loader",
  NativeLoader1111111111111111111111111111111: "the Native Loader",
  Config1111111111111111111111111111111111111: "the Config program",
  Stake11111111111111111111111111111111111111: "the Stake program",
  Vote111111111111111111111111111111111111111: "the Vote program",
  Ed25519SigVerify111111111111111111111111111: "the Ed25519 signature program",
  KeccakSecp256k11111111111111111111111111111: "the Secp256k1 signature program",
  Feature111111111111111111111111111111111111: "the Feature program",
  "1nc1nerator11111111111111111111111111111111": "the incinerator (a burn address)",
  metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s: "the Metaplex Token Metadata program",
  JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4: "the Jupiter v6 program",
  JUP4Fb2cqiRUcaTHdrPC8h2gNsA2ETXiPDD33WcGuJB: "the Jupiter v4 program",
  DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M: "the Jupiter DCA program",
  "675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8": "the Raydium AMM v4 program",
  CAMMCzo5YL8w4VFF8KVHrK22GGUsp5VTaW7grrKgrWqK: "the Raydium CLMM program",
  CPMMoo8L3F4NbTegBCKVNunggL7H1ZpdTHKxQB5qKP1C: "the Raydium CPMM program",
  LanMV9sAd7wArD4vJFi2qDdfnVhFxYSUg6eADduJ3uj: "the Raydium LaunchLab program",
  whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc: "the Orca Whirlpool program",
  LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo: "the Meteora DLMM program",
  Eo7WjKq67rjJQSZxS6z3YkapzY3eMj6Xy8X5EQVn5UaB: "the Meteora Dynamic AMM program",
  cpamdpZCGKUy5JxQXB4dcpGPiikHawvSWAd6mEn1sGG: "the Meteora DAMM v2 program",
  dbcij3LWUppWqq96dh6gJWwBifmcGfLSB5D4DuSMaqN: "the Meteora Dynamic Bonding Curve program",
  "6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P": "the pump.fun program",
  pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA: "the PumpSwap AMM program",
  pfeeUxB6jkeY1Hxd7CsFCAjcbHA9rWtchMGdZ6VojVZ: "the pump.fun fee program",
};

const MINTS: Record<string, string> = {
  [WSOL_MINT]: "the wrapped SOL mint",
  [USDC_MINT]: "the USDC mint",
  [USDT_MINT]: "the USDT mint",
};

// What the address is when it is recognisably not a wallet, or null.
export function notAWallet(address: string): string | null {
  if (PROGRAMS[address]) return `${PROGRAMS[address]} (a program)`;
  if (MINTS[address]) return `${MINTS[address]} (a token mint)`;
  if (address.startsWith("Sysvar")) return "a sysvar";
  // Native programs and sysvars are vanity addresses padded with base58 '1's (zero digits). A
  // key ending in eight of them has a chance of 58^-8 (about 1e-14) of being anyone's wallet.
  if (/1{8}$/.test(address)) return "a native program or sysvar (its address ends in a run of 1s)";
  return null;
}
