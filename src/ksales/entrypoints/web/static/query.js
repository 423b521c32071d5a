/* The page's state in the URL and in API requests, and the one list of the query parameters they share. */

/* The filters every report narrows by; the API echoes them back under `filters`. */
const FILTER_DEFAULTS = { sales_type: "retail", source_id: "", category_id: "", brand: "" };
/* The query parameters every report of the API takes. */
const API_DEFAULTS = { period: "today", start_date: "", end_date: "", ...FILTER_DEFAULTS,
  compare: "previous_period" };
/* The page's own view settings, kept in the URL but sent only to the reports that take them
   (`lang`, the page's language, to none: the server renders the page in it). */
const VIEW_DEFAULTS = { granularity: "day", drill: "", lang: "" };

export const FILTERS = Object.keys(FILTER_DEFAULTS);
export const API_PARAMS = Object.keys(API_DEFAULTS);
export const DEFAULTS = Object.freeze({ ...API_DEFAULTS, ...VIEW_DEFAULTS });
/* Parameters with a fixed set of values, matched case-insensitively like the API does. */
const ENUMS = ["period", "sales_type", "compare", "granularity", "lang"];

/* The state a query string (`location.search`) describes, defaults for what it leaves out. */
export function fromURL(search) {
  const params = new URLSearchParams(search);
  const s = { ...DEFAULTS };
  Object.keys(DEFAULTS).forEach((key) => {
    const value = params.get(key);
    if (value !== null && value.trim() !== "") {
      s[key] = ENUMS.includes(key) ? value.trim().toLowerCase() : value.trim();
    }
  });
  if (!params.get("period") && s.start_date && s.end_date) s.period = "custom";
  return s;
}

/* The query for the page's own URL: what differs from the defaults. */
export function pageQuery(s) {
  return query(s, Object.keys(DEFAULTS), false);
}

/* The shared query of every API request; a custom range is sent as its dates alone. */
export function apiQuery(s) {
  const q = query(s, API_PARAMS, true);
  if (s.period === "custom") q.delete("period");
  return q;
}

function query(s, keys, withDefaults) {
  const q = new URLSearchParams();
  keys.forEach((key) => {
    if ((key === "start_date" || key === "end_date") && s.period !== "custom") return;
    if (!withDefaults && s[key] === DEFAULTS[key]) return;
    if (s[key] !== "") q.set(key, s[key]);
  });
  return q;
}
