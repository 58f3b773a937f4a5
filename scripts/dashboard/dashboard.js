// The dashboard's page: reads /api/snapshot again and again and writes what it holds into the
// tables. Every value from the database goes into the page as text (textContent, dataset), never
// as markup: a token symbol or a wallet label is whatever someone on chain or at the keyboard chose.
// Figures are shown as the database wrote them; the chart alone turns them into numbers, to draw.
"use strict";

const DASH = "—";
let chart = null;
let chartData = "";

function element(tag, { text, className, data } = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text === null || text === "" ? DASH : String(text);
  if (className) node.className = className;
  for (const [name, value] of Object.entries(data ?? {})) node.dataset[name] = value;
  return node;
}

// Positive green, negative red, by the sign of the decimal text (no float needed to know it).
function signClass(value) {
  if (value === null || value === undefined) return "num";
  if (value.startsWith("-")) return "num negative";
  return /[1-9]/.test(value) ? "num positive" : "num";
}

// columns: [field, { text(row), className(row) }]; each cell carries data-field for the browser test.
function fillTable(id, rows, key, columns) {
  const body = document.getElementById(id);
  body.replaceChildren(...rows.map((row) => {
    const tr = element("tr", { data: { key: String(row[key]) } });
    for (const [field, how = {}] of columns) {
      const text = how.text ? how.text(row) : row[field];
      const className = how.className ? how.className(row) : how.num ? "num" : undefined;
      tr.append(element("td", { text, className, data: { field } }));
    }
    return tr;
  }));
}

function levelsText(levels) {
  if (!levels || levels.length === 0) return DASH;
  return levels.map((l) => `${l.fired ? "✓" : "·"} ${l.multiplier}x ${l.sell_percent}% @ ${l.trigger_price ?? DASH}`).join("  ");
}

function renderEquity(equity) {
  fillTable("equity-totals", equity.totals, "mode", [
    ["mode"], ["closed_positions", { num: true }],
    ["realized_pnl_usd", { className: (r) => signClass(r.realized_pnl_usd) }],
  ]);
  const modes = [...new Set(equity.points.map((p) => p.mode))];
  document.getElementById("equity-empty").hidden = modes.length > 0;
  const key = JSON.stringify(equity.points);
  if (key === chartData) return;
  chartData = key;
  const target = document.getElementById("equity-chart");
  if (chart) chart.destroy();
  chart = null;
  if (modes.length === 0 || typeof uPlot === "undefined") return;
  // Drawing only: pixels need numbers. The exact totals are the table above.
  const tables = modes.map((mode) => {
    const points = equity.points.filter((p) => p.mode === mode);
    return [points.map((p) => Number(p.at)), points.map((p) => Number(p.cumulative_pnl_usd))];
  });
  const colors = { simulation: "#3b82f6", live: "#f97316" };
  chart = new uPlot({
    width: Math.max(320, target.clientWidth || 800),
    height: 240,
    series: [{}, ...modes.map((mode) => ({
      label: mode, stroke: colors[mode] ?? "#888", width: 2, spanGaps: true,
      paths: uPlot.paths.stepped({ align: 1 }),
      value: (_u, v) => (v === null || v === undefined ? DASH : v.toFixed(2)),
    }))],
    axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}`) }],
  }, uPlot.join(tables), target);
}

function renderBreaker(rows) {
  fillTable("breaker", rows, "mode", [
    ["mode"],
    ["state", {
      text: (r) => r.is_active ? `ACTIVE: ${r.reason} since ${r.since}${r.unlock_at ? `, unlocks ${r.unlock_at}` : ""}` : "off",
      className: (r) => r.is_active ? "bad" : "good",
    }],
    ["drawdown_percent", { text: (r) => `${r.drawdown_percent ?? DASH} / ${r.max_drawdown_percent}`, num: true }],
    ["daily_realized_pnl_usd", { text: (r) => `${r.daily_realized_pnl_usd} / -${r.daily_loss_limit_usd}`, num: true }],
    ["consecutive_losses", { text: (r) => `${r.consecutive_losses} / ${r.max_consecutive_losses}`, num: true }],
    ["win_rate_percent", { text: (r) => `${r.win_rate_percent ?? DASH} / ${r.min_win_rate_percent}`, num: true }],
  ]);
}

function renderHealth(jobs, calls) {
  fillTable("jobs", jobs, "jobname", [
    ["jobname"], ["schedule"], ["last_run_at"], ["last_status"], ["failures_24h", { num: true }],
    ["problem", { className: (r) => r.problem ? "bad" : undefined }],
  ]);
  fillTable("calls", calls, "function_name", [
    ["function_name"], ["last_call_at"], ["last_outcome"], ["failures_1h", { num: true }], ["failures_24h", { num: true }],
    ["problem", { className: (r) => r.problem ? "bad" : undefined }],
  ]);
}

function renderFunnel(days) {
  fillTable("funnel-days", days, "day", [
    ["day"], ["received", { num: true }], ["buys", { num: true }], ["sells", { num: true }], ["filtered", { num: true }],
    ["positions_opened", { num: true }], ["positions_closed", { num: true }], ["conversions", { num: true }],
    ["unprocessed", { num: true }],
    ["filtered_by_reason", {
      text: (r) => Object.entries(JSON.parse(r.filtered_by_reason)).map(([reason, n]) => `${reason} ${n}`).join(", "),
    }],
  ]);
}

function renderPositions(snapshot) {
  const levels = {};
  for (const level of snapshot.levels) (levels[level.position_id] ??= []).push(level);
  const shown = snapshot.positions.length;
  document.getElementById("positions-count").textContent =
    `${snapshot.open_positions} open${Number(snapshot.open_positions) > shown ? `, the ${shown} latest shown` : ""}`;
  fillTable("positions-rows", snapshot.positions, "position_id", [
    ["symbol", { text: (r) => r.symbol ?? r.token }], ["wallet", { text: (r) => r.wallet ?? r.wallet_address }], ["mode"],
    ["entry_price", { num: true }], ["current_price", { num: true }], ["entry_value_usd", { num: true }],
    ["pnl_usd", { className: (r) => signClass(r.pnl_usd) }], ["pnl_percent", { className: (r) => signClass(r.pnl_percent) }],
    ["stop_loss_price", { num: true }],
    ["trailing_stop_price", { text: (r) => r.trailing_stop_armed ? r.trailing_stop_price : "not armed", num: true }],
    ["levels", { text: (r) => levelsText(levels[r.position_id]) }],
    ["exit_in_flight"], ["entered_at"],
  ]);
}

function renderLeaderboard(rows) {
  fillTable("leaderboard-rows", rows, "address", [
    ["rank", { num: true }], ["wallet", { text: (r) => r.wallet ?? r.address }], ["mode"],
    ["total_positions", { num: true }], ["win_rate", { num: true }],
    ["total_pnl_usd", { className: (r) => signClass(r.total_pnl_usd) }], ["profit_factor", { num: true }],
    ["median_decision_delay_seconds", { num: true }], ["median_fill_delay_seconds", { num: true }],
    ["median_slippage_vs_leader_percent", { num: true }],
  ]);
}

function renderNotifications(rows) {
  const section = document.getElementById("notifications");
  section.hidden = rows === null;
  if (rows === null) return;
  fillTable("notifications-rows", rows, "id", [
    ["created_at"], ["event_type"],
    ["severity", { className: (r) => r.severity === "critical" ? "bad" : undefined }],
    ["title"], ["body"], ["deliveries"],
  ]);
}

function render(snapshot) {
  renderEquity(snapshot.equity);
  renderBreaker(snapshot.breaker);
  renderHealth(snapshot.jobs, snapshot.calls);
  renderFunnel(snapshot.funnel);
  renderPositions(snapshot);
  renderLeaderboard(snapshot.leaderboard);
  renderNotifications(snapshot.notifications);
  const updated = document.getElementById("updated");
  updated.textContent = `as of ${snapshot.at} UTC, every ${snapshot.refresh_seconds} s`;
  updated.dataset.at = snapshot.at;
}

function showProblem(text) {
  const problem = document.getElementById("problem");
  problem.hidden = text === null;
  problem.textContent = text ?? "";
}

async function refresh() {
  let wait = 5;
  try {
    const response = await fetch("/api/snapshot", { cache: "no-store" });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    wait = body.refresh_seconds;
    render(body);
    showProblem(null);
  } catch (error) {
    // The last figures stay, marked stale, until the database answers again.
    showProblem(`not refreshed: ${error.message}`);
  }
  setTimeout(refresh, wait * 1000);
}

refresh();
