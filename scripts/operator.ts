// The operator's commands (npm run wallet:add, status, ...): instead of hand-written SQL. Each
// validates its input, calls one walltrack SQL function, and prints what changed; bad input gets a
// clear message, exit status 2, and changes nothing. Works against the embedded stack (default),
// or any Supabase database: --db-url or WALLTRACK_DB_URL. A remote database is reached over TLS
// whose certificate is verified (chain and host name); --db-ca names the CA to trust (Supabase's
// is downloadable from the dashboard), and only --db-insecure-tls skips the verification.
import { parseArgs } from "node:util";
import { PublicKey } from "@solana/web3.js";
import postgres from "postgres";
import { connectionOptions, EMBEDDED_DB_URL } from "./lib/db-connection.ts";
import { notAWallet } from "./lib/not-a-wallet.ts";
import { USDC_MINT, USDT_MINT, WSOL_MINT } from "../supabase/functions/_shared/mints.ts";

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

// A token the database has seen (analysed, or traded in a signal) is a mint, not a wallet.
async function knownMint(sql: Sql, wallet: string): Promise<string | null> {
  const [{ known }] = await sql`select exists (select 1 from walltrack.tokens where address = ${wallet})
                                    or exists (select 1 from walltrack.signals where token_address = ${wallet}) as known`;
  return known ? "a token mint WallTrack has seen" : null;
}

const TOKEN_KINDS = ["operator", "stablecoin", "liquid_staking", "wrapped_major"];
// SOL and the USD quotes are what trades are priced in: listing them would stop every signal.
const QUOTES: Record<string, string> = {
  [WSOL_MINT]: "SOL (wrapped SOL mint)",
  [USDC_MINT]: "USDC",
  [USDT_MINT]: "USDT",
};

function mint(value: string | undefined): string {
  if (!value) throw new UsageError("missing the token mint");
  const token = address(value);
  if (QUOTES[token]) throw new UsageError(`${token} is ${QUOTES[token]}, a quote trades are priced in: it cannot be listed`);
  const what = notAWallet(token);
  // notAWallet names programs, sysvars and known mints; only a program or a sysvar is no token.
  if (what && !/mint/.test(what)) throw new UsageError(`${token} is ${what}, not a token mint: refused`);
  return token;
}

function oneOf(name: string, value: string | undefined, allowed: string[]): string | undefined {
  if (value !== undefined && !allowed.includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function wholeNumber(name: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^[0-9]{1,9}$/.test(value)) throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

// name=value pairs (risk:set, leader:limits); `blank` (none, or default) sets the value to null.
function settingPairs(pairs: string[], blank: string): Record<string, string | null> {
  if (pairs.length === 0) throw new UsageError("nothing to set: give name=value pairs");
  const settings: Record<string, string | null> = {};
  for (const pair of pairs) {
    const match = /^([a-z_0-9]+)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`not a name=value pair: ${JSON.stringify(pair)}`);
    settings[match[1]] = match[2] === blank ? null : match[2];
  }
  return settings;
}

function positionId(value: string | undefined): string {
  if (!value || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new UsageError(`not a position id (uuid): ${JSON.stringify(value ?? "")}`);
  }
  return value;
}

// "7d", "24h", "90m": the replay's window, as a PostgreSQL interval.
function duration(value: string): string {
  const match = /^(\d{1,4})([dhm])$/.exec(value);
  if (!match) throw new UsageError(`--since must be a number of days, hours or minutes such as 7d, 24h or 90m, got ${JSON.stringify(value)}`);
  return `${match[1]} ${{ d: "days", h: "hours", m: "minutes" }[match[2] as "d" | "h" | "m"]}`;
}

function decimal(name: string, value: string): string {
  if (!/^\d{1,6}(\.\d{1,6})?$/.test(value)) throw new UsageError(`--${name} must be a non-negative decimal number, got ${JSON.stringify(value)}`);
  return value;
}

type ReplayRow = {
  exit_strategy: string; wallet_address: string | null; wallet_label: string | null; trades: string; wins: string;
  win_rate_percent: string; pnl_usd: string; profit_factor: string | null; max_drawdown_usd: string;
  actual_pnl_usd: string; difference_usd: string;
};

// One table per template: a line per leader, then the template over every leader.
function replayTables(rows: ReplayRow[], settings: string): string {
  const header = ["leader", "trades", "win rate %", "PnL USD", "profit factor", "max drawdown USD", "actual USD", "difference USD"];
  const out: string[] = [];
  for (const template of [...new Set(rows.map((r) => r.exit_strategy))]) {
    const lines = rows.filter((r) => r.exit_strategy === template)
      .sort((a, b) => Number(a.wallet_address === null) - Number(b.wallet_address === null))
      .map((r) => [r.wallet_address === null ? "all leaders" : `${r.wallet_label ?? ""} ${r.wallet_address}`.trim(),
                   r.trades, r.win_rate_percent, r.pnl_usd, r.profit_factor ?? "-", r.max_drawdown_usd, r.actual_pnl_usd, r.difference_usd]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
    const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    out.push(`${template} (${settings})`, format(header), widths.map((w) => "-".repeat(w)).join("  "), ...lines.map(format), "");
  }
  return out.join("\n").trimEnd();
}

const AUDITED_TABLES = ["config", "exit_strategies", "wallets", "token_lists", "positions", "notification_channels", "circuit_breaker_events"];
const UNITS: Record<string, string> = { m: "minutes", h: "hours", d: "days", w: "weeks" };

// --since 30m | 12h | 7d | 2w: how far back the audit goes.
export function sinceInterval(value: string): string {
  const match = /^(\d{1,5})([mhdw])$/.exec(value.trim());
  if (!match || Number(match[1]) === 0) throw new UsageError(`--since must be a number and a unit (m, h, d or w), e.g. 7d; got ${JSON.stringify(value)}`);
  return `${match[1]} ${UNITS[match[2]]}`;
}

// One audit row's change in a line: field: old -> new (an insert shows the new values, a delete the old).
export function auditChange(oldValues: Record<string, unknown> | null, newValues: Record<string, unknown> | null): string {
  const fields = [...new Set([...Object.keys(oldValues ?? {}), ...Object.keys(newValues ?? {})])].sort();
  const show = (value: unknown) => (value === undefined ? "-" : JSON.stringify(value));
  return fields.map((field) => `${field}: ${show(oldValues?.[field])} -> ${show(newValues?.[field])}`).join("; ");
}

const commands: Record<string, Command> = {
  "wallet:add": {
    usage: "wallet:add <address> [--label L] [--mode simulation|live] [--strategy NAME] [--source twitter|telegram|scanner|manual] [--notes TEXT]",
    summary: "add a wallet to the watchlist (pending until the Helius sync pushes it)",
    run: async (sql, [raw], f) => {
      const wallet = address(raw);
      const mode = oneOf("mode", f.mode, ["simulation", "live"]) ?? "simulation";
      const source = oneOf("source", f.source, ["twitter", "telegram", "scanner", "manual"]) ?? "manual";
      const what = notAWallet(wallet) ?? (await knownMint(sql, wallet));
      if (what) throw new UsageError(`${wallet} is ${what}, not a wallet: refused`);
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
  "position:max-hold": {
    usage: "position:max-hold <position-id> <minutes|none>",
    summary: "set an open position's maximum hold (a time exit past it), or none to hold without limit",
    run: async (sql, [id, raw]) => {
      const position = positionId(id);
      const minutes = raw === "none" ? null : /^\d+$/.test(raw ?? "") ? Number(raw) : undefined;
      if (minutes === undefined) throw new UsageError(`the maximum hold is whole minutes or none, got ${JSON.stringify(raw ?? "")}`);
      const [{ effective }] = await sql`select walltrack.override_position_max_hold(${position}, ${minutes}::integer) as effective`;
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
  "risk:set": {
    usage: "risk:set <setting>=<value>... (leader_max_open_positions, leader_max_exposure_usd, leader_pause_after_losses, leader_loss_limit_usd, leader_loss_window_hours, leader_pause_minutes, sell_check_enabled, sell_check_ttl_minutes, sell_check_max_round_trip_loss_percent, sell_check_max_price_impact_percent, sell_check_max_transfer_fee_bps; =none clears a limit)",
    summary: "set the per-leader risk defaults and the sell check's limits (walltrack.config)",
    run: async (sql, pairs) => {
      const [{ settings }] = await sql`select walltrack.set_risk_settings(${sql.json(settingPairs(pairs, "none"))}) as settings`;
      return Object.entries(settings as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}\t${v ?? "none"}`).join("\n");
    },
  },
  "leader:limits": {
    usage: "leader:limits <address> <limit>=<value>... (max_open_positions, max_exposure_usd, pause_after_losses, loss_limit_usd; =default: the config default)",
    summary: "set a leader's own limits (they win over the risk:set defaults)",
    run: async (sql, [raw, ...pairs]) => {
      const wallet = address(raw);
      const [w] = await sql`select max_open_positions, max_exposure_usd, pause_after_losses, loss_limit_usd
                            from walltrack.set_leader_limits(${wallet}, ${sql.json(settingPairs(pairs, "default"))})`;
      return `${wallet}: ${Object.entries(w).map(([k, v]) => `${k} ${v ?? "default"}`).join(", ")}`;
    },
  },
  "leader:pause": {
    usage: "leader:pause <address> [minutes]",
    summary: "pause a leader by hand (default leader_pause_minutes): its BUYs are filtered leader_paused, its positions keep their exits",
    run: async (sql, [raw, minutes]) => {
      const wallet = address(raw);
      if (minutes !== undefined && !/^[1-9][0-9]*$/.test(minutes)) throw new UsageError(`minutes must be a positive integer, got ${JSON.stringify(minutes)}`);
      const [event] = await sql`select pause_until from walltrack.pause_leader(${wallet}, ${minutes ?? null}::integer)`;
      return `${wallet} paused until ${new Date(event.pause_until).toISOString()}`;
    },
  },
  "leader:unpause": {
    usage: "leader:unpause <address>",
    summary: "end a leader's pause now (a fresh start for its losses in a row)",
    run: async (sql, [raw]) => {
      const wallet = address(raw);
      await sql`select walltrack.unpause_leader(${wallet})`;
      return `${wallet} unpaused: its BUYs are copied again`;
    },
  },
  "leader:risk": {
    usage: "leader:risk",
    summary: "each leader's limits in force, open positions and exposure, its pause; then the last pause events",
    run: async (sql) => {
      const leaders = await sql`select address, coalesce(label, '') as label, max_open_positions, max_exposure_usd,
                                       pause_after_losses, loss_limit_usd, open_positions, exposure_usd, paused_for, paused_until
                                from walltrack.leader_risk order by paused_until nulls last, address`;
      const events = await sql`select e.created_at, w.address, e.event_type, e.trigger_reason, e.consecutive_losses,
                                      e.window_realized_pnl_usd, e.pause_until
                               from walltrack.leader_pause_events e join walltrack.wallets w on w.id = e.wallet_id
                               order by e.created_at desc limit 20`;
      const cell = (v: unknown) => (v === null || v === undefined ? "-" : v instanceof Date ? v.toISOString() : String(v));
      return ["address\tlabel\tmax_positions\tmax_exposure_usd\tpause_after_losses\tloss_limit_usd\topen\texposure_usd\tpaused_for\tpaused_until",
        ...leaders.map((r) => Object.values(r).map(cell).join("\t")),
        "", "pause events (latest first):",
        ...events.map((r) => Object.values(r).map(cell).join("\t"))].join("\n");
    },
  },
  "token:deny": {
    usage: "token:deny <mint> [--kind operator|stablecoin|liquid_staking|wrapped_major] [--symbol S] [--note TEXT]",
    summary: "keep a token out: never bought (a quote-like --kind makes its swaps with SOL/USDC/USDT conversions)",
    run: async (sql, [raw], f) => {
      const token = mint(raw);
      const kind = oneOf("kind", f.kind, TOKEN_KINDS) ?? "operator";
      const [{ done }] = await sql`select walltrack.list_token(${token}, 'deny', ${kind}, ${f.symbol ?? null}, ${f.note ?? null}) as done`;
      const effect = kind === "operator" ? "its BUYs are filtered token_denied; open positions still follow their leader out"
        : "its swaps with SOL, USDC or USDT are recorded as conversions: never a position, never a mirror exit";
      return `deny list: ${token} (${kind}) ${done}; ${effect}`;
    },
  },
  "token:allow": {
    usage: "token:allow <mint> [--symbol S] [--note TEXT]",
    summary: "copy only listed tokens: once the allow list has an entry, BUYs of other tokens are filtered token_not_allowed",
    run: async (sql, [raw], f) => {
      const token = mint(raw);
      if (f.kind !== undefined && f.kind !== "operator") throw new UsageError("the allow list takes no quote-like --kind: a quote-like asset is never copied");
      const [{ done }] = await sql`select walltrack.list_token(${token}, 'allow', 'operator', ${f.symbol ?? null}, ${f.note ?? null}) as done`;
      return `allow list: ${token} ${done}; BUYs of tokens off the allow list are filtered token_not_allowed`;
    },
  },
  "token:remove": {
    usage: "token:remove <mint>",
    summary: "take a token off its list (it is then copied like any other)",
    run: async (sql, [raw]) => {
      const [removed] = await sql`select list, kind from walltrack.unlist_token(${mint(raw)})`;
      return `removed ${raw} from the ${removed.list} list (${removed.kind})`;
    },
  },
  "token:list": {
    usage: "token:list [--list deny|allow]",
    summary: "the token lists: mint, list, kind, symbol, note",
    run: async (sql, _args, f) => {
      const list = oneOf("list", f.list, ["deny", "allow"]);
      const rows = await sql`select mint, list, kind, coalesce(symbol, '') as symbol, coalesce(note, '') as note
                             from walltrack.token_lists where ${list ?? null}::text is null or list = ${list ?? null}
                             order by list, kind, symbol, mint`;
      if (rows.length === 0) return list ? `the ${list} list is empty` : "the token lists are empty";
      return rows.map((r) => [r.list, r.kind, r.symbol, r.mint, r.note].join("\t")).join("\n");
    },
  },
  "delivery:set": {
    usage: "delivery:set <webhook|poll> [--interval SECONDS] [--reconcile-minutes MINUTES]",
    summary: "how transactions arrive: webhook (Helius POSTs them; missed ones recovered every --reconcile-minutes) or poll (no public URL: the chain is asked every --interval seconds, 60-3600)",
    run: async (sql, [mode], f) => {
      if (mode !== "webhook" && mode !== "poll") throw new UsageError(`the delivery mode is webhook or poll, got ${JSON.stringify(mode ?? "")}`);
      const chosen = mode;
      const interval = wholeNumber("interval", f.interval);
      const reconcile = wholeNumber("reconcile-minutes", f["reconcile-minutes"]);
      const [{ settings }] = await sql`select walltrack.set_delivery_mode(${chosen}, ${interval}::integer, ${reconcile}::integer) as settings`;
      const effect = chosen === "poll"
        ? `the chain is polled every ${settings.poll_interval_seconds} s and new transactions are recorded as polled; no Helius webhook is kept (SOLANA_RPC_URL and HELIUS_API_KEY are used)`
        : `Helius delivers to the helius-webhook function; every ${settings.reconcile_interval_minutes} minutes what it missed is recovered`;
      return `delivery mode ${settings.delivery_mode}: ${effect}`;
    },
  },
  "capture:status": {
    usage: "capture:status",
    summary: "capture completeness: delivery mode, the reconciliation's last run and backoff, wallets behind, signals by delivery in 24 h",
    run: async (sql) => {
      const [{ status }] = await sql`select walltrack.capture_status() as status`;
      return JSON.stringify(status, null, 2);
    },
  },
  "strategy:mirror": {
    usage: "strategy:mirror <strategy-name> [--mode off|full|proportional] [--share PERCENT] [--fallback full|none]",
    summary: "how a template's next positions follow their leader's sells: mode, the share of the position that follows, the fallback when the leader's fraction is unknown",
    run: async (sql, [name], f) => {
      if (!name) throw new UsageError("missing the strategy name (Default, Conservative, Aggressive, ...)");
      const mode = oneOf("mode", f.mode, ["off", "full", "proportional"]);
      const fallback = oneOf("fallback", f.fallback, ["full", "none"]);
      if (f.share !== undefined && !/^\d{1,3}(\.\d{1,2})?$/.test(f.share)) {
        throw new UsageError(`--share must be a percent in (0, 100] with at most 2 decimals, got ${JSON.stringify(f.share)}`);
      }
      if (!mode && !fallback && f.share === undefined) throw new UsageError("nothing to set: give --mode, --share and/or --fallback");
      const [{ set }] = await sql`select walltrack.set_strategy_mirror(${name}, ${mode ?? null}, ${f.share ?? null}::numeric, ${fallback ?? null}) as set`;
      return `${set.name}: mirror ${set.mirror_mode}, share ${set.mirror_share_percent} %, fallback ${set.mirror_fallback} (positions it opens from now; override an open one with position:override)`;
    },
  },
  "fee:priority": {
    usage: "fee:priority [--mode dynamic|fixed] [--level medium|high|veryHigh] [--max-lamports N] [--lamports N]",
    summary: "the priority fee of live swaps: Jupiter's estimate at a level under a cap (dynamic), or a fixed number of lamports",
    run: async (sql, _args, f) => {
      const mode = oneOf("mode", f.mode, ["dynamic", "fixed"]);
      const level = oneOf("level", f.level, ["medium", "high", "veryHigh"]);
      const lamports = (name: string, value: string | undefined) => {
        if (value !== undefined && !/^\d{1,12}$/.test(value)) throw new UsageError(`--${name} must be a whole number of lamports, got ${JSON.stringify(value)}`);
        return value ?? null;
      };
      const max = lamports("max-lamports", f["max-lamports"]);
      const fixed = lamports("lamports", f.lamports);
      if (!mode && !level && max === null && fixed === null) throw new UsageError("nothing to set: give --mode, --level, --max-lamports and/or --lamports");
      const [{ request }] = await sql`select walltrack.set_priority_fee(${mode ?? null}, ${level ?? null}, ${max}::bigint, ${fixed}::bigint) as request`;
      return `live swaps now ask Jupiter for prioritizationFeeLamports ${JSON.stringify(request)}`;
    },
  },
  replay: {
    usage: "replay [--strategy NAME|all] [--since 7d] [--wallet ADDRESS] [--latency SECONDS] [--slippage PERCENT]",
    summary: "the BUY signals that opened a position, replayed through each exit template over the recorded prices: per template and leader, trades, win rate, PnL, profit factor, max drawdown, and the difference from what happened",
    run: async (sql, _args, f) => {
      const strategy = f.strategy === undefined || f.strategy === "all" ? null : f.strategy;
      const since = duration(f.since ?? "7d");
      const wallet = f.wallet === undefined ? null : address(f.wallet);
      const latency = decimal("latency", f.latency ?? "0");
      const slippage = f.slippage === undefined ? null : decimal("slippage", f.slippage);
      const rows = await sql`
        select r.*, (select simulation_slippage_percent from walltrack.config)::text as default_slippage
        from walltrack.replay_report(${strategy}, ${since}::interval, ${wallet}, ${latency}::numeric, ${slippage}::numeric) r`;
      const settings = `since ${f.since ?? "7d"}, entry ${latency} s after the leader, slippage ${slippage === null ? `${rows[0]?.default_slippage ?? "the configured"} % (config)` : `${slippage} %`}`;
      if (rows.length === 0) return `no BUY signal that opened a position ${settings}: nothing to replay`;
      return replayTables(rows as unknown as ReplayRow[], settings);
    },
  },
  audit: {
    usage: "audit [--since 7d] [--table config|exit_strategies|wallets|token_lists|positions|notification_channels|circuit_breaker_events]",
    summary: "who changed what and when (walltrack.audit_trail), newest first: --since 30m, 12h, 7d or 2w (default 7d)",
    run: async (sql, _args, f) => {
      const since = sinceInterval(f.since ?? "7d");
      const table = oneOf("table", f.table, AUDITED_TABLES);
      const rows = await sql`select changed_at, table_name, row_id, action, changed_by, old_values, new_values
                             from walltrack.audit_trail
                             where changed_at > now() - ${since}::interval and (${table ?? null}::text is null or table_name = ${table ?? null})
                             order by id desc`;
      if (rows.length === 0) return `no change in the last ${f.since ?? "7d"}`;
      return rows.map((r) => [
        (r.changed_at as Date).toISOString(), r.table_name, r.row_id, r.action, r.changed_by, auditChange(r.old_values, r.new_values),
      ].join("\t")).join("\n");
    },
  },
  status: {
    usage: "status",
    summary: "open positions, today's PnL, orders awaiting confirmation, breaker, last webhook, wallets' sync, Helius sync backoff, cron health, calls from the database",
    run: async (sql) => {
      const [{ summary }] = await sql`select walltrack.status_summary() as summary`;
      return JSON.stringify(summary, null, 2);
    },
  },
};

function help(): string {
  return ["usage: npm run <command> -- [arguments] [--db-url URL] [--db-ca FILE] [--db-insecure-tls]", "",
    ...Object.entries(commands).map(([name, c]) => `  ${c.usage}\n      ${c.summary}`),
    "",
    "  --db-url URL         the database (default: the embedded stack; or WALLTRACK_DB_URL)",
    "  --db-ca FILE         PEM of the CA that signs a remote database's certificate (or WALLTRACK_DB_CA_FILE)",
    "  --db-insecure-tls    do not verify a remote database's certificate (anyone in the path can read the password)",
  ].join("\n");
}

// Kept importable from here: the TLS test drives the operator CLI and its connection settings.
export { connectionOptions };

export async function main(argv: string[]): Promise<{ code: number; output: string }> {
  const [name, ...rest] = argv;
  const command = commands[name ?? ""];
  if (!command) return { code: 2, output: `${name ? `unknown command: ${name}\n` : ""}${help()}` };
  let parsed;
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: { "db-url": { type: "string" }, "db-ca": { type: "string" }, "db-insecure-tls": { type: "boolean" },
                 label: { type: "string" }, mode: { type: "string" }, strategy: { type: "string" },
                 source: { type: "string" }, notes: { type: "string" },
                 kind: { type: "string" }, symbol: { type: "string" }, note: { type: "string" }, list: { type: "string" },
                 interval: { type: "string" }, "reconcile-minutes": { type: "string" },
                 share: { type: "string" }, fallback: { type: "string" }, level: { type: "string" },
                 "max-lamports": { type: "string" }, lamports: { type: "string" },
                 since: { type: "string" }, wallet: { type: "string" }, latency: { type: "string" }, slippage: { type: "string" },
                 table: { type: "string" } },
    });
  } catch (error) {
    return { code: 2, output: `${(error as Error).message}\nusage: npm run ${command.usage}` };
  }
  const insecure = parsed.values["db-insecure-tls"] === true;
  let connection;
  try {
    connection = connectionOptions(parsed.values["db-url"] ?? process.env.WALLTRACK_DB_URL ?? EMBEDDED_DB_URL, {
      caFile: parsed.values["db-ca"] ?? process.env.WALLTRACK_DB_CA_FILE, insecure,
    });
  } catch (error) {
    return { code: 2, output: `bad database settings: ${(error as Error).message}` };
  }
  if (insecure && connection.ssl) console.error("warning: --db-insecure-tls: the database's certificate is not verified");
  // application_name says who made a change in the audit log (walltrack.audit_log.application_name).
  const sql = postgres(connection.url, { max: 1, onnotice: () => {}, ssl: connection.ssl, connect_timeout: 10,
                                         connection: { application_name: "walltrack-cli" } });
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
