// Shared helpers: escaping, dates, colours, the API client and small HTML builders.
// Every string that comes from the store goes through esc() before it reaches innerHTML.

export const esc = (s) => String(s ?? "").replace(/[&<>"']/g,
  (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));

/** An href for an outside URL, or "" when it is not plain http(s) (no javascript: links). */
export function safeUrl(url) {
  if (!url) return "";
  try {
    const u = new URL(String(url ?? ""), location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch {
    return "";
  }
}

/** The server's search snippet, rebuilt from its text with only <mark> kept (defence in depth). */
export function markSnippet(html) {
  const doc = new DOMParser().parseFromString(`<div>${html ?? ""}</div>`, "text/html");
  const walk = (node) => [...node.childNodes].map((n) => {
    if (n.nodeType === Node.TEXT_NODE) return esc(n.textContent);
    if (n.nodeType !== Node.ELEMENT_NODE) return "";
    const inner = walk(n);
    return n.tagName === "MARK" ? `<mark>${inner}</mark>` : inner;
  }).join("");
  return walk(doc.body.firstChild || doc.body);
}

// ---- dates: one format everywhere (local time), "date unknown" sorts last -------------------------------

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A Date for a stored date string (date-only strings are local midnight), or null. */
export function parseDate(s) {
  if (!s) return null;
  const m = DATE_ONLY.exec(String(s).trim());
  const d = m ? new Date(+m[1], +m[2] - 1, +m[3]) : new Date(String(s).trim());
  return Number.isNaN(d.getTime()) ? null : d;
}

export const hasTime = (s) => !!s && !DATE_ONLY.test(String(s).trim()) && parseDate(s) !== null;
const pad = (n) => String(n).padStart(2, "0");
export const dayKey = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** "2025-09-21 18:05" in local time, "2025-09-21" when the source gave no time, else "date unknown". */
export function fmtDate(s) {
  const d = parseDate(s);
  if (!d) return "date unknown";
  return hasTime(s) ? `${dayKey(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}` : dayKey(d);
}

/** The same as HTML, with the stored value as a tooltip. */
export const dateHtml = (s) => parseDate(s)
  ? `<time datetime="${esc(s)}" title="${esc(s)}">${esc(fmtDate(s))}</time>`
  : `<span class="muted">date unknown</span>`;

/** Sort key in milliseconds; unknown dates get +Infinity so they come last in ascending order. */
export const dateKey = (s) => parseDate(s)?.getTime() ?? Number.POSITIVE_INFINITY;

/** Items sorted by their date, oldest first (or newest first), "date unknown" always last. */
export function byDate(items, get = (x) => x.published, newestFirst = false) {
  return [...items].sort((a, b) => {
    const ka = dateKey(get(a)), kb = dateKey(get(b));
    if (ka === kb) return 0;
    if (ka === Infinity) return 1;
    if (kb === Infinity) return -1;
    return newestFirst ? kb - ka : ka - kb;
  });
}

// ---- colours -------------------------------------------------------------------------------------------

// Okabe-Ito hues (distinguishable with common colour-vision deficiencies), then a few more.
const LANG_COLOURS = {en: "#0072B2", de: "#E69F00", ru: "#009E73", fr: "#CC79A7", es: "#56B4E9",
  it: "#D55E00", uk: "#F0E442", pl: "#7f5fbf", nl: "#8c564b", pt: "#17becf"};
const SPARE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d"];

export function langColour(lang) {
  if (!lang) return "#9aa3ad";
  if (LANG_COLOURS[lang]) return LANG_COLOURS[lang];
  let h = 0;
  for (const c of String(lang)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return SPARE[h % SPARE.length];
}

// Stances in three clearly different hues: endorse purple, report blue, deny red.
export const STANCES = ["endorse", "report", "deny"];
export const STANCE_COLOURS = {endorse: "#8e44ad", report: "#2f74c0", deny: "#c62828"};
export const stanceColour = (s) => STANCE_COLOURS[s] || "#8a94a0";

export const LANG_NAMES = {en: "English", de: "German", ru: "Russian", fr: "French", es: "Spanish",
  it: "Italian", uk: "Ukrainian", pl: "Polish", nl: "Dutch", pt: "Portuguese"};
export const langName = (l) => LANG_NAMES[l] || (l ? String(l) : "unknown language");

/** "foreign-instigation" -> "Foreign instigation", for narratives that come without a name. */
export function humanize(slug) {
  const s = String(slug ?? "").replace(/[-_]+/g, " ").trim();
  return s ? s[0].toUpperCase() + s.slice(1) : "";
}

// ---- small HTML builders ----------------------------------------------------------------------------------

export const tag = (text, cls = "") => `<span class="tag ${esc(cls || text)}">${esc(text)}</span>`;
export const langTag = (l) => l
  ? `<span class="lang" style="--c:${langColour(l)}" title="${esc(langName(l))}">${esc(l)}</span>` : "";
export const stanceTag = (s) => `<span class="stance" style="--c:${stanceColour(s)}">${esc(s || "unclear")}</span>`;
export const articleHref = (id) => `#/article/${encodeURIComponent(id ?? "")}`;
export const articleLink = (a) =>
  `<a href="${articleHref(a.id)}">${esc(a.title || "untitled article")}</a>`;
export const entityLink = (id, name) => id
  ? `<a class="entity-link" href="#/entity/${encodeURIComponent(id)}">${esc(name || id)}</a>` : esc(name);
export const speakerHtml = (q) => {
  const name = q.speaker || q.speaker_name || "";
  const id = q.speaker_entity_id || q.speaker_entity;
  if (!name && !id) return `<span class="muted">unknown speaker</span>`;
  return id ? entityLink(id, name || "unnamed entity") : esc(name);
};
export const number = (n) => (typeof n === "number" ? n.toLocaleString("en-GB") : esc(n ?? ""));
export const fixed = (n, d = 2) => (typeof n === "number" ? n.toFixed(d) : "–");

export function table(headers, rows, cls = "") {
  if (!rows.length) return `<p class="muted empty">Nothing here.</p>`;
  return `<table class="${esc(cls)}"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>
    <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

// ---- API client ------------------------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET /api/v1/<path> with query parameters (empty ones dropped); throws ApiError with the server's message. */
export async function api(path, params = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") qs.set(k, v);
  const url = `/api/v1/${path}${qs.toString() ? `?${qs}` : ""}`;
  const res = await fetch(url, {headers: {Accept: "application/json"}});
  if (!res.ok) {
    let message = res.statusText;
    try {
      const body = await res.json();
      message = typeof body.detail === "string" ? body.detail : body.message || JSON.stringify(body.detail ?? body);
    } catch { /* not JSON */ }
    throw new ApiError(res.status, message);
  }
  return res.json();
}

/** The list in a paged or plain answer. */
export const itemsOf = (data) => (Array.isArray(data) ? data : data?.items ?? []);
