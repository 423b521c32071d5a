/* Every text the scripts put on the page, and the choices the filter controls offer, in one place.
   The texts are catalog messages (`_()` looks them up in the server's catalog for the page's language). */
import { _, ngettext } from "./i18n.js";

/* The named periods in button order: `button` on the period buttons, `title` above the figures. */
export const PERIODS = [
  { value: "today", button: _("Today"), title: _("Today") },
  { value: "yesterday", button: _("Yesterday"), title: _("Yesterday") },
  { value: "week", button: _("This week"), title: _("This week") },
  { value: "last_week", button: _("Last week"), title: _("Last week") },
  { value: "month", button: _("This month"), title: _("This month") },
  { value: "last_month", button: _("Last month"), title: _("Last month") },
  { value: "last_7_days", button: _("7 days"), title: _("Last 7 days") },
  { value: "last_28_days", button: _("28 days"), title: _("Last 28 days") },
  { value: "custom", button: _("Custom"), title: _("Custom range") },
];

/* `option` in the sales-type select, `title` above the figures. */
export const SALES_TYPES = [
  { value: "retail", option: _("Retail"), title: _("Retail") },
  { value: "b2b", option: _("B2B"), title: _("B2B") },
  { value: "all", option: _("All"), title: _("All sales") },
];

export const COMPARISONS = [
  { value: "previous_period", option: _("Previous period") },
  { value: "year_ago", option: _("Year ago") },
  { value: "none", option: _("Nothing") },
];

export const GRANULARITIES = [
  { value: "day", button: _("Day") },
  { value: "week", button: _("Week") },
  { value: "month", button: _("Month") },
];

const MILESTONE_KINDS = { daily: _("daily"), weekly: _("weekly"), monthly: _("monthly") };

function titleOf(choices, value) {
  const choice = choices.find((c) => c.value === value);
  return choice ? choice.title : undefined;
}

export function periodTitle(kind) {
  return titleOf(PERIODS, kind);
}

export function salesTypeTitle(type) {
  return titleOf(SALES_TYPES, type);
}

export function isSalesType(value) {
  return SALES_TYPES.some((c) => c.value === value);
}

/* Messages; the ones with figures take them already formatted. */
export const TEXT = {
  revenue: _("Revenue"),
  expenses: _("Expenses"),
  profit: _("Profit"),
  cogs: _("Cost of goods"),
  revenueLessExpenses: _("Revenue minus expenses"),
  averageCheck: _("Average check"),
  compared: (range) => _("Compared: {range}", { range }),
  pointTooltip: (day, revenue, orders, count) =>
    ngettext("{day}: {revenue} · {orders} order", "{day}: {revenue} · {orders} orders", count,
      { day, revenue, orders }),
  versus: (range) => _("vs {range}", { range }),
  nothingToCompare: _("no sales to compare"),
  canceledOrders: (count, formatted) =>
    ngettext("{count} canceled order", "{count} canceled orders", count, { count: formatted }),
  noCustomMilestones: _("No milestones for custom ranges"),
  allMilestonesReached: (kind) => _("All {kind} milestones reached 🎉", { kind: MILESTONE_KINDS[kind] || kind }),
  milestoneProgress: (revenue, next, percent) => _("{revenue} of {next} ({percent})", { revenue, next, percent }),
  milestoneReached: (thresholds) => _("🎉 Milestone reached: {thresholds}", { thresholds }),
  brandCount: (count, formatted) => ngettext("{count} brand", "{count} brands", count, { count: formatted }),
  topBrand: (brand, share) => _("top: {brand} ({share})", { brand, share }),
  unbranded: (revenue) => _("unbranded {revenue}", { revenue }),
  allSources: _("All sources"),
  allCategories: _("All categories"),
  uncategorized: _("Uncategorized"),
  allSubcategories: _("All"),
  allBrands: _("All brands"),
  unknownSource: (id) => _("Source {id}", { id }),
  unknownCategory: (id) => _("Category {id}", { id }),
  badRange: _("Choose a start date that is not after the end date."),
  serverAnswered: (status) => _("the server answered {status}", { status }),
  unreachable: _("The dashboard could not reach the server."),
  lookupsFailed: _("The filter lists could not be loaded."),
  updatedAt: (time) => _("Updated {time}", { time }),
  csv: _("CSV"),
  csvTitle: _("Download these figures as CSV (opens in Excel)"),
};
