/* Every chart card offers its figures as CSV: the same report and query as the chart, with format=csv. */
import { TEXT } from "./labels.js";

/* The CSV download of a report: its path and query, plus format=csv. */
export function csvHref(path, params) {
  const q = new URLSearchParams(params);
  q.set("format", "csv");
  return path + "?" + q.toString();
}

/* Point the card's download link (made on first use, in its heading row) at `href`. */
export function offerCsv(panel, href) {
  let link = panel.querySelector("a.csv-link");
  if (!link) {
    link = document.createElement("a");
    link.className = "btn btn-ghost btn-small csv-link";
    link.textContent = TEXT.csv;
    link.title = TEXT.csvTitle;
    link.setAttribute("download", "");
    panel.querySelector(".panel-head").appendChild(link);
  }
  link.href = href;
}
