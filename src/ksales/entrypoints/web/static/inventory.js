/* The Inventory section: health buckets, low and out-of-stock offers with days of supply, dead stock by value,
   and the stock value at cost on each snapshot day (missing days stay gaps). Text through textContent only. */
import { getJSON } from "./api.js";
import * as C from "./charts.js";
import { csvHref, offerCsv } from "./downloads.js";
import * as F from "./format.js";
import { _ } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const BUCKETS = [
  ["out_of_stock", _("out of stock")], ["low", _("low")], ["healthy", _("healthy")],
  ["overstock", _("overstock")], ["dead", _("dead stock")], ["never_sold", _("never sold")],
  ["inactive", _("inactive")],
];

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
}

function table(id, items, columns) {
  const body = $(id);
  clear(body);
  items.forEach((item) => {
    const row = document.createElement("tr");
    columns.forEach(([value, className]) => cell(row, value(item), className));
    body.appendChild(row);
  });
}

function buckets(summary) {
  const list = $("inventory-buckets");
  clear(list);
  BUCKETS.forEach(([key, label]) => {
    const li = document.createElement("li");
    li.dataset.bucket = key;
    const strong = document.createElement("strong");
    strong.textContent = F.number(summary.health[key], 0);
    li.appendChild(strong);
    li.appendChild(document.createTextNode(" " + label));
    list.appendChild(li);
  });
  const parts = [summary.snapshot_date ? _("snapshot of {day}", { day: F.day(summary.snapshot_date, true) }) : ""];
  if (summary.value_at_cost !== undefined) parts.push(_("at cost {value}", { value: F.money(summary.value_at_cost) }));
  parts.push(_("at price {value}", { value: F.money(summary.value_at_price) }));
  $("inventory-meta").textContent = parts.filter(Boolean).join(" · ");
}

function supply(item) { return item.days_of_supply === null ? "—" : F.number(item.days_of_supply, 1); }

/* Every day of the period up to the last snapshot, with null where no snapshot was taken (a visible gap). */
function daily(points, period) {
  const byDay = {};
  points.forEach((p) => { byDay[p.date] = p; });
  const labels = [], values = [];
  if (!points.length) return { labels, values };
  const last = points[points.length - 1].date;
  for (let d = new Date(period.start + "T00:00:00Z"); ; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (iso > last) break;
    labels.push(F.day(iso));
    values.push(byDay[iso] ? byDay[iso].value_at_cost : null);
  }
  return { labels, values };
}

function render(summary, restock, dead, trend) {
  const empty = !summary.snapshot_date;
  $("panel-inventory").classList.toggle("is-empty", empty);
  $("panel-inventory").querySelector(".empty").hidden = !empty;
  buckets(summary);
  const costs = summary.value_at_cost !== undefined;
  table("inventory-restock", restock.items, [
    [(i) => i.name + (i.sku ? " (" + i.sku + ")" : "")],
    [(i) => F.number(i.available, 3), "num"], [(i) => F.number(i.velocity_per_day, 2), "num"],
    [supply, "num"],
  ]);
  $("inventory-restock-none").hidden = restock.items.length > 0;
  $("inventory-dead-block").hidden = !costs;
  $("inventory-trend-block").hidden = !costs;
  if (!costs) return;
  table("inventory-dead", dead.items, [
    [(i) => i.name + (i.sku ? " (" + i.sku + ")" : "")], [(i) => F.number(i.available, 3), "num"],
    [(i) => (i.value_at_cost === null ? "—" : F.money(i.value_at_cost)), "num"],
  ]);
  $("inventory-dead-none").hidden = dead.items.length > 0;
  const series = daily(trend.points, trend.period);
  C.line("chart-inventory", series.labels, [{ label: _("Stock value at cost"), data: series.values,
    spanGaps: false, pointRadius: 2 }], true);
}

/* Fetch and draw the section for the page's query `params` (its own errors stay inside the section). */
export function load(params, signal) {
  const q = (extra) => { const p = new URLSearchParams(params); Object.keys(extra).forEach((k) => p.set(k, extra[k])); return p; };
  offerCsv($("panel-inventory"), csvHref("/api/inventory/items", q({ limit: 500 })));
  const restock = Promise.all([
    getJSON("/api/inventory/items", q({ health: "out_of_stock", limit: 10 }), signal),
    getJSON("/api/inventory/items", q({ health: "low", limit: 10 }), signal),
  ]).then(([out, low]) => ({ items: out.items.concat(low.items) }));
  return Promise.all([
    getJSON("/api/inventory/summary", q({}), signal), restock,
    getJSON("/api/inventory/items", q({ health: "dead", limit: 10 }), signal),
    getJSON("/api/inventory/trend", q({}), signal),
  ]).then((r) => render(r[0], r[1], r[2], r[3])).catch((error) => {
    if (error && error.name === "AbortError") return;
    $("inventory-meta").textContent = error && error.message ? error.message : "";
  });
}
