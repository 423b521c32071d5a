/* Filling the page from API responses. Every text goes through textContent. */
(function () {
  "use strict";

  var F = window.ksalesFormat;
  var C = window.ksalesCharts;
  var $ = function (id) { return document.getElementById(id); };
  var PERIOD_NAMES = { today: "Today", yesterday: "Yesterday", week: "This week", last_week: "Last week",
    month: "This month", last_month: "Last month", last_7_days: "Last 7 days", last_28_days: "Last 28 days",
    custom: "Custom range" };
  var SALES_TYPES = { retail: "Retail", b2b: "B2B", all: "All sales" };

  function setEmpty(panelId, empty) {
    var panel = $(panelId);
    panel.classList.toggle("is-empty", empty);
    panel.querySelector(".empty").hidden = !empty;
  }

  function change(el, pct, comparison) {
    el.classList.remove("up", "down", "flat");
    if (!comparison) { el.textContent = ""; return; }
    var vs = " vs " + F.range(comparison.start, comparison.end);
    if (pct === null || pct === undefined) {
      el.classList.add("flat");
      el.textContent = "no sales to compare" + vs;
      return;
    }
    el.classList.add(pct > 0 ? "up" : pct < 0 ? "down" : "flat");
    var arrow = pct > 0 ? "▲ +" : pct < 0 ? "▼ " : "● ";
    el.textContent = arrow + F.percent(pct) + vs;
  }

  function card(id, value, pct, comparison) {
    $(id).querySelector(".value").textContent = value;
    change($(id).querySelector(".change"), pct, comparison);
  }

  function summary(s) {
    var c = s.comparison;
    card("card-revenue", F.money(s.revenue), c && c.revenue_change_pct, c);
    card("card-orders", F.number(s.orders, 0), c && c.orders_change_pct, c);
    card("card-aov", F.money(s.avg_check), c && c.avg_check_change_pct, c);
    $("card-returns").querySelector(".value").textContent = F.money(s.returns.revenue);
    $("card-returns").querySelector(".change").textContent =
      F.number(s.returns.orders, 0) + (s.returns.orders === 1 ? " canceled order" : " canceled orders");
    var f = s.filters;
    var label = PERIOD_NAMES[s.period.kind] + " · " + F.range(s.period.start, s.period.end) + " · " +
      SALES_TYPES[f.sales_type];
    $("period-label").textContent = label;
    milestones(s.milestones, s.revenue);
  }

  function milestones(m, revenue) {
    var box = $("milestone");
    var chips = $("milestone-chips");
    while (chips.firstChild) chips.removeChild(chips.firstChild);
    delete box.dataset.celebrated;
    box.hidden = false;
    if (!m.kind) {
      $("milestone-text").textContent = "No milestones for custom ranges";
      $("milestone-fill").style.width = "0";
      box.hidden = true;
      return;
    }
    var pct = m.progress_pct === null ? 100 : Math.min(100, m.progress_pct);
    $("milestone-fill").style.width = pct + "%";
    $("milestone-bar").setAttribute("aria-valuenow", String(Math.round(pct)));
    $("milestone-text").textContent = m.next === null
      ? "All " + m.kind + " milestones reached 🎉"
      : F.money(revenue) + " of " + F.money(m.next) + " (" + F.percent(m.progress_pct) + ")";
    m.thresholds.forEach(function (t) {
      var chip = document.createElement("span");
      var reached = m.reached.indexOf(t) >= 0;
      chip.className = "chip" + (reached ? " reached" : "");
      chip.textContent = (reached ? "✓ " : "") + F.money(t);
      chips.appendChild(chip);
    });
  }

  function trend(t) {
    var empty = t.points.every(function (p) { return p.revenue === 0 && p.orders === 0; }) &&
      (!t.comparison || t.comparison.points.every(function (p) { return p.revenue === 0; }));
    setEmpty("panel-trend", empty);
    C.trend("chart-trend", t);
  }

  function sources(s) {
    var empty = s.sources.length === 0;
    setEmpty("panel-sources", empty);
    setEmpty("panel-sources-share", empty);
    var names = s.sources.map(function (r) { return r.name; });
    C.bars("chart-sources-bar", names, s.sources.map(function (r) { return r.revenue; }), { money: true });
    C.doughnut("chart-sources-doughnut", names, s.sources.map(function (r) { return r.orders; }));
  }

  function products(panelId, chartId, data, measure) {
    setEmpty(panelId, data.products.length === 0);
    C.bars(chartId, data.products.map(function (p) { return p.name; }),
      data.products.map(function (p) { return p[measure]; }),
      { horizontal: true, money: measure === "revenue", color: measure === "revenue" ? "#0d9488" : "#4f46e5" });
  }

  function categories(b, state, lookups) {
    var rows = b.categories;
    setEmpty("panel-categories", rows.length === 0);
    $("category-back").hidden = !b.parent;
    var crumb = "";
    if (b.parent) {
      var path = [];
      var current = lookups.byId[b.parent.id];
      while (current && path.length < 10) {
        path.unshift(current.name);
        current = current.parent_id !== null ? lookups.byId[current.parent_id] : null;
      }
      crumb = "› " + (path.length ? path : [b.parent.name]).join(" › ");
    }
    $("category-crumb").textContent = crumb;
    $("panel-categories").dataset.parent = b.parent ? String(b.parent.id) : "";
    C.doughnut("chart-categories", rows.map(function (r) { return r.name; }),
      rows.map(function (r) { return r.revenue; }), {
        money: true,
        onClick: function (evt, elements) {
          if (elements.length) window.ksales.drillInto(rows[elements[0].index]);
          else window.ksales.drillUp();
        },
      });
  }

  function customers(c) {
    setEmpty("panel-customers", c.customers === 0 && c.aov_trend.every(function (p) { return p.aov === 0; }));
    $("customers-total").textContent = F.number(c.customers, 0);
    $("customers-new").textContent = F.number(c.new_customers, 0);
    $("customers-returning").textContent = F.number(c.returning_customers, 0);
    $("customers-repeat").textContent = F.percent(c.repeat_rate_pct);
    var total = c.customers || 1;
    document.querySelector("#customers-split .split-new").style.width = (c.new_customers / total * 100) + "%";
    document.querySelector("#customers-split .split-returning").style.width =
      (c.returning_customers / total * 100) + "%";
    C.line("chart-aov", c.aov_trend.map(function (p) { return F.day(p.date); }),
      [{ label: "Average check", data: c.aov_trend.map(function (p) { return p.aov; }), fill: false }], true);
  }

  function brands(b) {
    setEmpty("panel-brands", b.top_by_revenue.length === 0);
    var m = b.metrics;
    $("brands-meta").textContent = m.brands + " brands" +
      (m.top_brand ? " · top: " + m.top_brand + " (" + F.percent(m.top_brand_share_pct) + ")" : "") +
      " · unbranded " + F.money(m.unbranded_revenue);
    C.bars("chart-brands", b.top_by_revenue.map(function (r) { return r.brand; }),
      b.top_by_revenue.map(function (r) { return r.revenue; }), { horizontal: true, money: true, color: "#8b5cf6" });
  }

  function profit(p, e) {
    setEmpty("panel-profit", p.revenue === 0 && p.expenses === 0);
    $("profit-expenses").textContent = F.money(p.expenses);
    $("profit-gross").textContent = F.money(p.gross_profit);
    $("profit-margin").textContent = F.percent(p.margin_pct);
    $("expenses-avg").textContent = F.money(e.avg_per_order);
    var list = $("expense-types");
    while (list.firstChild) list.removeChild(list.firstChild);
    e.by_type.forEach(function (t) {
      var item = document.createElement("li");
      var name = document.createElement("strong");
      name.textContent = t.name;
      item.appendChild(name);
      item.appendChild(document.createTextNode(" " + F.money(t.amount) + " (" + t.count + ")"));
      list.appendChild(item);
    });
    C.profit("chart-profit", p.trend);
  }

  function all(d, state, lookups) {
    summary(d.summary);
    trend(d.trend);
    sources(d.sources);
    products("panel-products-qty", "chart-products-qty", d.topQty, "quantity");
    products("panel-products-rev", "chart-products-rev", d.topRev, "revenue");
    categories(d.categories, state, lookups);
    customers(d.customers);
    brands(d.brands);
    profit(d.profit, d.expenses);
  }

  window.ksalesRender = { all: all };
})();
