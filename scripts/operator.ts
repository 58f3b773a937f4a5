// The operator's commands (npm run wallet:add, status, ...): instead of hand-written SQL. Each
// validates its input, calls one walltrack SQL function, and prints what changed; bad input gets a
// clear message, exit status 2, and changes nothing. Works against the embedded stack (default),
// or any Supabase database: --db-url or WALLTRACK_DB_URL.
import { parseArgs } from "node:util";
import { PublicKey } from "@solana/web3.js";
import postgres from "postgres";

const EMBEDDED_DB_URL = "postgresql://postgres:postgres@127.0.0.1:54322/postgres";

class UsageError extends Error {}

type Sql = ReturnType<typeof postgres>;
type Command = { usage: string; summary: string; run: (sql: Sql, args: string[], flags: Record<string, string | undefined>) => Promise<string> };

function address(value: string | undefined): string {
  if (!value) throw new UsageError("missing the wallet address");
  let key: PublicKey | null = null;
  try {
    key = new PublicKey(value);
  } catch { /* reported below */ }
  // PublicKey pads short input: only a value that round-trips is a real 32-byte address.
  if (!key || key.toBase58() !== value) {
    throw new UsageError(`not a Solana address: ${JSON.stringify(value)} (base58 of 32 bytes)`);
  }
  return value;
}

function oneOf(name: string, value: string | undefined, allowed: string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function positionId(value: string | undefined): string {
  if (!value || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new UsageError(`not a position id (uuid): ${JSON.stringify(value ?? "")}`);
  }
  return value;
}

const commands: Record<string, Command> = {
  "wallet:add": {
    usage: "wallet:add <address> [--label L] [--mode simulation|live] [--strategy NAME] [--source twitter|telegram|scanner|manual] [--notes TEXT]",
    summary: "add a wallet to the watchlist (pending until the Helius sync pushes it)",
    run: async (sql, [raw], f) => {
      const wallet = address(raw);
      const mode = oneOf("mode", f.mode, ["simulation", "live"]) ?? "simulation";
      const source = oneOf("source", f.source, ["twitter", "telegram", "scanner", "manual"]) ?? "manual";
      const [{ id }] = await sql`select walltrack.add_wallet(${wallet}, ${f.label ?? null}, ${mode}, ${f.strategy ?? null}, ${source}, ${f.notes ?? null}) as id`;
      return `added ${wallet} (${mode}) as wallet ${id}; the Helius sync will start watching it within 5 minutes`;
    },
  },
  "wallet:deactivate": {
    usage: "wallet:deactivate <address>",
    summary: "stop copying a wallet (its open positions keep their exits)",
    run: async (sql, [raw]) => {
      await sql`select walltrack.set_wallet_active(${address(raw)}, false)`;
      return `deactivated ${raw}: new signals are filtered wallet_inactive; open positions keep their exits`;
    },
  },
  "wallet:activate": {
    usage: "wallet:activate <address>",
    summary: "copy a deactivated wallet again",
    run: async (sql, [raw]) => {
      await sql`select walltrack.set_wallet_active(${address(raw)}, true)`;
      return `activated ${raw}`;
    },
  },
  "wallet:set": {
    usage: "wallet:set <address> [--mode simulation|live] [--strategy NAME]",
    summary: "set a wallet's mode and/or exit strategy (for its next positions)",
    run: async (sql, [raw], f) => {
      const wallet = address(raw);
      const mode = oneOf("mode", f.mode, ["simulation", "live"]);
      if (!mode && !f.strategy) throw new UsageError("nothing to set: give --mode and/or --strategy");
      await sql.begin(async (tx) => {
        if (mode) await tx`select walltrack.set_wallet_mode(${wallet}, ${mode})`;
        if (f.strategy) await tx`select walltrack.set_wallet_strategy(${wallet}, ${f.strategy})`;
      });
      const warning = mode === "live" ? " (live entries also need walltrack.config.live_trading_enabled and WALLTRACK_TRADING_KEY)" : "";
      return `updated ${wallet}: ${[mode && `mode ${mode}`, f.strategy && `strategy ${f.strategy}`].filter(Boolean).join(", ")}${warning}`;
    },
  },
  "position:override": {
    usage: `position:override <position-id> '<json>'   e.g. '{"stop_loss_percent": 10}'`,
    summary: "override an open position's exit strategy (merged over its snapshot)",
    run: async (sql, [id, json]) => {
      const position = positionId(id);
      let override: unknown;
      try {
        override = JSON.parse(json ?? "");
      } catch {
        throw new UsageError(`the override is not JSON: ${JSON.stringify(json ?? "")}`);
      }
      const [{ effective }] = await sql`select walltrack.override_position_strategy(${position}, ${sql.json(override as postgres.JSONValue)}) as effective`;
      return `position ${position} now follows ${JSON.stringify(effective)}`;
    },
  },
  "position:close": {
    usage: "position:close <position-id>",
    summary: "close a position manually (one exit_manual order for everything it holds)",
    run: async (sql, [id]) => {
      const [{ order }] = await sql`select walltrack.close_position_manually(${positionId(id)}) as order`;
      return `exit_manual order ${order} created; the executor sells and the position closes with exit_reason manual`;
    },
  },
  "breaker:reset": {
    usage: "breaker:reset",
    summary: "reset the circuit breaker: new entries are allowed again",
    run: async (sql) => {
      const [{ event }] = await sql`select walltrack.reset_circuit_breaker() as event`;
      return event ? `circuit breaker reset (event ${event})` : "the circuit breaker was not active: nothing to reset";
    },
  },
  status: {
    usage: "status",
    summary: "open positions, today's PnL, orders awaiting confirmation, breaker, last webhook, wallets' sync, Helius sync backoff, cron health",
    run: async (sql) => {
      const [{ summary }] = await sql`select walltrack.status_summary() as summary`;
      return JSON.stringify(summary, null, 2);
    },
  },
};

function help(): string {
  return ["usage: npm run <command> -- [arguments] [--db-url URL]", "",
    ...Object.entries(commands).map(([name, c]) => `  ${c.usage}\n      ${c.summary}`)].join("\n");
}

export async function main(argv: string[]): Promise<{ code: number; output: string }> {
  const [name, ...rest] = argv;
  const command = commands[name ?? ""];
  if (!command) return { code: 2, output: `${name ? `unknown command: ${name}\n` : ""}${help()}` };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: { "db-url": { type: "string" }, label: { type: "string" }, mode: { type: "string" }, strategy: { type: "string" },
                 source: { type: "string" }, notes: { type: "string" } },
    });
  } catch (error) {
    return { code: 2, output: `${(error as Error).message}\nusage: npm run ${command.usage}` };
  }
  const url = parsed.values["db-url"] ?? process.env.WALLTRACK_DB_URL ?? EMBEDDED_DB_URL;
  const local = /@(127\.0\.0\.1|localhost)[:/]/.test(url);
  const sql = postgres(url, { max: 1, onnotice: () => {}, ssl: local ? false : "require", connect_timeout: 10 });
  try {
    return { code: 0, output: await command.run(sql, parsed.positionals, parsed.values as Record<string, string | undefined>) };
  } catch (error) {
    if (error instanceof UsageError) return { code: 2, output: `${error.message}\nusage: npm run ${command.usage}` };
    const pg = error as { code?: string; message: string; hint?: string };
    // Refusals from the walltrack functions (raised P0xxx, constraint and data errors): input problems.
    if (pg.code && /^(P0|22|23|02)/.test(pg.code)) {
      return { code: 2, output: `refused: ${pg.message}${pg.hint ? `\nhint: ${pg.hint}` : ""}` };
    }
    return { code: 1, output: `failed: ${pg.message}` };
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { code, output } = await main(process.argv.slice(2));
  (code === 0 ? console.log : console.error)(output);
  process.exit(code);
}
