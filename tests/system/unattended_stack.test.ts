// The system over time: a stack started exactly as the README starts it (`npm start`), the external
// APIs on a local replay, and then only what the outside world does: the operator watches a wallet
// and sets a short breaker with the CLI and config, Helius delivers swaps, prices move, the
// functions runtime is killed and restarted. The test calls no function and no SQL routine; it
// reads tables and views. Everything after the deliveries is done by the stack's own pg_cron
// schedule (every minute): the price monitor fires the stop loss, the executor fills it, the
// position closes with its exact PnL, the breaker trips and unlocks at its unlock time, the leader
// is paused by its losing close (and stays paused once the breaker unlocks), and a signal left
// unprocessed by the killed runtime is finished by the sweeper. A transaction the webhook never
// delivers is found on chain by the reconciliation and recorded once, recovered. Every BUY goes through the sell
// check (the replay's Jupiter quotes and mint account). The hourly and daily jobs are the same
// pg_cron jobs of the same stack with their clock compressed: the one thing the last test does
// besides reading is what time would do (cron.alter_job to every minute, raw prices four days old).
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import bs58 from "bs58";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, expect, test } from "vitest";
import { repoRoot } from "../../scripts/lib/paths.ts";
import { fixtureText } from "../fixtures/shared.ts";
import { freePort } from "../../scripts/lib/ports.ts";
import { notifyReplayEnv, Replay, replayUrls, serve } from "../support/replay.ts";

// Ports free now (tests/support/ports.ts), unless given: this stack starts while the other suites
// hold connections whose source ports could be any fixed one.
const DB_PORT = Number(process.env.WALLTRACK_SYSTEM_DB_PORT ?? await freePort());
const FUNCTIONS_PORT = Number(process.env.WALLTRACK_SYSTEM_FUNCTIONS_PORT ?? await freePort());
const MINUTE_JOBS = ["walltrack-capture-reconciler", "walltrack-circuit-breaker", "walltrack-exit-timer", "walltrack-notification-dispatcher",
  "walltrack-order-executor", "walltrack-price-monitor", "walltrack-signal-sweeper"];
const HOURLY_AND_DAILY_JOBS = ["walltrack-compact-price-history", "walltrack-helius-sync", "walltrack-purge-logs",
  "walltrack-refresh-copyability", "walltrack-refresh-performance"];
// pg_cron fires on the minute: anything it drives is due within two minutes of its cause.
const CLOCK_BUDGET_MS = 150_000;

const stateDir = mkdtempSync(path.join(os.tmpdir(), "walltrack-system-"));
chmodSync(stateDir, 0o755); // the cluster's folder is in here, and the server runs as postgres
const secret = `system-secret-${bs58.encode(randomBytes(16))}`;
const replay = new Replay();
let replayServer: Awaited<ReturnType<typeof serve>>;
let sql: postgres.Sql;
const functionsUrl = `http://127.0.0.1:${FUNCTIONS_PORT}/functions/v1`;

const stackEnv = () => ({
  ...process.env,
  WALLTRACK_STACK: "embedded",
  WALLTRACK_DB_PORT: String(DB_PORT),
  WALLTRACK_FUNCTIONS_PORT: String(FUNCTIONS_PORT),
  WALLTRACK_STATE_DIR: stateDir,
  WALLTRACK_ENV_FILE: path.join(stateDir, "functions.env"),
  WALLTRACK_DB_URL: `postgresql://postgres:postgres@127.0.0.1:${DB_PORT}/postgres`,
});

// The README's commands, as an operator types them.
function npm(args: string[]): string {
  const result = spawnSync("npm", args, { cwd: repoRoot, env: stackEnv(), encoding: "utf8", timeout: 240_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = CLOCK_BUDGET_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const runs = await sql`select j.jobname, d.status, d.return_message from cron.job_run_details d join cron.job j using (jobid)
                         order by d.runid desc limit 12`;
  throw new Error(`not within ${timeoutMs} ms: ${what}; latest cron runs: ${JSON.stringify(runs)}`);
}

// A real PumpSwap BUY, as Helius would deliver it now, by a fresh wallet of a fresh token.
const TRADER = "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm";
const BUY_MINT = "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy";
const JITOSOL = "J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn"; // on the shipped deny list: a conversion
function freshBuy(wallet: string, mint: string) {
  const [original] = JSON.parse(fixtureText("helius/pump-amm-buy.sniper.json")) as { signature: string }[];
  const text = fixtureText("helius/pump-amm-buy.sniper.json")
    .split(TRADER).join(wallet).split(BUY_MINT).join(mint).split(original.signature).join(bs58.encode(randomBytes(64)));
  const body = JSON.parse(text) as Record<string, unknown>[];
  body[0].timestamp = Math.floor(Date.now() / 1000) - 1;
  return body as { signature: string }[];
}

async function deliver(body: unknown): Promise<void> {
  const response = await fetch(`${functionsUrl}/helius-webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: secret },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  replayServer = await serve(replay);
  writeFileSync(path.join(stateDir, "functions.env"), Object.entries({
    ...replayUrls(replayServer.url),
    HELIUS_WEBHOOK_SECRET: secret,
    HELIUS_API_KEY: "system-test-helius-key",
    API_TIMEOUT_MS: "5000",
    ...notifyReplayEnv(replayServer.url, { telegramToken: `7000000042:AA${bs58.encode(randomBytes(16))}`,
      discordToken: bs58.encode(randomBytes(32)), webhookSecret: bs58.encode(randomBytes(32)) }),
  }).map(([key, value]) => `${key}=${value}`).join("\n") + "\n");
  npm(["start"]);
  sql = postgres(stackEnv().WALLTRACK_DB_URL, { max: 2, onnotice: () => {} });
}, 300_000);

afterAll(async () => {
  await sql?.end();
  try {
    npm(["stop"]);
  } finally {
    replayServer?.server.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}, 120_000);

test("left alone, the started stack's own schedule closes a stop loss with the exact PnL, unlocks the breaker, sweeps a crashed signal and recovers a missed delivery", async () => {
  // A real start holds no mock data: the book is empty.
  const [book] = await sql`select (select count(*) from walltrack.wallets)::int as wallets,
                                  (select count(*) from walltrack.positions)::int as positions,
                                  (select count(*) from walltrack.orders)::int as orders,
                                  (select holds_mock_data from walltrack.config) as mock`;
  expect(book).toEqual({ wallets: 0, positions: 0, orders: 0, mock: false });

  // The operator: one losing close trips the breaker, which unlocks itself a minute later.
  const leader = bs58.encode(randomBytes(32));
  const crashed = bs58.encode(randomBytes(32));
  npm(["run", "wallet:add", "--", leader, "--label", "system leader"]);
  npm(["run", "wallet:add", "--", crashed, "--label", "system crash"]);
  await sql`update walltrack.config set max_consecutive_losses = 1, circuit_breaker_unlock_minutes = 1`;
  // Missed deliveries are looked for every minute, a transaction once 30 s old.
  npm(["run", "delivery:set", "--", "webhook", "--reconcile-minutes", "1"]);
  await sql`update walltrack.config set capture_settle_seconds = 30`;

  // A third watched wallet swaps SOL into JitoSOL, a real BUY's shape (a conversion: no position,
  // nothing else here changes), and Helius never delivers it: the chain has it, and so has
  // Helius's parse API.
  const quiet = bs58.encode(randomBytes(32));
  npm(["run", "wallet:add", "--", quiet, "--label", "system missed"]);
  const [missed] = freshBuy(quiet, JITOSOL) as unknown as { signature: string; slot: number; timestamp: number }[];
  missed.timestamp = Math.floor(Date.now() / 1000); // after the wallet was added: a trade it made while watched
  replay.onChain(missed, [quiet]);
  // And this leader is paused after one losing close (its own limit, set with the CLI).
  npm(["run", "leader:limits", "--", leader, "pause_after_losses=1"]);
  // And turns notifications on: every event to Telegram and the webhook, the important ones to Discord.
  await sql`update walltrack.notification_channels set is_enabled = true, level = case channel when 'discord' then 'important' else 'all' end`;

  // Helius delivers the leader's BUY; the position opens in simulation.
  const mint = bs58.encode(randomBytes(32));
  const leaderBuy = freshBuy(leader, mint);
  await deliver(leaderBuy);
  // The chain has the delivered BUY too: the reconciliation must not fetch it again.
  replay.onChain(leaderBuy[0] as unknown as { signature: string; slot: number; timestamp: number }, [leader]);
  const [position] = await eventually("the leader's BUY opens a position", async () => {
    const rows = await sql`select p.id, p.entry_price::text, p.entry_amount::text, p.status
                             from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
                            where t.address = ${mint} and p.entry_price is not null`;
    return rows.length ? rows : undefined;
  }, 30_000);

  // The token's price halves at the replay (the Default template's stop loss is 20 % below entry),
  // quoted with the dozen digits a price API gives.
  const dropped = await sql`select trim_scale(round(${position.entry_price}::numeric / 2, 14))::text as price`;
  replay.prices.set(mint, dropped[0].price);

  // Meanwhile a second delivery is recorded, then the runtime is killed mid-processing (RugCheck
  // is slow to answer) and restarted the way the operator would: `npm start`.
  replay.delays.set("rugcheck", 3_000);
  const crashedBuy = freshBuy(crashed, bs58.encode(randomBytes(32)));
  await deliver(crashedBuy);
  const pid = Number(readFileSync(path.join(stateDir, "functions.pid"), "utf8"));
  process.kill(pid, "SIGKILL");
  const [left] = await sql`select processed_at from walltrack.signals where transaction_signature = ${crashedBuy[0].signature}`;
  expect(left.processed_at).toBeNull();
  replay.delays.clear();
  npm(["start"]);

  // A BUY of a wallet the operator deactivated is filtered (wallet_inactive): the shadow book keeps
  // its token priced, by the same schedule.
  const skipped = bs58.encode(randomBytes(32));
  const shadowMint = bs58.encode(randomBytes(32));
  npm(["run", "wallet:add", "--", skipped, "--label", "system skipped"]);
  npm(["run", "wallet:deactivate", "--", skipped]);
  replay.prices.set(shadowMint, "0.5");
  await deliver(freshBuy(skipped, shadowMint));

  // No one calls anything from here on.
  const closed = await eventually("the stop loss closes the position", async () => {
    const rows = await sql`select status, exit_reason, realized_pnl_usd::text, current_amount::text from walltrack.positions
                            where id = ${position.id} and status = 'closed'`;
    return rows[0];
  });
  const [exit] = await sql`select order_type, status, amount_in::text, price_usd::text from walltrack.orders
                            where position_id = ${position.id} and order_type <> 'entry'`;
  // Simulated exit: the whole amount at the dropped price less the configured slippage.
  const [expected] = await sql`
    select (${position.entry_amount}::numeric * trim_scale(${dropped[0].price}::numeric * (100 - simulation_slippage_percent) / 100)
            - ${position.entry_amount}::numeric * ${position.entry_price}::numeric)::text as pnl,
           trim_scale(${dropped[0].price}::numeric * (100 - simulation_slippage_percent) / 100)::text as fill
      from walltrack.config`;
  expect(exit).toEqual({ order_type: "exit_stop_loss", status: "executed", amount_in: position.entry_amount, price_usd: expected.fill });
  expect(closed.exit_reason).toBe("stop_loss");
  expect(Number(closed.current_amount)).toBe(0);
  const [exact] = await sql`select ${closed.realized_pnl_usd}::numeric = ${expected.pnl}::numeric as equal`;
  expect(exact.equal, `realized ${closed.realized_pnl_usd}, expected ${expected.pnl}`).toBe(true);
  // The close, booked by the schedule, paused the leader and says why.
  const [pause] = await sql`select trigger_reason, consecutive_losses, closed_position_id from walltrack.leader_pause_events
                             where event_type = 'paused'`;
  expect(pause).toEqual({ trigger_reason: "consecutive_losses", consecutive_losses: 1, closed_position_id: position.id });

  // The signal the crash left behind is finished by the sweeper.
  await eventually("the sweeper finishes the crashed signal", async () => {
    const rows = await sql`select 1 from walltrack.signals where transaction_signature = ${crashedBuy[0].signature}
                             and processed_at is not null`;
    return rows.length > 0;
  });

  // The losing close tripped the breaker; its unlock time passes and the breaker job unlocks it.
  const [trip] = await sql`select id, unlock_at from walltrack.circuit_breaker_events where event_type = 'activated'`;
  expect(trip, "the losing close trips the breaker").toBeDefined();
  await eventually("the breaker unlocks at its unlock time", async () => {
    const rows = await sql`select 1 from walltrack.config where not circuit_breaker_active`;
    const ended = await sql`select 1 from walltrack.circuit_breaker_events where id = ${trip.id} and deactivated_at is not null`;
    return rows.length > 0 && ended.length > 0;
  });

  // The reconciliation found the missed transaction and recorded it once, marked recovered; it
  // asked Helius for that one alone (the leader's BUY was delivered).
  const recovered = await eventually("the reconciliation recovers the transaction the webhook missed", async () => {
    const rows = await sql`select delivery, filter_reason from walltrack.signals where transaction_signature = ${missed.signature}
                             and processed_at is not null`;
    return rows.length ? rows : undefined;
  });
  expect(recovered).toEqual([{ delivery: "recovered", filter_reason: "conversion" }]);
  const asked = replay.heliusCalls.filter((c) => c.path === "/v0/transactions")
    .flatMap((c) => (c.body as { transactions: string[] }).transactions);
  expect(asked).toEqual([missed.signature]);
  const capture = await eventually("the run that recovered it records the wallet's capture rate", async () => {
    const rows = await sql`select capture_rate_percent, signals_recovered_30d from walltrack.performance p
                           join walltrack.wallets w on w.id = p.wallet_id where w.address = ${quiet} and signals_recovered_30d > 0`;
    return rows[0];
  }, 30_000);
  expect(capture).toEqual({ capture_rate_percent: "0.00", signals_recovered_30d: 1 });
  // The breaker is over, the leader's pause is not: its next BUY is refused leader_paused.
  const pausedBuy = freshBuy(leader, bs58.encode(randomBytes(32)));
  await deliver(pausedBuy);
  const [refused] = await eventually("the paused leader's BUY is decided", async () => {
    const rows = await sql`select filter_reason from walltrack.signals where transaction_signature = ${pausedBuy[0].signature}
                             and processed_at is not null`;
    return rows.length ? rows : undefined;
  });
  expect(refused.filter_reason).toBe("leader_paused");
  // The skipped BUY's token was priced by the schedule and is still priced: its price history has
  // the replay's price, and the next one.
  await eventually("the shadow book's token is priced", async () =>
    (await sql`select 1 from walltrack.price_history h join walltrack.price_series s on s.id = h.series_id
                where s.token_address = ${shadowMint} and h.price_usd = 0.5 and h.source = 'jupiter'`).length > 0);
  replay.prices.set(shadowMint, "0.75");
  await eventually("the shadow book's token keeps being priced", async () =>
    (await sql`select 1 from walltrack.price_history h join walltrack.price_series s on s.id = h.series_id
                where s.token_address = ${shadowMint} and h.price_usd = 0.75`).length > 0);
  const [shadow] = await sql`select filter_reason, would_have_pnl_percent is not null as priced from walltrack.shadow_book
                              where token_address = ${shadowMint}`;
  expect(shadow).toEqual({ filter_reason: "wallet_inactive", priced: true });

  // Nobody called the dispatcher: the schedule delivered each event of the trade and of the breaker
  // to each channel at its level, once.
  const [{ symbol }] = await sql`select coalesce(t.symbol, walltrack.short_address(t.address)) as symbol
                                   from walltrack.positions p join walltrack.tokens t on t.id = p.token_id where p.id = ${position.id}`;
  const told = () => {
    const text = (n: { service: string; body: string }) => JSON.parse(n.body)[n.service === "telegram" ? "text" : "content"] as string;
    const about = (t: string) => t.includes(` ${symbol} (`) || t.includes("Circuit breaker");
    return {
      telegram: replay.notifications.filter((n) => n.service === "telegram" && about(text(n))).map((n) => text(n).split("\n")[0].replace(/\): .*$/, ")")).sort(),
      discord: replay.notifications.filter((n) => n.service === "discord" && about(text(n))).map((n) => text(n).split("\n")[0].replace(/\): .*$/, ")")).sort(),
      webhook: replay.notifications.filter((n) => n.service === "notify-webhook").map((n) => JSON.parse(n.body))
        .filter((b) => b.details.position_id === position.id || b.event_type.startsWith("breaker_")).map((b) => b.event_type).sort(),
    };
  };
  await eventually("the schedule delivers the notifications", async () => told().telegram.length >= 6 && told().discord.length >= 4 && told().webhook.length >= 6);
  expect(told()).toEqual({
    telegram: [`[CRITICAL] WallTrack: Circuit breaker tripped (simulation)`, `[important] WallTrack: Circuit breaker unlocked (simulation)`,
      `[important] WallTrack: Closed ${symbol} (simulation, stop_loss)`, `[important] WallTrack: Exit filled ${symbol} (simulation)`,
      `[info] WallTrack: Opened ${symbol} (simulation)`, `[info] WallTrack: stop_loss exit fired: ${symbol} (simulation)`].sort(),
    discord: [`[CRITICAL] WallTrack: Circuit breaker tripped (simulation)`, `[important] WallTrack: Circuit breaker unlocked (simulation)`,
      `[important] WallTrack: Closed ${symbol} (simulation, stop_loss)`, `[important] WallTrack: Exit filled ${symbol} (simulation)`].sort(),
    webhook: ["breaker_tripped", "breaker_unlocked", "exit_filled", "exit_fired", "position_closed", "position_opened"],
  });

  // The schedule itself: every minute job ran and none failed, and health says so.
  const runs = await sql`select j.jobname, count(*) filter (where d.status = 'succeeded')::int as succeeded,
                                count(*) filter (where d.status = 'failed')::int as failed
                           from cron.job j left join cron.job_run_details d using (jobid)
                          where j.jobname = any(${MINUTE_JOBS}) group by j.jobname order by j.jobname`;
  expect(runs.map((r) => r.jobname)).toEqual(MINUTE_JOBS);
  for (const run of runs) {
    expect(run.failed, `${run.jobname} failed runs`).toBe(0);
    expect(run.succeeded, `${run.jobname} succeeded runs`).toBeGreaterThan(0);
  }
  const [{ service_key }] = await sql`select decrypted_secret as service_key from vault.decrypted_secrets where name = 'service_role_key'`;
  const health = await fetch(`${functionsUrl}/health`, { headers: { authorization: `Bearer ${service_key}` } });
  const report = await health.json();
  expect(health.status, JSON.stringify(report)).toBe(200);
  expect(report.jobs).toEqual([]);
}, 600_000);

test("left alone, a price drop reaches its exit within seconds: each scheduled monitor run polls every 10 s", async () => {
  // The operator follows a new leader; the breaker of the first test is out of the way.
  await sql`update walltrack.config set max_consecutive_losses = 100`;
  const leader = bs58.encode(randomBytes(32));
  npm(["run", "wallet:add", "--", leader, "--label", "system fast exit"]);
  const mint = bs58.encode(randomBytes(32));
  await deliver(freshBuy(leader, mint));
  const [position] = await eventually("the leader's BUY opens a position", async () => {
    const rows = await sql`select p.id, p.entry_price::text from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
                            where t.address = ${mint} and p.entry_price is not null`;
    return rows.length ? rows : undefined;
  }, 30_000);
  const [{ up, down }] = await sql`select trim_scale(round(${position.entry_price}::numeric * 1.01, 14))::text as up,
                                          trim_scale(round(${position.entry_price}::numeric / 2, 14))::text as down`;
  replay.prices.set(mint, up);

  // The next scheduled run picks the position up, then polls again every interval within the run.
  await eventually("the monitor prices the new position", async () => {
    const rows = await sql`select 1 from walltrack.positions where id = ${position.id} and price_source = 'jupiter'`;
    return rows.length > 0;
  }, 90_000);
  const polls = () => replay.requests.filter((r) => r.service === "jupiter" && r.path.includes(mint)).length;
  const seen = polls();
  await eventually("a second poll without a new scheduled run", async () => polls() > seen, 15_000);

  // The price halves (stop loss 20 %): the exit order exists within seconds, not at the next minute.
  replay.prices.set(mint, down);
  const droppedAt = Date.now();
  await eventually("the stop loss order exists", async () => {
    const rows = await sql`select 1 from walltrack.orders where position_id = ${position.id} and order_type = 'exit_stop_loss'`;
    return rows.length > 0;
  }, 30_000);
  const seconds = (Date.now() - droppedAt) / 1000;
  // At most one interval (10 s) plus the start of the next run when the drop falls after a run's last poll.
  expect(seconds, `exit order ${seconds} s after the drop`).toBeLessThan(20);
  const closed = await eventually("the stop loss fills and closes the position", async () => {
    const rows = await sql`select exit_reason from walltrack.positions where id = ${position.id} and status = 'closed'`;
    return rows[0];
  }, 30_000);
  expect(closed.exit_reason).toBe("stop_loss");
}, 300_000);

// Exact decimal order of two price strings (no float): the test's own reading of a candle.
function compareDecimal(a: string, b: string): number {
  const scale = Math.max((a.split(".")[1] ?? "").length, (b.split(".")[1] ?? "").length);
  const units = (x: string) => BigInt(x.replace(".", "") + "0".repeat(scale - (x.split(".")[1] ?? "").length));
  const [ua, ub] = [units(a), units(b)];
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

test("the hourly and daily jobs run from the stack's own cron: old prices folded into exact candles, performance and copyability refreshed, the watchlist synced", async () => {
  // As `npm start` left them: each on its designed schedule, not yet due in this test's minutes.
  const designed = await sql`select j.jobname, j.schedule as scheduled, s.schedule as designed
                               from cron.job j join walltrack.job_schedule s on s.jobname = j.jobname
                              where j.jobname = any(${HOURLY_AND_DAILY_JOBS}) order by j.jobname`;
  expect(designed.map((r) => r.jobname)).toEqual(HOURLY_AND_DAILY_JOBS);
  for (const job of designed) expect(job.scheduled, job.jobname).toBe(job.designed);

  // Four days pass: the raw prices the monitor recorded in the tests above are now older than the
  // three days kept raw. What the compaction must make of them, read by this test itself: per
  // token and minute, the first, highest, lowest and last market price (simulated fills left out).
  const shifted = await sql`update walltrack.price_history set observed_at = observed_at - interval '4 days'
                             returning series_id, observed_at, price_usd::text as price, source`;
  const market = shifted.filter((r) => r.source !== "simulated_fill")
    .sort((a, b) => a.series_id - b.series_id || a.observed_at.getTime() - b.observed_at.getTime());
  expect(market.length, "raw market prices recorded by the monitor").toBeGreaterThan(1);
  const expected = new Map<string, { open: string; high: string; low: string; close: string; observations: number }>();
  for (const row of market) {
    const minute = new Date(Math.floor(row.observed_at.getTime() / 60_000) * 60_000).toISOString();
    const key = `${row.series_id} ${minute}`;
    const candle = expected.get(key);
    if (!candle) expected.set(key, { open: row.price, high: row.price, low: row.price, close: row.price, observations: 1 });
    else {
      if (compareDecimal(row.price, candle.high) > 0) candle.high = row.price;
      if (compareDecimal(row.price, candle.low) < 0) candle.low = row.price;
      candle.close = row.price;
      candle.observations += 1;
    }
  }

  // A day in a minute: the same jobs, every minute.
  const compressedAt = new Date();
  await sql`select cron.alter_job(jobid, schedule => '* * * * *') from cron.job where jobname = any(${HOURLY_AND_DAILY_JOBS})`;

  await eventually("each hourly and daily job to run from cron", async () => {
    const rows = await sql`select count(distinct j.jobname)::int as ran from cron.job j join cron.job_run_details d using (jobid)
                            where j.jobname = any(${HOURLY_AND_DAILY_JOBS}) and d.start_time >= ${compressedAt} and d.status <> 'running'`;
    return rows[0].ran === HOURLY_AND_DAILY_JOBS.length;
  });
  const runs = await sql`select j.jobname, d.status, d.return_message from cron.job j join cron.job_run_details d using (jobid)
                          where j.jobname = any(${HOURLY_AND_DAILY_JOBS}) and d.start_time >= ${compressedAt} and d.status <> 'running'`;
  for (const run of runs) expect(run.status, `${run.jobname}: ${run.return_message}`).toBe("succeeded");

  // The compaction: no raw price older than three days is left, and the candles are exactly the
  // test's own reading of them.
  const [{ old }] = await sql`select count(*)::int as old from walltrack.price_history where observed_at < now() - interval '3 days'`;
  expect(old).toBe(0);
  const candles = await sql`select series_id, minute, open_usd::text as open, high_usd::text as high, low_usd::text as low,
                                   close_usd::text as close, observations from walltrack.price_candles order by series_id, minute`;
  expect(new Map(candles.map((c) => [`${c.series_id} ${c.minute.toISOString()}`,
    { open: c.open, high: c.high, low: c.low, close: c.close, observations: c.observations }]))).toEqual(expected);

  // The daily refresh recomputed every leader's row after the clock moved, and the copyability
  // refresh (designed five minutes after it) scored every row: compressed, both fire in the same
  // minute, so a row the refresh adds may be scored by the next minute's run.
  await eventually("every performance row refreshed and scored after the clock moved", async () => {
    const [rows] = await sql`select count(*)::int as rows,
                                    count(*) filter (where last_calculated_at >= ${compressedAt})::int as refreshed,
                                    count(*) filter (where copyability_calculated_at >= ${compressedAt})::int as scored
                               from walltrack.performance`;
    return rows.rows > 0 && rows.refreshed === rows.rows && rows.scored === rows.rows;
  });
  const copied = await sql`select w.address, p.copied_trades, (select count(*)::int from walltrack.copied_trades c where c.wallet_id = w.id) as trades
                             from walltrack.performance p join walltrack.wallets w on w.id = p.wallet_id order by w.address`;
  expect(copied.map((r) => [r.address, r.copied_trades])).toEqual(copied.map((r) => [r.address, r.trades]));
  expect(copied.some((r) => r.trades > 0), "a leader with copied trades").toBe(true);

  // The watchlist sync left no wallet waiting and health has no problem with any job.
  // The job asks the helius-sync function through pg_net: the wallets are synced once it answers.
  await eventually("no wallet waiting for the Helius sync", async () => {
    const [{ waiting }] = await sql`select count(*)::int as waiting from walltrack.wallets where helius_sync_status <> 'synced'`;
    return waiting === 0;
  });
  const [{ service_key }] = await sql`select decrypted_secret as service_key from vault.decrypted_secrets where name = 'service_role_key'`;
  const health = await fetch(`${functionsUrl}/health`, { headers: { authorization: `Bearer ${service_key}` } });
  const report = await health.json();
  expect(health.status, JSON.stringify(report)).toBe(200);
  expect(report.jobs).toEqual([]);
}, 300_000);
