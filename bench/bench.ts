// npm run bench: WallTrack's speed, each figure next to a floor measured in the same run on the same
// machine (so the ratio holds on a noisy one). Its own database cluster and functions runtime
// (ports 54382 / 54381, or WALLTRACK_BENCH_DB_PORT / WALLTRACK_BENCH_FUNCTIONS_PORT), external APIs replayed locally with no added latency unless a case sets
// one. Writes bench/results/latest.json and latest.md. `--smoke` runs every case at small sizes.
import { spawn } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { migrationUp } from "../scripts/embedded/supabase-cli.ts";
import { ensureSystemPackages } from "../scripts/embedded/system-packages.ts";
import { isolatedFunctions, measureAll, SIZE_LIMIT_BYTES } from "../scripts/lib/function-bundle.ts";
import { bin, clustersDir, repoRoot, stateDir } from "../scripts/lib/paths.ts";
import { waitFor } from "../scripts/lib/run.ts";
import { startThrowaway } from "../scripts/lib/throwaway-stack.ts";
import { fixtureText } from "../tests/fixtures/shared.ts";

const smoke = process.argv.includes("--smoke");
const SIZES = smoke
  ? { requests: 4, batches: [1, 10], decisions: 3, tick: 200, wallets: 20, closed: 2_000, tickCurve: [20, 200], refreshCurve: [20, 200, 2_000], moves: 3, moveWindowMs: 6_000, copies: 3 }
  : { requests: 30, batches: [1, 10, 100], decisions: 20, tick: 10_000, wallets: 1_000, closed: 200_000, tickCurve: [100, 1_000, 10_000], refreshCurve: [2_000, 20_000, 200_000], moves: 24, moveWindowMs: 90_000, copies: 20 };
const DB_PORT = Number(process.env.WALLTRACK_BENCH_DB_PORT ?? 54382);
const FUNCTIONS_PORT = Number(process.env.WALLTRACK_BENCH_FUNCTIONS_PORT ?? 54381);
const FLOOR_PORT = 54379;
const SECRET = "bench-secret";
const RAYDIUM = "raydium-swap-sol-buy.dex-scraper.json";
const BUYER = "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L";
const MINT = "9ky9gGxHiqUidFXvJ46muFgrJCweBiwKzamCidHmpump";

type Row = { case: string; figure: number; unit: string; floor: number | null; floorLabel: string; ratio: number | null; target: string; met: boolean | null };
const rows: Row[] = [];

function record(row: Omit<Row, "ratio" | "met">, maxRatio: number | null): void {
  const ratio = row.floor ? row.figure / row.floor : null;
  const full = { ...row, ratio, met: maxRatio === null || ratio === null ? null : ratio <= maxRatio };
  rows.push(full);
  console.log(`${row.case.padEnd(58)} ${fmt(row.figure).padStart(10)} ${row.unit.padEnd(9)} floor ${row.floor === null ? "-" : fmt(row.floor)} ratio ${ratio === null ? "-" : ratio.toFixed(2)} ${row.target}`);
}

// A row whose target is an absolute figure (ms), not a ratio to its floor.
function recordAtMost(row: Omit<Row, "ratio" | "met">, maxFigure: number | null): void {
  record(row, null);
  if (maxFigure !== null) rows[rows.length - 1].met = row.figure <= maxFigure;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
let counter = 0;
function fresh(length: number): string {
  let n = BigInt(Date.now()) * 1_000_000n + BigInt(++counter) * 7919n + BigInt(Math.floor(Math.random() * 1e6));
  let text = "";
  while (text.length < length) {
    text += ALPHABET[Number(n % 58n)];
    n = n / 58n + BigInt(text.length * 131 + counter);
  }
  return text;
}
const msSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function transaction(wallet: string, mint: string, blockTime: number): unknown {
  const [tx] = JSON.parse(fixtureText(`helius/${RAYDIUM}`).split(BUYER).join(wallet).split(MINT).join(mint)) as Record<string, unknown>[];
  return { ...tx, signature: fresh(88), timestamp: blockTime };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const start = process.hrtime.bigint();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`POST ${url}: ${response.status}`);
  return msSince(start);
}

// What each function would deploy (built as \`supabase functions deploy\` builds it, see
// scripts/lib/function-bundle.ts), next to Supabase's 20 MB limit: the ratio must stay below 1.
async function deployableSizes(): Promise<void> {
  const isolated = isolatedFunctions();
  try {
    for (const size of await measureAll(isolated)) {
      record({ case: `6. deployable size: ${size.name} (upload ${(size.uploadBytes / 1e6).toFixed(2)} MB)`, figure: size.bytes / 1e6, unit: "MB",
               floor: SIZE_LIMIT_BYTES / 1e6, floorLabel: "Supabase's per-function limit", target: "< 1" }, 1);
    }
  } finally {
    isolated.cleanup();
  }
}

// 9. The price history at 500 tokens polled every 10 s for 30 days: a sample (smoke: 20 tokens x 36
// polls; full: 500 tokens x 360 polls, one hour) written through walltrack.record_price_history one
// poll at a time, every price a change (a random walk: the worst case for "no row when nothing
// changed"), then folded into one-minute candles by walltrack.compact_price_history; the bytes per
// row on disk (table and indexes; the series, one row a token, left out) give the 30-day figure: raw rows for price_history_raw_days, candles
// for the rest of price_candle_days. Floor of the write: the same rows by a bare INSERT into a table
// of the same columns without constraints, triggers or lookups.
async function priceHistorySize(sql: postgres.Sql): Promise<void> {
  const tokens = smoke ? 20 : 500;
  const polls = smoke ? 36 : 360;
  const mints = Array.from({ length: tokens }, () => fresh(44));
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const prices = mints.map(() => 0.00001 + random());
  const base = Date.parse("2026-01-01T00:00:00Z");
  // Only the sample: the other cases' fills were recorded too.
  await sql`delete from walltrack.price_series`;
  await sql`create temp table bench_price_floor (token_address text, observed_at timestamptz, price_usd numeric, source text)`;
  let ms = 0;
  let floorMs = 0;
  for (let poll = 0; poll < polls; poll++) {
    const at = new Date(base + poll * 10_000).toISOString();
    const batch = mints.map((mint, i) => {
      prices[i] *= 0.97 + random() * 0.06;
      return { mint, usd: prices[i].toPrecision(12), source: "jupiter", at };
    });
    let started = process.hrtime.bigint();
    await sql`select walltrack.record_price_history(${sql.json(batch)})`;
    ms += msSince(started);
    started = process.hrtime.bigint();
    await sql`insert into bench_price_floor select x.mint, x.at, x.usd::numeric, x.source
              from jsonb_to_recordset(${sql.json(batch)}) as x(mint text, usd text, source text, at timestamptz)`;
    floorMs += msSince(started);
  }
  await sql`vacuum analyze walltrack.price_history`;
  const [raw] = await sql`select count(*)::bigint as n, pg_total_relation_size('walltrack.price_history')::bigint as bytes from walltrack.price_history`;
  const [cfg] = await sql`select price_history_raw_days as raw_days, price_candle_days as candle_days from walltrack.config`;
  // A day after the sample left the raw window: all of it is folded, none of it expires.
  const started = process.hrtime.bigint();
  await sql`select walltrack.compact_price_history(${new Date(base + (cfg.raw_days + 1) * 86_400_000).toISOString()}::timestamptz)`;
  const compactMs = msSince(started);
  await sql`vacuum analyze walltrack.price_candles`;
  const [candles] = await sql`select count(*)::bigint as n, pg_total_relation_size('walltrack.price_candles')::bigint as bytes from walltrack.price_candles`;
  const rawBytes = Number(raw.bytes) / Number(raw.n);
  const candleBytes = Number(candles.bytes) / Number(candles.n);
  const rawRows = 500 * 8_640 * cfg.raw_days;
  const candleRows = 500 * 1_440 * (30 - cfg.raw_days);
  const label = `9. price history, 500 tokens every 10 s for 30 days (${cfg.raw_days} days raw, then 1-minute candles; sampled ${tokens} x ${polls})`;
  record({ case: `9. price history: record one poll of ${tokens} prices`, figure: ms / polls, unit: "ms", floor: floorMs / polls, floorLabel: "bare INSERT of the same rows", target: "" }, null);
  record({ case: `9. price history: fold ${raw.n} raw rows into ${candles.n} candles`, figure: compactMs, unit: "ms", floor: null, floorLabel: "", target: "" }, null);
  record({ case: "9. price history: bytes per raw row (table + indexes)", figure: rawBytes, unit: "bytes", floor: null, floorLabel: "", target: "" }, null);
  record({ case: "9. price history: bytes per candle (table + indexes)", figure: candleBytes, unit: "bytes", floor: null, floorLabel: "", target: "" }, null);
  record({ case: `${label}: raw rows`, figure: rawRows / 1e6, unit: "M rows", floor: null, floorLabel: "", target: "" }, null);
  record({ case: `${label}: candle rows`, figure: candleRows / 1e6, unit: "M rows", floor: null, floorLabel: "", target: "" }, null);
  record({ case: `${label}: on disk`, figure: (rawRows * rawBytes + candleRows * candleBytes) / 1e6, unit: "MB", floor: null, floorLabel: "", target: "bounded by the retention" }, null);
  await sql`delete from walltrack.price_series`;
}

async function main(): Promise<void> {
  ensureSystemPackages(false);
  await deployableSizes();
  const stack = await startThrowaway({
    dataDir: path.join(clustersDir, "bench", "data"), runDir: path.join(stateDir, "bench"), dbPort: DB_PORT, functionsPort: FUNCTIONS_PORT,
    env: { HELIUS_WEBHOOK_SECRET: SECRET, HELIUS_API_KEY: "bench" },
  });
  const { db, replay, serviceRoleKey, functionUrl: fn } = stack;
  try {
    migrationUp(db.url, stack.vaultSecrets);
    await stack.startFunctions();
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const floorLog = openSync(path.join(stateDir, "bench", "floor.log"), "a");
  const floor = spawn(bin("deno"), ["run", "--quiet", "--allow-net", "--allow-env", "--allow-read", "--allow-sys",
    "--config", path.join(repoRoot, "supabase/functions/deno.json"), path.join(repoRoot, "bench/floor-server.ts")],
    { env: { ...process.env, SUPABASE_DB_URL: db.url, FLOOR_PORT: String(FLOOR_PORT) }, stdio: ["ignore", floorLog, floorLog] });
  const sql = postgres(db.url, { max: 4, onnotice: () => {} });
  try {
    await waitFor("the floor server", async () => (await fetch(`http://127.0.0.1:${FLOOR_PORT}`, { method: "POST", body: "[]" }).catch(() => null))?.ok || undefined);
    await sql`update walltrack.config set max_open_positions = 1000000, max_total_exposure_usd = 1e15`;
    // The scheduled price monitor polls once a minute while the other cases run (as it did before
    // polling), so that its background polls do not weigh on their figures; case 7 sets the default.
    await sql`update walltrack.config set price_monitor_interval_seconds = 60`;

    // 1. Webhook ingest: real transactions with fresh signatures and watched wallets.
    const wallets = Array.from({ length: 100 }, () => fresh(44));
    for (const w of wallets) await sql`select walltrack.add_wallet(${w}, 'bench', 'simulation')`;
    const floorLatencies: number[] = [];
    for (let i = 0; i < SIZES.requests * 2; i++) floorLatencies.push(await post(`http://127.0.0.1:${FLOOR_PORT}`, "[]", {}));
    const floorP50 = percentile(floorLatencies, 50);
    const floorP99 = percentile(floorLatencies, 99);
    record({ case: "floor: empty Deno.serve + select 1, p50", figure: floorP50, unit: "ms", floor: null, floorLabel: "", target: "" }, null);
    for (const size of SIZES.batches) {
      await sql`select pg_stat_statements_reset()`.catch(() => sql`select extensions.pg_stat_statements_reset()`);
      const latencies: number[] = [];
      const started = process.hrtime.bigint();
      for (let r = 0; r < SIZES.requests; r++) {
        const now = Math.floor(Date.now() / 1000) - 3600; // an hour old: stale, so processing stays cheap
        const body = JSON.stringify(Array.from({ length: size }, (_, i) => transaction(wallets[i % wallets.length], fresh(44), now)));
        latencies.push(await post(fn("helius-webhook"), body, { authorization: SECRET }));
      }
      const seconds = msSince(started) / 1000;
      const [{ calls }] = await sql`select coalesce(sum(calls), 0)::int as calls from extensions.pg_stat_statements where query like '%walltrack.record_signals%'`;
      record({ case: `1. webhook ingest, batch of ${size}: p50 per request`, figure: percentile(latencies, 50), unit: "ms", floor: floorP50, floorLabel: "empty handler + select 1, p50", target: "" }, null);
      record({ case: `1. webhook ingest, batch of ${size}: p99 per request`, figure: percentile(latencies, 99), unit: "ms", floor: floorP99, floorLabel: "empty handler + select 1, p99", target: "" }, null);
      record({ case: `1. webhook ingest, batch of ${size}: signals per second`, figure: (size * SIZES.requests) / seconds, unit: "signals/s", floor: null, floorLabel: "", target: "" }, null);
      record({ case: `1. webhook ingest, batch of ${size}: DB round trips per request`, figure: calls / SIZES.requests, unit: "calls", floor: 1, floorLabel: "one call", target: "same small constant for every size" }, 1);
      record({ case: `1. webhook ingest, batch of ${size}: p50 per transaction`, figure: percentile(latencies, 50) / size, unit: "ms", floor: floorP50 / size, floorLabel: "empty handler + select 1, p50, per transaction", target: "" }, null);
      // The same deliveries, each once the previous one is processed: the runtime serves every
      // function from one isolate (as one Supabase worker does), so back to back, each request
      // above also waits for the previous delivery's processing (RugCheck answers parsed, 100
      // decisions); this is the webhook's own time, receive to 200.
      const alone: number[] = [];
      for (let r = 0; r < SIZES.requests; r++) {
        await waitFor("the previous delivery's processing", async () => (await sql`select count(*)::int as n from walltrack.signals where processed_at is null`)[0].n === 0 || undefined, 120_000);
        const now = Math.floor(Date.now() / 1000) - 3600;
        const body = JSON.stringify(Array.from({ length: size }, (_, i) => transaction(wallets[i % wallets.length], fresh(44), now)));
        alone.push(await post(fn("helius-webhook"), body, { authorization: SECRET }));
      }
      recordAtMost({ case: `1. webhook ingest alone, batch of ${size}: p50 per transaction`, figure: percentile(alone, 50) / size, unit: "ms", floor: floorP50 / size,
                     floorLabel: "empty handler + select 1, p50, per transaction", target: size === 100 ? "<= 0.5 ms" : "" }, size === 100 ? 0.5 : null);
    }
    await waitFor("ingest processing to finish", async () => (await sql`select count(*)::int as n from walltrack.signals where processed_at is null`)[0].n === 0 || undefined, 120_000);

    // 2. Decision: webhook received -> entry order created (DB clock), our own time = total - API time.
    for (const [label, cold] of [["warm", false], ["cold (RugCheck 300 ms)", true]] as const) {
      const own: number[] = [];
      const warmMint = fresh(44);
      if (!cold) {
        await post(fn("helius-webhook"), JSON.stringify([transaction(wallets[0], warmMint, Math.floor(Date.now() / 1000))]), { authorization: SECRET });
        await waitFor("warm-up", async () => (await sql`select count(*)::int as n from walltrack.signals where processed_at is null`)[0].n === 0 || undefined);
      }
      replay.delays.set("rugcheck", cold ? 300 : 0);
      for (let i = 0; i < SIZES.decisions; i++) {
        const tx = transaction(wallets[(i + 1) % wallets.length], cold ? fresh(44) : warmMint, Math.floor(Date.now() / 1000)) as { signature: string };
        await post(fn("helius-webhook"), JSON.stringify([tx]), { authorization: SECRET });
        const [row] = await waitFor("the entry order", async () => {
          const found = await sql`select extract(epoch from (o.requested_at - s.webhook_received_at)) * 1000 as ms, s.filter_reason
                                  from walltrack.signals s left join walltrack.orders o on o.signal_id = s.id and o.order_type = 'entry'
                                  where s.transaction_signature = ${tx.signature} and s.processed_at is not null`;
          return found.length ? found : undefined;
        });
        if (row.ms === null) throw new Error(`decision bench: the signal was filtered ${row.filter_reason}`);
        own.push(Number(row.ms) - (cold ? 300 : 0));
      }
      replay.delays.delete("rugcheck");
      record({ case: `2. decision, ${label}: our own time p50`, figure: percentile(own, 50), unit: "ms", floor: floorP99, floorLabel: "ingest floor p99", target: "" }, null);
      record({ case: `2. decision, ${label}: our own time p99`, figure: percentile(own, 99), unit: "ms", floor: floorP99, floorLabel: "ingest floor p99", target: "<= 10x" }, 10);
    }

    // 8. Leader swap -> our entry order -> its simulated fill, end to end through the webhook: from
    // the moment the delivery is sent (Helius's side) to the order's and the fill's DB timestamps.
    // A warm token (its analysis fresh), a fresh one per copy so no copy is a duplicate.
    {
      const toOrder: number[] = [];
      const toFill: number[] = [];
      for (let i = 0; i < SIZES.copies; i++) {
        const mint = fresh(44);
        await sql`select walltrack.store_token_analyses(${sql.json([{ address: mint, source: "rugcheck", decimals: 6, liquidity_usd: "1000000",
          top10_percent: "10", mint_revoked: true, freeze_revoked: true, dangerous_extension: false, transfer_fee_bps: 0,
          first_pool_created_at: "2024-01-01T00:00:00Z", rugged: false }])})`;
        const tx = transaction(wallets[(i + 7) % wallets.length], mint, Math.floor(Date.now() / 1000)) as { signature: string };
        const sentAt = Date.now();
        await post(fn("helius-webhook"), JSON.stringify([tx]), { authorization: SECRET });
        const [row] = await waitFor("the copied entry's fill", async () => {
          const found = await sql`select extract(epoch from o.requested_at) * 1000 as ordered, extract(epoch from o.executed_at) * 1000 as filled, s.filter_reason
                                  from walltrack.signals s left join walltrack.orders o on o.signal_id = s.id and o.order_type = 'entry'
                                  where s.transaction_signature = ${tx.signature} and s.processed_at is not null`;
          return found.length && (found[0].filled !== null || found[0].filter_reason) ? found : undefined;
        });
        if (row.ordered === null) throw new Error(`leader-to-entry bench: the signal was filtered ${row.filter_reason}`);
        toOrder.push(Number(row.ordered) - sentAt);
        toFill.push(Number(row.filled) - sentAt);
      }
      record({ case: "8. leader swap -> our entry order, p50", figure: percentile(toOrder, 50), unit: "ms", floor: floorP99, floorLabel: "ingest floor p99", target: "" }, null);
      record({ case: "8. leader swap -> our entry order, p99", figure: percentile(toOrder, 99), unit: "ms", floor: floorP99, floorLabel: "ingest floor p99", target: "" }, null);
      record({ case: "8. leader swap -> our simulated fill, p50", figure: percentile(toFill, 50), unit: "ms", floor: floorP99, floorLabel: "ingest floor p99", target: "" }, null);
      record({ case: "8. leader swap -> our simulated fill, p99", figure: percentile(toFill, 99), unit: "ms", floor: floorP99, floorLabel: "ingest floor p99", target: "" }, null);
    }

    // 7. Exit reaction, on the stack's own schedule: held tokens (Default strategy, stop loss 20 %)
    // whose replayed price halves at random moments; from each fall to its exit order and to the
    // order's simulated fill (DB timestamps). pg_cron starts a price-monitor run every minute, which
    // polls every config.price_monitor_interval_seconds (the default, 10 s). The smoke run starts
    // the first run itself, as pg_cron would, rather than wait for the next minute.
    {
      await sql`update walltrack.positions set status = 'closed', closed_at = now(), current_amount = 0, exit_reason = 'manual', exit_amount = entry_amount where status = 'open' and entry_amount is not null`;
      await sql`delete from walltrack.positions where status = 'open'`;
      await sql`update walltrack.config set price_monitor_interval_seconds = default`;
      const [{ interval }] = await sql`select price_monitor_interval_seconds as interval from walltrack.config`;
      const mints = Array.from({ length: SIZES.moves }, () => fresh(44));
      await sql`select walltrack.store_token_analyses(${sql.json(mints.map((m) => ({ address: m, source: "rugcheck", decimals: 6, liquidity_usd: "1", rugged: false })))})`;
      const held = await sql`
        insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price, entry_amount,
                                         entry_value_usd, entry_timestamp, current_amount, current_price)
        select w.id, t.id, 'simulation', e.id, walltrack.effective_exit_strategy(e.id), 1, 100, 100, now(), 100, 1
        from (select id, row_number() over (order by address) as i from walltrack.tokens where address = any(${mints})) t
        join (select id, row_number() over (order by id) as i from walltrack.wallets) w on w.i = t.i
        cross join (select id from walltrack.exit_strategies where is_default) e
        returning id, (select address from walltrack.tokens where id = token_id) as mint`;
      for (const m of mints) replay.prices.set(m, "1.01");
      const polled = () => replay.requests.filter((r) => r.service === "jupiter" && r.path.includes(mints[0])).length;
      if (smoke) await fetch(fn("price-monitor"), { method: "POST", headers: { authorization: `Bearer ${serviceRoleKey}`, "content-type": "application/json" }, body: JSON.stringify({ source: "cron" }) });
      await waitFor("a scheduled price-monitor run", async () => polled() > 0 || undefined, 90_000);
      const moves = await Promise.all(held.map(async (position, i) => {
        // Each fall at its own random moment of the window (the first poll's phase is random too).
        await new Promise((resolve) => setTimeout(resolve, Math.random() * SIZES.moveWindowMs));
        const fellAt = Date.now();
        replay.prices.set(position.mint as string, "0.5");
        const [row] = await waitFor(`exit ${i}`, async () => {
          const found = await sql`select extract(epoch from requested_at) * 1000 as ordered, extract(epoch from executed_at) * 1000 as filled
                                  from walltrack.orders where position_id = ${position.id} and order_type = 'exit_stop_loss' and status = 'executed'`;
          return found.length ? found : undefined;
        }, 90_000);
        return { order: Number(row.ordered) - fellAt, fill: Number(row.filled) - fellAt };
      }));
      const toOrder = moves.map((m) => m.order);
      const toFill = moves.map((m) => m.fill);
      const floorMs = Number(interval) * 1000;
      const label = `polling interval, ${moves.length} moves`;
      record({ case: "7. exit reaction: price fall -> exit order, p50", figure: percentile(toOrder, 50), unit: "ms", floor: floorMs, floorLabel: label, target: "" }, null);
      record({ case: "7. exit reaction: price fall -> exit order, p99", figure: percentile(toOrder, 99), unit: "ms", floor: floorMs, floorLabel: label, target: "<= 10 s" }, 1);
      record({ case: "7. exit reaction: price fall -> simulated fill, p50", figure: percentile(toFill, 50), unit: "ms", floor: floorMs, floorLabel: label, target: "" }, null);
      record({ case: "7. exit reaction: price fall -> simulated fill, p99", figure: percentile(toFill, 99), unit: "ms", floor: floorMs, floorLabel: label, target: "" }, null);
      await sql`update walltrack.config set price_monitor_interval_seconds = 60`;
    }

    // 3 and 5. Price tick over N open positions, and its scale curve; floor: the same UPDATE with
    // the walltrack triggers disabled.
    // The ingest cases left thousands of skipped BUYs, whose tokens the shadow book prices on each
    // run's first poll: emptied, so that these cases measure the positions' repricing.
    await sql`delete from walltrack.signals s where s.signal_type = 'BUY' and not s.position_created
              and not exists (select 1 from walltrack.orders o where o.signal_id = s.id)
              and not exists (select 1 from walltrack.positions p where p.signal_id = s.id)`;
    const tick = async (n: number, record_row: boolean) => {
      await sql`update walltrack.positions set status = 'closed', closed_at = now(), current_amount = 0, exit_reason = 'manual', exit_amount = entry_amount where status = 'open' and entry_amount is not null`;
      await sql`delete from walltrack.positions where status = 'open'`;
      const tokens = Math.max(1, Math.ceil(n / 20));
      const mints = Array.from({ length: tokens }, () => fresh(44));
      await sql`select walltrack.store_token_analyses(${sql.json(mints.map((m) => ({ address: m, source: "rugcheck", decimals: 6, liquidity_usd: "1", rugged: false })))})`;
      await sql`
        insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, exit_strategy_snapshot, entry_price, entry_amount,
                                         entry_value_usd, entry_timestamp, current_amount, current_price)
        select w.id, t.id, 'simulation', e.id, walltrack.effective_exit_strategy(e.id), 1, 100, 100, now(), 100, 1
        from generate_series(0, ${n - 1}) g
        join (select id, row_number() over (order by id) - 1 as i from walltrack.wallets) w on w.i = g % (select count(*) from walltrack.wallets)
        join (select id, row_number() over (order by address) - 1 as i from walltrack.tokens where address = any(${mints})) t on t.i = g / (${n}::int / ${tokens} + 1) % ${tokens}
        cross join (select id from walltrack.exit_strategies where is_default) e
        on conflict do nothing`;
      const [{ open }] = await sql`select count(*)::int as open from walltrack.positions where status = 'open'`;
      for (const m of mints) replay.prices.set(m, "1.05");
      const started = process.hrtime.bigint();
      const response = await fetch(fn("price-monitor"), { method: "POST", headers: { authorization: `Bearer ${serviceRoleKey}` }, body: "{}" });
      const report = await response.json();
      const runMs = msSince(started);
      const payload = sql.json(mints.map((m) => ({ mint: m, usd: "1.06" })));
      const floorMs = await sql.begin(async (tx) => {
        await tx`alter table walltrack.positions disable trigger user`;
        const s = process.hrtime.bigint();
        await tx`update walltrack.positions p set current_price = o.usd, price_updated_at = now()
                 from jsonb_to_recordset(${payload}) o(mint text, usd numeric) join walltrack.tokens t on t.address = o.mint
                 where p.token_id = t.id and p.status = 'open' and p.current_price is distinct from o.usd`;
        const ms = msSince(s);
        await tx`select 1/0`.catch(() => {});
        throw Object.assign(new Error("rollback"), { ms });
      }).catch((e) => (e as { ms: number }).ms);
      if (record_row) {
        record({ case: `3. price tick, ${open} open positions (one price-monitor run)`, figure: runMs, unit: "ms", floor: floorMs, floorLabel: "same UPDATE, triggers disabled", target: "<= 3x" }, 3);
      }
      return { n: open, runMs, floorMs, repriced: report.applied?.positions_repriced };
    };
    await tick(SIZES.tick, true);
    for (const n of SIZES.tickCurve) {
      const r = await tick(n, false);
      record({ case: `5. scale: price tick at ${r.n} positions`, figure: r.runMs, unit: "ms", floor: r.floorMs, floorLabel: "same UPDATE, triggers disabled", target: "linear" }, null);
    }

    // 4 and 5. Daily refresh over W wallets and P closed positions; floor: one group-by scan.
    const refresh = async (walletCount: number, closed: number, label: string) => {
      await sql`delete from walltrack.performance`;
      await sql`delete from walltrack.orders`;
      await sql`update walltrack.signals set position_id = null where false`;
      await sql`delete from walltrack.positions where signal_id is null`;
      const have = (await sql`select count(*)::int as n from walltrack.wallets`)[0].n;
      for (let i = have; i < walletCount; i += 500) {
        await sql`insert into walltrack.wallets (address, exit_strategy_id)
                  select ${fresh(20)} || translate(lpad(g::text, 24, '0'), '0123456789', 'abcdefghij'), (select id from walltrack.exit_strategies where is_default)
                  from generate_series(1, ${Math.min(500, walletCount - i)}) g`;
      }
      const [{ token }] = await sql`select id as token from walltrack.tokens limit 1`;
      await sql`
        insert into walltrack.positions (wallet_id, token_id, mode, exit_strategy_id, entry_price, entry_amount, entry_value_usd,
                                         entry_timestamp, current_amount, exit_amount, exit_price, realized_pnl_usd, status, closed_at,
                                         exit_reason, fill_delay_seconds, slippage_vs_leader_percent)
        select w.id, ${token}, 'simulation', w.exit_strategy_id, 1, 100, 100, now() - interval '40 days', 0, 100,
               1 + ((g * 37) % 41 - 20) / 100.0, ((g * 37) % 41 - 20), 'closed', now() - (g % 1000) * interval '1 minute',
               'manual', (g % 30), ((g * 13) % 7 - 3) / 10.0
        from generate_series(0, ${closed - 1}) g
        join (select id, exit_strategy_id, row_number() over (order by id) - 1 as i from walltrack.wallets limit ${walletCount}) w
          on w.i = g % ${walletCount}`;
      await sql`analyze walltrack.positions`;
      const started = process.hrtime.bigint();
      await sql`select walltrack.refresh_performance()`;
      const runMs = msSince(started);
      const s = process.hrtime.bigint();
      await sql`select wallet_id, count(*), sum(realized_pnl_usd), avg(realized_pnl_usd), max(realized_pnl_usd), min(realized_pnl_usd)
                from walltrack.positions where status = 'closed' group by wallet_id`;
      const floorMs = msSince(s);
      record({ case: label, figure: runMs, unit: "ms", floor: floorMs, floorLabel: "one group-by-wallet scan", target: label.startsWith("4.") ? "<= 4x" : "linear" }, label.startsWith("4.") ? 4 : null);
      // Exact, or no figure at all: every figure written equals today's definitions computed from
      // scratch (walltrack.performance_recomputed, the refresh's body before it kept state).
      const [{ differing }] = await sql`select count(*)::int as differing from walltrack.performance_drift()`;
      if (differing !== 0) throw new Error(`${label}: ${differing} figures differ from today's definitions (select * from walltrack.performance_drift())`);
      if (label.startsWith("4.")) {
        const o = process.hrtime.bigint();
        await sql`select count(*) from walltrack.performance_recomputed()`;
        record({ case: `4. the same figures from scratch (today's definitions, the refresh before it kept state; 0 differ)`, figure: msSince(o), unit: "ms",
                 floor: floorMs, floorLabel: "one group-by-wallet scan", target: "" }, null);
      }
    };
    await sql`delete from walltrack.positions where status = 'open'`;
    for (const p of SIZES.refreshCurve) await refresh(Math.max(10, Math.ceil(p / 200)), p, `5. scale: refresh at ${p} closed positions`);
    await refresh(SIZES.wallets, SIZES.closed, `4. refresh_performance, ${SIZES.wallets} wallets, ${SIZES.closed} closed positions`);
    await priceHistorySize(sql);
  } finally {
    await sql.end();
    floor.kill();
    await stack.stop();
  }

  const results = { generated_at: new Date().toISOString(), smoke, machine: `${process.platform} ${process.arch}, node ${process.version}`, rows };
  const dir = path.join(repoRoot, "bench/results");
  mkdirSync(dir, { recursive: true });
  const name = smoke ? "smoke" : "latest";
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(results, null, 2) + "\n");
  const table = ["| case | figure | floor | ratio | target |", "|---|---:|---|---:|---|",
    ...rows.map((r) => `| ${r.case} | ${fmt(r.figure)} ${r.unit} | ${r.floor === null ? "-" : `${fmt(r.floor)} ${r.unit} (${r.floorLabel})`} | ${r.ratio === null ? "-" : r.ratio.toFixed(2)} | ${r.target}${r.met === null ? "" : r.met ? " met" : " **not met**"} |`)];
  writeFileSync(path.join(dir, `${name}.md`), table.join("\n") + "\n");
  console.log(`\nwritten: bench/results/${name}.json, bench/results/${name}.md`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
