/* Costs on the page (SPEC §6): the profit card's cost of goods, profit and coverage, and the Margin section
   (brands and categories by gross profit, click a category to drill down, Back to go up). Shown only to those
   who may see costs — the profit report carries `cogs` exactly for them; the server refuses the rest anyway. */
import { getJSON } from "./api.js";
import * as C from "./charts.js";
import { csvHref, offerCsv } from "./downloads.js";
import * as F from "./format.js";
import { _ } from "./i18n.js";

let drill = null;
let lastParams = null;

function $(id) {
  return document.getElementById(id);
}

function query(params, extra) {
  const q = new URLSearchParams(params);
  Object.keys(extra).forEach((k) => q.set(k, extra[k]));
  return q;
}

function labels(rows) {
  return rows.map((r) => r.name + " · " + F.percent(r.gross_margin_pct));
}

function profitCard(p, allowed) {
  document.querySelectorAll("#panel-profit .cost").forEach((el) => { el.hidden = !allowed; });
  $("profit-revenue").textContent = F.money(p.revenue);
  $("profit-coverage").textContent = _("Costs known for {percent} of revenue", { percent: F.percent(p.cost_coverage_pct) });
  if (!allowed) return;
  $("profit-cogs").textContent = F.money(p.cogs);
  $("profit-net").textContent = F.money(p.profit);
  $("profit-gross-margin").textContent = F.percent(p.gross_margin_pct);
}

function categories(signal) {
  const extra = { by: "category", limit: 10 };
  if (drill !== null) extra.parent_id = drill;
  const q = query(lastParams, extra);
  offerCsv($("margin-categories"), csvHref("/api/margin/breakdown", q));
  return getJSON("/api/margin/breakdown", q, signal).then((m) => {
    $("margin-up").hidden = drill === null;
    $("margin-parent").textContent = m.parent ? m.parent.name : "";
    const chart = C.bars("chart-margin-categories", labels(m.rows), m.rows.map((r) => r.gross_profit),
      { horizontal: true, money: true, color: "#0d9488" });
    if (chart) {
      chart.options.onClick = (event, elements) => {
        const row = elements.length ? m.rows[elements[0].index] : null;
        if (row && row.has_children && row.id !== null) {
          drill = row.id;
          categories();
        }
      };
      chart.update("none");
    }
  });
}

/* After the other panels: `profit` is the view's profit report, `params` its query. */
export function show(profit, params, signal) {
  const panel = $("panel-margin");
  const allowed = !!profit && profit.cogs !== undefined;
  if (profit) profitCard(profit, allowed);
  panel.hidden = !allowed;
  if (!allowed) return Promise.resolve();
  if (lastParams === null || lastParams.toString() !== params.toString()) drill = null;
  lastParams = params;
  const brands = query(params, { by: "brand", limit: 10 });
  offerCsv($("margin-brands"), csvHref("/api/margin/breakdown", brands));
  const loadBrands = getJSON("/api/margin/breakdown", brands, signal).then((m) => {
    panel.classList.toggle("is-empty", m.metrics.revenue === 0);
    panel.querySelector(".empty").hidden = m.metrics.revenue !== 0;
    $("margin-meta").textContent = _("gross margin {margin} · costs known for {coverage}",
      { margin: F.percent(m.metrics.gross_margin_pct), coverage: F.percent(m.metrics.cost_coverage_pct) });
    C.bars("chart-margin-brands", labels(m.rows), m.rows.map((r) => r.gross_profit),
      { horizontal: true, money: true, color: "#8b5cf6" });
  });
  return Promise.all([loadBrands, categories(signal)]);
}

export function up() {
  drill = null;
  return categories();
}
