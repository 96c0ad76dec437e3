// The manager's dashboard of dealercrm (issue 13): plan progress, the funnel, conversion by source and by manager,
// reserved cars, today's test drives and service appointments. It calls only the public JSON API of the server
// it is served from, with the bearer token entered once and kept in this tab's sessionStorage. Charts are drawn
// with the vendored Chart.js; beside every chart a table holds the same figures (for screen readers, for copying,
// and for the browser test, which reads them from data-* attributes).
"use strict";

const TEXT = {
  ru: {
    title: "Панель руководителя", skip: "Перейти к содержимому", login: "Вход",
    loginHelp: "Введите токен API один раз: он хранится только в этой вкладке (sessionStorage).",
    token: "Токен API", enter: "Войти", logout: "Выйти", dealer: "Дилер", day: "День",
    plans: "Выполнение планов продаж", plansCaption: "Выполнение, % (по выручке, если она задана в плане)",
    funnel: "Воронка продаж", funnelCaption: "Открытые сделки по этапам",
    bySource: "Конверсия по источникам", byManager: "Конверсия по менеджерам",
    conversionCaption: "Лиды за месяц → сделки → выигранные",
    reserved: "Зарезервированные автомобили", drives: "Тест-драйвы сегодня", service: "Сервисные записи сегодня",
    loading: "Загрузка…", ready: "Данные обновлены", refused: "Токен не принят", none: "Нет данных",
    plan: "План", period: "Период", targetRevenue: "План, выручка", wonRevenue: "Факт, выручка",
    units: "Продажи (факт / план)", completion: "Выполнение, %", forecast: "Прогноз выручки",
    stage: "Этап", count: "Сделок", amount: "Сумма", key: "Группа", leads: "Лиды", sales: "Сделки", won: "Выиграно",
    leadToWon: "Лид → победа, %", car: "Автомобиль", vin: "VIN", price: "Цена", time: "Время", status: "Статус",
    bay: "Пост", works: "Работ", dealerPlan: "весь дилер", month: "месяц", quarter: "квартал", year: "год",
    chartPlans: "Диаграмма: выполнение планов, %", chartFunnel: "Диаграмма: число открытых сделок по этапам",
    chartSource: "Диаграмма: лиды, сделки и победы по источникам", chartManager: "Диаграмма: лиды, сделки и победы по менеджерам",
    summary: "Итоги месяца", summaryCaption: "Выигранные сделки и тест-драйвы за месяц", figure: "Показатель", value: "Значение",
    wonUnits: "Выиграно сделок", wonRevenueTotal: "Выручка", averageSale: "Средняя сделка", creditShare: "С кредитом, %",
    tradeInShare: "С трейд-ин, %", averageDiscount: "Средняя скидка", testDriveLeads: "Лиды с тест-драйвом",
    testDriveSales: "…из них со сделкой", testDriveWon: "…из них с победой", testDriveToSale: "Тест-драйв → сделка, %",
    response: "Скорость ответа на лиды", responseCaption: "Рабочие минуты до первого ответа, лиды за месяц",
    responded: "Отвечено", withinTarget: "В срок, %", avgMinutes: "Среднее, мин", medianMinutes: "Медиана, мин",
    chartResponse: "Диаграмма: среднее и медиана минут до первого ответа по менеджерам", total: "Итого",
  },
  en: {
    title: "Manager's dashboard", skip: "Skip to content", login: "Sign in",
    loginHelp: "Enter your API token once: it is kept in this tab only (sessionStorage).",
    token: "API token", enter: "Sign in", logout: "Sign out", dealer: "Dealer", day: "Day",
    plans: "Sales plan progress", plansCaption: "Completion, % (by revenue when the plan sets one)",
    funnel: "Sales funnel", funnelCaption: "Open sales by stage",
    bySource: "Conversion by source", byManager: "Conversion by manager",
    conversionCaption: "Leads of the month → sales → won",
    reserved: "Reserved cars", drives: "Today's test drives", service: "Today's service appointments",
    loading: "Loading…", ready: "Figures updated", refused: "The token was refused", none: "No data",
    plan: "Plan", period: "Period", targetRevenue: "Target revenue", wonRevenue: "Won revenue",
    units: "Units (won / target)", completion: "Completion, %", forecast: "Forecast revenue",
    stage: "Stage", count: "Sales", amount: "Amount", key: "Group", leads: "Leads", sales: "Sales", won: "Won",
    leadToWon: "Lead → won, %", car: "Car", vin: "VIN", price: "Price", time: "Time", status: "Status",
    bay: "Bay", works: "Works", dealerPlan: "whole dealer", month: "month", quarter: "quarter", year: "year",
    chartPlans: "Chart: plan completion, %", chartFunnel: "Chart: open sales by stage",
    chartSource: "Chart: leads, sales and wins by source", chartManager: "Chart: leads, sales and wins by manager",
    summary: "The month's results", summaryCaption: "Won sales and test drives of the month", figure: "Figure", value: "Value",
    wonUnits: "Won sales", wonRevenueTotal: "Revenue", averageSale: "Average sale", creditShare: "With credit, %",
    tradeInShare: "With trade-in, %", averageDiscount: "Average discount", testDriveLeads: "Leads with a test drive",
    testDriveSales: "…of them with a sale", testDriveWon: "…of them won", testDriveToSale: "Test drive → sale, %",
    response: "Lead response time", responseCaption: "Working minutes to the first response, leads of the month",
    responded: "Responded", withinTarget: "In time, %", avgMinutes: "Average, min", medianMinutes: "Median, min",
    chartResponse: "Chart: average and median minutes to the first response by manager", total: "Total",
  },
};

// Names of the codes the API answers as codes (lead sources, test-drive and appointment statuses); need types and
// stages come with their names from the API (the directories).
const LABELS = {
  ru: {
    source: { website: "Сайт", phone: "Телефон", walk_in: "Визит в салон", partner: "Партнёр", campaign: "Рекламная кампания", import: "Импорт" },
    drive: { booked: "Запланирован", completed: "Состоялся", cancelled: "Отменён", no_show: "Неявка" },
    appointment: { booked: "Записан", arrived: "Прибыл", in_work: "В работе", done: "Выполнено", no_show: "Неявка", cancelled: "Отменено" },
    none: "—",
  },
  en: {
    source: { website: "Website", phone: "Phone", walk_in: "Walk-in", partner: "Partner", campaign: "Campaign", import: "Import" },
    drive: { booked: "Booked", completed: "Completed", cancelled: "Cancelled", no_show: "No-show" },
    appointment: { booked: "Booked", arrived: "Arrived", in_work: "In work", done: "Done", no_show: "No-show", cancelled: "Cancelled" },
    none: "—",
  },
};

// label names code of a kind (source, drive, appointment) in the page's language; an unknown code stays as it is.
function label(kind, code) {
  if (code === "") return LABELS[state.lang].none;
  return (LABELS[state.lang][kind] || {})[code] || code;
}

// Colours with at least 4.5:1 contrast on white, told apart by shade as well as hue.
const COLOURS = ["#0b4f8a", "#b34700", "#2e6b30", "#6a1b9a"];
const TOKEN_KEY = "dealercrm.token";
const state = { lang: "ru", token: "", charts: {}, data: null };

function t(key) { return TEXT[state.lang][key] || key; }

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.title = t("title") + " — dealercrm";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang));
  if (state.data) render(state.data);
}

// api GETs a path of the public API as JSON; a refused token returns to the login form.
async function api(path) {
  const res = await fetch(path, { headers: { "Authorization": "Bearer " + state.token, "Accept": "application/json" } });
  const body = await res.json().catch(() => null);
  if (res.status === 401) {
    logout();
    throw new Error(t("refused"));
  }
  if (!res.ok) throw new Error(path + ": " + res.status + " " + (body && (body.code || body.title) || ""));
  return body;
}

// The day the board shows: ?day=YYYY-MM-DD, else today (local time).
function boardDay() {
  const q = new URLSearchParams(location.search).get("day");
  const d = q ? new Date(q + "T00:00:00") : new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function iso(d) { return d.toISOString(); }
function ymd(d) { return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0"); }

async function load() {
  setStatus(t("loading"));
  document.body.dataset.state = "loading";
  const day = boardDay();
  const next = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
  // The month of the day, as dates (the API reads a date as midnight UTC).
  const range = "from=" + ymd(new Date(day.getFullYear(), day.getMonth(), 1)) + "&to=" + ymd(new Date(day.getFullYear(), day.getMonth() + 1, 1));
  const [me, plans, funnel, bySource, byManager, reserved, drives, service, users, summary, response, needTypes] = await Promise.all([
    api("/api/v1/me"),
    api("/api/v1/sales-plans?" + range + "&limit=100"),
    api("/api/v1/analytics/funnel"),
    api("/api/v1/analytics/conversion?by=source&" + range),
    api("/api/v1/analytics/conversion?by=manager&" + range),
    api("/api/v1/vehicles?status=reserved&limit=100"),
    api("/api/v1/test-drives?from=" + encodeURIComponent(iso(day)) + "&to=" + encodeURIComponent(iso(next)) + "&limit=100"),
    api("/api/v1/service-appointments?from=" + encodeURIComponent(iso(day)) + "&to=" + encodeURIComponent(iso(next)) + "&limit=100"),
    api("/api/v1/users").catch(() => ({ items: [] })),
    api("/api/v1/analytics/summary?" + range),
    api("/api/v1/analytics/lead-response?by=manager&" + range),
    api("/api/v1/need-types").catch(() => ({ items: [] })),
  ]);
  const progress = await Promise.all(plans.items.map((p) => api("/api/v1/sales-plans/" + p.id + "/progress")));
  const cars = {};
  for (const v of reserved.items) cars[v.id] = v;
  for (const d of drives.items) {
    if (!cars[d.vehicle_id]) cars[d.vehicle_id] = await api("/api/v1/vehicles/" + d.vehicle_id);
  }
  const names = {};
  for (const u of users.items || []) names[u.id] = u.name;
  const needs = {};
  for (const n of needTypes.items || []) needs[n.code] = n;
  state.data = { me, day, plans: plans.items, progress, funnel, bySource, byManager, reserved: reserved.items, drives: drives.items,
    service: service.items, cars, names, needs, summary, response };
  render(state.data);
  setStatus(t("ready"));
  document.body.dataset.state = "ready";
}

function setStatus(text) { document.getElementById("status").textContent = text; }

function showError(err) {
  const el = document.getElementById("error");
  el.textContent = String(err.message || err);
  el.hidden = false;
  document.body.dataset.state = "error";
}

// table fills a table: caption, a header row, and one row per item with data-key and data-field/data-value cells.
function table(id, caption, columns, rows) {
  const tb = document.getElementById(id);
  tb.replaceChildren();
  const cap = document.createElement("caption");
  cap.textContent = caption;
  tb.append(cap);
  const thead = tb.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = t(c.label);
    if (c.num) th.className = "num";
    thead.append(th);
  }
  const body = tb.createTBody();
  if (rows.length === 0) {
    const td = body.insertRow().insertCell();
    td.colSpan = columns.length;
    td.textContent = t("none");
    return;
  }
  for (const r of rows) {
    const tr = body.insertRow();
    tr.dataset.key = r.key;
    columns.forEach((c, i) => {
      const cell = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) cell.scope = "row";
      cell.textContent = r[c.field + "Text"] !== undefined ? r[c.field + "Text"] : String(r[c.field]);
      cell.dataset.field = c.field;
      cell.dataset.value = String(r[c.field]);
      if (c.num) cell.className = "num";
      tr.append(cell);
    });
  }
}

function money(s) {
  const n = Number(s);
  return isNaN(n) ? s : n.toLocaleString(state.lang === "ru" ? "ru-RU" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function chart(id, labelKey, type, labels, datasets, options) {
  if (state.charts[id]) state.charts[id].destroy();
  const canvas = document.getElementById(id);
  canvas.setAttribute("aria-label", t(labelKey));
  state.charts[id] = new Chart(canvas, {
    type, data: { labels, datasets: datasets.map((d, i) => Object.assign({ backgroundColor: COLOURS[i % COLOURS.length] }, d)) },
    options: Object.assign({ animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: "#1a1a1a" } } },
      scales: { x: { ticks: { color: "#1a1a1a", precision: 0 } }, y: { ticks: { color: "#1a1a1a", precision: 0 }, beginAtZero: true } } }, options || {}),
  });
}

function planName(p) {
  if (p.name) return p.name;
  const s = p.scope || {};
  const parts = [];
  if (s.owner_id) parts.push(state.data.names[s.owner_id] || s.owner_id);
  if (s.make) parts.push((s.make + " " + (s.model || "")).trim());
  if (s.need_type) {
    const n = state.data.needs[s.need_type];
    parts.push(n ? (state.lang === "en" && n.name_en ? n.name_en : n.name) : s.need_type);
  }
  return parts.length ? parts.join(", ") : t("dealerPlan");
}

// conversionRows are a conversion report's rows; a source's label is its name in the page's language (the API
// answers the code), a manager's is the user's name from the API.
function conversionRows(report) {
  return report.items.map((r) => ({ key: r.key, label: report.by === "source" ? label("source", r.key) : r.label,
    leads: r.leads, sales: r.sales, won: r.won, percent: r.lead_to_won_percent }));
}

function render(d) {
  document.getElementById("dealer").textContent = d.me.dealer ? d.me.dealer.name : "";
  document.getElementById("today").textContent = d.day.toLocaleDateString(state.lang === "ru" ? "ru-RU" : "en-GB");

  const planRows = d.plans.map((p, i) => {
    const pr = d.progress[i];
    return { key: p.id, label: planName(p) + " (" + t(p.period) + ", " + p.start + ")", target: pr.target_revenue,
      targetText: money(pr.target_revenue), won: pr.won_revenue, wonText: money(pr.won_revenue),
      units: pr.won_units + "/" + pr.target_units, completion: pr.completion_percent, forecast: pr.forecast_revenue,
      forecastText: money(pr.forecast_revenue) };
  });
  chart("chart-plans", "chartPlans", "bar", planRows.map((r) => r.label),
    [{ label: t("completion"), data: planRows.map((r) => r.completion) }], { indexAxis: "y" });
  table("table-plans", t("plans"), [{ field: "label", label: "plan" }, { field: "target", label: "targetRevenue", num: true },
    { field: "won", label: "wonRevenue", num: true }, { field: "units", label: "units", num: true },
    { field: "completion", label: "completion", num: true }, { field: "forecast", label: "forecast", num: true }], planRows);

  const stageRows = d.funnel.items.map((s) => ({ key: s.stage_id, label: state.lang === "en" && s.name_en ? s.name_en : s.name,
    count: s.count, amount: s.amount, amountText: money(s.amount) }));
  chart("chart-funnel", "chartFunnel", "bar", stageRows.map((r) => r.label), [{ label: t("count"), data: stageRows.map((r) => r.count) }],
    { indexAxis: "y" });
  table("table-funnel", t("funnel"), [{ field: "label", label: "stage" }, { field: "count", label: "count", num: true },
    { field: "amount", label: "amount", num: true }], stageRows);

  for (const [id, report, label] of [["source", d.bySource, "chartSource"], ["manager", d.byManager, "chartManager"]]) {
    const rows = conversionRows(report);
    chart("chart-" + id, label, "bar", rows.map((r) => r.label), [
      { label: t("leads"), data: rows.map((r) => r.leads) },
      { label: t("sales"), data: rows.map((r) => r.sales) },
      { label: t("won"), data: rows.map((r) => r.won) }]);
    table("table-" + id, t(id === "source" ? "bySource" : "byManager"), [{ field: "label", label: "key" },
      { field: "leads", label: "leads", num: true }, { field: "sales", label: "sales", num: true },
      { field: "won", label: "won", num: true }, { field: "percent", label: "leadToWon", num: true }], rows);
  }

  const sm = d.summary;
  table("table-summary", t("summaryCaption"), [{ field: "label", label: "figure" }, { field: "value", label: "value", num: true }], [
    { key: "won_units", label: t("wonUnits"), value: sm.won_units },
    { key: "won_revenue", label: t("wonRevenueTotal"), value: sm.won_revenue, valueText: money(sm.won_revenue) },
    { key: "average_sale", label: t("averageSale"), value: sm.average_sale, valueText: money(sm.average_sale) },
    { key: "credit_percent", label: t("creditShare"), value: sm.credit_percent },
    { key: "trade_in_percent", label: t("tradeInShare"), value: sm.trade_in_percent },
    { key: "average_discount", label: t("averageDiscount"), value: sm.average_discount, valueText: money(sm.average_discount) },
    { key: "test_drive_leads", label: t("testDriveLeads"), value: sm.test_drive_leads },
    { key: "test_drive_sales", label: t("testDriveSales"), value: sm.test_drive_sales },
    { key: "test_drive_won", label: t("testDriveWon"), value: sm.test_drive_won },
    { key: "test_drive_to_sale_percent", label: t("testDriveToSale"), value: sm.test_drive_to_sale_percent }]);

  const responseRows = d.response.items.map((r) => ({ key: r.key, label: r.label, leads: r.leads, responded: r.responded,
    within: r.within_target_percent, avg: r.avg_minutes, median: r.median_minutes }));
  chart("chart-response", "chartResponse", "bar", responseRows.map((r) => r.label), [
    { label: t("avgMinutes"), data: responseRows.map((r) => r.avg) },
    { label: t("medianMinutes"), data: responseRows.map((r) => r.median) }]);
  const tot = d.response.total;
  table("table-response", t("responseCaption"), [{ field: "label", label: "key" }, { field: "leads", label: "leads", num: true },
    { field: "responded", label: "responded", num: true }, { field: "within", label: "withinTarget", num: true },
    { field: "avg", label: "avgMinutes", num: true }, { field: "median", label: "medianMinutes", num: true }],
    responseRows.concat(tot.leads > 0 ? [{ key: "total", label: t("total"), leads: tot.leads, responded: tot.responded,
      within: tot.within_target_percent, avg: tot.avg_minutes, median: tot.median_minutes }] : []));

  table("table-reserved", t("reserved"), [{ field: "label", label: "car" }, { field: "vin", label: "vin" },
    { field: "price", label: "price", num: true }],
    d.reserved.map((v) => ({ key: v.id, label: [v.make, v.model, v.trim].filter(Boolean).join(" "), vin: v.vin,
      price: v.list_price ? v.list_price.amount : "", priceText: v.list_price ? money(v.list_price.amount) : "" })));
  const time = (s) => new Date(s).toLocaleTimeString(state.lang === "ru" ? "ru-RU" : "en-GB", { hour: "2-digit", minute: "2-digit" });
  table("table-drives", t("drives"), [{ field: "time", label: "time" }, { field: "car", label: "car" }, { field: "status", label: "status" }],
    d.drives.map((x) => ({ key: x.id, time: x.start, timeText: time(x.start) + "–" + time(x.end),
      car: d.cars[x.vehicle_id] ? d.cars[x.vehicle_id].make + " " + d.cars[x.vehicle_id].model : x.vehicle_id, status: x.status,
      statusText: label("drive", x.status) })));
  table("table-service", t("service"), [{ field: "time", label: "time" }, { field: "bay", label: "bay" },
    { field: "status", label: "status" }, { field: "works", label: "works", num: true }],
    d.service.map((a) => ({ key: a.id, time: a.start, timeText: time(a.start) + "–" + time(a.end), bay: a.bay, status: a.status,
      statusText: label("appointment", a.status), works: a.works.length })));
}

function logout() {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = "";
  state.data = null;
  document.getElementById("board").hidden = true;
  document.getElementById("login").hidden = false;
  document.body.dataset.state = "login";
  document.getElementById("token").focus();
}

async function start() {
  document.getElementById("error").hidden = true;
  document.getElementById("login").hidden = true;
  document.getElementById("board").hidden = false;
  try {
    await load();
  } catch (err) {
    showError(err);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  state.lang = sessionStorage.getItem("dealercrm.lang") || ((navigator.language || "ru").startsWith("ru") ? "ru" : "en");
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "ru" || asked === "en") state.lang = asked;
  for (const b of document.querySelectorAll("[data-lang]")) {
    b.addEventListener("click", () => {
      state.lang = b.dataset.lang;
      sessionStorage.setItem("dealercrm.lang", state.lang);
      applyLanguage();
    });
  }
  document.getElementById("login").addEventListener("submit", (e) => {
    e.preventDefault();
    state.token = document.getElementById("token").value.trim();
    sessionStorage.setItem(TOKEN_KEY, state.token);
    document.getElementById("token").value = "";
    start();
  });
  document.getElementById("logout").addEventListener("click", logout);
  applyLanguage();
  state.token = sessionStorage.getItem(TOKEN_KEY) || "";
  if (state.token) start(); else logout();
});
