// The few Solana JSON-RPC calls WallTrack needs. A live order: send a signed transaction, follow
// its status, the current block height (to know when its blockhash expired), and the confirmed
// transaction (to read the amounts that actually moved). The capture reconciliation: a wallet's
// signatures, newest first.
import { ApiError, type Fetch, requestJson } from "./api-client.ts";
import { WSOL_MINT } from "./mints.ts";

export type SignatureStatus = { slot: number; confirmationStatus: string | null; err: unknown } | null;

export type ConfirmedTransaction = {
  slot: number;
  meta: {
    err: unknown;
    fee: number;
    preBalances: number[];
    postBalances: number[];
    preTokenBalances?: TokenBalance[] | null;
    postTokenBalances?: TokenBalance[] | null;
  } | null;
  transaction: {
    message: { accountKeys: (string | { pubkey: string })[]; header?: { numRequiredSignatures: number } };
    signatures?: string[];
  };
};

// One entry of getSignaturesForAddress (fixtures/solana-rpc/): newest first; blockTime may be null.
export type SignatureInfo = {
  signature: string;
  slot: number;
  err: unknown;
  memo: string | null;
  blockTime: number | null;
  confirmationStatus?: string | null;
};

// The most one getSignaturesForAddress call returns (the RPC's own bound).
export const SIGNATURES_PAGE_LIMIT = 1000;

type TokenBalance = { accountIndex: number; mint: string; owner?: string; uiTokenAmount: { amount: string; decimals: number } };

export class SolanaRpc {
  private id = 0;
  constructor(private readonly url: string, private readonly fetchImpl: Fetch = fetch, private readonly timeoutMs = 10_000) {}

  async call<T>(method: string, params: unknown[]): Promise<T> {
    const body = await requestJson("solana-rpc", this.url, {
      method: "POST",
      body: { jsonrpc: "2.0", id: ++this.id, method, params },
      timeoutMs: this.timeoutMs,
      fetch: this.fetchImpl,
      context: method,
    }) as { result?: T; error?: { code: number; message: string } } | null;
    if (body?.error) throw new ApiError("solana-rpc", "client_error", `${method}: ${body.error.code} ${body.error.message}`);
    if (!body || !("result" in body)) throw new ApiError("solana-rpc", "malformed", `${method}: no result`);
    return body.result as T;
  }

  sendTransaction(base64: string): Promise<string> {
    return this.call("sendTransaction", [base64, { encoding: "base64", skipPreflight: true, maxRetries: 0 }]);
  }

  async signatureStatus(signature: string): Promise<SignatureStatus> {
    const result = await this.call<{ value: SignatureStatus[] }>("getSignatureStatuses", [[signature], { searchTransactionHistory: true }]);
    return result.value[0] ?? null;
  }

  blockHeight(): Promise<number> {
    return this.call("getBlockHeight", [{ commitment: "confirmed" }]);
  }

  // before and until are exclusive: the page holds what is older than `before` and newer than `until`.
  async signaturesForAddress(address: string, page: { before?: string | null; until?: string | null; limit?: number }): Promise<SignatureInfo[]> {
    const result = await this.call<unknown>("getSignaturesForAddress", [address, {
      commitment: "confirmed",
      limit: page.limit ?? SIGNATURES_PAGE_LIMIT,
      ...(page.before ? { before: page.before } : {}),
      ...(page.until ? { until: page.until } : {}),
    }]);
    if (!Array.isArray(result) || !result.every((e) => typeof e?.signature === "string" && (e.blockTime == null || Number.isSafeInteger(e.blockTime)))) {
      throw new ApiError("solana-rpc", "malformed", "getSignaturesForAddress: not a list of signatures");
    }
    return (result as SignatureInfo[]).map((e) => ({ ...e, blockTime: e.blockTime ?? null, err: e.err ?? null }));
  }

  transaction(signature: string): Promise<ConfirmedTransaction | null> {
    return this.call("getTransaction", [signature, { encoding: "json", commitment: "confirmed", maxSupportedTransactionVersion: 0 }]);
  }
}

// What the owner's balances did in a confirmed transaction: the token's raw delta, and the SOL
// delta in lamports with the network fee added back and WSOL folded in (as the classifier counts
// a leader's trade).
export function ownerDeltas(tx: ConfirmedTransaction, owner: string, tokenMint: string): { tokenRaw: bigint; lamports: bigint } {
  if (!tx.meta) throw new ApiError("solana-rpc", "malformed", "confirmed transaction without meta");
  const keys = tx.transaction.message.accountKeys.map((k) => (typeof k === "string" ? k : k.pubkey));
  const ownerIndex = keys.indexOf(owner);
  const sum = (balances: TokenBalance[] | null | undefined, mint: string) =>
    (balances ?? []).filter((b) => b.mint === mint && b.owner === owner).reduce((s, b) => s + BigInt(b.uiTokenAmount.amount), 0n);
  const tokenRaw = sum(tx.meta.postTokenBalances, tokenMint) - sum(tx.meta.preTokenBalances, tokenMint);
  const native = ownerIndex >= 0 ? BigInt(tx.meta.postBalances[ownerIndex]) - BigInt(tx.meta.preBalances[ownerIndex]) : 0n;
  const fee = ownerIndex === 0 ? BigInt(tx.meta.fee) : 0n;
  const wrapped = sum(tx.meta.postTokenBalances, WSOL_MINT) - sum(tx.meta.preTokenBalances, WSOL_MINT);
  return { tokenRaw, lamports: native + fee + wrapped };
}

// What the owner held of a mint just before and just after a confirmed transaction, in base units:
// the sum over the owner's token accounts in meta.preTokenBalances / postTokenBalances (an account
// the transaction did not touch is not listed: an owner holding the mint in a second account the
// sale did not use is under-counted, which the standard one-account-per-mint layout never does).
// Decimals from those entries, null when the owner had none.
export function ownerTokenBalances(tx: ConfirmedTransaction, owner: string, mint: string): { before: bigint; after: bigint; decimals: number | null } {
  if (!tx.meta) throw new ApiError("solana-rpc", "malformed", "confirmed transaction without meta");
  const mine = (balances: TokenBalance[] | null | undefined) => (balances ?? []).filter((b) => b.mint === mint && b.owner === owner);
  const pre = mine(tx.meta.preTokenBalances);
  const post = mine(tx.meta.postTokenBalances);
  const sum = (balances: TokenBalance[]) => balances.reduce((s, b) => s + BigInt(b.uiTokenAmount.amount), 0n);
  return { before: sum(pre), after: sum(post), decimals: [...pre, ...post][0]?.uiTokenAmount.decimals ?? null };
}

// Lamports per signature of the base fee: a protocol constant since genesis, so the priority part of
// a confirmed transaction's fee is exactly meta.fee less it per signature (checked against the
// compute-budget instructions of a real transaction in tests/unit/solana_rpc_balances_and_fees).
export const LAMPORTS_PER_SIGNATURE = 5000n;

// The fee a confirmed transaction made `payer` pay (meta.fee, paid by account 0, the fee payer) and
// its priority part, in lamports; nothing when `payer` is not the fee payer (ownerDeltas adds the
// fee back on the same condition, so a fee is never both in the amounts and deducted).
export function feesPaid(tx: ConfirmedTransaction, payer: string): { networkFee: bigint; priorityFee: bigint } {
  if (!tx.meta) throw new ApiError("solana-rpc", "malformed", "confirmed transaction without meta");
  const first = tx.transaction.message.accountKeys[0];
  if ((typeof first === "string" ? first : first?.pubkey) !== payer) return { networkFee: 0n, priorityFee: 0n };
  const networkFee = BigInt(tx.meta.fee);
  const signatures = BigInt(tx.transaction.signatures?.length ?? tx.transaction.message.header?.numRequiredSignatures ?? 1);
  const priorityFee = networkFee - LAMPORTS_PER_SIGNATURE * signatures;
  if (priorityFee < 0n) throw new ApiError("solana-rpc", "malformed", `fee ${networkFee} is below the base fee of ${signatures} signature(s)`);
  return { networkFee, priorityFee };
}
