/* The page's messages from the server's catalog (a JSON dictionary in the page), and the page's language. */

const element = document.getElementById("messages");
const MESSAGES = element ? JSON.parse(element.textContent || "{}") : {};

/* The language the server rendered the page in (`<html lang>`): `uk` or `en`. */
export const LANG = document.documentElement.lang || "uk";

const plurals = new Intl.PluralRules(LANG);

function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (whole, name) =>
    values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole);
}

/* `_("Revenue")`, `_("Updated {time}", { time })`: the catalog's translation, placeholders filled. */
export function _(message, values) {
  const found = MESSAGES[message];
  return fill(typeof found === "string" && found ? found : message, values);
}

/* The plural form for `n` (by the language's CLDR rules), placeholders filled. */
export function ngettext(singular, plural, n, values) {
  const forms = MESSAGES[singular];
  if (forms && typeof forms === "object") {
    const form = forms[plurals.select(n)] || forms.other;
    if (form) return fill(form, values);
  }
  return fill(n === 1 ? singular : plural, values);
}
