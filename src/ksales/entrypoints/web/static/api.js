/* JSON from the dashboard's API; an error answer becomes an ApiError with the server's message. */
import { TEXT } from "./labels.js";

export class ApiError extends Error {
  constructor(status, payload) {
    const body = payload || {};
    super((body.field ? body.field + ": " : "") + (body.message || TEXT.serverAnswered(status)));
    this.name = "ApiError";
    this.status = status;
    this.payload = body;
  }
}

/* GET `path` with the URLSearchParams `params`; a 401 sends the browser to the login page. */
export function getJSON(path, params, signal) {
  const qs = params ? params.toString() : "";
  return fetch(path + (qs ? "?" + qs : ""), { signal: signal, headers: { Accept: "application/json" },
    credentials: "same-origin" }).then((response) =>
    response.json().catch(() => null).then((payload) => {
      if (response.status === 401) window.location.assign("/login");
      if (!response.ok) throw new ApiError(response.status, payload);
      return payload;
    }));
}
