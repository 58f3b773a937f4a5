// npm run dashboard in a real browser (Debian's chromium, driven by playwright-core) against the
// stack under test: every figure the page shows is the database's own, to the character, read back
// from the tables (not from the views the page reads); a hostile token symbol and wallet label are
// shown as text and run nothing; the page follows the database without a reload; and the server
// only reads, only on 127.0.0.1. Saves a screenshot (WALLTRACK_DASHBOARD_SCREENSHOT, else
// .walltrack/dashboard.png); the README's is docs/dashboard.png, made the same way.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Dashboard, startDashboard } from "../../scripts/dashboard.ts";
import { repoRoot, stateDir } from "../../scripts/lib/paths.ts";
import { connect, positionAtOneDollar, stack } from "./stack.ts";

const CHROMIUM = process.env.WALLTRACK_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOT = path.resolve(repoRoot, process.env.WALLTRACK_DASHBOARD_SCREENSHOT ?? path.join(stateDir, "dashboard.png"));
const HOSTILE_SYMBOL = `<img src=x onerror="window.__pwned='symbol'">`;
const HOSTILE_LABEL = `</td><script>window.__pwned='label'</script>`;

const sql = connect();
let dashboard: Dashboard;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run and npm test as root do)`);
  }
  dashboard = await startDashboard({ dbUrl: stack.dbUrl, port: 0, refreshSeconds: 1 });
  browser = await chromium.launch({ executablePath: CHROMIUM });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // A script error or a refused resource (CSP) is a failure of the page, whatever it then shows.
  page.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(dashboard.url);
  await page.waitForSelector("#equity-totals tr", { timeout: 15_000 });
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await sql.end();
});

// What the page shows, as text.
async function shown() {
  return await page.evaluate(() => {
    const rows = (id: string) => [...document.querySelectorAll(`#${id} tr`)] as HTMLElement[];
    const field = (row: HTMLElement, name: string) => row.querySelector(`[data-field="${name}"]`)?.textContent ?? null;
    return {
      equity: rows("equity-totals").map((r) => [field(r, "mode"), field(r, "closed_positions"), field(r, "realized_pnl_usd")]),
      open: document.getElementById("positions-count")!.textContent,
      positions: rows("positions-rows").map((r) => [r.dataset.key, field(r, "current_price"), field(r, "pnl_usd"), field(r, "stop_loss_price")]),
      funnel: rows("funnel-days").map((r) => [field(r, "day"), field(r, "received"), field(r, "positions_opened")]),
      leaderboard: rows("leaderboard-rows").map((r) => [r.dataset.key, field(r, "total_pnl_usd")]),
      breaker: rows("breaker").map((r) => [field(r, "mode"), field(r, "state")!.split(":")[0]]),
      jobs: rows("jobs").map((r) => field(r, "jobname")),
    };
  });
}

// The same figures from the tables, computed here (rounded for reading as the page does).
async function stored(positionIds: string[], addresses: string[]) {
  const equity = await sql`select mode, count(*)::text as n, round(sum(realized_pnl_usd), 2)::text as pnl
                           from walltrack.positions where status = 'closed' group by mode order by mode`;
  const [{ open }] = await sql`select count(*)::text as open from walltrack.positions where status = 'open'`;
  const positions = await sql`
    select p.id::text, trim_scale(round(p.current_price, 12))::text as price, round(p.current_pnl_usd, 2)::text as pnl,
           trim_scale(round(walltrack.stop_loss_price(p, walltrack.position_strategy(p)), 12))::text as stop
    from walltrack.positions p where p.id = any(${positionIds}::uuid[])`;
  // The page writes an absent value (a position not filled yet has no price) as a dash.
  const byId = new Map(positions.map((p) => [p.id, [p.id, p.price ?? "—", p.pnl, p.stop ?? "—"]]));
  const funnel = await sql`
    select (webhook_received_at at time zone 'UTC')::date::text as day, count(*)::text as received,
           count(*) filter (where position_created)::text as opened
    from walltrack.signals group by 1 order by 1 desc limit 7`;
  const leaders = await sql`select w.address, round(pf.total_pnl_usd, 2)::text as pnl
                            from walltrack.performance pf join walltrack.wallets w on w.id = pf.wallet_id
                            where w.address = any(${addresses})`;
  const pnlOf = new Map(leaders.map((l) => [l.address, l.pnl]));
  const breaker = await sql`
    select m.mode, exists (select 1 from walltrack.circuit_breaker_events e where e.mode = m.mode
                           and e.event_type = 'activated' and e.deactivated_at is null) as active
    from (values ('live'), ('simulation')) m(mode) order by m.mode desc`;
  const jobs = await sql`select jobname from cron.job where jobname like 'walltrack-%' order by jobname`;
  const shownPositions = Math.min(Number(open), 100);
  return {
    equity: equity.map((e) => [e.mode, e.n, e.pnl]),
    open: `${open} open${Number(open) > shownPositions ? `, the ${shownPositions} latest shown` : ""}`,
    positions: positionIds.map((id) => byId.get(id) ?? [id, "gone", "gone", "gone"]),
    funnel: funnel.map((f) => [f.day, f.received, f.opened]),
    leaderboard: addresses.map((a) => [a, pnlOf.get(a) ?? "not a leader"]),
    breaker: breaker.map((b) => [b.mode, b.active ? "ACTIVE" : "off"]),
    jobs: jobs.map((j) => j.jobname),
  };
}

// The page reads the database every second while pg_cron may move prices: compare the two until
// they agree (or for 15 s), then assert, so a difference is reported in full.
async function pageAgreesWithTheDatabase() {
  let last: [unknown, unknown] = [null, undefined];
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const onPage = await shown();
    const inDb = await stored(onPage.positions.map((p) => p[0]!), onPage.leaderboard.map((l) => l[0]!));
    last = [onPage, inDb];
    if (JSON.stringify(onPage) === JSON.stringify(inDb)) break;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  expect(last[0]).toEqual(last[1]);
  return last[0] as Awaited<ReturnType<typeof shown>>;
}

test("every figure on the page is the database's, to the character; the chart is drawn; a screenshot is saved", async () => {
  const onPage = await pageAgreesWithTheDatabase();
  // The mock data closes positions in both modes and leaves some open: nothing here is vacuous.
  expect(onPage.equity.map((e) => e[0])).toEqual(["live", "simulation"]);
  expect(onPage.positions.length).toBeGreaterThan(0);
  expect(onPage.funnel.length).toBeGreaterThan(0);
  expect(onPage.leaderboard.length).toBeGreaterThan(0);
  expect(onPage.jobs.length).toBeGreaterThan(0);
  expect(await page.locator("#equity-chart canvas").count()).toBe(1);
  expect(problems).toEqual([]);
  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  expect(readFileSync(SCREENSHOT).subarray(1, 4).toString()).toBe("PNG");
});

test("a hostile token symbol and wallet label are shown as text and run nothing; the page follows the database without a reload", async () => {
  const { positionId, mint } = await positionAtOneDollar(sql);
  await sql`update walltrack.tokens set symbol = ${HOSTILE_SYMBOL} where address = ${mint}`;
  await sql`update walltrack.wallets w set label = ${HOSTILE_LABEL} from walltrack.positions p
            where p.id = ${positionId} and w.id = p.wallet_id`;
  const row = page.locator(`#positions-rows tr[data-key="${positionId}"]`);
  await row.waitFor({ timeout: 10_000 });
  expect(await row.locator('[data-field="symbol"]').textContent()).toBe(HOSTILE_SYMBOL);
  expect(await row.locator('[data-field="wallet"]').textContent()).toBe(HOSTILE_LABEL);
  expect(await page.locator("main img, main script").count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  await pageAgreesWithTheDatabase();
  expect(problems).toEqual([]);
});

// The notify migration's outbox and view (walltrack.notifications, walltrack.recent_notifications),
// as its interface names them: a stand-in of this test's own until a database has them.
const STAND_IN = [
  `create table walltrack.notifications (id uuid primary key default gen_random_uuid(), event_type text not null,
     severity text not null, title text not null, body text not null, details jsonb not null default '{}',
     dedupe_key text not null unique, created_at timestamptz not null default now())`,
  `create view walltrack.recent_notifications as
     select id, created_at, event_type, severity, title, body, details,
            case when severity = 'critical' then '{"telegram": "failed", "discord": "delivered"}'::jsonb else '{}'::jsonb end as deliveries
     from walltrack.notifications where created_at > now() - interval '7 days'`,
];

test("recent notifications are shown as the database holds them, as text, once walltrack.recent_notifications exists", async () => {
  const section = page.locator("#notifications");
  const [{ present }] = await sql`select to_regclass('walltrack.recent_notifications') is not null as present`;
  if (!present) {
    expect(await section.isVisible()).toBe(false);
    for (const statement of STAND_IN) await sql.unsafe(statement);
  }
  try {
    const tag = `dashboard-test-${Date.now()}`;
    const ids = await sql`
      insert into walltrack.notifications (event_type, severity, title, body, dedupe_key, created_at) values
        ('position_opened', 'info', ${HOSTILE_SYMBOL}, ${`bought ${HOSTILE_LABEL}\nfor 1,000.00 USD`}, ${`${tag}-1`}, now() + interval '1 minute'),
        ('breaker_tripped', 'critical', 'breaker tripped (live)', 'max_drawdown', ${`${tag}-2`}, now() + interval '2 minutes')
      returning id::text`;
    await page.locator(`#notifications-rows tr[data-key="${ids[0].id}"]`).waitFor({ timeout: 10_000 });
    const onPage = await page.locator("#notifications-rows tr").evaluateAll((trs) =>
      trs.slice(0, 2).map((tr) => [(tr as HTMLElement).dataset.key, ...[...tr.querySelectorAll("td")].map((td) => td.textContent)]));
    const inDb = await sql`
      select id::text, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at, event_type, severity, title,
             left(body, 300) as body,
             coalesce((select string_agg(d.key || ' ' || d.value, ', ' order by d.key) from jsonb_each_text(deliveries) d), '—') as deliveries
      from walltrack.recent_notifications where id = any(${ids.map((i) => i.id)}::uuid[]) order by created_at desc`;
    expect(onPage).toEqual(inDb.map((n) => [n.id, n.at, n.event_type, n.severity, n.title, n.body, n.deliveries]));
    expect(onPage[1][4]).toBe(HOSTILE_SYMBOL);
    expect(await page.locator("main img, main script").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  } finally {
    if (!present) for (const relation of ["view walltrack.recent_notifications", "table walltrack.notifications"]) await sql.unsafe(`drop ${relation}`);
  }
  if (!present) await expect.poll(async () => await section.isVisible(), { timeout: 10_000 }).toBe(false);
  expect(problems).toEqual([]);
});

function request(method: string, pathname: string, host: string): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: "127.0.0.1", port: dashboard.port, method, path: pathname, headers: { host } }, (response) => {
      response.resume();
      resolve({ status: response.statusCode!, headers: response.headers });
    });
    r.on("error", reject);
    r.end();
  });
}

test("the server only reads, only on 127.0.0.1, only for this machine's names, and its session refuses writes", async () => {
  const own = `127.0.0.1:${dashboard.port}`;
  const page200 = await request("GET", "/", own);
  expect(page200.status).toBe(200);
  expect(page200.headers["content-security-policy"]).toContain("script-src 'self'");
  for (const method of ["POST", "PUT", "PATCH", "DELETE"]) expect((await request(method, "/api/snapshot", own)).status).toBe(405);
  expect((await request("GET", "/api/snapshot", `localhost:${dashboard.port}`)).status).toBe(200);
  // DNS rebinding: another name pointed at 127.0.0.1 gets nothing.
  expect((await request("GET", "/api/snapshot", `attacker.example:${dashboard.port}`)).status).toBe(421);
  expect((await request("GET", "/../package.json", own)).status).toBe(404);
  // Bound to 127.0.0.1 alone: another loopback address of this machine finds no server there.
  await expect(new Promise((resolve, reject) => {
    const socket = net.connect(dashboard.port, "127.0.0.2", () => { socket.destroy(); resolve("connected"); });
    socket.on("error", reject);
  })).rejects.toThrow(/ECONNREFUSED/);
  await expect(dashboard.sql`update walltrack.config set capital_usd = capital_usd`).rejects.toMatchObject({ code: "25006" });
});

test("the page's script never writes markup: text only", () => {
  const script = readFileSync(path.join(repoRoot, "scripts/dashboard/dashboard.js"), "utf8");
  expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
});
