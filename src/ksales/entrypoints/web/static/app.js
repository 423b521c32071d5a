/* The dashboard: filter state in the URL, one fetch per panel, rendering with textContent only. */
(function () {
  "use strict";

  var F = window.ksalesFormat;
  var body = document.body;
  var $ = function (id) { return document.getElementById(id); };

  var DEFAULTS = { period: "today", start_date: "", end_date: "", sales_type: "retail", source_id: "",
    category_id: "", brand: "", compare: "previous_period", granularity: "day", drill: "" };
  var ENUMS = { period: true, sales_type: true, compare: true, granularity: true };
  var SALES_TYPES = { retail: "Retail", b2b: "B2B", all: "All sales" };
  var STORE_KEY = "ksales.milestones.v1";
  var REFRESH_MS = 60000;

  var state = fromURL();
  var lookups = { categories: [], byId: {}, children: {} };
  var seq = 0;
  var controller = null;
  var lastPeriod = null;

  // --- URL state ------------------------------------------------------------------------------
  function fromURL() {
    var params = new URLSearchParams(window.location.search);
    var s = Object.assign({}, DEFAULTS);
    Object.keys(DEFAULTS).forEach(function (key) {
      var value = params.get(key);
      if (value !== null && value.trim() !== "") s[key] = ENUMS[key] ? value.trim().toLowerCase() : value.trim();
    });
    if (!params.get("period") && s.start_date && s.end_date) s.period = "custom";
    return s;
  }

  function toQuery(s, forApi) {
    var q = new URLSearchParams();
    var keys = forApi ? ["period", "start_date", "end_date", "sales_type", "source_id", "category_id", "brand",
      "compare"] : Object.keys(DEFAULTS);
    keys.forEach(function (key) {
      if ((key === "start_date" || key === "end_date") && s.period !== "custom") return;
      if (!forApi && s[key] === DEFAULTS[key]) return;
      if (s[key] !== "") q.set(key, s[key]);
    });
    if (forApi && s.period === "custom") q.delete("period");
    return q;
  }

  function navigate(changes) {
    Object.assign(state, changes);
    var query = toQuery(state, false).toString();
    window.history.pushState(null, "", query ? "?" + query : window.location.pathname);
    syncControls();
    load();
  }

  // --- API ------------------------------------------------------------------------------------
  function ApiError(status, payload) {
    this.status = status;
    this.payload = payload || {};
    this.message = (this.payload.field ? this.payload.field + ": " : "") +
      (this.payload.message || "the server answered " + status);
  }

  function getJSON(path, params, signal) {
    var qs = params ? params.toString() : "";
    return fetch(path + (qs ? "?" + qs : ""), { signal: signal, headers: { Accept: "application/json" },
      credentials: "same-origin" }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (payload) {
        if (response.status === 401) window.location.assign("/login");
        if (!response.ok) throw new ApiError(response.status, payload);
        return payload;
      });
    });
  }

  function withParams(extra) {
    var q = toQuery(state, true);
    Object.keys(extra || {}).forEach(function (k) { q.set(k, extra[k]); });
    return q;
  }

  // --- lookups and controls -------------------------------------------------------------------
  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = String(value);
    o.textContent = label;
    select.appendChild(o);
  }

  function resetOptions(select, firstLabel) {
    while (select.options.length) select.remove(0);
    option(select, "", firstLabel);
  }

  function ensureOption(select, value, label) {
    if (!value) return;
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return;
    option(select, value, label);
  }

  function loadLookups() {
    return Promise.all([getJSON("/api/sources"), getJSON("/api/categories"), getJSON("/api/brands")])
      .then(function (r) {
        resetOptions($("source"), "All sources");
        r[0].forEach(function (s) { option($("source"), s.id, s.name); });
        lookups.categories = r[1];
        lookups.byId = {};
        lookups.children = {};
        r[1].forEach(function (c) { lookups.byId[c.id] = c; });
        r[1].forEach(function (c) {
          var parent = c.parent_id !== null && lookups.byId[c.parent_id] && c.parent_id !== c.id ? c.parent_id : "root";
          (lookups.children[parent] = lookups.children[parent] || []).push(c);
        });
        resetOptions($("category"), "All categories");
        byName(lookups.children.root || []).forEach(function (c) { option($("category"), c.id, c.name); });
        resetOptions($("brand"), "All brands");
        r[2].forEach(function (b) { option($("brand"), b.name, b.name); });
      });
  }

  function byName(list) {
    return list.slice().sort(function (a, b) { return a.name.localeCompare(b.name); });
  }

  function categoryPath(id) {
    var path = [];
    var current = lookups.byId[id];
    while (current && path.indexOf(current.id) < 0) {
      path.unshift(current.id);
      current = current.parent_id !== null ? lookups.byId[current.parent_id] : null;
    }
    return path;
  }

  function syncControls() {
    document.querySelectorAll("#period-buttons button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.period === state.period));
    });
    document.querySelectorAll("#granularity button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.granularity === state.granularity));
    });
    $("custom-range").hidden = state.period !== "custom";
    if (state.period === "custom") {
      $("start-date").value = state.start_date;
      $("end-date").value = state.end_date;
    }
    $("sales-type").value = SALES_TYPES[state.sales_type] ? state.sales_type : "retail";
    ensureOption($("source"), state.source_id, "Source " + state.source_id);
    $("source").value = state.source_id;
    ensureOption($("brand"), state.brand, state.brand);
    $("brand").value = state.brand;
    $("compare").value = state.compare;
    var path = state.category_id ? categoryPath(Number(state.category_id)) : [];
    var root = path.length ? String(path[0]) : state.category_id;
    ensureOption($("category"), root, "Category " + root);
    $("category").value = root;
    var sub = $("subcategory");
    resetOptions(sub, "All");
    var kids = root ? byName(lookups.children[root] || []) : [];
    kids.forEach(function (c) { option(sub, c.id, c.name); });
    if (path.length > 2) option(sub, state.category_id, path.slice(1).map(function (id) {
      return lookups.byId[id].name; }).join(" › "));
    $("subcategory-label").hidden = kids.length === 0;
    sub.value = path.length > 2 ? state.category_id : path.length === 2 ? String(path[1]) : "";
  }

  function bindControls() {
    document.querySelectorAll("#period-buttons button").forEach(function (b) {
      b.addEventListener("click", function () {
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
    $("custom-range").addEventListener("submit", function (e) {
      e.preventDefault();
      var start = $("start-date").value, end = $("end-date").value;
      if (!start || !end || start > end) {
        showError("Choose a start date that is not after the end date.");
        return;
      }
      navigate({ period: "custom", start_date: start, end_date: end });
    });
    document.querySelectorAll("#granularity button").forEach(function (b) {
      b.addEventListener("click", function () { navigate({ granularity: b.dataset.granularity }); });
    });
    $("sales-type").addEventListener("change", function (e) { navigate({ sales_type: e.target.value }); });
    $("source").addEventListener("change", function (e) { navigate({ source_id: e.target.value }); });
    $("brand").addEventListener("change", function (e) { navigate({ brand: e.target.value }); });
    $("compare").addEventListener("change", function (e) { navigate({ compare: e.target.value }); });
    $("category").addEventListener("change", function (e) { navigate({ category_id: e.target.value, drill: "" }); });
    $("subcategory").addEventListener("change", function (e) {
      navigate({ category_id: e.target.value || $("category").value, drill: "" });
    });
    $("reset").addEventListener("click", function () { navigate(Object.assign({}, DEFAULTS)); });
    $("error-reset").addEventListener("click", function () { navigate(Object.assign({}, DEFAULTS)); });
    $("error-retry").addEventListener("click", function () { load(); });
    $("refresh").addEventListener("click", function () { load(); });
    $("category-back").addEventListener("click", drillUp);
    window.addEventListener("popstate", function () {
      state = fromURL();
      syncControls();
      load();
    });
  }

  // --- loading --------------------------------------------------------------------------------
  function showError(message) {
    $("error-text").textContent = message;
    $("error-banner").hidden = false;
  }

  function load() {
    seq += 1;
    var mine = seq;
    if (controller) controller.abort();
    controller = new AbortController();
    var signal = controller.signal;
    body.dataset.state = "loading";
    var requests = [
      getJSON("/api/summary", withParams(), signal),
      getJSON("/api/revenue/trend", withParams({ granularity: state.granularity }), signal),
      getJSON("/api/sales/by-source", withParams(), signal),
      getJSON("/api/products/top", withParams({ by: "quantity", limit: 10 }), signal),
      getJSON("/api/products/top", withParams({ by: "revenue", limit: 10 }), signal),
      getJSON("/api/categories/breakdown", withParams(state.drill ? { parent_id: state.drill } : {}), signal),
      getJSON("/api/customers/insights", withParams(), signal),
      getJSON("/api/brands/analytics", withParams({ limit: 10 }), signal),
      getJSON("/api/expenses/summary", withParams(), signal),
      getJSON("/api/expenses/profit", withParams(), signal),
    ];
    return Promise.all(requests).then(function (r) {
      if (mine !== seq) return;
      $("error-banner").hidden = true;
      window.ksalesRender.all({ summary: r[0], trend: r[1], sources: r[2], topQty: r[3], topRev: r[4],
        categories: r[5], customers: r[6], brands: r[7], expenses: r[8], profit: r[9] }, state, lookups);
      lastPeriod = r[0].period;
      celebrateCrossings(r[0]);
      $("updated-at").textContent = "Updated " + new Date().toLocaleTimeString([], { hour: "2-digit",
        minute: "2-digit", hour12: false });
      body.dataset.state = "ready";
      body.dataset.seq = String(mine);
    }).catch(function (error) {
      if (mine !== seq || (error && error.name === "AbortError")) return;
      if (error && error.payload && error.payload.field === "parent_id" && state.drill) {
        navigate({ drill: "" });
        return;
      }
      if (!(error instanceof ApiError)) window.console.error(error);
      showError(error instanceof ApiError ? error.message : "The dashboard could not reach the server.");
      body.dataset.state = "error";
      body.dataset.seq = String(mine);
    });
  }

  function drillInto(row) {
    if (row && row.has_children && row.id !== null) navigate({ drill: String(row.id) });
  }

  function drillUp() {
    if (!state.drill) return;
    var current = lookups.byId[Number(state.drill)];
    var parent = current && current.parent_id !== null && lookups.byId[current.parent_id] ? current.parent_id : "";
    navigate({ drill: parent === "" ? "" : String(parent) });
  }

  // --- milestones -----------------------------------------------------------------------------
  function remembered() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "{}"); } catch (e) { return {}; }
  }

  function celebrateCrossings(summary) {
    var m = summary.milestones;
    if (!m.kind) return;
    var f = summary.filters, p = summary.period;
    var key = [p.kind, p.start, p.end, f.sales_type, f.source_id, f.category_id, f.brand].join("|");
    var memory = remembered();
    var before = memory[key];
    if (before) {
      var crossed = m.reached.filter(function (t) { return before.indexOf(t) < 0; });
      if (crossed.length) celebrate(crossed);
    }
    memory[key] = (before || []).concat(m.reached.filter(function (t) { return !before || before.indexOf(t) < 0; }));
    try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(memory)); } catch (e) { /* private mode */ }
  }

  function celebrate(thresholds) {
    $("milestone").dataset.celebrated = thresholds.join(",");
    $("milestone-text").textContent = "🎉 Milestone reached: " + thresholds.map(F.money).join(", ");
    var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (window.confetti && !calm) window.confetti({ particleCount: 160, spread: 80, origin: { y: 0.35 } });
  }

  window.ksales = { state: function () { return state; }, reload: load, drillInto: drillInto, drillUp: drillUp };

  bindControls();
  syncControls();
  loadLookups().catch(function (error) {
    showError(error instanceof ApiError ? error.message : "The filter lists could not be loaded.");
  }).then(function () {
    syncControls();
    return load();
  });
  window.setInterval(function () {
    if (document.visibilityState === "visible" && body.dataset.state !== "loading") load();
  }, REFRESH_MS);
})();
