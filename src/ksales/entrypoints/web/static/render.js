/* Filling the page from API responses. Every text goes through textContent. */
import * as C from "./charts.js";
import * as F from "./format.js";
import { TEXT, periodTitle, salesTypeTitle } from "./labels.js";

const $ = (id) => document.getElementById(id);

function setEmpty(panelId, empty) {
  const panel = $(panelId);
  panel.classList.toggle("is-empty", empty);
  panel.querySelector(".empty").hidden = !empty;
}

function change(el, pct, comparison) {
  el.classList.remove("up", "down", "flat");
  if (!comparison) { el.textContent = ""; return; }
  const vs = " " + TEXT.versus(F.range(comparison.start, comparison.end));
  if (pct === null || pct === undefined) {
    el.classList.add("flat");
    el.textContent = TEXT.nothingToCompare + vs;
    return;
  }
  el.classList.add(pct > 0 ? "up" : pct < 0 ? "down" : "flat");
  const arrow = pct > 0 ? "▲ +" : pct < 0 ? "▼ " : "● ";
  el.textContent = arrow + F.percent(pct) + vs;
}

function card(id, value, pct, comparison) {
  $(id).querySelector(".value").textContent = value;
  change($(id).querySelector(".change"), pct, comparison);
}

function summary(s) {
  const c = s.comparison;
  card("card-revenue", F.money(s.revenue), c && c.revenue_change_pct, c);
  card("card-orders", F.number(s.orders, 0), c && c.orders_change_pct, c);
  card("card-aov", F.money(s.avg_check), c && c.avg_check_change_pct, c);
  $("card-returns").querySelector(".value").textContent = F.money(s.returns.revenue);
  $("card-returns").querySelector(".change").textContent =
    TEXT.canceledOrders(s.returns.orders, F.number(s.returns.orders, 0));
  $("period-label").textContent = [periodTitle(s.period.kind), F.range(s.period.start, s.period.end),
    salesTypeTitle(s.filters.sales_type)].join(" · ");
  milestones(s.milestones, s.revenue);
}

function milestones(m, revenue) {
  const box = $("milestone");
  const chips = $("milestone-chips");
  while (chips.firstChild) chips.removeChild(chips.firstChild);
  delete box.dataset.celebrated;
  box.hidden = false;
  if (!m.kind) {
    $("milestone-text").textContent = TEXT.noCustomMilestones;
    $("milestone-fill").style.width = "0";
    box.hidden = true;
    return;
  }
  const pct = m.progress_pct === null ? 100 : Math.min(100, m.progress_pct);
  $("milestone-fill").style.width = pct + "%";
  $("milestone-bar").setAttribute("aria-valuenow", String(Math.round(pct)));
  $("milestone-text").textContent = m.next === null
    ? TEXT.allMilestonesReached(m.kind)
    : TEXT.milestoneProgress(F.money(revenue), F.money(m.next), F.percent(m.progress_pct));
  m.thresholds.forEach((t) => {
    const chip = document.createElement("span");
    const reached = m.reached.indexOf(t) >= 0;
    chip.className = "chip" + (reached ? " reached" : "");
    chip.textContent = (reached ? "✓ " : "") + F.money(t);
    chips.appendChild(chip);
  });
}

function trend(t) {
  const empty = t.points.every((p) => p.revenue === 0 && p.orders === 0) &&
    (!t.comparison || t.comparison.points.every((p) => p.revenue === 0));
  setEmpty("panel-trend", empty);
  C.trend("chart-trend", t);
}

function sources(s) {
  const empty = s.sources.length === 0;
  setEmpty("panel-sources", empty);
  setEmpty("panel-sources-share", empty);
  const names = s.sources.map((r) => r.name);
  C.bars("chart-sources-bar", names, s.sources.map((r) => r.revenue), { money: true });
  C.doughnut("chart-sources-doughnut", names, s.sources.map((r) => r.orders));
}

function products(panelId, chartId, data, measure) {
  setEmpty(panelId, data.products.length === 0);
  C.bars(chartId, data.products.map((p) => p.name), data.products.map((p) => p[measure]),
    { horizontal: true, money: measure === "revenue", color: measure === "revenue" ? "#0d9488" : "#4f46e5" });
}

function categories(b, lookups, drill) {
  const rows = b.categories;
  setEmpty("panel-categories", rows.length === 0);
  $("category-back").hidden = !b.parent;
  let crumb = "";
  if (b.parent) {
    const path = [];
    let current = lookups.byId[b.parent.id];
    while (current && path.length < 10) {
      path.unshift(current.name);
      current = current.parent_id !== null ? lookups.byId[current.parent_id] : null;
    }
    crumb = "› " + (path.length ? path : [b.parent.name]).join(" › ");
  }
  $("category-crumb").textContent = crumb;
  $("panel-categories").dataset.parent = b.parent ? String(b.parent.id) : "";
  /* The API names the bucket of products without a category in English; the page says it in its language. */
  const names = rows.map((r) => (r.id === null ? TEXT.uncategorized : r.name));
  C.doughnut("chart-categories", names, rows.map((r) => r.revenue), {
    money: true,
    onClick: (evt, elements) => {
      if (elements.length) drill.into(rows[elements[0].index]);
      else drill.up();
    },
  });
}

function customers(c) {
  setEmpty("panel-customers", c.customers === 0 && c.aov_trend.every((p) => p.aov === 0));
  $("customers-total").textContent = F.number(c.customers, 0);
  $("customers-new").textContent = F.number(c.new_customers, 0);
  $("customers-returning").textContent = F.number(c.returning_customers, 0);
  $("customers-repeat").textContent = F.percent(c.repeat_rate_pct);
  const total = c.customers || 1;
  document.querySelector("#customers-split .split-new").style.width = (c.new_customers / total * 100) + "%";
  document.querySelector("#customers-split .split-returning").style.width =
    (c.returning_customers / total * 100) + "%";
  C.line("chart-aov", c.aov_trend.map((p) => F.day(p.date)),
    [{ label: TEXT.averageCheck, data: c.aov_trend.map((p) => p.aov), fill: false }], true);
}

function brands(b) {
  setEmpty("panel-brands", b.top_by_revenue.length === 0);
  const m = b.metrics;
  const parts = [TEXT.brandCount(m.brands, F.number(m.brands, 0))];
  if (m.top_brand) parts.push(TEXT.topBrand(m.top_brand, F.percent(m.top_brand_share_pct)));
  parts.push(TEXT.unbranded(F.money(m.unbranded_revenue)));
  $("brands-meta").textContent = parts.join(" · ");
  C.bars("chart-brands", b.top_by_revenue.map((r) => r.brand), b.top_by_revenue.map((r) => r.revenue),
    { horizontal: true, money: true, color: "#8b5cf6" });
}

function profit(p, e) {
  setEmpty("panel-profit", p.revenue === 0 && p.expenses === 0);
  $("profit-expenses").textContent = F.money(p.expenses);
  // Cost fields are absent for those who may not see costs (SPEC §6): show a dash, never NaN.
  $("profit-gross").textContent = p.gross_profit === undefined ? "—" : F.money(p.gross_profit);
  $("profit-margin").textContent = p.margin_pct === undefined ? "—" : F.percent(p.margin_pct);
  $("expenses-avg").textContent = F.money(e.avg_per_order);
  const list = $("expense-types");
  while (list.firstChild) list.removeChild(list.firstChild);
  e.by_type.forEach((t) => {
    const item = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = t.name;
    item.appendChild(name);
    item.appendChild(document.createTextNode(" " + F.money(t.amount) + " (" + t.count + ")"));
    list.appendChild(item);
  });
  C.waterfall("chart-profit", p);
}

/* Every panel from the responses `d`; `drill.into(row)` and `drill.up()` follow the category chart's clicks. */
export function all(d, lookups, drill) {
  summary(d.summary);
  trend(d.trend);
  sources(d.sources);
  products("panel-products-qty", "chart-products-qty", d.topQty, "quantity");
  products("panel-products-rev", "chart-products-rev", d.topRev, "revenue");
  categories(d.categories, lookups, drill);
  customers(d.customers);
  brands(d.brands);
  profit(d.profit, d.expenses);
}
