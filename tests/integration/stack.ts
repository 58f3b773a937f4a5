// Where the stack under test is: set by `npm test` (scripts/test.ts), which builds it for the run.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { fixtureText } from "../fixtures/shared.ts";

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

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let text = "";
  while (value > 0n) {
    text = ALPHABET[Number(value % 58n)] + text;
    value /= 58n;
  }
  return text;
}

export const freshAddress = () => base58(randomBytes(32)).padStart(44, "1").slice(0, 44);
export const freshSignature = () => base58(randomBytes(64)).padStart(88, "1").slice(0, 88);

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
