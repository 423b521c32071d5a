/* Confetti when a refresh shows a milestone that this tab had not seen reached for the same view. */
import * as F from "./format.js";
import { TEXT } from "./labels.js";
import { FILTERS } from "./query.js";
import { confetti } from "./vendor.js";

const STORE_KEY = "ksales.milestones.v1";

function remembered() {
  try { return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "{}"); } catch (e) { return {}; }
}

function celebrate(thresholds) {
  document.getElementById("milestone").dataset.celebrated = thresholds.join(",");
  document.getElementById("milestone-text").textContent = TEXT.milestoneReached(thresholds.map(F.money).join(", "));
  const calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (confetti && !calm) confetti({ particleCount: 160, spread: 80, origin: { y: 0.35 } });
}

/* Celebrate the thresholds `summary` reaches that the last summary of its period and filters did not. */
export function celebrateCrossings(summary) {
  const m = summary.milestones;
  if (!m.kind) return;
  const p = summary.period;
  const key = [p.kind, p.start, p.end, ...FILTERS.map((name) => summary.filters[name])].join("|");
  const memory = remembered();
  const before = memory[key];
  if (before) {
    const crossed = m.reached.filter((t) => before.indexOf(t) < 0);
    if (crossed.length) celebrate(crossed);
  }
  memory[key] = (before || []).concat(m.reached.filter((t) => !before || before.indexOf(t) < 0));
  try { window.sessionStorage.setItem(STORE_KEY, JSON.stringify(memory)); } catch (e) { /* private mode */ }
}
