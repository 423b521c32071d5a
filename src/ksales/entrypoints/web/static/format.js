/* Number, money and date formatting: "1 234 567 ₴" (narrow no-break space groups, decimal comma). */
import { MONTHS, TEXT } from "./labels.js";

const GROUP = "\u202f";
const SYMBOLS = { UAH: "₴", USD: "$", EUR: "€", PLN: "zł" };

function group(intText) {
  let out = "";
  for (let i = 0; i < intText.length; i++) {
    if (i > 0 && (intText.length - i) % 3 === 0) out += GROUP;
    out += intText[i];
  }
  return out;
}

/* A number with at most `digits` decimals; whole numbers without decimals. */
export function number(value, digits) {
  if (value === null || value === undefined || !isFinite(value)) return "—";
  const d = digits === undefined ? 2 : digits;
  const negative = value < 0;
  const fixed = Math.abs(value).toFixed(d);
  const parts = fixed.split(".");
  let text = group(parts[0]);
  if (parts.length > 1 && !/^0+$/.test(parts[1])) text += "," + parts[1];
  return (negative ? "−" : "") + text;
}

function currencySymbol() {
  const code = document.body.dataset.currency || "UAH";
  return SYMBOLS[code] || code;
}

export function money(value) {
  if (value === null || value === undefined) return "—";
  return number(value, 2) + "\u00a0" + currencySymbol();
}

/* Short money for chart axes: 1,2 M ₴ / 350 K ₴. */
export function moneyShort(value) {
  const abs = Math.abs(value);
  if (abs >= 1e6) return number(value / 1e6, 1) + "\u00a0" + TEXT.million;
  if (abs >= 1e3) return number(value / 1e3, 0) + "\u00a0" + TEXT.thousand;
  return number(value, 0);
}

export function percent(value) {
  if (value === null || value === undefined) return "—";
  return number(value, 2) + "\u00a0%";
}

/* "2026-11-05" → "5 Nov" (with the year when `withYear`). */
export function day(iso, withYear) {
  const p = String(iso).split("-");
  if (p.length !== 3) return String(iso);
  const text = Number(p[2]) + " " + MONTHS[Number(p[1]) - 1];
  return withYear ? text + " " + p[0] : text;
}

export function range(start, end) {
  if (start === end) return day(start, true);
  const sameYear = start.slice(0, 4) === end.slice(0, 4);
  return day(start, !sameYear) + " – " + day(end, true);
}
