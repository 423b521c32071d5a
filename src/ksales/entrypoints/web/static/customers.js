/* Customers who come back: the cohort heat map, the time to a second purchase, segment bars and, for
   admins, the at-risk calling list. Its own fetches, so that a slow or refused list never holds up the page.
   Every text through textContent. */
import { ApiError, getJSON } from "./api.js";
import { csvHref, offerCsv } from "./downloads.js";
import * as F from "./format.js";
import { LANG, _, ngettext } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const cellPercent = new Intl.NumberFormat(LANG, { style: "percent", maximumFractionDigits: 1 });
const AT_RISK_ROWS = 20;

const SEGMENTS = {
  lost: _("Lost"),
  at_risk: _("At risk"),
  champions: _("Champions"),
  loyal: _("Loyal"),
  promising: _("Promising"),
  first_timer: _("First-timers"),
  one_time: _("One-time"),
};

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function monthLabel(month) {
  const parts = String(month).split("-").map(Number);
  if (parts.length !== 2 || !parts.every((n) => isFinite(n))) return String(month);
  const d = new Date(Date.UTC(parts[0], parts[1] - 1, 1));
  return new Intl.DateTimeFormat(LANG, { month: "short", year: "numeric", timeZone: "UTC" }).format(d);
}

/* Colour = retention: from the card's white to the primary colour; dark cells get white text. */
function paint(td, pct) {
  const share = Math.max(0, Math.min(1, pct / 100));
  const alpha = share === 0 ? 0 : 0.08 + 0.92 * Math.sqrt(share);
  td.style.backgroundColor = "rgba(79, 70, 229, " + alpha.toFixed(3) + ")";
  if (alpha > 0.55) td.classList.add("dark");
}

function heatMap(report) {
  const table = $("cohort-table");
  const head = table.querySelector("thead"), rows = table.querySelector("tbody");
  clear(head);
  clear(rows);
  const width = report.cohorts.reduce((n, c) => Math.max(n, c.months.length), 0);
  const tr = el("tr");
  tr.appendChild(el("th", _("Cohort"), "sticky"));
  tr.appendChild(el("th", _("Customers"), "num"));
  for (let k = 0; k < width; k++) tr.appendChild(el("th", k === 0 ? _("Month 0") : "+" + k, "num"));
  head.appendChild(tr);
  report.cohorts.forEach((cohort) => {
    const row = el("tr");
    row.appendChild(el("th", monthLabel(cohort.month), "sticky"));
    row.appendChild(el("td", F.number(cohort.size, 0), "num size"));
    for (let k = 0; k < width; k++) {
      const m = cohort.months[k];
      if (!m) { row.appendChild(el("td", "", "cell none")); continue; }
      const td = el("td", cohort.size ? cellPercent.format(m.retention_pct / 100) : "—", "cell");
      if (cohort.size) paint(td, m.retention_pct);
      td.title = _("{active} of {size} customers bought, {revenue}", {
        active: F.number(m.active, 0), size: F.number(cohort.size, 0), revenue: F.money(m.revenue) });
      row.appendChild(td);
    }
    rows.appendChild(row);
  });
  const days = report.time_to_second_purchase_days;
  $("second-purchase").textContent = days === null
    ? _("No second purchases in this period")
    : _("Median time to a second purchase: {days} days", { days: F.number(days, 1) });
}

function segmentBars(report) {
  const list = $("segment-bars");
  clear(list);
  const most = report.segments.reduce((n, s) => Math.max(n, s.customers), 0);
  report.segments.forEach((s) => {
    const li = el("li");
    li.dataset.segment = s.segment;
    li.appendChild(el("span", SEGMENTS[s.segment] || s.segment, "segment-name"));
    const track = el("span", null, "segment-track");
    const bar = el("span", null, "segment-bar");
    bar.style.width = (most ? (100 * s.customers) / most : 0).toFixed(1) + "%";
    track.appendChild(bar);
    li.appendChild(track);
    li.appendChild(el("span", ngettext("{n} customer", "{n} customers", s.customers,
      { n: F.number(s.customers, 0) }) + " · " + F.money(s.revenue), "segment-figures muted small"));
    list.appendChild(li);
  });
}

function atRisk(result) {
  const rows = $("at-risk-table").querySelector("tbody");
  clear(rows);
  result.customers.forEach((c) => {
    const tr = el("tr");
    [c.name || "—", c.phone || "—", c.email || "—"].forEach((v) => tr.appendChild(el("td", v)));
    tr.appendChild(el("td", F.number(c.orders, 0), "num"));
    tr.appendChild(el("td", F.money(c.revenue), "num"));
    tr.appendChild(el("td", F.day(c.last_order, true), "num"));
    tr.appendChild(el("td", F.number(c.recency_days, 0), "num"));
    rows.appendChild(tr);
  });
  $("at-risk-empty").hidden = result.customers.length > 0;
  $("at-risk").hidden = false;
}

/* Load the section for the view's query (URLSearchParams of the filters); `signal` aborts it. */
export function loadCustomers(params, signal) {
  const panel = $("panel-cohorts");
  if (!panel) return Promise.resolve();
  panel.dataset.state = "loading";
  const cohortsQuery = new URLSearchParams(params);
  const listQuery = new URLSearchParams(params);
  listQuery.set("segment", "at_risk");
  listQuery.set("limit", String(AT_RISK_ROWS));
  const callingList = new URLSearchParams(listQuery);
  callingList.set("limit", "500");
  offerCsv(panel, csvHref("/api/customers/cohorts", cohortsQuery));
  $("at-risk-csv").href = csvHref("/api/customers/list", callingList);
  // The list holds contacts: only an admin's session gets it (the page says whose session it is; a 403
  // anyway, e.g. after the admin rights were taken away, just leaves the list out).
  const list = document.body.dataset.contacts !== "on" ? Promise.resolve(null)
    : getJSON("/api/customers/list", listQuery, signal).catch((error) => {
      if (error instanceof ApiError && error.status === 403) return null;
      throw error;
    });
  return Promise.all([
    getJSON("/api/customers/cohorts", cohortsQuery, signal),
    getJSON("/api/customers/segments", params, signal),
    list,
  ]).then(([cohorts, segments, customers]) => {
    heatMap(cohorts);
    segmentBars(segments);
    if (customers) atRisk(customers); else $("at-risk").hidden = true;
    const empty = segments.segments.every((s) => s.customers === 0);
    panel.classList.toggle("is-empty", empty);
    panel.querySelector(".empty").hidden = !empty;
    panel.dataset.state = "ready";
  }).catch((error) => {
    if (error && error.name === "AbortError") return;
    $("cohort-error").textContent = error instanceof ApiError ? error.message : _("The customer figures could not be loaded.");
    panel.dataset.state = "error";
  });
}
