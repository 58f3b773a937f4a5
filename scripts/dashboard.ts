// npm run dashboard [-- --db-url URL]: the operator's page on http://127.0.0.1:<port>. It only reads:
// every snapshot is one read-only transaction (the session is read-only too) over the walltrack
// views, so the page can show nothing that a psql session on the same views would not, and can
// change nothing. Figures travel as the database's own text (numeric::text, rounded in SQL for
// reading), never through a float, and the page writes them with textContent only.
// Reaches a remote database as the operator commands do: TLS with the certificate verified.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { connectionOptions, EMBEDDED_DB_URL } from "./lib/db-connection.ts";
import { repoRoot } from "./lib/paths.ts";

export const DEFAULT_PORT = 54370;
const LOOPBACK = "127.0.0.1";
// Rows the page shows at most per table: a busy book stays readable and each snapshot cheap.
const LIMITS = { positions: 100, equityPoints: 5000, funnelDays: 7, leaderboard: 20, notifications: 20 };

type Sql = ReturnType<typeof postgres>;
type Row = Record<string, unknown>;

// Every figure below is text made by the database; rounding for reading happens there:
// USD to the cent, prices to 12 decimals without trailing zeros, times in UTC to the second.
export async function snapshot(sql: Sql): Promise<Record<string, unknown>> {
  return await sql.begin("isolation level repeatable read, read only", async (tx) => {
    const [now] = await tx`select to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at`;
    const equityTotals = await tx`
      select mode, count(*)::text as closed_positions, round(sum(realized_pnl_usd), 2)::text as realized_pnl_usd
      from walltrack.equity_curve group by mode order by mode`;
    // The chart's points; the exact figure is the total above, the chart only draws.
    const equityPoints = await tx`
      select mode, floor(extract(epoch from closed_at))::text as at, cumulative_pnl_usd::text as cumulative_pnl_usd
      from (select e.*, row_number() over (partition by mode order by closed_at desc, position_id desc) as n
            from walltrack.equity_curve e) latest
      where n <= ${LIMITS.equityPoints}
      order by mode, closed_at, position_id`;
    const [{ open_positions: openCount }] = await tx`select count(*)::text as open_positions from walltrack.open_positions_overview`;
    const positions = await tx`
      select position_id::text, symbol, token, wallet, wallet_address, mode,
             trim_scale(round(entry_price, 12))::text as entry_price, trim_scale(round(current_price, 12))::text as current_price,
             round(entry_value_usd, 2)::text as entry_value_usd, round(current_pnl_usd, 2)::text as pnl_usd,
             pnl_percent::text as pnl_percent,
             trim_scale(round(stop_loss_price, 12))::text as stop_loss_price, trailing_stop_armed,
             trim_scale(round(trailing_stop_price, 12))::text as trailing_stop_price,
             exit_in_flight, to_char(entry_timestamp at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as entered_at
      from walltrack.open_positions_overview
      order by entry_timestamp desc nulls first, position_id
      limit ${LIMITS.positions}`;
    const levels = await tx`
      select position_id::text, level::text, trim_scale(multiplier)::text as multiplier, trim_scale(sell_percent)::text as sell_percent,
             trim_scale(round(trigger_price, 12))::text as trigger_price, fired
      from walltrack.open_position_scale_out_levels
      where position_id = any(${positions.map((p) => p.position_id)}::uuid[])
      order by position_id, level`;
    const funnel = await tx`
      select day::text, received::text, buys::text, sells::text, unprocessed::text, filtered::text,
             filtered_by_reason::text, positions_opened::text, positions_closed::text, conversions::text
      from walltrack.signal_funnel order by day desc limit ${LIMITS.funnelDays}`;
    const leaderboard = await tx`
      select l.rank::text, l.wallet, l.address, l.mode, l.is_active, l.total_positions::text, l.win_rate::text,
             round(l.total_pnl_usd, 2)::text as total_pnl_usd, l.profit_factor::text,
             q.median_decision_delay_seconds::text, q.median_fill_delay_seconds::text,
             q.median_slippage_vs_leader_percent::text
      from walltrack.wallet_leaderboard l left join walltrack.copy_quality q on q.address = l.address
      order by l.rank, l.address limit ${LIMITS.leaderboard}`;
    const breaker = await tx`
      select mode, is_active, reason, to_char(since at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as since,
             to_char(unlock_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as unlock_at,
             round(current_drawdown_percent, 2)::text as drawdown_percent, max_drawdown_percent::text,
             round(daily_realized_pnl_usd, 2)::text as daily_realized_pnl_usd, daily_loss_limit_usd::text,
             consecutive_losses::text, max_consecutive_losses::text,
             round(current_win_rate, 2)::text as win_rate_percent, min_win_rate_percent::text
      from walltrack.circuit_breaker_state order by mode desc`;
    const jobs = await tx`
      select jobname, schedule, active, to_char(last_run_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as last_run_at,
             last_status, failures_24h::text, problem
      from walltrack.cron_job_health order by jobname`;
    const calls = await tx`
      select function_name, to_char(last_call_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as last_call_at,
             last_outcome, failures_1h::text, failures_24h::text, problem
      from walltrack.edge_function_call_health order by function_name`;
    return {
      at: now.at, limits: LIMITS, open_positions: openCount,
      equity: { totals: equityTotals, points: equityPoints },
      positions, levels, funnel, leaderboard, breaker, jobs, calls,
      notifications: await notifications(tx),
    };
  });
}

// The notifications of the last days (walltrack.recent_notifications, the notify migration's view):
// until a database has it, or when this role may not read it, the page leaves the section out.
async function notifications(tx: postgres.TransactionSql): Promise<Row[] | null> {
  const [view] = await tx`
    select to_regclass('walltrack.recent_notifications') is not null
           and has_table_privilege(to_regclass('walltrack.recent_notifications'), 'select') as readable`;
  if (!view.readable) return null;
  return [...await tx<Row[]>`
    select id::text, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as created_at, event_type, severity,
           title, left(body, 300) as body,
           (select string_agg(d.key || ' ' || d.value, ', ' order by d.key) from jsonb_each_text(deliveries) d) as deliveries
    from walltrack.recent_notifications
    order by created_at desc, id
    limit ${LIMITS.notifications}`];
}

const PAGE_DIR = path.join(repoRoot, "scripts/dashboard");
const UPLOT_DIR = path.join(repoRoot, "node_modules/uplot/dist");
const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: path.join(PAGE_DIR, "index.html"), type: "text/html; charset=utf-8" },
  "/dashboard.js": { file: path.join(PAGE_DIR, "dashboard.js"), type: "text/javascript; charset=utf-8" },
  "/dashboard.css": { file: path.join(PAGE_DIR, "dashboard.css"), type: "text/css; charset=utf-8" },
  "/vendor/uPlot.iife.min.js": { file: path.join(UPLOT_DIR, "uPlot.iife.min.js"), type: "text/javascript; charset=utf-8" },
  "/vendor/uPlot.min.css": { file: path.join(UPLOT_DIR, "uPlot.min.css"), type: "text/css; charset=utf-8" },
};

// Scripts and styles from this server only, no inline script, no frame, no form: data that slipped
// into markup could still run nothing.
const HEADERS = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

export type DashboardOptions = {
  dbUrl: string;
  caFile?: string;
  insecureTls?: boolean;
  port?: number; // 0: any free port
  refreshSeconds?: number;
};

export type Dashboard = { url: string; port: number; sql: Sql; close: () => Promise<void> };

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const connection = connectionOptions(options.dbUrl, { caFile: options.caFile, insecure: options.insecureTls });
  const sql = postgres(connection.url, {
    max: 2, onnotice: () => {}, ssl: connection.ssl, connect_timeout: 10,
    // Read-only for the whole session as well as for each snapshot's transaction.
    connection: { application_name: "walltrack-dashboard", default_transaction_read_only: true, statement_timeout: 10_000 },
  });
  const assets = Object.fromEntries(Object.entries(ASSETS).map(([route, a]) => [route, { ...a, body: readFileSync(a.file) }]));
  const refreshSeconds = options.refreshSeconds ?? 5;
  let port = 0;
  const server = http.createServer((request, response) => {
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      response.writeHead(status, { ...HEADERS, "content-type": type, ...extra });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    // Only this machine's names for this server: a page elsewhere that rebinds its own host name to
    // 127.0.0.1 cannot read the book through the visitor's browser.
    if (request.headers.host !== `${LOOPBACK}:${port}` && request.headers.host !== `localhost:${port}`) {
      return send(421, "text/plain; charset=utf-8", "unknown host: open the address npm run dashboard printed\n");
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      return send(405, "text/plain; charset=utf-8", "the dashboard only reads: GET\n", { allow: "GET, HEAD" });
    }
    const route = new URL(request.url ?? "/", "http://x").pathname;
    if (route === "/api/snapshot") {
      snapshot(sql).then(
        (body) => send(200, "application/json; charset=utf-8", JSON.stringify({ refresh_seconds: refreshSeconds, ...body })),
        (error: Error) => send(503, "application/json; charset=utf-8", JSON.stringify({ error: `database: ${error.message}` })),
      );
      return;
    }
    const asset = assets[route];
    if (!asset) return send(404, "text/plain; charset=utf-8", "not found\n");
    send(200, asset.type, asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, LOOPBACK, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    sql,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sql.end();
    },
  };
}

const USAGE = `usage: npm run dashboard -- [--db-url URL] [--db-ca FILE] [--db-insecure-tls] [--port N] [--refresh SECONDS]
  --db-url URL         the database (default: the embedded stack; or WALLTRACK_DB_URL)
  --db-ca FILE         PEM of the CA that signs a remote database's certificate (or WALLTRACK_DB_CA_FILE)
  --db-insecure-tls    do not verify a remote database's certificate (anyone in the path can read the password)
  --port N             the page's port on 127.0.0.1 (default ${DEFAULT_PORT})
  --refresh SECONDS    how often the page reads the database again (default 5)`;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true,
      options: { "db-url": { type: "string" }, "db-ca": { type: "string" }, "db-insecure-tls": { type: "boolean" },
                 port: { type: "string" }, refresh: { type: "string" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port ?? DEFAULT_PORT);
  const refresh = Number(values.refresh ?? 5);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return (console.error(`--port must be a port number, got ${values.port}`), 2);
  if (!Number.isInteger(refresh) || refresh < 1 || refresh > 3600) return (console.error(`--refresh must be 1 to 3600 seconds, got ${values.refresh}`), 2);
  if (values["db-insecure-tls"]) console.error("warning: --db-insecure-tls: the database's certificate is not verified");
  const dashboard = await startDashboard({
    dbUrl: values["db-url"] ?? process.env.WALLTRACK_DB_URL ?? EMBEDDED_DB_URL,
    caFile: values["db-ca"] ?? process.env.WALLTRACK_DB_CA_FILE,
    insecureTls: values["db-insecure-tls"] === true,
    port, refreshSeconds: refresh,
  });
  try {
    await snapshot(dashboard.sql);
  } catch (error) {
    console.error(`the database did not answer: ${(error as Error).message}`);
    await dashboard.close();
    return 1;
  }
  console.log(`WallTrack dashboard (read only): ${dashboard.url}  (refreshed every ${refresh} s; Ctrl-C stops it)`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await dashboard.close();
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
