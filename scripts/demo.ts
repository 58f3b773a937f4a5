// npm run demo: WallTrack end to end without API keys or network. A throwaway database (its own
// cluster, ports 54362/54361) and the functions pointed at the local replay of fixtures/;
// the recorded Helius payloads go through the real webhook, prices move, exits fire, and the
// Studio views show the result. The default configuration still talks to the real APIs.
import path from "node:path";
import postgres from "postgres";
import * as cluster from "./embedded/cluster.ts";
import { migrationUp } from "./embedded/supabase-cli.ts";
import { ensureSystemPackages } from "./embedded/system-packages.ts";
import { clustersDir, stateDir } from "./lib/paths.ts";
import { runOrThrow } from "./lib/run.ts";
import { startThrowaway } from "./lib/throwaway-stack.ts";
import { randomBytes } from "node:crypto";
import bs58 from "bs58";
import { main as operator } from "./operator.ts";
import { fixtureJson, fixtureText } from "../tests/fixtures/shared.ts";

const DB_PORT = Number(process.env.WALLTRACK_DEMO_DB_PORT ?? 54362);
const FUNCTIONS_PORT = Number(process.env.WALLTRACK_DEMO_FUNCTIONS_PORT ?? 54361);
const demoDir = path.join(stateDir, `demo-${DB_PORT}`);
const db = cluster.clusterAt(path.join(clustersDir, `demo-${DB_PORT}`, "data"), DB_PORT);
const SECRET = "demo-webhook-secret";
// The mint the pumpswap sniper's recorded BUY bought.
const SNIPER_MINT = "9hWxtLoiCKz6BAKGzdCqTCE8w3ZkeMu2RBjiwDd5Vtuy";

// The traders of the recorded payloads, and the payloads they appear in.
const PAYLOADS: { file: string; trader: string; label: string }[] = [
  { file: "raydium-swap-sol-buy.dex-scraper.json", trader: "Ezi9Bn5WAfbVHmWbVHuMCdDhgyZKWxRCGGcexx3EXV8L", label: "raydium buyer" },
  { file: "jupiter-buy-150sol-eventsswap-reversed.solana-bot-worker.json", trader: "EM1K8QuPHnJNGLvoiFB5PpBePj2j6pUY64LFv3uEgFGJ", label: "150 SOL whale" },
  { file: "pump-amm-buy.sniper.json", trader: "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm", label: "pumpswap sniper" },
  { file: "pump-amm-sell.sniper.json", trader: "DNfuF1L62WWyW3pNakVkyGGFzVVhj4Yr52jSmdTyeBHm", label: "pumpswap sniper" },
  { file: "pumpfun-buy-typed-TRANSFER-2024.dex-scraper.json", trader: "BvgYHNDAy4U4WYuAoGN9Wc1Q7o26BjEtAbCkqVReceya", label: "pump.fun buyer" },
  // SOL into Wormhole WETH: a conversion (walltrack.token_lists), not a position.
  { file: "jupiter-rfq-unknown-type.rotki.json", trader: "7rhxnLV8C77o6d8oz26AgK8x8m5ePsdeRawjqvojbjnQ", label: "rfq taker" },
  { file: "jupiter-sell-token-to-usdc.solana-bot-worker.json", trader: "2rbMgYvzAb3xDk6vXrzKkY3VwsmyDZsJTkvB3JJYsRzA", label: "usdc seller" },
  { file: "jupiter-buy-sol-to-token-dca-keeper.solana-bot-worker.json", trader: "nNjcdBEjFyBYLB4hkAXpC4EjjwzXbFRywtvPBLqCfVG", label: "dca user" },
  { file: "transfer-token.dex-scraper.json", trader: "CvYVDrvLLCdPfKMDLKXG9KtRg7D1aMimmdTZXiHDg4Pg", label: "transfer sender" },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await sleep(200);
  }
  throw new Error(`demo: timed out waiting for ${what}`);
}

function show(title: string, query: string): void {
  console.log(`\n== ${title}`);
  console.log(runOrThrow("psql", ["-X", "-P", "pager=off", db.url, "-c", query]).stdout.trim());
}

async function main(): Promise<void> {
  if (process.argv[2] === "stop") {
    cluster.destroy(db);
    console.log("demo database removed");
    return;
  }
  ensureSystemPackages(false);
  const stack = await startThrowaway({
    dataDir: db.dataDir, runDir: demoDir, dbPort: DB_PORT, functionsPort: FUNCTIONS_PORT,
    env: { HELIUS_WEBHOOK_SECRET: SECRET, HELIUS_API_KEY: "demo" },
  });
  const { replay } = stack;
  const call = async (name: string) => (await stack.callFunction(name)) as Record<string, unknown>;
  const sql = postgres(db.url, { max: 2, onnotice: () => {} });
  try {
    console.log("demo: database up, applying migrations (supabase migration up)");
    migrationUp(db.url, stack.vaultSecrets);
    await stack.startFunctions();
    for (const trader of new Map(PAYLOADS.map((p) => [p.trader, p.label]))) {
      await sql`select walltrack.add_wallet(${trader[0]}, ${trader[1]}, 'simulation', 'Default', 'manual', 'offline demo')`;
    }
    console.log(`demo: watching ${new Set(PAYLOADS.map((p) => p.trader)).size} wallets; Helius sync:`, JSON.stringify(await call("helius-sync")));

    // The recorded payloads through the real webhook, stamped as just confirmed (older ones are
    // filtered stale_signal, as a late copy would be).
    for (const payload of PAYLOADS) {
      const body = fixtureJson<Record<string, unknown>[]>(`helius/${payload.file}`);
      for (const tx of body) tx.timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(stack.functionUrl("helius-webhook"), {
        method: "POST", headers: { authorization: SECRET, "content-type": "application/json" }, body: JSON.stringify(body),
      });
      console.log(`demo: POST ${payload.file} -> ${response.status} ${JSON.stringify(await response.json())}`);
    }
    await until("every signal to be processed", async () =>
      (await sql`select count(*)::int as n from walltrack.signals where processed_at is null`)[0].n === 0);

    // Prices move: the first opened token doubles (scale-out), the second falls 30 % (stop loss).
    const open = await sql`select t.address, p.entry_price from walltrack.positions p join walltrack.tokens t on t.id = p.token_id
                           where p.status = 'open' order by p.created_at`;
    const moves = open.map((p, i) => [p.address as string, (Number(p.entry_price) * (i === 0 ? 2.2 : i === 1 ? 0.7 : 1.05)).toPrecision(12)]);
    for (const [mint, usd] of moves) replay.prices.set(mint, usd);
    // The shadow book's tokens (BUYs filtered or not taken) are priced too: each rises by half.
    const skipped = await sql`select distinct on (token_address) token_address, (price_usd * 1.5)::text as usd
                              from walltrack.signals where token_address = any(walltrack.shadow_book_tokens()) and signal_type = 'BUY'
                              order by token_address, webhook_received_at`;
    for (const { token_address, usd } of skipped) replay.prices.set(token_address as string, usd as string);
    console.log("demo: price monitor:", JSON.stringify((await call("price-monitor")).applied));
    await until("exits to fill", async () =>
      (await sql`select count(*)::int as n from walltrack.orders where status in ('pending', 'submitted')`)[0].n === 0);
    // The pumpswap sniper then sells a third of the bag it bought (its recorded SELL, of the mint it
    // bought): the confirmed transaction (the replayed RPC) shows it held three times what it sold,
    // so the position copied from it sells a third of what it holds beyond its exits in flight (the
    // SELL's price, about 3x the BUY's, fires the 2x scale-out first), to the base unit.
    const sold = 3666988222932n; // the recorded SELL's raw amount (6 decimals)
    const signature = bs58.encode(randomBytes(64));
    const sniper = PAYLOADS[2].trader;
    const third = JSON.parse(fixtureText("helius/pump-amm-sell.sniper.json")
      .replaceAll("44sVpouhWHXzADVsVUo863tvgmaw6LNQo25fYRs1pump", SNIPER_MINT)
      .replaceAll("5PQ9Ucqg64uZihjc3aJ47MpkLdYktDphsReR5EuUyEr5unJsu2K8Uj3SFZWiEznvN83ZgNUr5oWF7wsUPe2Ugco", signature)) as Record<string, unknown>[];
    for (const tx of third) tx.timestamp = Math.floor(Date.now() / 1000);
    replay.leaderTransactions.set(signature, { owner: sniper, mint: SNIPER_MINT, before: (3n * sold).toString(), after: (2n * sold).toString(), decimals: 6 });
    const mirrored = await fetch(stack.functionUrl("helius-webhook"), {
      method: "POST", headers: { authorization: SECRET, "content-type": "application/json" }, body: JSON.stringify(third),
    });
    console.log(`demo: POST pump-amm-sell.sniper.json of the mint it bought (a third of its bag) -> ${mirrored.status} ${JSON.stringify(await mirrored.json())}`);
    // Within a run of the sweepers (every minute): a SELL whose first decision did not finish (its
    // background run aborted under load) is decided again by the signal sweeper, as it would be live.
    await until("the proportional mirror exit to fill", async () =>
      (await sql`select count(*)::int as n from walltrack.orders o join walltrack.signals s on s.id = o.signal_id
                 where s.transaction_signature = ${signature} and o.status = 'executed'`)[0].n === 1, 90_000);
    await sql`select walltrack.refresh_performance()`;
    await sql`select walltrack.refresh_copyability()`;
    await sql`select walltrack.evaluate_circuit_breakers()`;

    show("signal funnel (walltrack.signal_funnel)", "select day, received, buys, sells, filtered, filtered_by_reason, conversions, positions_opened, positions_closed from walltrack.signal_funnel");
    show("signals", "select w.label, s.signal_type, t.symbol, s.amount_in, s.amount_out, round(s.price_usd, 10) as price_usd, coalesce(s.filter_reason, case when s.position_created then 'opened' else 'mirrored' end) as outcome from walltrack.signals s join walltrack.wallets w on w.id = s.wallet_id left join walltrack.tokens t on t.id = s.token_id order by s.webhook_received_at");
    show("proportional mirror exit (the leader sold a third of its bag: walltrack.leader_sell_balances)", "select w.label, b.held_before_raw as leader_before, b.held_after_raw as leader_after, o.order_type, o.amount_in as sold, p.entry_amount, p.current_amount as left from walltrack.orders o join walltrack.leader_sell_balances b on b.signal_id = o.signal_id join walltrack.positions p on p.id = o.position_id join walltrack.wallets w on w.id = o.wallet_id");
    show("open positions (walltrack.open_positions_overview)", "select wallet, symbol, round(entry_price, 10) as entry, round(current_price, 10) as price, round(current_amount, 2) as amount, round(realized_pnl_usd, 2) as realized, round(unrealized_pnl_usd, 2) as unrealized, pnl_percent, scaling_levels_fired from walltrack.open_positions_overview");
    show("results by exit reason (walltrack.results_by_exit_reason)", "select exit_reason, positions, wins, win_rate, average_pnl_usd, round(total_pnl_usd, 2) as total_pnl_usd from walltrack.results_by_exit_reason");
    show("wallet leaderboard, ranked by copyability (walltrack.wallet_leaderboard)", "select rank, wallet, total_positions, win_rate, round(total_pnl_usd, 2) as pnl_usd, copied_trades, leader_return_percent, retained_edge_percent, copyability_score, do_not_copy from walltrack.wallet_leaderboard order by rank, wallet");
    show("what the leaders made and what we kept (walltrack.copied_trades)", "select wallet_label, leader_return_percent, leader_sold, our_return_percent, fill_delay_seconds, round(slippage_vs_leader_percent, 4) as slippage_percent from walltrack.copied_trades order by wallet_label");
    show("circuit breaker", "select circuit_breaker_active, circuit_breaker_activated_at from walltrack.config");
    show("shadow book: skipped BUYs and what they would have made (walltrack.shadow_book)", "select wallet_label, filter_reason, exit_strategy, round(leader_price_usd, 6) as leader_usd, would_have_outcome, would_have_pnl_percent, would_have_pnl_usd from walltrack.shadow_book order by signal_at");
    show("what each filter saved or cost (walltrack.shadow_book_by_filter)", "select filter_reason, wallet_label, skipped_buys, would_have_won, would_have_lost, would_have_pnl_usd, filter_saved_usd from walltrack.shadow_book_by_filter order by filter_reason, wallet_label");
    console.log("\n== replay of the recorded signals through every exit template (npm run replay -- --strategy all)");
    console.log((await operator(["replay", "--strategy", "all", "--db-url", db.url])).output);
    console.log(`\ndemo: done. The demo database stays up for you to inspect:\n  psql ${db.url}\nRemove it with: npm run demo:stop`);
  } finally {
    await sql.end();
    await stack.stop({ keepDatabase: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
