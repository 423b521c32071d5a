/* Chart.js configurations for the dashboard's panels. Text is drawn on canvas: nothing is parsed as HTML. */
(function () {
  "use strict";

  var F = window.ksalesFormat;
  var PALETTE = ["#4f46e5", "#0d9488", "#f59e0b", "#e11d48", "#0ea5e9", "#8b5cf6", "#10b981", "#f97316",
    "#db2777", "#64748b", "#84cc16", "#06b6d4"];
  var charts = {};

  if (window.Chart) {
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = "#64748b";
    Chart.defaults.borderColor = "#eef2f7";
    var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (calm) Chart.defaults.animation = false;
    else Chart.defaults.animation.duration = 350;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.plugins.legend.labels.boxWidth = 12;
  }

  function truncate(text, length) {
    text = String(text);
    return text.length > length ? text.slice(0, length - 1) + "…" : text;
  }

  function colors(n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(PALETTE[i % PALETTE.length]);
    return out;
  }

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) return null;
    charts[id] = new Chart(canvas, config);
    return charts[id];
  }

  function moneyAxis() {
    return { beginAtZero: true, ticks: { callback: function (v) { return F.moneyShort(v); } } };
  }

  function moneyTooltip(label) {
    return function (ctx) { return (label || ctx.dataset.label || "") + ": " + F.money(ctx.parsed.y); };
  }

  function trend(id, data) {
    var labels = data.points.map(function (p) { return F.day(p.date); });
    var sets = [{
      label: "Revenue", data: data.points.map(function (p) { return p.revenue; }),
      borderColor: "#4f46e5", backgroundColor: "rgba(79,70,229,.10)", fill: true, tension: .3,
      pointRadius: data.points.length > 45 ? 0 : 3, borderWidth: 2,
    }];
    if (data.comparison) {
      var cmp = data.comparison.points;
      sets.push({
        label: "Compared: " + F.range(data.comparison.start, data.comparison.end),
        data: cmp.map(function (p) { return p.revenue; }), borderColor: "#94a3b8", borderDash: [5, 4],
        fill: false, tension: .3, pointRadius: 0, borderWidth: 2,
      });
    }
    return draw(id, {
      type: "line", data: { labels: labels, datasets: sets },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { y: moneyAxis(), x: { grid: { display: false } } },
        plugins: {
          tooltip: { callbacks: {
            label: function (ctx) {
              var pts = ctx.datasetIndex === 0 ? data.points : data.comparison.points;
              var point = pts[ctx.dataIndex];
              return F.day(point.date, true) + ": " + F.money(point.revenue) + " · " + point.orders + " orders";
            },
          } },
        },
      },
    });
  }

  function bars(id, labels, values, options) {
    var o = options || {};
    var horizontal = !!o.horizontal;
    var valueAxis = o.money ? moneyAxis() : { beginAtZero: true };
    var format = o.money ? F.money : function (v) { return F.number(v, 3); };
    return draw(id, {
      type: "bar",
      data: { labels: labels, datasets: [{
        label: o.label || "", data: values, backgroundColor: o.color ? o.color : colors(values.length),
        borderRadius: 6, maxBarThickness: 36,
      }] },
      plugins: horizontal ? [ChartDataLabels] : [],
      options: {
        indexAxis: horizontal ? "y" : "x",
        layout: { padding: { right: horizontal ? 56 : 0 } },
        scales: horizontal
          ? { x: Object.assign(valueAxis, { grid: { display: true } }),
            y: { grid: { display: false }, ticks: { callback: function (v) {
              return truncate(labels[v], this.chart.width < 480 ? 14 : 22);
            } } } }
          : { y: valueAxis, x: { grid: { display: false } } },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (ctx) {
            return format(horizontal ? ctx.parsed.x : ctx.parsed.y);
          } } },
          datalabels: {
            anchor: "end", align: "end", clamp: true, color: "#334155", font: { weight: 600 },
            formatter: function (v) { return o.money ? F.moneyShort(v) : F.number(v, 3); },
          },
        },
      },
    });
  }

  function doughnut(id, labels, values, options) {
    var o = options || {};
    var total = values.reduce(function (a, b) { return a + b; }, 0);
    return draw(id, {
      type: "doughnut",
      data: { labels: labels.map(function (l) { return truncate(l, 26); }),
        datasets: [{ data: values, backgroundColor: colors(values.length), borderWidth: 2, borderColor: "#fff" }] },
      plugins: [ChartDataLabels],
      options: {
        cutout: "58%",
        onClick: o.onClick,
        onHover: function (evt, elements) {
          if (o.onClick) evt.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) {
            return labels[ctx.dataIndex] + ": " + (o.money ? F.money(ctx.parsed) : F.number(ctx.parsed, 3));
          } } },
          datalabels: {
            color: "#fff", font: { weight: 700 },
            display: function (ctx) { return total > 0 && ctx.dataset.data[ctx.dataIndex] / total >= 0.06; },
            formatter: function (v) { return Math.round((v / total) * 100) + "%"; },
          },
        },
      },
    });
  }

  function line(id, labels, sets, money) {
    return draw(id, {
      type: "line",
      data: { labels: labels, datasets: sets.map(function (s, i) {
        return Object.assign({ borderColor: PALETTE[i], backgroundColor: PALETTE[i], tension: .3, pointRadius: 0,
          borderWidth: 2 }, s);
      }) },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { y: money ? moneyAxis() : { beginAtZero: true }, x: { grid: { display: false } } },
        plugins: { legend: { display: sets.length > 1 },
          tooltip: { callbacks: { label: moneyTooltip() } } },
      },
    });
  }

  function profit(id, points) {
    var labels = points.map(function (p) { return F.day(p.date); });
    return draw(id, {
      type: "bar",
      data: { labels: labels, datasets: [
        { type: "line", label: "Profit", data: points.map(function (p) { return p.profit; }),
          borderColor: "#059669", backgroundColor: "#059669", tension: .3, pointRadius: 0, borderWidth: 2, order: 0 },
        { label: "Revenue", data: points.map(function (p) { return p.revenue; }), backgroundColor: "#c7d2fe",
          borderRadius: 4, order: 1 },
        { label: "Expenses", data: points.map(function (p) { return p.expenses; }), backgroundColor: "#fda4af",
          borderRadius: 4, order: 1 },
      ] },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: { y: moneyAxis(), x: { grid: { display: false } } },
        plugins: { tooltip: { callbacks: { label: moneyTooltip() } } },
      },
    });
  }

  window.ksalesCharts = { trend: trend, bars: bars, doughnut: doughnut, line: line, profit: profit,
    get: function (id) { return charts[id]; } };
})();
