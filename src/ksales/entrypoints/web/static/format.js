/* Number, money and date formatting: "1 234 567 ₴" (narrow no-break space groups, decimal comma). */
(function () {
  "use strict";

  var GROUP = "\u202f";
  var SYMBOLS = { UAH: "₴", USD: "$", EUR: "€", PLN: "zł" };

  function group(intText) {
    var out = "";
    for (var i = 0; i < intText.length; i++) {
      if (i > 0 && (intText.length - i) % 3 === 0) out += GROUP;
      out += intText[i];
    }
    return out;
  }

  /* A number with at most `digits` decimals; whole numbers without decimals. */
  function number(value, digits) {
    if (value === null || value === undefined || !isFinite(value)) return "—";
    var d = digits === undefined ? 2 : digits;
    var negative = value < 0;
    var fixed = Math.abs(value).toFixed(d);
    var parts = fixed.split(".");
    var text = group(parts[0]);
    if (parts.length > 1 && !/^0+$/.test(parts[1])) text += "," + parts[1];
    return (negative ? "−" : "") + text;
  }

  function currencySymbol() {
    var code = document.body.dataset.currency || "UAH";
    return SYMBOLS[code] || code;
  }

  function money(value) {
    if (value === null || value === undefined) return "—";
    return number(value, 2) + "\u00a0" + currencySymbol();
  }

  /* Short money for chart axes: 1,2 M ₴ / 350 K ₴. */
  function moneyShort(value) {
    var abs = Math.abs(value);
    if (abs >= 1e6) return number(value / 1e6, 1) + "\u00a0M";
    if (abs >= 1e3) return number(value / 1e3, 0) + "\u00a0K";
    return number(value, 0);
  }

  function percent(value) {
    if (value === null || value === undefined) return "—";
    return number(value, 2) + "\u00a0%";
  }

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  /* "2026-11-05" → "5 Nov" (with the year when `withYear`). */
  function day(iso, withYear) {
    var p = String(iso).split("-");
    if (p.length !== 3) return String(iso);
    var text = Number(p[2]) + " " + MONTHS[Number(p[1]) - 1];
    return withYear ? text + " " + p[0] : text;
  }

  function range(start, end) {
    if (start === end) return day(start, true);
    var sameYear = start.slice(0, 4) === end.slice(0, 4);
    return day(start, !sameYear) + " – " + day(end, true);
  }

  window.ksalesFormat = {
    number: number,
    money: money,
    moneyShort: moneyShort,
    percent: percent,
    day: day,
    range: range,
  };
})();
