// Hand-written SVG charts: the propagation graph and stacked bar charts. No library, no network.
// All text placed into the SVG goes through esc(); node links are built from encoded ids only.
import {esc, safeUrl, parseDate, hasTime, dayKey, fmtDate, langColour, langName, articleHref} from "./util.js";

const ROLE_LABEL = {original: "original reporting", copy: "copy", translation: "translation",
  independent: "independent", external: "declared source"};

function truncate(s, n) {
  const t = String(s ?? "");
  return t.length > n ? t.slice(0, n - 1) + "…" : t;
}

/** Date ticks for [t0, t1] in ms: whole days (or hours for short spans), at most `max` of them. */
function timeTicks(t0, t1, max = 6) {
  const span = Math.max(t1 - t0, 1);
  const HOUR = 3600e3, DAY = 24 * HOUR;
  const steps = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];
  const step = steps.find((s) => span / s <= max) ?? steps[steps.length - 1];
  const start = new Date(t0);
  if (step >= DAY) start.setHours(0, 0, 0, 0); else start.setMinutes(0, 0, 0);
  const ticks = [];
  for (let t = start.getTime(); t <= t1; t += step) if (t >= t0) ticks.push(t);
  return {ticks, withTime: step < DAY};
}

const tickLabel = (t, withTime) => {
  const d = new Date(t);
  return withTime && d.getHours() ? `${String(d.getHours()).padStart(2, "0")}:00` : dayKey(d);
};

/**
 * Propagation graph: x = publication time, one lane per language (declared sources on top),
 * arrows from an original to its copies and translations. Nodes are links to their articles.
 * nodes: [{id, kind: "article"|"external", title, outlet, lang, published, role?}]
 * edges: [{source, target, kind, confidence, reason}]
 */
export function propagationSvg(nodes, edges, {focus = null, width = 1100} = {}) {
  if (!nodes.length) return `<p class="muted">No articles to draw.</p>`;
  // a node without a role gets one from the arrows: reached by a copy/translation arrow = reused,
  // the start of one = original reporting, in no arrow = independent
  const isCitation = (e) => e.kind === "declared" || nodes.find((n) => n.id === e.source)?.kind === "external";
  const reuseEdges = edges.filter((e) => e.directed !== false && !isCitation(e));
  nodes = nodes.map((n) => {
    if (n.role || n.kind === "external") return n;
    const inbound = reuseEdges.find((e) => e.target === n.id);
    const role = inbound ? (inbound.kind === "translation" ? "translation" : "copy")
      : reuseEdges.some((e) => e.source === n.id) ? "original" : "independent";
    return {...n, role};
  });
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const articles = nodes.filter((n) => n.kind !== "external");
  const externals = nodes.filter((n) => n.kind === "external");
  // a date without a time is drawn at noon with a faint bar over its whole day (the hour is unknown)
  const timeOf = (n) => {
    const d = parseDate(n.published);
    return d ? d.getTime() + (hasTime(n.published) ? 0 : 12 * 3600e3) : undefined;
  };
  const known = articles.flatMap((n) => {
    const t = timeOf(n);
    if (t === undefined) return [];
    return hasTime(n.published) ? [t] : [t - 12 * 3600e3, t + 12 * 3600e3];
  });
  const hasUnknown = articles.some((n) => !parseDate(n.published));

  const LEFT = 120, RIGHT = 170, TOP = 30, LABEL_W = 172, ROW_H = 34;
  const unknownW = hasUnknown ? 120 : 0;
  const plotW = width - LEFT - RIGHT - unknownW;
  let t0 = Math.min(...known), t1 = Math.max(...known);
  if (!known.length) { t0 = 0; t1 = 1; }
  if (t1 - t0 < 3600e3) { t0 -= 1800e3; t1 += 1800e3; }
  const xOf = (n) => {
    const t = timeOf(n);
    return t === undefined ? LEFT + plotW + unknownW / 2 + 10 : LEFT + ((t - t0) / (t1 - t0)) * plotW;
  };

  // lanes: languages in order of their first article; declared (external) sources first
  const langs = [];
  for (const n of [...articles].sort((a, b) => xOf(a) - xOf(b))) if (!langs.includes(n.lang ?? "")) langs.push(n.lang ?? "");
  const lanes = (externals.length ? ["@external"] : []).concat(langs);

  // an external source sits just left of the earliest article that cites it
  // articles at (nearly) the same time are spread a little, originals before their copies, so arrows stay visible
  const RANK = {original: 0, independent: 1, copy: 2, translation: 3};
  const pos = new Map();
  let lastX = -Infinity;
  for (const n of [...articles].sort((a, b) => xOf(a) - xOf(b) || (RANK[a.role] ?? 1) - (RANK[b.role] ?? 1))) {
    const x = Math.max(xOf(n), lastX + Math.min(34, plotW / Math.max(articles.length, 1)));
    pos.set(n.id, {x});
    lastX = x;
  }
  for (const n of externals) {
    const cited = edges.filter((e) => e.source === n.id).map((e) => pos.get(e.target)?.x).filter((x) => x !== undefined);
    pos.set(n.id, {x: cited.length ? Math.max(LEFT - 60, Math.min(...cited) - 40) : LEFT});
  }
  // within a lane, nodes whose labels would collide go to the next row
  let y = TOP;
  const laneBoxes = [];
  for (const lane of lanes) {
    const members = (lane === "@external" ? externals : articles.filter((n) => (n.lang ?? "") === lane))
      .sort((a, b) => pos.get(a.id).x - pos.get(b.id).x);
    const rowEnds = [];
    for (const n of members) {
      const x = pos.get(n.id).x;
      let r = rowEnds.findIndex((end) => end < x);
      if (r < 0) { r = rowEnds.length; rowEnds.push(0); }
      rowEnds[r] = x + LABEL_W;
      pos.get(n.id).row = r;
    }
    const rows = Math.max(rowEnds.length, 1);
    for (const n of members) pos.get(n.id).y = y + ROW_H / 2 + pos.get(n.id).row * ROW_H;
    laneBoxes.push({lane, y, h: rows * ROW_H});
    y += rows * ROW_H + 8;
  }
  const height = y + 34;

  const out = [];
  out.push(`<svg class="propagation" viewBox="0 0 ${width} ${height}" width="100%" role="img"
    aria-label="Propagation graph: who published what, when, in which language">`);
  out.push(`<defs>
    <marker id="arrow-copy" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#4b5563"/></marker>
    <marker id="arrow-translation" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#2563eb"/></marker>
    <marker id="arrow-source" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#9ca3af"/></marker>
  </defs>`);
  // lanes and their labels
  laneBoxes.forEach(({lane, y: ly, h}, i) => {
    const label = lane === "@external" ? "declared sources" : langName(lane);
    out.push(`<rect x="0" y="${ly}" width="${width}" height="${h}" fill="${i % 2 ? "#fff" : "#f6f7f9"}"/>`);
    out.push(`<text class="lane-label" x="8" y="${ly + 21}" fill="${lane === "@external" ? "#6b7280" : langColour(lane)}">${esc(label)}</text>`);
  });
  // time axis
  const axisY = y + 4;
  const {ticks, withTime} = timeTicks(t0, t1);
  if (known.length) {
    for (const t of ticks) {
      const x = LEFT + ((t - t0) / (t1 - t0)) * plotW;
      out.push(`<line x1="${x}" x2="${x}" y1="${TOP - 6}" y2="${axisY}" class="grid"/>`);
      out.push(`<text class="tick" x="${x}" y="${axisY + 16}" text-anchor="middle">${esc(tickLabel(t, withTime))}</text>`);
    }
  }
  if (hasUnknown) {
    const x = LEFT + plotW + 10;
    out.push(`<line x1="${x}" x2="${x}" y1="${TOP - 6}" y2="${axisY}" class="grid unknown"/>`);
    out.push(`<text class="tick" x="${x + unknownW / 2}" y="${axisY + 16}" text-anchor="middle">date unknown</text>`);
  }
  // edges (under the nodes)
  for (const e of edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    if (!a || !b) continue;
    const kind = isCitation(e) ? "source" : (e.kind === "translation" ? "translation" : "copy");
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const r = 11;
    const x1 = a.x + (dx / len) * r, y1 = a.y + (dy / len) * r, x2 = b.x - (dx / len) * (r + 2), y2 = b.y - (dy / len) * (r + 2);
    const bend = Math.min(40, len / 4) * (dy === 0 ? 1 : 0.4);
    const cx = (x1 + x2) / 2 + (dy / len) * bend, cy = (y1 + y2) / 2 - (dx / len) * bend;
    const conf = typeof e.confidence === "number" ? e.confidence : 0.5;
    const tip = `${kind === "source" ? "declared source" : e.kind}${e.directed === false ? " (direction unknown)" : ""}${typeof e.confidence === "number" ? `, direction confidence ${conf.toFixed(2)}` : ""}${e.reason ? ` — ${e.reason}` : ""}`;
    out.push(`<path class="edge ${kind}" d="M${x1.toFixed(1)},${y1.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}"
      ${e.directed === false ? "" : `marker-end="url(#arrow-${kind})"`} stroke-opacity="${(0.45 + 0.55 * conf).toFixed(2)}"><title>${esc(tip)}</title></path>`);
  }
  // nodes
  for (const n of nodes) {
    const p = pos.get(n.id);
    if (!p) continue;
    const tip = [n.title, n.outlet, n.kind === "external" ? "declared source" : `${langName(n.lang)}, ${fmtDate(n.published)}`,
      n.role ? ROLE_LABEL[n.role] || n.role : ""].filter(Boolean).join("\n");
    const label = truncate(n.outlet || n.title || (n.kind === "external" ? "source" : "unknown outlet"), 21);
    const focusCls = n.id === focus ? " focus" : "";
    if (n.kind === "external") {
      const href = safeUrl(n.url);
      const shape = `<g class="node external" data-id="${esc(n.id)}"><title>${esc(href ? `${tip}\n${href}` : tip)}</title>
        <rect x="${p.x - 8}" y="${p.y - 8}" width="16" height="16" rx="2" transform="rotate(45 ${p.x} ${p.y})"/>
        <text x="${p.x + 14}" y="${p.y + 4}">${esc(label)}</text></g>`;
      // a declared source with a web address opens it (plain http(s) only)
      out.push(href ? `<a href="${esc(href)}" target="_blank" rel="noopener noreferrer" class="external-link">${shape}</a>` : shape);
      continue;
    }
    const role = n.role || "";
    const reused = role === "copy" || role === "translation";
    if (parseDate(n.published) && !hasTime(n.published)) {
      const half = (12 * 3600e3 / (t1 - t0)) * plotW;
      out.push(`<rect class="dayspan" x="${xOf(n) - half}" y="${p.y - 3}" width="${2 * half}" height="6" rx="3" fill="${langColour(n.lang)}"><title>${esc(fmtDate(n.published))}: the time of day is unknown</title></rect>`);
    }
    out.push(`<a href="${articleHref(n.id)}" class="node-link"><g class="node ${esc(role)}${focusCls}" data-id="${esc(n.id)}">
      <title>${esc(tip)}</title>
      <circle cx="${p.x}" cy="${p.y}" r="${role === "original" ? 10 : 8}" fill="${reused ? "#fff" : langColour(n.lang)}"
        stroke="${langColour(n.lang)}"/>
      <text x="${p.x + 14}" y="${p.y + 4}">${esc(label)}</text></g></a>`);
  }
  out.push(`</svg>`);
  const legend = `<div class="legend">
    <span><svg width="16" height="16"><circle cx="8" cy="8" r="6" fill="#6b7280"/></svg> original / independent reporting</span>
    <span><svg width="16" height="16"><circle cx="8" cy="8" r="6" fill="#fff" stroke="#6b7280" stroke-width="2"/></svg> copy / translation</span>
    <span><svg width="16" height="16"><rect x="3" y="3" width="10" height="10" transform="rotate(45 8 8)" fill="#d1d5db" stroke="#6b7280"/></svg> declared source (not in the store)</span>
    <span><svg width="30" height="10"><line x1="0" x2="30" y1="5" y2="5" class="edge copy"/></svg> copy</span>
    <span><svg width="30" height="10"><line x1="0" x2="30" y1="5" y2="5" class="edge translation"/></svg> translation</span>
    <span><svg width="30" height="10"><line x1="0" x2="30" y1="5" y2="5" class="edge source"/></svg> cites</span>
    <span class="muted">no arrowhead: direction unknown</span>
    <span><svg width="30" height="10"><rect x="0" y="2" width="30" height="6" rx="3" fill="#6b7280" opacity=".25"/></svg> date without a time</span>
    <span class="muted">colour = language · x = publication time · click a node to open the article</span></div>`;
  return `<div class="graph">${out.join("")}</div>${legend}`;
}

/**
 * Stacked bars: columns [{label, parts: [{key, value, colour, hatched?, title?}]}].
 * Used for articles per day per language, mentions over time and narrative hits per week.
 */
export function stackedBars(columns, {height = 180, width = 1100, yLabel = "", minBar = 14, maxBar = 46} = {}) {
  if (!columns.length) return `<p class="muted">No dated items to chart.</p>`;
  const LEFT = 44, BOTTOM = 30, TOP = 10;
  const total = (c) => c.parts.reduce((s, p) => s + p.value, 0);
  const max = Math.max(1, ...columns.map(total));
  const slot = Math.max(minBar + 4, Math.min(Math.max(maxBar + 12, 90), (width - LEFT - 10) / columns.length));
  const w = Math.min(width, LEFT + slot * columns.length + 10);
  const plotH = height - BOTTOM - TOP;
  const yOf = (v) => TOP + plotH - (v / max) * plotH;
  const out = [`<svg class="bars" viewBox="0 0 ${w} ${height}" width="${w}" style="max-width:100%" role="img">`,
    `<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="#fff" fill-opacity="0.55"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="3"/></pattern></defs>`];
  const step = max <= 5 ? 1 : Math.ceil(max / 4);
  for (let v = 0; v <= max; v += step) {
    out.push(`<line class="grid" x1="${LEFT}" x2="${w - 6}" y1="${yOf(v)}" y2="${yOf(v)}"/>`);
    out.push(`<text class="tick" x="${LEFT - 6}" y="${yOf(v) + 4}" text-anchor="end">${v}</text>`);
  }
  if (yLabel) out.push(`<text class="tick" transform="translate(11 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  const labelEvery = Math.max(1, Math.ceil(84 / slot));
  columns.forEach((c, i) => {
    const x = LEFT + i * slot + (slot - Math.min(maxBar, slot - 4)) / 2, bw = Math.min(maxBar, slot - 4);
    let acc = 0;
    for (const p of c.parts) {
      if (!p.value) continue;
      const y0 = yOf(acc + p.value), h = yOf(acc) - y0;
      out.push(`<g><title>${esc(p.title || `${c.label}: ${p.key} ${p.value}`)}</title>
        <rect x="${x}" y="${y0}" width="${bw}" height="${h}" fill="${p.colour}"/>
        ${p.hatched ? `<rect x="${x}" y="${y0}" width="${bw}" height="${h}" fill="url(#hatch)"/>` : ""}</g>`);
      acc += p.value;
    }
    if (i % labelEvery === 0) {
      out.push(`<text class="tick" x="${x + bw / 2}" y="${height - BOTTOM + 16}" text-anchor="middle">${esc(c.label)}</text>`);
    }
  });
  out.push(`</svg>`);
  return `<div class="chart">${out.join("")}</div>`;
}

/** Every day from the first to the last key (so gaps show as empty days), as "YYYY-MM-DD". */
export function dayRange(keys) {
  const sorted = [...keys].sort();
  if (!sorted.length) return [];
  const days = [], end = parseDate(sorted[sorted.length - 1]);
  for (let d = parseDate(sorted[0]); d && d <= end && days.length < 400; d.setDate(d.getDate() + 1)) days.push(dayKey(d));
  return days.length < 400 ? days : sorted;
}

/** A small horizontal bar split by stance (or any parts), for tables. */
export function miniBar(parts, max, width = 160) {
  const total = parts.reduce((s, p) => s + p.value, 0);
  const w = max ? (total / max) * width : 0;
  let x = 0;
  const segs = parts.filter((p) => p.value).map((p) => {
    const pw = (p.value / (total || 1)) * w;
    const seg = `<rect x="${x}" y="2" width="${pw}" height="12" fill="${p.colour}"><title>${esc(`${p.key}: ${p.value}`)}</title></rect>`;
    x += pw;
    return seg;
  }).join("");
  return `<svg class="minibar" width="${width}" height="16">${segs}</svg>`;
}
