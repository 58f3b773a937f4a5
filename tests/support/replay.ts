// A stand-in for the external APIs that answers with the real payloads of fixtures/,
// adapted to the mint asked for, and can be told to fail (timeout, 429, 5xx, malformed body).
// `handle` is a fetch-shaped function (unit tests pass it as the clients' fetch); `serve` puts it
// behind a real HTTP server on loopback for the functions runtime.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ed25519 } from "@noble/curves/ed25519.js";
import { PublicKey, SystemProgram, TransactionMessage, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";
import { fixtureJson, fixtureText } from "../fixtures/shared.ts";
import { USDC_MINT as USDC, WSOL_MINT as WSOL } from "../../supabase/functions/_shared/mints.ts";
import { formatUnits } from "../../supabase/functions/_shared/decimal.ts";

export type Service = "rugcheck" | "dexscreener" | "jupiter" | "jupiter-quote" | "jupiter-swap" | "rpc" | "helius" | "telegram" | "discord" | "notify-webhook";
// A message a notification channel received: Telegram's sendMessage, Discord's execute webhook, or
// the signed JSON webhook (headers lower-cased, body as sent).
export type ReceivedNotification = { service: "telegram" | "discord" | "notify-webhook"; path: string; headers: Record<string, string>; body: string };
// How the emulated chain treats a sent transaction: lands, lands but fails, never lands, or is seen
// but stays unconfirmed (processed) until a control settles it.
export type ChainMode = "land" | "fail" | "drop" | "processed";

type SwapRecord = { quote: Record<string, unknown>; owner: string; lastValidBlockHeight: number; priorityFee: number; fate?: ChainMode };
// A watched wallet's confirmed transaction as the RPC returns it (getTransaction): what the leader
// held of the mint before and after, in base units.
export type LeaderTransaction = { owner: string; mint: string; before: string; after: string; decimals: number; err?: unknown };
// The replay's fee market: what Jupiter would estimate at each priority level (veryHigh: the
// 254,600 lamports of Jupiter's documented /swap answer), before the request's cap.
const PRIORITY_LEVEL_FEES: Record<string, number> = { medium: 50_000, high: 150_000, veryHigh: 254_600 };
export type Fault = { status?: number; delayMs?: number; body?: string; headers?: Record<string, string>; times?: number };
export type RugcheckProfile = "jto" | "trump" | "mint-authority-live" | "rugged";
// What getAccountInfo (jsonParsed) says of a mint: a classic SPL Token mint (default), the recorded
// Token-2022 mint with a transfer fee (fixtures/solana-rpc), or the same with an active hook.
export type MintProfile = "spl" | "token2022-fee" | "token2022-hook";
// How Jupiter quotes selling a token back to SOL: out = in x ratio, with this price impact
// (fraction), or its recorded "no route" answer.
export type SellQuote = { ratio?: number; priceImpactPct?: string; noRoute?: boolean };


type JsonObject = Record<string, unknown>;

export class Replay {
  faults = new Map<Service, Fault>();
  delays = new Map<Service, number>();
  profiles = new Map<string, RugcheckProfile>();
  prices = new Map<string, string>();
  unknownToDexscreener = new Set<string>();
  mints = new Map<string, MintProfile>();
  sellQuotes = new Map<string, SellQuote>();
  requests: { service: Service | "unknown"; path: string }[] = [];
  // Swaps: out = in x quoteRatio (raw units); the chain: block height, swaps by blockhash, sent txs.
  quoteRatio = 1;
  chainMode: ChainMode = "land";
  blockHeight = 300_000_000;
  swaps = new Map<string, SwapRecord>();
  sent = new Map<string, SwapRecord>();
  // Helius webhooks as the API would keep them, and every call it received (method, path, body).
  webhooks = new Map<string, Record<string, unknown>>();
  heliusCalls: { method: string; path: string; body: unknown }[] = [];
  // The chain as getSignaturesForAddress lists it: per address, its entries newest first, each of
  // the recorded response's shape; and the enhanced transactions Helius's parse API knows.
  signatures = new Map<string, JsonObject[]>();
  enhanced = new Map<string, unknown>();
  // What the notification channels accepted (a fault answered instead is not a delivery).
  notifications: ReceivedNotification[] = [];
  private telegramMessageId = 9;

  // Leaders' transactions by signature, and the bodies of /swap requests (what the executor asked).
  leaderTransactions = new Map<string, LeaderTransaction>();
  swapRequests: Record<string, unknown>[] = [];

  reset(): void {
    this.signatures.clear();
    this.enhanced.clear();
    this.leaderTransactions.clear();
    this.swapRequests = [];
    this.notifications = [];
    this.webhooks.clear();
    this.heliusCalls = [];
    this.quoteRatio = 1;
    this.chainMode = "land";
    this.swaps.clear();
    this.sent.clear();
    this.faults.clear();
    this.delays.clear();
    this.profiles.clear();
    this.prices.clear();
    this.unknownToDexscreener.clear();
    this.mints.clear();
    this.sellQuotes.clear();
    this.requests = [];
  }

  // A transaction lands: listed for each of `addresses` (newest first by slot) with the recorded
  // entry's fields, and known to Helius's parse API unless `parsed` is false. `err` makes it failed.
  onChain(tx: { signature: string; slot: number; timestamp: number }, addresses: string[], options: { err?: unknown; parsed?: boolean } = {}): void {
    const [template] = fixtureJson<JsonObject[]>("solana-rpc/getSignaturesForAddress-result.solana-go.json");
    const entry = { ...template, signature: tx.signature, slot: tx.slot, blockTime: tx.timestamp, err: options.err ?? null };
    for (const address of addresses) {
      const list = (this.signatures.get(address) ?? []).filter((e) => e.signature !== tx.signature);
      list.push(entry);
      list.sort((a, b) => (b.slot as number) - (a.slot as number));
      this.signatures.set(address, list);
    }
    if (options.parsed !== false) this.enhanced.set(tx.signature, tx);
  }

  count(service: Service): number {
    return this.requests.filter((r) => r.service === service).length;
  }

  readonly handle = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const service = this.serviceOf(url.pathname);
    // A JSON-RPC call is recorded with its method (/rpc#getAccountInfo): a test can tell the sell
    // check's read of a mint from the executor's sends.
    const method = service === "rpc" ? ((await request.clone().json().catch(() => null)) as { method?: string } | null)?.method : undefined;
    this.requests.push({ service: service ?? "unknown", path: url.pathname + url.search + (method ? `#${method}` : "") });
    if (!service) return json(404, { error: `no such route: ${url.pathname}` });
    const delay = this.delays.get(service) ?? 0;
    const fault = this.faults.get(service);
    const wait = (fault?.delayMs ?? 0) + delay;
    if (wait > 0) await sleep(wait, request.signal);
    if (fault && (fault.status || fault.body !== undefined)) {
      if (fault.times !== undefined && --fault.times <= 0) this.faults.delete(service);
      return new Response(fault.body ?? JSON.stringify({ error: "injected fault" }), {
        status: fault.status ?? 200,
        headers: { "content-type": "application/json", ...fault.headers },
      });
    }
    if (service === "telegram" || service === "discord" || service === "notify-webhook") return this.notify(service, request, url);
    if (service === "rpc") return this.rpc(await request.json());
    if (service === "helius") return this.helius(request.method, url, request.method === "GET" ? undefined : await request.json());
    if (service === "jupiter-quote") return this.quote(url.searchParams);
    if (service === "jupiter-swap") return this.swap(await request.json());
    const path = url.pathname.slice(service.length + 1);
    if (service === "rugcheck") return this.rugcheck(path);
    if (service === "dexscreener") return this.dexscreener(path);
    return this.jupiter(path, url.searchParams);
  };

  private serviceOf(path: string): Service | undefined {
    if (path === "/rpc") return "rpc";
    if (path.startsWith("/helius/")) return "helius";
    if (path.startsWith("/telegram/")) return "telegram";
    if (path.startsWith("/discord/")) return "discord";
    if (path.startsWith("/notify-webhook/")) return "notify-webhook";
    if (path.startsWith("/jupiter/swap/v1/quote")) return "jupiter-quote";
    if (path.startsWith("/jupiter/swap/v1/swap")) return "jupiter-swap";
    return (["rugcheck", "dexscreener", "jupiter"] as const).find((s) => path.startsWith(`/${s}/`));
  }

  // Helius webhook management (/v0/webhooks[/id]?api-key=): the documented CRUD over one store.
  private helius(method: string, url: URL, body: unknown): Response {
    const path = url.pathname.slice("/helius".length);
    this.heliusCalls.push({ method, path, body });
    if (!url.searchParams.get("api-key")) return json(401, { error: "invalid api key" });
    // Parse transactions: the enhanced transactions it knows, in the order asked (at most 100).
    if (path === "/v0/transactions" && method === "POST") {
      const asked = (body as { transactions?: unknown })?.transactions;
      if (!Array.isArray(asked) || asked.length === 0 || asked.length > 100) return json(400, { error: "transactions: 1 to 100 signatures" });
      return json(200, asked.filter((s) => this.enhanced.has(s as string)).map((s) => this.enhanced.get(s as string)));
    }
    const match = /^\/v0\/webhooks(?:\/([^/]+))?$/.exec(path);
    if (!match) return json(404, { error: "not found" });
    const id = match[1];
    if (!id && method === "POST") {
      const webhookID = crypto.randomUUID();
      const created = { webhookID, wallet: "HeLiusAccountWa11et1111111111111111111111111", ...(body as object) };
      this.webhooks.set(webhookID, created);
      return json(200, created);
    }
    if (!id && method === "GET") return json(200, [...this.webhooks.values()]);
    const existing = id ? this.webhooks.get(id) : undefined;
    if (!existing) return json(404, { error: "webhook not found" });
    if (method === "GET") return json(200, existing);
    if (method === "PUT") {
      const updated = { ...(body as object), webhookID: id, wallet: existing.wallet };
      this.webhooks.set(id!, updated);
      return json(200, updated);
    }
    return json(405, { error: "method not allowed" });
  }

  // Notification channels: Telegram's sendMessage answers the recorded message with the text and chat
  // sent; Discord's execute webhook (wait=true) a message object; the generic webhook 204.
  private async notify(service: "telegram" | "discord" | "notify-webhook", request: Request, url: URL): Promise<Response> {
    const body = await request.text();
    const headers = Object.fromEntries([...request.headers.entries()].map(([k, v]) => [k.toLowerCase(), v]));
    if (service === "telegram") {
      if (!/^\/telegram\/bot[^/]+\/sendMessage$/.test(url.pathname)) return json(404, { ok: false, error_code: 404, description: "Not Found" });
      const sent = JSON.parse(body || "{}") as { chat_id?: string | number; text?: string };
      if (!sent.chat_id) return new Response(fixtureText("telegram/sendMessage-400-chat-not-found.json"), { status: 400, headers: { "content-type": "application/json" } });
      this.notifications.push({ service, path: url.pathname, headers, body });
      const recorded = fixtureJson<{ ok: boolean; result: JsonObject & { chat: JsonObject } }>("telegram/sendMessage-ok.recorded-2021.json");
      recorded.result = { ...recorded.result, message_id: ++this.telegramMessageId, chat: { ...recorded.result.chat, id: Number(sent.chat_id) || sent.chat_id },
                          date: Math.floor(Date.now() / 1000), text: sent.text };
      return json(200, recorded);
    }
    this.notifications.push({ service, path: url.pathname + url.search, headers, body });
    if (service === "discord") {
      const sent = JSON.parse(body || "{}") as { content?: string };
      const [, webhookId] = /\/webhooks\/(\d+)\//.exec(url.pathname) ?? [];
      return json(200, { id: String(1_200_000_000_000_000_000n + BigInt(this.notifications.length)), type: 0, content: sent.content,
        channel_id: "1100000000000000000", webhook_id: webhookId, author: { id: webhookId, username: "WallTrack", bot: true },
        timestamp: new Date().toISOString() });
    }
    return new Response(null, { status: 204 });
  }

  // GET /swap/v1/quote: the recorded quote, for the mints and amount asked (a sell of a token a
  // test set a SellQuote for: its ratio and price impact, or the recorded no-route answer).
  private quote(query: URLSearchParams): Response {
    const recorded = fixtureJson<Record<string, unknown>>("jupiter/quote-v1.jup-docs-example.json");
    const sell = this.sellQuotes.get(query.get("inputMint") ?? "");
    const noRoute = sell?.noRoute || [...this.sellQuotes].some(([mint, q]) => q.noRoute && query.get("outputMint") === mint);
    if (noRoute) return json(400, fixtureJson("jupiter/quote-v1-no-route.error.json"));
    if (sell?.priceImpactPct !== undefined) recorded.priceImpactPct = sell.priceImpactPct;
    const inAmount = BigInt(query.get("amount") ?? "0");
    const outAmount = BigInt(Math.floor(Number(inAmount) * (sell?.ratio ?? this.quoteRatio)));
    const slippageBps = Number(query.get("slippageBps") ?? 50);
    return json(200, {
      ...recorded,
      inputMint: query.get("inputMint"),
      outputMint: query.get("outputMint"),
      inAmount: inAmount.toString(),
      outAmount: outAmount.toString(),
      otherAmountThreshold: ((outAmount * BigInt(10000 - slippageBps)) / 10000n).toString(),
      slippageBps,
    });
  }

  // POST /swap/v1/swap: the recorded answer's shape with a real, unsigned v0 transaction whose fee
  // payer is the user (the recorded swapTransaction is truncated in its source).
  private swap(body: { quoteResponse: Record<string, unknown>; userPublicKey: string;
                       prioritizationFeeLamports?: number | { priorityLevelWithMaxLamports: { priorityLevel: string; maxLamports: number } } }): Response {
    this.swapRequests.push(body as unknown as Record<string, unknown>);
    const asked = body.prioritizationFeeLamports;
    const priorityFee = typeof asked === "object" && asked !== null
      ? Math.min(PRIORITY_LEVEL_FEES[asked.priorityLevelWithMaxLamports.priorityLevel] ?? 0, asked.priorityLevelWithMaxLamports.maxLamports)
      : asked ?? 0;
    const owner = new PublicKey(body.userPublicKey);
    const blockhash = bs58.encode(randomBytes(32));
    const message = new TransactionMessage({
      payerKey: owner,
      recentBlockhash: blockhash,
      instructions: [SystemProgram.transfer({ fromPubkey: owner, toPubkey: owner, lamports: 0 })],
    }).compileToV0Message();
    const lastValidBlockHeight = this.blockHeight + 150;
    this.swaps.set(blockhash, { quote: body.quoteResponse, owner: body.userPublicKey, lastValidBlockHeight, priorityFee });
    return json(200, {
      swapTransaction: Buffer.from(new VersionedTransaction(message).serialize()).toString("base64"),
      lastValidBlockHeight,
      prioritizationFeeLamports: priorityFee,
      computeUnitLimit: 388876,
      simulationError: null,
    });
  }

  // JSON-RPC of the chain: sendTransaction, getSignatureStatuses, getBlockHeight, getTransaction,
  // getSignaturesForAddress (newest first; before and until exclusive, as the RPC documents).
  private rpc(call: { id: number; method: string; params: unknown[] }): Response {
    const reply = (result: unknown) => json(200, { jsonrpc: "2.0", id: call.id, result });
    switch (call.method) {
      case "sendTransaction": {
        const tx = VersionedTransaction.deserialize(Buffer.from(call.params[0] as string, "base64"));
        if (tx.signatures[0].every((b) => b === 0)) return json(200, { jsonrpc: "2.0", id: call.id, error: { code: -32002, message: "transaction not signed" } });
        // As the network's sigverify: the fee payer's signature must be over these message bytes.
        if (!ed25519.verify(tx.signatures[0], tx.message.serialize(), tx.message.staticAccountKeys[0].toBytes())) {
          return json(200, { jsonrpc: "2.0", id: call.id, error: { code: -32003, message: "Transaction signature verification failure" } });
        }
        const record = this.swaps.get(tx.message.recentBlockhash);
        if (!record) return json(200, { jsonrpc: "2.0", id: call.id, error: { code: -32002, message: "Blockhash not found" } });
        const signature = bs58.encode(tx.signatures[0]);
        // A transaction's fate is sealed when it is sent: one dropped now never lands later.
        this.sent.set(signature, { ...record, fate: this.chainMode });
        return reply(signature);
      }
      case "getBlockHeight":
        this.blockHeight += 50; // time passes between polls
        return reply(this.blockHeight);
      case "getSignatureStatuses": {
        const [signatures] = call.params as [string[]];
        return reply({
          context: { slot: this.blockHeight },
          value: signatures.map((sig) => {
            const fate = this.sent.get(sig)?.fate;
            if (!fate || fate === "drop") return null;
            if (fate === "processed") return { slot: this.blockHeight, confirmations: 0, confirmationStatus: "processed", err: null };
            return { slot: this.blockHeight, confirmations: 1, confirmationStatus: "confirmed",
              err: fate === "fail" ? { InstructionError: [0, { Custom: 6001 }] } : null };
          }),
        });
      }
      case "getAccountInfo": {
        const [mint] = call.params as [string];
        return reply(mintAccount(this.mints.get(mint) ?? "spl"));
      }
      case "getTransaction": {
        const [sig] = call.params as [string];
        const leader = this.leaderTransactions.get(sig);
        if (leader) return reply(leaderTransaction(sig, leader));
        const record = this.sent.get(sig);
        if (!record) return reply(null);
        return reply(confirmedTransaction(record, sig, this.blockHeight));
      }
      case "getSignaturesForAddress": {
        const [address, config = {}] = call.params as [string, { before?: string; until?: string; limit?: number }];
        const limit = config.limit ?? 1000;
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
          return json(200, { jsonrpc: "2.0", id: call.id, error: { code: -32602, message: "Invalid limit; max 1000" } });
        }
        let list = this.signatures.get(address) ?? [];
        if (config.before) {
          const at = list.findIndex((e) => e.signature === config.before);
          list = at < 0 ? [] : list.slice(at + 1);
        }
        if (config.until) {
          const at = list.findIndex((e) => e.signature === config.until);
          if (at >= 0) list = list.slice(0, at);
        }
        return reply(list.slice(0, limit));
      }
      default:
        return json(200, { jsonrpc: "2.0", id: call.id, error: { code: -32601, message: `method not found: ${call.method}` } });
    }
  }

  private rugcheck(path: string): Response {
    const match = /^\/v1\/tokens\/([^/]+)\/report$/.exec(path);
    if (!match) return json(404, { error: "not found" });
    const mint = match[1];
    const profile = this.profiles.get(mint) ?? "jto";
    const source = profile === "trump" ? "rugcheck/report-trump-2025-01.ccan23-sample.TRIMMED.json" : "rugcheck/report-jto-2026.flurry-fixture.TRIMMED.json";
    const report = fixtureJson<JsonObject>(source);
    if (report.mint !== mint) {
      // Another token: the recorded report's measurements under this mint, with a name of its own.
      report.tokenMeta = { ...(report.tokenMeta as JsonObject), symbol: mint.slice(0, 4).toUpperCase(), name: `Token ${mint.slice(0, 8)}` };
    }
    report.mint = mint;
    if (profile === "mint-authority-live") report.mintAuthority = "6iQKfEyhr3bZMotVkW6beNZz5CPAkiwvgV2CTje9pVSS";
    if (profile === "rugged") report.rugged = true;
    return json(200, report);
  }

  private dexscreener(path: string): Response {
    const match = /^\/tokens\/v1\/solana\/([^/]+)$/.exec(path);
    if (!match) return json(404, { error: "not found" });
    const [template] = fixtureJson<JsonObject[]>("dexscreener/tokens-v1-solana-RAY-2025-08-28.crypto-bot-capture.json");
    const pairs = match[1].split(",").filter((mint) => !this.unknownToDexscreener.has(mint)).map((mint) => {
      const pair = structuredClone(template) as JsonObject & { baseToken: JsonObject; quoteToken: JsonObject };
      pair.baseToken = { ...pair.baseToken, address: mint };
      if (mint === WSOL) {
        pair.baseToken = { address: WSOL, name: "Wrapped SOL", symbol: "SOL" };
        pair.quoteToken = { address: USDC, name: "USD Coin", symbol: "USDC" };
        pair.priceUsd = this.prices.get(WSOL) ?? "147.47";
      } else {
        // Only a price a test set: the recorded RAY price would reprice every token of the stack
        // whenever pg_cron's price monitor runs. DexScreener documents priceUsd as nullable.
        pair.priceUsd = this.prices.get(mint) ?? null;
      }
      return pair;
    });
    return json(200, pairs);
  }

  private jupiter(path: string, query: URLSearchParams): Response {
    if (path !== "/price/v3") return json(404, { error: "not found" });
    const ids = (query.get("ids") ?? "").split(",").filter(Boolean);
    if (ids.length > 50) return json(400, { error: "at most 50 ids" });
    const recorded = {
      ...fixtureJson<JsonObject>("jupiter/price-v3.jup-docs-sample.json"),
      ...fixtureJson<JsonObject>("jupiter/price-v3.openapi-example.json"),
    };
    const answer: JsonObject = {};
    for (const id of ids) {
      const base = (recorded[id] ?? recorded[WSOL]) as JsonObject;
      if (this.prices.has(id)) answer[id] = { ...base, usdPrice: Number(this.prices.get(id)) };
      else if (recorded[id]) answer[id] = recorded[id];
      // Any other mint is left out: Jupiter's way of saying "no reliable price".
    }
    return json(200, answer);
  }
}

// What the owner's balances did in a landed swap: SOL -> token (entry) or token -> SOL (exit), the
// quote's amounts exactly, a network fee of 5000 lamports for its one signature plus the priority
// fee the swap was built with.
// A transaction that failed on chain (fate "fail") paid its fee and moved nothing else.
function confirmedTransaction(record: SwapRecord, signature: string, slot: number) {
  const fee = 5000 + record.priorityFee;
  const start = 50_000_000_000;
  const failed = record.fate === "fail";
  const inAmount = failed ? 0n : BigInt(record.quote.inAmount as string);
  const outAmount = failed ? 0n : BigInt(record.quote.outAmount as string);
  const buying = record.quote.inputMint === WSOL;
  const token = (buying ? record.quote.outputMint : record.quote.inputMint) as string;
  const tokenBefore = buying ? 0n : BigInt(record.quote.inAmount as string);
  const tokenAfter = buying ? outAmount : tokenBefore - inAmount;
  const lamportsAfter = BigInt(start) - BigInt(fee) + (buying ? -inAmount : outAmount);
  const balance = (amount: bigint) => ({ accountIndex: 1, mint: token, owner: record.owner, uiTokenAmount: { amount: amount.toString(), decimals: 6 } });
  return {
    slot,
    meta: { err: failed ? { InstructionError: [0, { Custom: 6001 }] } : null, fee, preBalances: [start, 0], postBalances: [Number(lamportsAfter), 0],
      preTokenBalances: [balance(tokenBefore)], postTokenBalances: [balance(tokenAfter)] },
    transaction: { message: { accountKeys: [record.owner, bs58.encode(randomBytes(32))], header: { numRequiredSignatures: 1 } },
                   signatures: [signature] },
  };
}

// A leader's confirmed SELL: the real getTransaction answer of a Token-2022 partial sale
// (fixtures/solana-rpc, its fee payer selling part of its bag), its signature, seller and mint
// replaced, and the seller's balance of that mint set to what the test says (before -> after).
function leaderTransaction(signature: string, tx: LeaderTransaction) {
  const recorded = fixtureJson<{ result: Record<string, unknown> }>("solana-rpc/get-transaction-token-2022-partial-sell.agavesim.json").result;
  const SELLER = "95rVs91daKmzom4SM41dg4MRmy5M7rMEHPerenZwWaCq";
  const MINT = "EWV6bjhKF5zkXANCdWPvDs7dofRVk4pKyVTitqgEWj8E";
  const answer = JSON.parse(JSON.stringify(recorded).replaceAll(SELLER, tx.owner).replaceAll(MINT, tx.mint)) as {
    meta: { err: unknown; preTokenBalances: { owner: string; mint: string; uiTokenAmount: Record<string, unknown> }[];
            postTokenBalances: { owner: string; mint: string; uiTokenAmount: Record<string, unknown> }[] };
    transaction: { signatures: string[] };
  };
  const set = (balances: typeof answer.meta.preTokenBalances, amount: string) => {
    for (const b of balances) {
      if (b.owner === tx.owner && b.mint === tx.mint) {
        const ui = formatUnits(BigInt(amount), tx.decimals);
        b.uiTokenAmount = { amount, decimals: tx.decimals, uiAmount: Number(ui), uiAmountString: ui };
      } else if (b.mint === tx.mint) {
        b.uiTokenAmount = { ...b.uiTokenAmount, decimals: tx.decimals };
      }
    }
  };
  set(answer.meta.preTokenBalances, tx.before);
  set(answer.meta.postTokenBalances, tx.after);
  answer.meta.err = tx.err ?? null;
  answer.transaction.signatures = [signature];
  return answer;
}

// getAccountInfo's result for a mint of the given profile. The Token-2022 mint is the recorded one
// (fixtures/solana-rpc); the hook and the classic SPL mint are derived from it here, and say so:
// a hook program set on its transferHook extension, or the Token program's owner with no extension.
function mintAccount(profile: MintProfile) {
  const { result } = fixtureJson<{ result: { value: JsonObject & { data: { program: string; parsed: { info: JsonObject } } } } }>(
    "solana-rpc/getAccountInfo-jsonParsed-token2022-mint-transfer-fee.prestocks.json");
  const value = result.value;
  const extensions = value.data.parsed.info.extensions as { extension: string; state: JsonObject }[];
  if (profile === "token2022-hook") {
    extensions.find((e) => e.extension === "transferHook")!.state.programId = "HookProgram111111111111111111111111111111111";
  } else if (profile === "spl") {
    value.owner = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
    value.data.program = "spl-token";
    delete value.data.parsed.info.extensions;
  }
  return result;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

// The replay behind an HTTP server on 127.0.0.1, with a control API for tests in other processes:
// POST /__control {reset?, faults?: {service: Fault}, delays?, profiles?: {mint: profile}, prices?: {mint: usd},
// unknownToDexscreener?: [mint], onChain?: [{transaction, addresses, err?, parsed?}],
// leaderTransactions?: {signature: LeaderTransaction}, mints?: {mint: MintProfile},
// sellQuotes?: {mint: SellQuote}}; GET /__control/requests, GET /__control/swaps (the bodies of /swap requests).
export async function serve(replay: Replay, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = `http://127.0.0.1${req.url}`;
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    if (req.url === "/__control" && req.method === "POST") {
      const control = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      if (control.reset) replay.reset();
      for (const [service, fault] of Object.entries(control.faults ?? {})) replay.faults.set(service as Service, fault as Fault);
      for (const [service, ms] of Object.entries(control.delays ?? {})) replay.delays.set(service as Service, ms as number);
      for (const [mint, profile] of Object.entries(control.profiles ?? {})) replay.profiles.set(mint, profile as RugcheckProfile);
      for (const [mint, usd] of Object.entries(control.prices ?? {})) replay.prices.set(mint, usd as string);
      for (const mint of control.unknownToDexscreener ?? []) replay.unknownToDexscreener.add(mint);
      for (const [signature, tx] of Object.entries(control.leaderTransactions ?? {})) replay.leaderTransactions.set(signature, tx as LeaderTransaction);
      for (const [mint, profile] of Object.entries(control.mints ?? {})) replay.mints.set(mint, profile as MintProfile);
      for (const [mint, quote] of Object.entries(control.sellQuotes ?? {})) replay.sellQuotes.set(mint, quote as SellQuote);
      if (control.quoteRatio !== undefined) replay.quoteRatio = control.quoteRatio;
      for (const landed of control.onChain ?? []) replay.onChain(landed.transaction, landed.addresses, landed);
      if (control.chainMode !== undefined) replay.chainMode = control.chainMode;
      // Transactions seen but unconfirmed (chainMode processed) reach their fate later.
      if (control.settleProcessed !== undefined) {
        for (const record of replay.sent.values()) if (record.fate === "processed") record.fate = control.settleProcessed;
      }
      res.writeHead(204).end();
      return;
    }
    if (req.url === "/__control/helius") {
      res.writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ calls: replay.heliusCalls, webhooks: [...replay.webhooks.values()] }));
      return;
    }
    if (req.url === "/__control/swaps") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(replay.swapRequests));
      return;
    }
    if (req.url === "/__control/notifications") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(replay.notifications));
      return;
    }
    if (req.url === "/__control/requests") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(replay.requests));
      return;
    }
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    try {
      const response = await replay.handle(url, { method: req.method, body, headers: req.headers as Record<string, string>, signal: abort.signal });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      if (!res.headersSent) res.writeHead(499);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// Base URLs of the three services when the replay is served at `url`.
export const replayUrls = (url: string) => ({
  RUGCHECK_API_URL: `${url}/rugcheck`,
  DEXSCREENER_API_URL: `${url}/dexscreener`,
  JUPITER_API_URL: `${url}/jupiter`,
  SOLANA_RPC_URL: `${url}/rpc`,
  HELIUS_API_URL: `${url}/helius`,
});

// The notification channels pointed at the replay, with credentials of the right shape (a bot token
// "<id>:<secret>", a webhook URL with its token): what a stack that notifies gets in its environment.
export const notifyReplayEnv = (url: string, secrets: { telegramToken: string; discordToken: string; webhookSecret: string }) => ({
  TELEGRAM_API_URL: `${url}/telegram`,
  TELEGRAM_BOT_TOKEN: secrets.telegramToken,
  TELEGRAM_CHAT_ID: "-100123456789",
  DISCORD_WEBHOOK_URL: `${url}/discord/api/webhooks/1234567890123456789/${secrets.discordToken}`,
  WALLTRACK_WEBHOOK_URL: `${url}/notify-webhook/walltrack`,
  WALLTRACK_WEBHOOK_SECRET: secrets.webhookSecret,
  NOTIFY_TIMEOUT_MS: "2000",
});
