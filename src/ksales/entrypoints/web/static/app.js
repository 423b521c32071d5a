/* The dashboard: filter state in the URL, one fetch per panel, rendering with textContent only. */
import { ApiError, getJSON } from "./api.js";
import * as F from "./format.js";
import { COMPARISONS, GRANULARITIES, PERIODS, SALES_TYPES, TEXT, isSalesType } from "./labels.js";
import { csvHref, offerCsv } from "./downloads.js";
import { loadCustomers } from "./customers.js";
import * as margin from "./margin.js";
import { celebrateCrossings } from "./milestones.js";
import * as pace from "./pace.js";
import * as inventory from "./inventory.js";
import { DEFAULTS, apiQuery, fromURL, pageQuery } from "./query.js";
import * as render from "./render.js";

const REFRESH_MS = 60000;
const body = document.body;
const $ = (id) => document.getElementById(id);

let state = fromURL(window.location.search);
const lookups = { categories: [], byId: {}, children: {} };
let seq = 0;
let controller = null;
let lastPeriod = null;

function navigate(changes) {
  Object.assign(state, changes);
  const query = pageQuery(state).toString();
  window.history.pushState(null, "", query ? "?" + query : window.location.pathname);
  syncControls();
  load();
}

function withParams(extra) {
  const q = apiQuery(state);
  Object.keys(extra || {}).forEach((k) => q.set(k, extra[k]));
  return q;
}

// --- lookups and controls -------------------------------------------------------------------
function option(select, value, label) {
  const o = document.createElement("option");
  o.value = String(value);
  o.textContent = label;
  select.appendChild(o);
}

function button(group, name, value, label) {
  const b = document.createElement("button");
  b.type = "button";
  b.dataset[name] = value;
  b.textContent = label;
  group.appendChild(b);
}

function resetOptions(select, firstLabel) {
  while (select.options.length) select.remove(0);
  option(select, "", firstLabel);
}

function ensureOption(select, value, label) {
  if (!value) return;
  for (let i = 0; i < select.options.length; i++) if (select.options[i].value === value) return;
  option(select, value, label);
}

/* The fixed choices (period and granularity buttons, sales-type and comparison options) and the
   lists' "all" options, which stay alone until the lookups arrive. */
function buildControls() {
  PERIODS.forEach((p) => button($("period-buttons"), "period", p.value, p.button));
  GRANULARITIES.forEach((g) => button($("granularity"), "granularity", g.value, g.button));
  SALES_TYPES.forEach((t) => option($("sales-type"), t.value, t.option));
  COMPARISONS.forEach((c) => option($("compare"), c.value, c.option));
  resetOptions($("source"), TEXT.allSources);
  resetOptions($("category"), TEXT.allCategories);
  resetOptions($("brand"), TEXT.allBrands);
}

function loadLookups() {
  return Promise.all([getJSON("/api/sources"), getJSON("/api/categories"), getJSON("/api/brands")])
    .then(([sources, categories, brands]) => {
      resetOptions($("source"), TEXT.allSources);
      sources.forEach((s) => option($("source"), s.id, s.name));
      lookups.categories = categories;
      lookups.byId = {};
      lookups.children = {};
      categories.forEach((c) => { lookups.byId[c.id] = c; });
      categories.forEach((c) => {
        const parent = c.parent_id !== null && lookups.byId[c.parent_id] && c.parent_id !== c.id ? c.parent_id : "root";
        (lookups.children[parent] = lookups.children[parent] || []).push(c);
      });
      resetOptions($("category"), TEXT.allCategories);
      byName(lookups.children.root || []).forEach((c) => option($("category"), c.id, c.name));
      resetOptions($("brand"), TEXT.allBrands);
      brands.forEach((b) => option($("brand"), b.name, b.name));
    });
}

function byName(list) {
  return list.slice().sort((a, b) => a.name.localeCompare(b.name));
}

function categoryPath(id) {
  const path = [];
  let current = lookups.byId[id];
  while (current && path.indexOf(current.id) < 0) {
    path.unshift(current.id);
    current = current.parent_id !== null ? lookups.byId[current.parent_id] : null;
  }
  return path;
}

/* The language switch leads to this very view in the other language. */
function syncLanguageLinks() {
  document.querySelectorAll("#lang-switch a").forEach((a) => {
    a.href = "?" + pageQuery({ ...state, lang: a.dataset.lang }).toString();
  });
}

function syncControls() {
  syncLanguageLinks();
  document.querySelectorAll("#period-buttons button").forEach((b) => {
    b.setAttribute("aria-pressed", String(b.dataset.period === state.period));
  });
  document.querySelectorAll("#granularity button").forEach((b) => {
    b.setAttribute("aria-pressed", String(b.dataset.granularity === state.granularity));
  });
  $("custom-range").hidden = state.period !== "custom";
  if (state.period === "custom") {
    $("start-date").value = state.start_date;
    $("end-date").value = state.end_date;
  }
  $("sales-type").value = isSalesType(state.sales_type) ? state.sales_type : DEFAULTS.sales_type;
  ensureOption($("source"), state.source_id, TEXT.unknownSource(state.source_id));
  $("source").value = state.source_id;
  ensureOption($("brand"), state.brand, state.brand);
  $("brand").value = state.brand;
  $("compare").value = state.compare;
  const path = state.category_id ? categoryPath(Number(state.category_id)) : [];
  const root = path.length ? String(path[0]) : state.category_id;
  ensureOption($("category"), root, TEXT.unknownCategory(root));
  $("category").value = root;
  const sub = $("subcategory");
  resetOptions(sub, TEXT.allSubcategories);
  const kids = root ? byName(lookups.children[root] || []) : [];
  kids.forEach((c) => option(sub, c.id, c.name));
  if (path.length > 2) {
    option(sub, state.category_id, path.slice(1).map((id) => lookups.byId[id].name).join(" › "));
  }
  $("subcategory-label").hidden = kids.length === 0;
  sub.value = path.length > 2 ? state.category_id : path.length === 2 ? String(path[1]) : "";
}

function bindControls() {
  document.querySelectorAll("#period-buttons button").forEach((b) => {
    b.addEventListener("click", () => {
      if (b.dataset.period === "custom") {
        state.period = "custom";
        state.start_date = state.start_date || (lastPeriod ? lastPeriod.start : "");
        state.end_date = state.end_date || (lastPeriod ? lastPeriod.end : "");
        syncControls();
        $("start-date").focus();
        return;
      }
      navigate({ period: b.dataset.period, start_date: "", end_date: "" });
    });
  });
  $("custom-range").addEventListener("submit", (e) => {
    e.preventDefault();
    const start = $("start-date").value, end = $("end-date").value;
    if (!start || !end || start > end) {
      showError(TEXT.badRange);
      return;
    }
    navigate({ period: "custom", start_date: start, end_date: end });
  });
  document.querySelectorAll("#granularity button").forEach((b) => {
    b.addEventListener("click", () => navigate({ granularity: b.dataset.granularity }));
  });
  $("sales-type").addEventListener("change", (e) => navigate({ sales_type: e.target.value }));
  $("source").addEventListener("change", (e) => navigate({ source_id: e.target.value }));
  $("brand").addEventListener("change", (e) => navigate({ brand: e.target.value }));
  $("compare").addEventListener("change", (e) => navigate({ compare: e.target.value }));
  $("category").addEventListener("change", (e) => navigate({ category_id: e.target.value, drill: "" }));
  $("subcategory").addEventListener("change", (e) => {
    navigate({ category_id: e.target.value || $("category").value, drill: "" });
  });
  $("reset").addEventListener("click", () => navigate({ ...DEFAULTS, lang: state.lang }));
  $("error-reset").addEventListener("click", () => navigate({ ...DEFAULTS, lang: state.lang }));
  $("error-retry").addEventListener("click", () => load());
  $("refresh").addEventListener("click", () => load());
  $("category-back").addEventListener("click", drillUp);
  $("margin-up").addEventListener("click", () => { margin.up(); });
  window.addEventListener("popstate", () => {
    state = fromURL(window.location.search);
    syncControls();
    load();
  });
}

// --- loading --------------------------------------------------------------------------------
function showError(message) {
  $("error-text").textContent = message;
  $("error-banner").hidden = false;
}

/* The reports of one view, in the order render.all takes them: path and query of each. */
function reports() {
  return [
    ["/api/summary", withParams()],
    ["/api/revenue/trend", withParams({ granularity: state.granularity })],
    ["/api/sales/by-source", withParams()],
    ["/api/products/top", withParams({ by: "quantity", limit: 10 })],
    ["/api/products/top", withParams({ by: "revenue", limit: 10 })],
    ["/api/categories/breakdown", withParams(state.drill ? { parent_id: state.drill } : {})],
    ["/api/customers/insights", withParams()],
    ["/api/brands/analytics", withParams({ limit: 10 })],
    ["/api/expenses/summary", withParams()],
    ["/api/expenses/profit", withParams()],
  ];
}

/* Chart card → the index of its report in reports(): the card's CSV is that report's main table. */
const CARD_REPORTS = {
  "panel-trend": 1, "panel-sources": 2, "panel-sources-share": 2, "panel-products-qty": 3,
  "panel-products-rev": 4, "panel-categories": 5, "panel-customers": 6, "panel-brands": 7, "panel-profit": 9,
};

function offerDownloads() {
  const all = reports();
  Object.keys(CARD_REPORTS).forEach((id) => {
    const [path, params] = all[CARD_REPORTS[id]];
    offerCsv($(id), csvHref(path, params));
  });
}

function load() {
  seq += 1;
  const mine = seq;
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  body.dataset.state = "loading";
  const requests = reports().map(([path, params]) => getJSON(path, params, signal));
  offerDownloads();
  loadCustomers(apiQuery(state), signal);
  inventory.load(withParams(), signal);
  return Promise.all(requests).then((r) => {
    if (mine !== seq) return;
    $("error-banner").hidden = true;
    render.all({ summary: r[0], trend: r[1], sources: r[2], topQty: r[3], topRev: r[4], categories: r[5],
      customers: r[6], brands: r[7], expenses: r[8], profit: r[9] }, lookups, { into: drillInto, up: drillUp });
    pace.show(r[0], r[1], state.granularity);
    lastPeriod = r[0].period;
    return margin.show(r[9], withParams(), signal).then(() => r);
  }).then((r) => {
    if (!r || mine !== seq) return;
    celebrateCrossings(r[0]);
    $("updated-at").textContent = TEXT.updatedAt(F.timeNow());
    body.dataset.state = "ready";
    body.dataset.seq = String(mine);
  }).catch((error) => {
    if (mine !== seq || (error && error.name === "AbortError")) return;
    if (error && error.payload && error.payload.field === "parent_id" && state.drill) {
      navigate({ drill: "" });
      return;
    }
    if (!(error instanceof ApiError)) window.console.error(error);
    showError(error instanceof ApiError ? error.message : TEXT.unreachable);
    body.dataset.state = "error";
    body.dataset.seq = String(mine);
  });
}

function drillInto(row) {
  if (row && row.has_children && row.id !== null) navigate({ drill: String(row.id) });
}

function drillUp() {
  if (!state.drill) return;
  const current = lookups.byId[Number(state.drill)];
  const parent = current && current.parent_id !== null && lookups.byId[current.parent_id] ? current.parent_id : "";
  navigate({ drill: parent === "" ? "" : String(parent) });
}

buildControls();
bindControls();
syncControls();
const paceReady = pace.init(() => load());
loadLookups().catch((error) => {
  showError(error instanceof ApiError ? error.message : TEXT.lookupsFailed);
}).then(() => {
  syncControls();
  return paceReady.then(load);
});
window.setInterval(() => {
  if (document.visibilityState === "visible" && body.dataset.state !== "loading") load();
}, REFRESH_MS);
