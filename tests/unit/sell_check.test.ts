// The sell check's I/O (_shared/sell-check.ts) against the replay of Jupiter and the Solana RPC: the
// recorded Token-2022 mint (a transfer fee of 100 bps, 300 from epoch 1043, a hook extension with
// no program), the recorded "no route" answer, and every failure that must store nothing.
import { beforeEach, expect, test } from "vitest";
import { ApiError } from "../../supabase/functions/_shared/api-client.ts";
import { isNoRoute, measureSellChecks, mintExtensions } from "../../supabase/functions/_shared/sell-check.ts";
import { readSettings } from "../../supabase/functions/_shared/settings.ts";
import { fixtureJson, fixtureText } from "../fixtures/shared.ts";
import { Replay, replayUrls } from "../support/replay.ts";

const replay = new Replay();
const settings = { ...readSettings(replayUrls("http://replay.test")), apiTimeoutMs: 200 };
const MINT = "PreweJYECqtQwBtpxHL171nL2K6umo692gTm7Q3rpgF";
const need = { mint: MINT, size_usd: "500.00", sol_in_lamports: "3333333333" };

beforeEach(() => replay.reset());

test("the recorded Token-2022 mint: its higher transfer fee (300 bps, newer) and no active hook (the extension has no program)", () => {
  const { result } = fixtureJson<{ result: unknown }>("solana-rpc/getAccountInfo-jsonParsed-token2022-mint-transfer-fee.prestocks.json");
  expect(mintExtensions(result, MINT)).toEqual({ token2022: true, transferFeeBps: 300, transferHookProgram: null });
});

test("an account that is no mint, or owned by another program, is a failure, not a clean token", () => {
  expect(() => mintExtensions({ value: null }, MINT)).toThrow(/no account/);
  const { result } = fixtureJson<{ result: { value: { owner: string } } }>("solana-rpc/getAccountInfo-jsonParsed-token2022-mint-transfer-fee.prestocks.json");
  result.value.owner = "11111111111111111111111111111111";
  expect(() => mintExtensions(result, MINT)).toThrow(/not a token program/);
});

test("a round trip that loses nothing: both legs' amounts, the sell leg's price impact, a classic SPL mint", async () => {
  replay.sellQuotes.set(MINT, { ratio: 0.97, priceImpactPct: "0.0123" });
  const { checks, failures } = await measureSellChecks([need], settings, replay.handle);
  expect(failures).toEqual([]);
  expect(checks).toEqual([{
    mint: MINT, size_usd: "500.00", outcome: "route", sol_in_lamports: "3333333333",
    token_raw: "3333333333", sol_out_lamports: "3233333333", price_impact_fraction: "0.0123",
    token_2022: false, transfer_fee_bps: 0, transfer_hook_program: null,
  }]);
  // Buy leg SOL -> token for the lamports asked, then sell leg token -> SOL for what it bought.
  const quotes = replay.requests.filter((r) => r.service === "jupiter-quote").map((r) => new URL(`http://x${r.path}`).searchParams);
  expect(quotes.map((q) => [q.get("inputMint"), q.get("outputMint"), q.get("amount")])).toEqual([
    ["So11111111111111111111111111111111111111112", MINT, "3333333333"],
    [MINT, "So11111111111111111111111111111111111111112", "3333333333"],
  ]);
});

test("the mint's extensions come with the check: fee, or an active hook's program", async () => {
  replay.mints.set(MINT, "token2022-hook");
  const [check] = (await measureSellChecks([need], settings, replay.handle)).checks;
  expect(check).toMatchObject({ token_2022: true, transfer_fee_bps: 300, transfer_hook_program: "HookProgram111111111111111111111111111111111" });
});

test("Jupiter's recorded no-route answer (HTTP 400, COULD_NOT_FIND_ANY_ROUTE) is a measurement: no_route", async () => {
  replay.sellQuotes.set(MINT, { noRoute: true });
  const { checks, failures } = await measureSellChecks([need], settings, replay.handle);
  expect(failures).toEqual([]);
  expect(checks[0]).toMatchObject({ outcome: "no_route", token_raw: null, sol_out_lamports: null, price_impact_fraction: null });
  expect(JSON.parse(fixtureText("jupiter/quote-v1-no-route.error.json")).errorCode).toBe("COULD_NOT_FIND_ANY_ROUTE");
});

test("any other failure of Jupiter or the RPC stores nothing for that token: never a clean bill by default", async () => {
  for (const [service, fault] of [
    ["jupiter-quote", { status: 500 }], ["jupiter-quote", { status: 429 }], ["jupiter-quote", { status: 200, body: "{}" }],
    ["jupiter-quote", { status: 400, body: '{"error":"amount is too small"}' }], ["rpc", { status: 503 }],
  ] as const) {
    replay.reset();
    const other = "jtojtomepa8beP8AuQc6eXt5FriJwfFMwQx2v2f9mCL";
    // The fault hits this token's calls to that service only; the other token is measured.
    const result = await measureSellChecks([need, { ...need, mint: other }], settings, async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const body = init?.body ? String(init.body) : "";
      const hits = service === "rpc" ? url.endsWith("/rpc") : url.includes("/swap/v1/quote");
      if (hits && (url.includes(MINT) || body.includes(MINT))) {
        return new Response(fault.body ?? JSON.stringify({ error: "injected fault" }), { status: fault.status, headers: { "content-type": "application/json" } });
      }
      return replay.handle(input, init);
    });
    expect(result.failures.map((f) => f.mint), `${service} ${JSON.stringify(fault)}`).toEqual([MINT]);
    expect(result.checks.map((c) => c.mint)).toEqual([other]);
  }
});

test("only a 400 naming no route is one", () => {
  expect(isNoRoute(new ApiError("jupiter-quote", "client_error", '{"error":"Could not find any route","errorCode":"COULD_NOT_FIND_ANY_ROUTE"}', 400))).toBe(true);
  expect(isNoRoute(new ApiError("jupiter-quote", "client_error", '{"errorCode":"TOKEN_NOT_TRADABLE"}', 400))).toBe(true);
  expect(isNoRoute(new ApiError("jupiter-quote", "server_error", "COULD_NOT_FIND_ANY_ROUTE", 500))).toBe(false);
  expect(isNoRoute(new ApiError("jupiter-quote", "client_error", '{"error":"invalid mint"}', 400))).toBe(false);
});
