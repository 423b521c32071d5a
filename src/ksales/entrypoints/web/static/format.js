/* Numbers, money, percentages and dates in the page's language, by the browser's CLDR data (Intl):
   "2 585 002,20 ₴" and "2 груд. 2026 р." in Ukrainian, "₴2,585,002.20" and "Dec 2, 2026" in English. */
import { LANG } from "./i18n.js";

const currency = document.body.dataset.currency || "UAH";

const formats = {
  money: new Intl.NumberFormat(LANG, { style: "currency", currency: currency, currencyDisplay: "narrowSymbol",
    minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  /* Chart axes and bar labels: 2 500 → "2,5 тис." / "2.5K" (never rounded to a whole thousand). */
  compact: new Intl.NumberFormat(LANG, { notation: "compact", maximumFractionDigits: 1 }),
  percent: new Intl.NumberFormat(LANG, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  day: new Intl.DateTimeFormat(LANG, { day: "numeric", month: "short", timeZone: "UTC" }),
  date: new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeZone: "UTC" }),
  time: new Intl.DateTimeFormat(LANG, { hour: "2-digit", minute: "2-digit", hour12: false }),
};
const numbers = {};

function missing(value) {
  return value === null || value === undefined || !isFinite(value);
}

/* A number with at most `digits` decimals (2 by default); whole numbers without decimals. */
export function number(value, digits) {
  if (missing(value)) return "—";
  const d = digits === undefined ? 2 : digits;
  if (!numbers[d]) numbers[d] = new Intl.NumberFormat(LANG, { maximumFractionDigits: d });
  return numbers[d].format(value);
}

/* Money, always with 2 decimals. */
export function money(value) {
  return missing(value) ? "—" : formats.money.format(value);
}

/* Short money for chart axes and bar labels, in the locale's compact notation. */
export function moneyShort(value) {
  return missing(value) ? "—" : formats.compact.format(value);
}

/* `value` in percent: 12.5 → "12,50 %". */
export function percent(value) {
  return missing(value) ? "—" : formats.percent.format(value / 100);
}

function utc(iso) {
  const p = String(iso).split("-").map(Number);
  return p.length === 3 && p.every((n) => isFinite(n)) ? new Date(Date.UTC(p[0], p[1] - 1, p[2])) : null;
}

/* "2026-11-05" → "5 лист." / "Nov 5" (with the year when `withYear`). */
export function day(iso, withYear) {
  const d = utc(iso);
  if (!d) return String(iso);
  return (withYear ? formats.date : formats.day).format(d);
}

export function range(start, end) {
  const a = utc(start), b = utc(end);
  if (!a || !b) return String(start) + " – " + String(end);
  if (start === end) return formats.date.format(a);
  return formats.date.formatRange(a, b);
}

/* The time of day now: "14:05". */
export function timeNow() {
  return formats.time.format(new Date());
}
