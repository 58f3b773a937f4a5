// Where the stack under test is: set by `npm test` (scripts/test.ts), which builds it for the run.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import bs58 from "bs58";
import postgres from "postgres";
import { fixtureText } from "../fixtures/shared.ts";
import { WSOL_MINT } from "../../supabase/functions/_shared/mints.ts";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through \`npm test\`, which starts their stack`);
  return value;
}

export const stack = {
  dbUrl: required("WALLTRACK_TEST_DB_URL"),
  functionsUrl: required("WALLTRACK_TEST_FUNCTIONS_URL"),
  anonKey: required("WALLTRACK_TEST_ANON_KEY"),
  serviceRoleKey: required("WALLTRACK_TEST_SERVICE_ROLE_KEY"),
  replayUrl: required("WALLTRACK_TEST_REPLAY_URL"),
  webhookSecret: required("WALLTRACK_TEST_WEBHOOK_SECRET"),
  // Server-side secrets the functions runtime was given besides the service_role key (ADR-012).
  internalSecret: required("WALLTRACK_TEST_INTERNAL_SECRET"),
  sbSecretKey: required("WALLTRACK_TEST_SB_SECRET_KEY"),
};

export const connect = () => postgres(stack.dbUrl, { max: 4, onnotice: () => {} });

// Tells the replay of the external APIs what to answer (see tests/support/replay.ts).
export async function replayControl(control: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.replayUrl}/__control`, { method: "POST", body: JSON.stringify(control) });
  if (response.status !== 204) throw new Error(`replay control refused: ${response.status}`);
}

export async function replayRequests(): Promise<{ service: string; path: string }[]> {
  return await (await fetch(`${stack.replayUrl}/__control/requests`)).json();
}

// Exactly 32 and 64 random bytes in base58: a real public key and a real-shaped signature.
export const freshAddress = () => bs58.encode(randomBytes(32));
export const freshSignature = () => bs58.encode(randomBytes(64));

// A real Helius payload with some of its addresses swapped for fresh ones (a new wallet, mint or
// signature), so each test owns its rows while the payload keeps its real shape and amounts.
export function adaptedFixture(name: string, replacements: Record<string, string>): unknown[] {
  let text = fixtureText(`helius/${name}`);
  for (const [from, to] of Object.entries(replacements)) text = text.split(from).join(to);
  return JSON.parse(text);
}

export function postWebhook(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.functionsUrl}/helius-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: stack.webhookSecret, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Integration files open many positions in one shared database: lift the global exposure limits
// so they do not decide each other's outcome (the limits themselves are tested in pgTAP).
export async function liftExposureLimits(sql: ReturnType<typeof connect>): Promise<void> {
  await sql`update walltrack.config set max_open_positions = 100000, max_total_exposure_usd = 1000000000`;
}

export const WSOL = WSOL_MINT;

// An operator command (scripts/operator.ts) against the test database: its exit status and output.
export async function op(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)("node_modules/.bin/tsx", ["scripts/operator.ts", ...args], {
      env: { ...process.env, WALLTRACK_DB_URL: stack.dbUrl },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

export const callFunction = (name: string, body: unknown = {}) =>
  fetch(`${stack.functionsUrl}/${name}`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.serviceRoleKey}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

// A watched wallet and a safe, freshly analyzed token: what a BUY needs to be copied.
export async function walletAndSafeToken(sql: ReturnType<typeof connect>, mode: "simulation" | "live", strategy = "Default") {
  const wallet = freshAddress();
  const mint = freshAddress();
  await sql`insert into walltrack.wallets (address, mode, exit_strategy_id)
            select ${wallet}, ${mode}, id from walltrack.exit_strategies where name = ${strategy}`;
  await sql`select walltrack.store_token_analyses(${sql.json([{
    address: mint, source: "rugcheck", decimals: 6, liquidity_usd: "1000000", top10_percent: "10",
    mint_revoked: true, freeze_revoked: true, dangerous_extension: false, transfer_fee_bps: 0,
    first_pool_created_at: "2024-01-01T00:00:00Z", rugged: false,
  }])})`;
  await markSellable(sql, mint);
  return { wallet, mint };
}

// A token signal-processor's sell check found sellable at no cost, for entries up to 1,000,000 USD
// (for tests that decide BUYs with walltrack.process_signals directly, not through signal-processor).
export async function markSellable(sql: ReturnType<typeof connect>, mint: string): Promise<void> {
  await sql`select walltrack.store_sell_checks(${sql.json([{
    mint, size_usd: "1000000", outcome: "route", sol_in_lamports: "1000000000", token_raw: "1000000",
    sol_out_lamports: "1000000000", price_impact_fraction: "0", token_2022: false, transfer_fee_bps: 0, transfer_hook_program: null,
  }])})`;
}

// Records and decides a BUY of `mint` by `wallet` at `priceSol` SOL per token; returns the signal id.
export async function copyBuy(sql: ReturnType<typeof connect>, wallet: string, mint: string, solUsd = "150", priceSol = "0.000001") {
  const [{ recorded }] = await sql`select walltrack.record_signals(${sql.json({
    received_at: new Date().toISOString(), transactions: [],
    signals: [{ wallet, signal_type: "BUY", token_mint: mint, token_decimals: 6, token_in: WSOL, token_out: mint,
      amount_in: "1", amount_out: "1000000", price: priceSol, price_all_in: priceSol, price_usd: null,
      transaction_signature: freshSignature(), slot: 1, block_time: Math.floor(Date.now() / 1000) }],
  })}) as recorded`;
  const [id] = recorded.recorded as string[];
  await sql`select walltrack.process_signals(array[${id}]::uuid[], ${solUsd}::numeric, 'jupiter')`;
  return id;
}

// A simulated position in a fresh safe token, entered at 1 USD a token (1,000 tokens for 1,000 USD)
// without going through the decision: the price tests start from a known entry.
export const positionAtOneDollar = (sql: ReturnType<typeof connect>) => positionAt(sql, "1.00");

// The same at `entryUsd` a token (1,000 tokens, Default strategy).
export async function positionAt(sql: ReturnType<typeof connect>, entryUsd: string) {
  const { wallet, mint } = await walletAndSafeToken(sql, "simulation", "Default");
  const [signal] = await sql`
    insert into walltrack.signals (wallet_id, token_address, transaction_signature, signal_type, token_in, token_out,
                                   amount_in, amount_out, raw_payload)
    select id, ${mint}, ${freshSignature()}, 'BUY', ${WSOL}, ${mint}, 1, 1000, '{}' from walltrack.wallets where address = ${wallet}
    returning id, wallet_id`;
  const [position] = await sql`
    insert into walltrack.positions (wallet_id, token_id, signal_id, mode, exit_strategy_id, exit_strategy_snapshot)
    select ${signal.wallet_id}, t.id, ${signal.id}, 'simulation', e.id, walltrack.effective_exit_strategy(e.id)
    from walltrack.tokens t, walltrack.exit_strategies e where t.address = ${mint} and e.name = 'Default'
    returning id`;
  await sql`
    insert into walltrack.orders (wallet_id, token_id, position_id, signal_id, order_type, mode, token_in, token_out,
                                  amount_in, status, executed_at, amount_out, price_usd, value_usd)
    select p.wallet_id, p.token_id, p.id, ${signal.id}, 'entry', 'simulation', ${WSOL}, ${mint}, 6.666666667, 'executed', now(), 1000,
           ${entryUsd}::numeric, 1000 * ${entryUsd}::numeric
    from walltrack.positions p where p.id = ${position.id}`;
  return { mint, positionId: position.id as string };
}
