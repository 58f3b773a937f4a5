// The operator's npm commands against the test database: each does what it says, and bad input gets
// a clear message, exit status 2, and changes nothing.
import { afterAll, expect, test } from "vitest";
import { connect, freshAddress, op } from "./stack.ts";

const sql = connect();
afterAll(() => sql.end());

const snapshot = () => sql`select (select count(*) from walltrack.wallets) w, (select count(*) from walltrack.orders) o,
                                  (select string_agg(coalesce(exit_strategy_override::text, ''), ',' order by id) from walltrack.positions) ov,
                                  (select string_agg(mint || list || kind, ',' order by mint) from walltrack.token_lists) tl`;

test("wallet:add adds a pending wallet with its mode and strategy; wallet:set and deactivate change it", async () => {
  const valid = (await import("@solana/web3.js")).Keypair.generate().publicKey.toBase58();
  const added = await op("wallet:add", valid, "--label", "cli test", "--mode", "live", "--strategy", "Conservative", "--source", "twitter");
  expect(added).toMatchObject({ code: 0 });
  expect(added.out).toContain(`added ${valid} (live)`);
  const [wallet] = await sql`select w.mode, w.label, w.discovery_source, w.helius_sync_status, e.name
                             from walltrack.wallets w join walltrack.exit_strategies e on e.id = w.exit_strategy_id where address = ${valid}`;
  expect(wallet).toEqual({ mode: "live", label: "cli test", discovery_source: "twitter", helius_sync_status: "pending", name: "Conservative" });

  expect((await op("wallet:set", valid, "--mode", "simulation", "--strategy", "Aggressive")).code).toBe(0);
  const [after] = await sql`select w.mode, e.name from walltrack.wallets w join walltrack.exit_strategies e on e.id = w.exit_strategy_id where address = ${valid}`;
  expect(after).toEqual({ mode: "simulation", name: "Aggressive" });
  expect((await op("wallet:deactivate", valid)).code).toBe(0);
  const [inactive] = await sql`select is_active from walltrack.wallets where address = ${valid}`;
  expect(inactive.is_active).toBe(false);
});

test("bad input is refused with a clear message, exit status 2, and nothing changes", async () => {
  const watched = freshAddress();
  await sql`select walltrack.add_wallet(${watched}, 'already watched')`;
  const seenMint = freshAddress();
  await sql`insert into walltrack.tokens (address) values (${seenMint})`;
  const valid = (await import("@solana/web3.js")).Keypair.generate().publicKey.toBase58();
  const before = await snapshot();
  const cases: [string[], RegExp][] = [
    [["wallet:add", "0OIl-not-base58"], /not a Solana address/],
    [["wallet:add", "1111"], /not a Solana address/],
    [["wallet:add", watched], /already on the watchlist/],
    [["wallet:add", valid, "--mode", "yolo"], /--mode must be one of simulation, live/],
    [["wallet:add", valid, "--strategy", "Nope"], /no active exit strategy named Nope/],
    [["wallet:add", "11111111111111111111111111111111"], /is the System Program \(a program\), not a wallet: refused/],
    [["wallet:add", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"], /SPL Token program \(a program\), not a wallet/],
    [["wallet:add", "SysvarRent111111111111111111111111111111111"], /is a sysvar, not a wallet/],
    [["wallet:add", "SysvarC1ock11111111111111111111111111111111"], /is a sysvar, not a wallet/],
    [["wallet:add", "So11111111111111111111111111111111111111112"], /wrapped SOL mint \(a token mint\), not a wallet/],
    [["wallet:add", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"], /USDC mint \(a token mint\), not a wallet/],
    [["wallet:add", seenMint], /is a token mint WallTrack has seen, not a wallet/],
    [["wallet:set", watched], /nothing to set/],
    [["wallet:deactivate", "So11111111111111111111111111111111111111112"], /is not on the watchlist/],
    [["position:override", "not-a-uuid", "{}"], /not a position id/],
    [["position:override", "00000000-0000-4000-8000-000000000000", "{bad json"], /not JSON/],
    [["position:override", "00000000-0000-4000-8000-000000000000", '{"take_profit": 3}'], /unknown strategy field\(s\): take_profit/],
    [["position:override", "00000000-0000-4000-8000-000000000000", '{"stop_loss_percent": 150}'], /invalid override/],
    [["position:override", "00000000-0000-4000-8000-000000000000", '{"scaling_levels": [{"multiplier": 2, "sell_percent": 50, "x": 1}]}'],
     /invalid override .*no other key/],
    [["position:override", "00000000-0000-4000-8000-000000000000",
      JSON.stringify({ scaling_levels: Array.from({ length: 11 }, (_, k) => ({ multiplier: 2 + k, sell_percent: 1 })) })], /at most 10/],
    [["position:override", "00000000-0000-4000-8000-000000000000", '{"stop_loss_percent": 5}'], /no position/],
    [["position:close", "00000000-0000-4000-8000-000000000000"], /no position/],
    [["position:max-hold", "00000000-0000-4000-8000-000000000000", "1.5"], /whole minutes or none/],
    [["wallet:add"], /missing the wallet address/],
    [["token:deny"], /missing the token mint/],
    [["token:deny", "not-a-mint"], /not a Solana address/],
    [["token:deny", "So11111111111111111111111111111111111111112"], /SOL \(wrapped SOL mint\), a quote trades are priced in/],
    [["token:allow", "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"], /USDC, a quote trades are priced in/],
    [["token:deny", "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"], /SPL Token program \(a program\), not a token mint/],
    [["token:deny", valid, "--kind", "memecoin"], /--kind must be one of operator, stablecoin, liquid_staking, wrapped_major/],
    [["token:allow", valid, "--kind", "stablecoin"], /the allow list takes no quote-like --kind/],
    [["token:deny", watched], /is a watched wallet, not a token mint/],
    [["token:remove", valid], /is on no token list/],
    [["token:list", "--list", "maybe"], /--list must be one of deny, allow/],
    [["no-such-command"], /unknown command/],
    [["status", "--bogus"], /Unknown option/],
  ];
  for (const [args, message] of cases) {
    const result = await op(...args);
    expect(result.code, args.join(" ")).toBe(2);
    expect(result.out).toMatch(message);
  }
  expect(await snapshot()).toEqual(before);
}, 60_000); // about 25 CLI processes, each a tsx start

test("position:override merges over the snapshot and position:close creates one manual exit", async () => {
  // A simulation position: the seed's live one would have its manual exit refused at once (mock data
  // never trades live), leaving nothing in flight for the second close to bump into.
  const [position] = await sql`select id from walltrack.positions where status = 'open' and current_amount > 0
                               and mode = 'simulation'
                               and not exists (select 1 from walltrack.orders o where o.position_id = positions.id
                                               and o.order_type <> 'entry' and o.status in ('pending', 'submitted')) limit 1`;
  const overridden = await op("position:override", position.id, '{"stop_loss_percent": 7.5}');
  expect(overridden.code).toBe(0);
  expect(overridden.out).toContain('"stop_loss_percent":7.5');
  const [row] = await sql`select exit_strategy_override from walltrack.positions where id = ${position.id}`;
  expect(row.exit_strategy_override).toMatchObject({ stop_loss_percent: 7.5 });

  const held = await op("position:max-hold", position.id, "600000");
  expect(held.code).toBe(2);
  expect(held.out).toMatch(/between 1 and 525600/);
  const limited = await op("position:max-hold", position.id, "525600");
  expect(limited.code).toBe(0);
  expect(limited.out).toContain('"max_hold_minutes":525600');
  expect(limited.out).toContain('"stop_loss_percent":7.5');
  expect((await op("position:max-hold", position.id, "none")).out).toContain('"max_hold_minutes":null');

  const closed = await op("position:close", position.id);
  expect(closed.code).toBe(0);
  const orders = await sql`select order_type from walltrack.orders where position_id = ${position.id} and order_type = 'exit_manual'`;
  expect(orders.length).toBeGreaterThanOrEqual(1);
  const again = await op("position:close", position.id);
  expect(again.code).toBe(2);
  expect(again.out).toMatch(/already has an exit in flight|holds nothing/);
});

test("breaker:reset ends an active breaker; status reports it", async () => {
  await sql`select walltrack.activate_circuit_breaker('manual', 'simulation')`;
  const status = JSON.parse((await op("status")).out);
  expect(status.circuit_breaker).toMatchObject({ active: true, reason: "manual" });
  expect(status).toHaveProperty("open_positions");
  expect(status).toHaveProperty("realized_pnl_today_usd");
  expect(status).toHaveProperty("webhook_last_signal_at");
  expect(status.cron.map((j: { job: string }) => j.job)).toContain("walltrack-price-monitor");
  const reset = await op("breaker:reset");
  expect(reset).toMatchObject({ code: 0 });
  expect(reset.out).toContain("circuit breaker reset");
  const [{ active }] = await sql`select circuit_breaker_active as active from walltrack.config`;
  expect(active).toBe(false);
  expect((await op("breaker:reset")).out).toContain("was not active");
});

test("token:deny, token:allow, token:list and token:remove keep the token lists", async () => {
  const shipped = await op("token:list", "--list", "deny");
  expect(shipped.code).toBe(0);
  expect(shipped.out).toMatch(/deny\twrapped_major\tWETH\t7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs/);
  expect(shipped.out).toMatch(/deny\tliquid_staking\tJitoSOL\tJ1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn/);
  expect(shipped.out).toMatch(/deny\tstablecoin\tPYUSD\t2b1kV6DkPAnxd5ixfnxCpjxmKwqjjaYmCZfHsFu24GXo/);
  expect((await op("token:list", "--list", "allow")).out).toContain("the allow list is empty");

  const stable = freshAddress();
  const added = await op("token:deny", stable, "--kind", "stablecoin", "--symbol", "XUSD", "--note", "a new stablecoin");
  expect(added).toMatchObject({ code: 0 });
  expect(added.out).toContain("added");
  expect(added.out).toContain("conversions");
  const [entry] = await sql`select list, kind, symbol, note from walltrack.token_lists where mint = ${stable}`;
  expect(entry).toEqual({ list: "deny", kind: "stablecoin", symbol: "XUSD", note: "a new stablecoin" });
  // Listed again, the entry moves: one mint, one list.
  const moved = await op("token:allow", stable);
  expect(moved.out).toContain("moved from deny (stablecoin)");
  const [after] = await sql`select list, kind, symbol from walltrack.token_lists where mint = ${stable}`;
  expect(after).toEqual({ list: "allow", kind: "operator", symbol: "XUSD" });
  // The allow list is global: emptied again before anything else is decided.
  const removed = await op("token:remove", stable);
  expect(removed).toMatchObject({ code: 0 });
  expect(removed.out).toContain("removed " + stable + " from the allow list");
  expect(await sql`select 1 from walltrack.token_lists where mint = ${stable}`).toHaveLength(0);

  const denied = freshAddress();
  expect((await op("token:deny", denied)).out).toContain("token_denied");
  expect((await sql`select kind from walltrack.token_lists where mint = ${denied}`)[0].kind).toBe("operator");
  expect((await op("token:remove", denied)).code).toBe(0);
});

test("strategy:mirror sets a template's mirror mode, share and fallback; fee:priority the live swaps' priority fee; bad values change nothing", async () => {
  const name = `CLI mirror ${freshAddress().slice(0, 8)}`;
  await sql`insert into walltrack.exit_strategies (name, stop_loss_percent, trailing_stop_percent) values (${name}, 20, 15)`;
  const set = await op("strategy:mirror", name, "--mode", "proportional", "--share", "60", "--fallback", "none");
  expect(set).toMatchObject({ code: 0 });
  expect(set.out).toContain(`${name}: mirror proportional, share 60 %, fallback none`);
  const refused = await op("strategy:mirror", name, "--share", "0");
  expect(refused.code).toBe(2);
  expect(refused.out).toContain("exit_strategies_mirror_share_percent_check");
  const [template] = await sql`select mirror_mode, mirror_share_percent, mirror_fallback from walltrack.exit_strategies where name = ${name}`;
  expect(template).toEqual({ mirror_mode: "proportional", mirror_share_percent: "60.00", mirror_fallback: "none" });

  // The product setting, set again to what it is (other suites run beside this one), then a cap the
  // CHECK constraint refuses.
  const fee = await op("fee:priority", "--mode", "dynamic", "--level", "veryHigh", "--max-lamports", "1000000");
  expect(fee).toMatchObject({ code: 0 });
  expect(fee.out).toContain('{"priorityLevelWithMaxLamports":{"maxLamports":1000000,"priorityLevel":"veryHigh"}}');
  const tooMuch = await op("fee:priority", "--max-lamports", "200000000");
  expect(tooMuch.code).toBe(2);
  expect(tooMuch.out).toContain("config_priority_fee_max_lamports_check");
  const [{ request }] = await sql`select walltrack.priority_fee_request() as request`;
  expect(request).toEqual({ priorityLevelWithMaxLamports: { priorityLevel: "veryHigh", maxLamports: 1000000 } });
}, 60_000);
test("risk:set, leader:limits, leader:pause, leader:risk and leader:unpause set the limits and show and end a pause", async () => {
  const leader = (await import("@solana/web3.js")).Keypair.generate().publicKey.toBase58();
  await sql`select walltrack.add_wallet(${leader}, 'cli risk')`;
  const [before] = await sql`select leader_loss_window_hours, sell_check_max_round_trip_loss_percent from walltrack.config`;
  try {
    const set = await op("risk:set", "leader_loss_window_hours=48", "sell_check_max_round_trip_loss_percent=7.5");
    expect(set.code).toBe(0);
    expect(set.out).toContain("leader_loss_window_hours\t48");
    const refused = await op("risk:set", "sell_check_max_round_trip_loss_percent=0");
    expect(refused).toMatchObject({ code: 2 });
    expect(refused.out).toContain("config_sell_check_max_round_trip_loss_percent_check");
    expect((await sql`select sell_check_max_round_trip_loss_percent as v from walltrack.config`)[0].v).toBe("7.50");

    expect((await op("leader:limits", leader, "max_open_positions=2", "max_exposure_usd=1500")).out)
      .toContain(`${leader}: max_open_positions 2, max_exposure_usd 1500.00, pause_after_losses default, loss_limit_usd default`);
    expect((await op("leader:limits", leader, "max_positions=2"))).toMatchObject({ code: 2 });
    expect((await op("leader:pause", leader, "30")).out).toContain(`${leader} paused until`);
    const risk = await op("leader:risk");
    expect(risk.out).toMatch(new RegExp(`${leader}\tcli risk\t2\t1500.00\t.*\tmanual\t`));
    expect((await op("leader:unpause", leader)).out).toContain("unpaused");
    expect(await op("leader:unpause", leader)).toMatchObject({ code: 2 });
    const events = await sql`select e.event_type from walltrack.leader_pause_events e join walltrack.wallets w on w.id = e.wallet_id
                             where w.address = ${leader} order by e.created_at`;
    expect(events.map((e) => e.event_type)).toEqual(["paused", "unpaused"]);
  } finally {
    await sql`update walltrack.config set leader_loss_window_hours = ${before.leader_loss_window_hours},
              sell_check_max_round_trip_loss_percent = ${before.sell_check_max_round_trip_loss_percent}`;
  }
}, 90_000);

test("replay prints a table per exit template, only the one asked for with --strategy NAME, and refuses bad input", { timeout: 60_000 }, async () => {
  // A leader of the seed (three positions), so that other tests' trades stay out of the figures.
  const leader = "GuY7uqP5RLGpeHi2z3fGBhgyoysWyfdp8XoYfntkLkxp";
  const all = await op("replay", "--strategy", "all", "--since", "30d", "--slippage", "1", "--wallet", leader);
  expect(all.code).toBe(0);
  for (const template of ["Aggressive", "Conservative", "Default"]) {
    expect(all.out).toContain(`${template} (since 30d, entry 0 s after the leader, slippage 1 %)`);
  }
  // The tables print walltrack.replay_report, row for row.
  const [total] = await sql`select trades::text, pnl_usd::text from walltrack.replay_report('Default', '30 days', ${leader}, 0, 1)
                            where wallet_address is null`;
  expect(total.trades).toBe("3");
  const defaultTable = all.out.slice(all.out.indexOf("Default ("));
  expect(defaultTable).toMatch(new RegExp(`^all leaders +3 +\\S+ +${total.pnl_usd.replace(".", "\\.")} `, "m"));
  const one = await op("replay", "--strategy", "Default", "--since", "30d", "--latency", "5", "--wallet", leader);
  expect(one.code).toBe(0);
  expect(one.out).not.toContain("Aggressive (");
  expect(one.out).toContain("Default (since 30d, entry 5 s after the leader, slippage 1.00 % (config))");
  expect((await op("replay", "--wallet", freshAddress())).out).toContain("nothing to replay");

  const cases: [string[], RegExp][] = [
    [["replay", "--strategy", "Nope"], /no exit strategy named Nope/],
    [["replay", "--since", "7 days"], /--since must be a number of days, hours or minutes/],
    [["replay", "--latency=-5"], /--latency must be a non-negative decimal number/],
    [["replay", "--slippage", "abc"], /--slippage must be a non-negative decimal number/],
    [["replay", "--wallet", "nope"], /not a Solana address/],
  ];
  for (const [args, message] of cases) {
    const result = await op(...args);
    expect(result.code, args.join(" ")).toBe(2);
    expect(result.out).toMatch(message);
  }
});
