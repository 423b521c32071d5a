/* The pace (SPEC §5): "until 10:42" on the cards, "on pace for …", the dashed projection on the trend, and the
   month's goal beside the milestones (admins set it here: PUT /api/goals/{month} with the page's CSRF token).
   Every text goes through textContent. */
import { ApiError, getJSON } from "./api.js";
import * as F from "./format.js";
import { _ } from "./i18n.js";
import { Chart } from "./vendor.js";

const $ = (id) => document.getElementById(id);
const SOURCES = { set: _("set by an admin"), env: _("from KSALES_GOALS"), suggested: _("suggested from last year") };

/* Whether this browser's session may change goals, and the token a change must carry. */
let access = { editable: false, csrf_token: null };
let reload = () => undefined;

function addDays(iso, n) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/* The last day of the running period's unit: the day, the Sunday, the month's last day. */
function unitEnd(period) {
  if (period.kind === "week") return addDays(period.start, 6);
  if (period.kind === "month") {
    const d = new Date(period.start + "T00:00:00Z");
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
  }
  return period.end;
}

function cards(s) {
  const c = s.comparison;
  ["card-revenue", "card-orders", "card-aov"].forEach((id) => {
    const el = $(id).querySelector(".change");
    el.title = "";
    if (c && c.until && el.textContent) {
      el.textContent += " " + _("until {time}", { time: c.until });
      el.title = _("Both ranges stop at {time} on their last day, so a morning is never set against a whole day.",
        { time: c.until });
    }
  });
  const pace = $("card-revenue-pace");
  pace.hidden = !s.projection;
  pace.textContent = s.projection ? _("on pace for {amount}", { amount: F.money(s.projection.revenue) }) : "";
}

/* The dashed continuation of the trend to the period's end: what is still expected, spread over the days left. */
function projectionLine(s, t, granularity) {
  const chart = Chart && Chart.getChart("chart-trend");
  if (!chart || !s.projection || !t.points.length) return;
  const rest = Math.max(0, s.projection.revenue - s.revenue);
  const points = t.points;
  const data = points.map(() => null);
  const last = points.length - 1;
  data[last] = points[last].revenue;
  if (granularity === "day") {
    let day = addDays(s.period.end, 1);
    const end = unitEnd(s.period);
    const later = [];
    while (day <= end) { later.push(day); day = addDays(day, 1); }
    if (!later.length) data[last] = points[last].revenue + rest;
    later.forEach((d) => {
      chart.data.labels.push(F.day(d));
      data.push(rest / later.length);
    });
  } else {
    data[last] = points[last].revenue + rest;
  }
  chart.data.datasets.push({
    label: _("Projection"), data: data, borderColor: "#4f46e5", borderDash: [6, 5], fill: false, tension: .3,
    pointRadius: 0, borderWidth: 2, spanGaps: false,
  });
  chart.options.plugins.tooltip.filter = (item) => item.datasetIndex < chart.data.datasets.length - 1 ||
    item.raw !== null;
  const label = chart.options.plugins.tooltip.callbacks.label;
  chart.options.plugins.tooltip.callbacks.label = (ctx) => (ctx.datasetIndex === chart.data.datasets.length - 1
    ? _("Projection") + ": " + F.money(ctx.parsed.y) : label(ctx));
  chart.stop();  // the first drawing may still be animating towards the positions of fewer labels
  chart.update("none");
}

function goalMonth(s) {
  return s.goal ? s.goal.month : s.period.start.slice(0, 7);
}

function goal(s) {
  const box = $("goal");
  const g = s.goal;
  const monthly = (s.period.kind === "month" || s.period.kind === "last_month") && s.filters.source_id === null &&
    s.filters.category_id === null && s.filters.brand === null;
  box.hidden = !monthly || (!g && !access.editable);
  box.dataset.month = goalMonth(s);
  box.dataset.salesType = s.filters.sales_type;
  $("goal-form").hidden = !access.editable;
  $("goal-error").textContent = "";
  if (!g) {
    $("goal-text").textContent = _("No goal for {month} yet.", { month: goalMonth(s) });
    $("goal-pace").textContent = "";
    $("goal-fill").style.width = "0";
    return;
  }
  const pct = Math.min(100, g.progress_pct);
  $("goal-fill").style.width = pct + "%";
  $("goal-bar").setAttribute("aria-valuenow", String(Math.round(pct)));
  $("goal-text").textContent = _("{revenue} of {goal} ({percent}) · {source}", {
    revenue: F.money(s.revenue), goal: F.money(g.amount), percent: F.percent(g.progress_pct), source: SOURCES[g.source],
  });
  const pace = $("goal-pace");
  pace.classList.toggle("up", g.on_pace);
  pace.classList.toggle("down", !g.on_pace);
  if (g.on_pace) pace.textContent = _("On pace: {percent} of the goal projected", { percent: F.percent(g.projected_pct) });
  else if (g.needed_per_day > 0) {
    pace.textContent = _("Behind: {percent} projected; {amount} a day needed",
      { percent: F.percent(g.projected_pct), amount: F.money(g.needed_per_day) });
  } else pace.textContent = _("Goal missed");
  $("goal-amount").placeholder = F.number(g.amount, 0);
}

function submit(event) {
  event.preventDefault();
  const box = $("goal");
  const raw = $("goal-amount").value.replace(/[\s\u00a0]/g, "").replace(",", ".");
  const amount = Number(raw);
  if (!raw || !isFinite(amount) || amount <= 0) {
    $("goal-error").textContent = _("Enter a positive amount.");
    return;
  }
  fetch("/api/goals/" + encodeURIComponent(box.dataset.month), {
    method: "PUT", credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": access.csrf_token },
    body: JSON.stringify({ sales_type: box.dataset.salesType, amount: raw }),
  }).then((response) => response.json().catch(() => null).then((payload) => {
    if (!response.ok) throw new ApiError(response.status, payload);
    $("goal-amount").value = "";
    reload();
  })).catch((error) => {
    $("goal-error").textContent = error instanceof ApiError ? error.message : _("The goal could not be saved.");
  });
}

/* Ask once whether this session may set goals; `onChange` reloads the view after a change. */
export function init(onChange) {
  reload = onChange;
  $("goal-form").addEventListener("submit", submit);
  return getJSON("/api/goals").then((body) => {
    access = { editable: Boolean(body.editable), csrf_token: body.csrf_token };
  }).catch(() => undefined);
}

/* After the panels are drawn: the pace of the summary `s` and the trend `t`. */
export function show(s, t, granularity) {
  cards(s);
  projectionLine(s, t, granularity);
  goal(s);
}
