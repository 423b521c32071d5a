/* Chart.js configurations for the dashboard's panels. Text is drawn on canvas: nothing is parsed as HTML. */
import * as F from "./format.js";
import { TEXT } from "./labels.js";
import { Chart, ChartDataLabels } from "./vendor.js";

const PALETTE = ["#4f46e5", "#0d9488", "#f59e0b", "#e11d48", "#0ea5e9", "#8b5cf6", "#10b981", "#f97316",
  "#db2777", "#64748b", "#84cc16", "#06b6d4"];

if (Chart) {
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#64748b";
  Chart.defaults.borderColor = "#eef2f7";
  const calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
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
  const out = [];
  for (let i = 0; i < n; i++) out.push(PALETTE[i % PALETTE.length]);
  return out;
}

/* A new chart on the canvas `id`, replacing the one drawn there before. */
function draw(id, config) {
  const old = Chart && Chart.getChart(id);
  if (old) old.destroy();
  const canvas = document.getElementById(id);
  if (!canvas || !Chart) return null;
  return new Chart(canvas, config);
}

function moneyAxis() {
  return { beginAtZero: true, ticks: { callback: (v) => F.moneyShort(v) } };
}

function moneyTooltip(label) {
  return (ctx) => (label || ctx.dataset.label || "") + ": " + F.money(ctx.parsed.y);
}

export function trend(id, data) {
  const labels = data.points.map((p) => F.day(p.date));
  const sets = [{
    label: TEXT.revenue, data: data.points.map((p) => p.revenue),
    borderColor: "#4f46e5", backgroundColor: "rgba(79,70,229,.10)", fill: true, tension: .3,
    pointRadius: data.points.length > 45 ? 0 : 3, borderWidth: 2,
  }];
  if (data.comparison) {
    const cmp = data.comparison.points;
    sets.push({
      label: TEXT.compared(F.range(data.comparison.start, data.comparison.end)),
      data: cmp.map((p) => p.revenue), borderColor: "#94a3b8", borderDash: [5, 4],
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
          label: (ctx) => {
            const pts = ctx.datasetIndex === 0 ? data.points : data.comparison.points;
            const point = pts[ctx.dataIndex];
            return TEXT.pointTooltip(F.day(point.date, true), F.money(point.revenue), F.number(point.orders, 0),
              point.orders);
          },
        } },
      },
    },
  });
}

export function bars(id, labels, values, options) {
  const o = options || {};
  const horizontal = !!o.horizontal;
  const valueAxis = o.money ? moneyAxis() : { beginAtZero: true };
  const format = o.money ? F.money : (v) => F.number(v, 3);
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
          // Chart.js passes the scale as `this`.
          y: { grid: { display: false }, ticks: { callback: function (v) {
            return truncate(labels[v], this.chart.width < 480 ? 14 : 22);
          } } } }
        : { y: valueAxis, x: { grid: { display: false } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => format(horizontal ? ctx.parsed.x : ctx.parsed.y) } },
        datalabels: {
          anchor: "end", align: "end", clamp: true, color: "#334155", font: { weight: 600 },
          formatter: (v) => (o.money ? F.moneyShort(v) : F.number(v, 3)),
        },
      },
    },
  });
}

export function doughnut(id, labels, values, options) {
  const o = options || {};
  const total = values.reduce((a, b) => a + b, 0);
  return draw(id, {
    type: "doughnut",
    data: { labels: labels.map((l) => truncate(l, 26)),
      datasets: [{ data: values, backgroundColor: colors(values.length), borderWidth: 2, borderColor: "#fff" }] },
    plugins: [ChartDataLabels],
    options: {
      cutout: "58%",
      onClick: o.onClick,
      onHover: (evt, elements) => {
        if (o.onClick) evt.native.target.style.cursor = elements.length ? "pointer" : "default";
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: (ctx) =>
          labels[ctx.dataIndex] + ": " + (o.money ? F.money(ctx.parsed) : F.number(ctx.parsed, 3)) } },
        datalabels: {
          color: "#fff", font: { weight: 700 },
          display: (ctx) => total > 0 && ctx.dataset.data[ctx.dataIndex] / total >= 0.06,
          formatter: (v) => Math.round((v / total) * 100) + "%",
        },
      },
    },
  });
}

export function line(id, labels, sets, money) {
  return draw(id, {
    type: "line",
    data: { labels: labels, datasets: sets.map((s, i) => Object.assign({ borderColor: PALETTE[i],
      backgroundColor: PALETTE[i], tension: .3, pointRadius: 0, borderWidth: 2 }, s)) },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: { y: money ? moneyAxis() : { beginAtZero: true }, x: { grid: { display: false } } },
      plugins: { legend: { display: sets.length > 1 },
        tooltip: { callbacks: { label: moneyTooltip() } } },
    },
  });
}

const STEP_COLORS = { revenue: "#4f46e5", cogs: "#d97706", expenses: "#e11d48", gain: "#059669", loss: "#b91c1c" };

/* The steps from revenue down to profit: revenue → cost of goods → expenses → profit (SPEC §6). Without the
   cost fields (those who may not see costs) there is no cost-of-goods step, and what is left after the
   expenses is "revenue minus expenses", not a profit. Amounts come from the API, never re-added here. */
export function waterfallSteps(p) {
  const costs = p.cogs !== undefined;
  const left = costs ? p.profit : Math.round((p.revenue - p.expenses) * 100) / 100;
  const steps = [{ label: TEXT.revenue, from: 0, to: p.revenue, amount: p.revenue, color: STEP_COLORS.revenue }];
  let level = p.revenue;
  if (costs) {
    steps.push({ label: TEXT.cogs, from: level, to: p.gross_profit, amount: -p.cogs, color: STEP_COLORS.cogs });
    level = p.gross_profit;
  }
  steps.push({ label: TEXT.expenses, from: level, to: left, amount: -p.expenses, color: STEP_COLORS.expenses });
  steps.push({ label: costs ? TEXT.profit : TEXT.revenueLessExpenses, from: 0, to: left, amount: left,
    color: left < 0 ? STEP_COLORS.loss : STEP_COLORS.gain, total: true });
  return steps;
}

/* Dashed lines from where each step ends to where the next one starts: the eye follows the money down. */
const connectors = {
  id: "ksalesConnectors",
  afterDatasetsDraw(chart) {
    const steps = chart.config.options.plugins.ksalesConnectors.steps;
    const bars = chart.getDatasetMeta(0).data;
    const y = chart.scales.y;
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = "#94a3b8";
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 1;
    for (let i = 0; i + 1 < steps.length && i + 1 < bars.length; i++) {
      const at = y.getPixelForValue(steps[i].to);
      ctx.beginPath();
      ctx.moveTo(bars[i].x + bars[i].width / 2, at);
      ctx.lineTo(bars[i + 1].x - bars[i + 1].width / 2, at);
      ctx.stroke();
    }
    ctx.restore();
  },
};

const PHONE = 480;

function smallOnPhone(ctx) {
  return { size: ctx.chart.width < PHONE ? 10 : 12 };
}

/* A label of several words as two lines, split at the space nearest its middle. */
function twoLines(label) {
  const middle = label.length / 2;
  let at = -1;
  for (let i = label.indexOf(" "); i !== -1; i = label.indexOf(" ", i + 1)) {
    if (at === -1 || Math.abs(i - middle) < Math.abs(at - middle)) at = i;
  }
  return at === -1 ? label : [label.slice(0, at), label.slice(at + 1)];
}

/* What a step's bar says: its amount, short, with a minus sign for the costs that take money away. */
export function stepText(step) {
  return step.amount < 0 ? "−" + F.moneyShort(-step.amount) : F.moneyShort(step.amount);
}

/* The profit waterfall: each step a floating bar from where the money stood to where it stands after it. */
export function waterfall(id, p) {
  const steps = waterfallSteps(p);
  return draw(id, {
    type: "bar",
    data: { labels: steps.map((s) => s.label), datasets: [{
      label: "", data: steps.map((s) => [Math.min(s.from, s.to), Math.max(s.from, s.to)]),
      backgroundColor: steps.map((s) => s.color), borderRadius: 4, borderSkipped: false, maxBarThickness: 64,
    }] },
    plugins: [ChartDataLabels, connectors],
    options: {
      layout: { padding: { top: 22 } },
      scales: {
        y: moneyAxis(),
        // On a phone the step names are smaller and a long one wraps onto two lines, never turned on its side.
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: false, font: smallOnPhone,
          callback: function (v) { return this.chart.width < PHONE ? twoLines(steps[v].label) : steps[v].label; } } },
      },
      plugins: {
        legend: { display: false },
        ksalesConnectors: { steps: steps },
        tooltip: { callbacks: {
          label: (ctx) => steps[ctx.dataIndex].label + ": " + F.money(steps[ctx.dataIndex].amount),
        } },
        datalabels: {
          anchor: "end", align: "end", clamp: true, color: "#334155",
          font: (ctx) => Object.assign({ weight: 600 }, smallOnPhone(ctx)),
          formatter: (_v, ctx) => stepText(steps[ctx.dataIndex]),
        },
      },
    },
  });
}
