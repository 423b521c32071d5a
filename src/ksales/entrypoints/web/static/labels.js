/* Every text the scripts put on the page, and the choices the filter controls offer, in one place. */

/* The named periods in button order: `button` on the period buttons, `title` above the figures. */
export const PERIODS = [
  { value: "today", button: "Today", title: "Today" },
  { value: "yesterday", button: "Yesterday", title: "Yesterday" },
  { value: "week", button: "This week", title: "This week" },
  { value: "last_week", button: "Last week", title: "Last week" },
  { value: "month", button: "This month", title: "This month" },
  { value: "last_month", button: "Last month", title: "Last month" },
  { value: "last_7_days", button: "7 days", title: "Last 7 days" },
  { value: "last_28_days", button: "28 days", title: "Last 28 days" },
  { value: "custom", button: "Custom", title: "Custom range" },
];

/* `option` in the sales-type select, `title` above the figures. */
export const SALES_TYPES = [
  { value: "retail", option: "Retail", title: "Retail" },
  { value: "b2b", option: "B2B", title: "B2B" },
  { value: "all", option: "All", title: "All sales" },
];

export const COMPARISONS = [
  { value: "previous_period", option: "Previous period" },
  { value: "year_ago", option: "Year ago" },
  { value: "none", option: "Nothing" },
];

export const GRANULARITIES = [
  { value: "day", button: "Day" },
  { value: "week", button: "Week" },
  { value: "month", button: "Month" },
];

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

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
  million: "M",
  thousand: "K",
  revenue: "Revenue",
  expenses: "Expenses",
  profit: "Profit",
  averageCheck: "Average check",
  compared: (range) => `Compared: ${range}`,
  pointTooltip: (day, revenue, orders) => `${day}: ${revenue} · ${orders} orders`,
  versus: (range) => `vs ${range}`,
  nothingToCompare: "no sales to compare",
  canceledOrders: (count, formatted) => (count === 1 ? `${formatted} canceled order` : `${formatted} canceled orders`),
  noCustomMilestones: "No milestones for custom ranges",
  allMilestonesReached: (kind) => `All ${kind} milestones reached 🎉`,
  milestoneProgress: (revenue, next, percent) => `${revenue} of ${next} (${percent})`,
  milestoneReached: (thresholds) => `🎉 Milestone reached: ${thresholds}`,
  brandCount: (count) => `${count} brands`,
  topBrand: (brand, share) => `top: ${brand} (${share})`,
  unbranded: (revenue) => `unbranded ${revenue}`,
  allSources: "All sources",
  allCategories: "All categories",
  allSubcategories: "All",
  allBrands: "All brands",
  unknownSource: (id) => `Source ${id}`,
  unknownCategory: (id) => `Category ${id}`,
  badRange: "Choose a start date that is not after the end date.",
  serverAnswered: (status) => `the server answered ${status}`,
  unreachable: "The dashboard could not reach the server.",
  lookupsFailed: "The filter lists could not be loaded.",
  updatedAt: (time) => `Updated ${time}`,
  csv: "CSV",
  csvTitle: "Download these figures as CSV (opens in Excel)",
};
