// echolot web UI: a hash-routed single page over the REST API (/api/v1). No build step, no dependencies.
// Pages are linkable: #/stories, #/story/ID, #/article/ID, #/trace/ID, #/entity/ID, #/quotes?speaker=…
// Safety rule: every value from the server is passed through esc() (or markSnippet() for search snippets).
import {
  api, itemsOf, esc, safeUrl, markSnippet, dateHtml, fmtDate, byDate, parseDate, dayKey, langColour, langName,
  langTag, stanceTag, stanceColour, STANCES, humanize, tag, articleLink, articleHref, entityLink, speakerHtml,
  number, fixed, table,
} from "./util.js";
import {propagationSvg, stackedBars, dayRange, miniBar} from "./charts.js";
import {wordDiff, diffHtml} from "./diff.js";

const main = document.getElementById("app");
const ROLE_TEXT = {original: "original reporting", copy: "copy", translation: "translation", independent: "independent"};
const roleTag = (r) => (r ? tag(ROLE_TEXT[r] || r, `role-${r}`) : "");
const outletHtml = (o) => (o ? esc(o) : `<span class="muted">unknown outlet</span>`);
const narrativeName = (n) => n?.name || n?.narrative_name || n?.label_text || humanize(n?.narrative_id || n?.narrative || n?.id);

/** Parse "#/view/arg?k=v" into {view, arg, params}. */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const [view = "", ...rest] = path.split("/");
  return {view, arg: decodeURIComponent(rest.join("/")), params: Object.fromEntries(new URLSearchParams(query))};
}

const hashWith = (view, params) => {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  return `#/${view}${qs.toString() ? `?${qs}` : ""}`;
};

/** A "Load more" button for cursor-paged lists: fetches the next page and appends its rows. */
function pager(id, next) {
  return next ? `<button class="more" data-pager="${esc(id)}" data-cursor="${esc(next)}">Load more</button>` : "";
}

function wirePager(id, load, renderRows) {
  main.querySelectorAll(`[data-pager="${id}"]`).forEach((btn) => btn.addEventListener("click", async () => {
    btn.disabled = true;
    const page = await load(btn.dataset.cursor);
    const body = main.querySelector(`#${id} tbody`);
    if (body) body.insertAdjacentHTML("beforeend", renderRows(itemsOf(page)).map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join(""));
    if (page.next_cursor) { btn.dataset.cursor = page.next_cursor; btn.disabled = false; } else btn.remove();
  }));
}

// ---- home and lists ------------------------------------------------------------------------------------

const storyRow = (s) => [
  `<a href="#/story/${encodeURIComponent(s.id)}">${esc(s.title || s.label || "untitled story")}</a>`,
  number(s.size ?? s.count),
  `<span class="langs">${Object.keys(s.languages || {}).sort().map(langTag).join(" ")}</span>`,
  dateHtml(s.first ?? s.first_seen), dateHtml(s.last ?? s.last_seen)];

const views = {};

views[""] = views.home = async () => {
  const [stories, articles] = await Promise.all([api("stories", {limit: 25}), api("articles", {limit: 1})]);
  const items = itemsOf(stories);
  return `<section class="intro"><h1>How the news travelled</h1>
      <p class="muted">${number(articles.total ?? "?")} articles in ${number(stories.total ?? items.length)} stories.
      Open a story to see who reported first, who copied or translated whom, and when.</p></section>
    <h2>Stories <span class="muted count">largest first</span></h2>
    <div id="stories">${table(["Story", "Articles", "Languages", "First", "Last"], items.map(storyRow))}</div>
    ${pager("stories", stories.next_cursor)}`;
};
views[""].wire = views.home.wire = () => wirePager("stories", (cursor) => api("stories", {limit: 25, cursor}), (rows) => rows.map(storyRow));

views.stories = views.home;

const articleRow = (a) => [articleLink(a), outletHtml(a.outlet), langTag(a.lang), dateHtml(a.published),
  a.story_id ? `<a href="#/story/${encodeURIComponent(a.story_id)}">story</a>` : ""];

views.articles = async (_arg, params) => {
  const filters = {lang: params.lang, outlet: params.outlet, since: params.since, until: params.until, story: params.story, q: params.q};
  const page = await api("articles", {...filters, limit: 50});
  return `<h2>Articles <span class="muted count">${number(page.total ?? itemsOf(page).length)}, in the order they were added</span></h2>
    <form class="filters" data-view="articles">
      <label>Language <input name="lang" value="${esc(params.lang)}" size="4" placeholder="en"></label>
      <label>Outlet <input name="outlet" value="${esc(params.outlet)}" placeholder="any"></label>
      <label>From <input name="since" type="date" value="${esc(params.since)}"></label>
      <label>To <input name="until" type="date" value="${esc(params.until)}"></label>
      <button>Filter</button></form>
    <div id="articles">${table(["Title", "Outlet", "Lang", "Published", ""], itemsOf(page).map(articleRow))}</div>
    ${pager("articles", page.next_cursor)}`;
};
views.articles.wire = (_arg, params) => wirePager("articles",
  (cursor) => api("articles", {...params, limit: 50, cursor}), (rows) => rows.map(articleRow));

views.search = async (_arg, params) => {
  const q = params.q || "";
  document.querySelector("#search input").value = q;
  if (!q.trim()) return `<h2>Search</h2><p class="muted">Type words into the search box above.</p>`;
  const res = await api("search", {q, limit: 50});
  const rows = itemsOf(res).map((a) => `<li class="hit">${articleLink(a)}
      <div class="meta">${outletHtml(a.outlet)} · ${langTag(a.lang)} · ${dateHtml(a.published)}</div>
      ${a.snippet ? `<div class="snippet">${markSnippet(a.snippet)}</div>` : ""}</li>`);
  return `<h2>Search: “${esc(q)}” <span class="muted count">${number(res.total ?? rows.length)} found</span></h2>
    ${rows.length ? `<ol class="hits">${rows.join("")}</ol>` : `<p class="muted">No article matches.</p>`}`;
};

// ---- story -------------------------------------------------------------------------------------------

/** Articles per day per language; copies and translations hatched so original reporting stands out. */
function storyTimeline(articles) {
  const dated = articles.filter((a) => parseDate(a.published));
  const undated = articles.length - dated.length;
  const cell = new Map();
  for (const a of dated) {
    const key = `${dayKey(parseDate(a.published))}|${a.lang ?? ""}|${a.role === "copy" || a.role === "translation" ? "reuse" : "own"}`;
    cell.set(key, (cell.get(key) || 0) + 1);
  }
  const langs = [...new Set(articles.map((a) => a.lang ?? ""))].sort();
  const days = dayRange(dated.map((a) => dayKey(parseDate(a.published))));
  const columns = days.map((day) => ({label: day, parts: langs.flatMap((l) => ["own", "reuse"].map((kind) => ({
    key: `${langName(l)} ${kind === "own" ? "original/independent" : "copy/translation"}`,
    value: cell.get(`${day}|${l}|${kind}`) || 0, colour: langColour(l), hatched: kind === "reuse",
    title: `${day}: ${cell.get(`${day}|${l}|${kind}`) || 0} ${langName(l)} ${kind === "own" ? "original or independent" : "copies/translations"}`,
  })))}));
  const legend = `<div class="legend">${langs.map((l) => `<span><i class="swatch" style="background:${langColour(l)}"></i>${esc(langName(l))}</span>`).join("")}
    <span><i class="swatch" style="background:#6b7280"></i>original / independent</span>
    <span><i class="swatch hatched"></i>copy / translation</span>
    ${undated ? `<span class="muted">${undated} article(s) without a date are not charted</span>` : ""}</div>`;
  return stackedBars(columns, {yLabel: "articles", width: 520, height: 170}) + legend;
}

/** "1 day 3 h", "5 h", "40 min" between two times in ms. */
function span(ms) {
  const min = Math.round(ms / 60000);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h`;
  const d = Math.floor(h / 24);
  return `${d} day${d > 1 ? "s" : ""}${h % 24 ? ` ${h % 24} h` : ""}`;
}

/** Who reported first, how soon others copied and translated it. */
function storyFacts(articles) {
  const dated = articles.filter((a) => parseDate(a.published));
  const own = dated.filter((a) => a.role === "original" || a.role === "independent");
  const reused = dated.filter((a) => a.role === "copy" || a.role === "translation");
  const first = own[0] || dated[0];
  const firstCopy = reused[0];
  const t0 = first ? parseDate(first.published).getTime() : null;
  const outlets = new Set(articles.map((a) => a.outlet).filter(Boolean));
  const rows = [
    ["First report", first ? `${articleLink(first)}<div class="muted small">${outletHtml(first.outlet)} · ${langTag(first.lang)} ${dateHtml(first.published)}</div>` : `<span class="muted">no dated article</span>`],
    ["First copy or translation", firstCopy ? `${articleLink(firstCopy)}<div class="muted small">${outletHtml(firstCopy.outlet)} · ${langTag(firstCopy.lang)} ${dateHtml(firstCopy.published)}${t0 !== null && parseDate(firstCopy.published).getTime() >= t0 ? ` · ${esc(span(parseDate(firstCopy.published).getTime() - t0))} later` : ""}</div>` : `<span class="muted">none found</span>`],
    ["Languages", [...new Set(articles.map((a) => a.lang))].map((l) => `${langTag(l)} ${esc(langName(l))}`).join(" ")],
    ["Named outlets", number(outlets.size)],
    ["Without a date", number(articles.length - dated.length)],
  ];
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

views.story = async (id) => {
  const s = await api(`stories/${encodeURIComponent(id)}`);
  const articles = byDate(s.articles || []);
  const roles = articles.reduce((m, a) => ({...m, [a.role]: (m[a.role] || 0) + 1}), {});
  const prop = s.propagation || {nodes: [], edges: []};
  const roleOf = new Map(articles.map((a) => [a.id, a.role]));
  const byId = new Map(articles.map((a) => [a.id, a]));
  const nodes = (prop.nodes || []).map((n) => ({...n, role: n.role || roleOf.get(n.id)}));
  return `<p class="crumbs"><a href="#/">Stories</a> ›</p>
    <h1>${esc(s.title || s.label || "untitled story")}</h1>
    <p class="muted">${number(articles.length)} articles ·
      ${Object.entries(roles).map(([r, n]) => `${roleTag(r)}<span class="muted">×${n}</span>`).join(" ")} ·
      ${[...new Set(articles.map((a) => a.lang))].map(langTag).join(" ")}</p>
    <div class="grid2">
      <section class="card"><h2>Timeline <span class="muted count">articles per day and language</span></h2>${storyTimeline(articles)}</section>
      <section class="card"><h2>At a glance</h2>${storyFacts(articles)}</section>
    </div>
    <section class="card" id="propagation"><h2>Propagation <span class="muted count">who published what, when; arrows go from original to copy or translation</span></h2>
      ${propagationSvg(nodes.length ? nodes : articles.map((a) => ({...a, kind: "article"})), prop.edges || [])}</section>
    <section class="card"><h2>Articles <span class="muted count">oldest first, undated last</span></h2>${table(["Published", "Lang", "Outlet", "Article", "Role", "Why it is in this story"],
      articles.map((a) => [dateHtml(a.published), langTag(a.lang), outletHtml(a.outlet), articleLink(a),
        `<span title="${esc(a.role_detail || "")}">${roleTag(a.role)}</span>`, `<span class="muted small">${readableReason(a.reason, byId)}</span>`]))}</section>`;
};

// ---- article -------------------------------------------------------------------------------------------

/** The article text with entity mentions as links to entity pages; everything escaped. */
function annotatedText(text, entities) {
  const spans = (entities || []).filter((e) => Number.isInteger(e.start) && Number.isInteger(e.end) && e.end > e.start && e.end <= text.length)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "", at = 0;
  for (const e of spans) {
    if (e.start < at) continue; // overlapping mention: keep the first
    out += esc(text.slice(at, e.start));
    const inner = esc(text.slice(e.start, e.end));
    const title = esc(`${e.name || e.text || ""} (${e.type || "entity"})`);
    out += e.entity_id
      ? `<a class="ent ent-${esc(e.type)}" href="#/entity/${encodeURIComponent(e.entity_id)}" title="${title}">${inner}</a>`
      : `<span class="ent ent-${esc(e.type)}" title="${title}">${inner}</span>`;
    at = e.end;
  }
  return out + esc(text.slice(at));
}

const sentenceText = (x) => (typeof x === "string" ? x : x?.text ?? "");

let foldSeq = 0;

/** Runs of 3+ identical sentences in a same-language pair are folded so the differences stand out. */
function foldIdentical(rows, ops) {
  const out = [];
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j < rows.length && ops[j] === "same") j++;
    if (j - i >= 3) {
      const id = `f${++foldSeq}`;
      out.push(`<tr class="fold-toggle"><td colspan="3"><button type="button" data-unfold="${id}">${j - i} identical sentences — show</button></td></tr>`);
      out.push(...rows.slice(i, j).map((r) => r.replace("<tr ", `<tr hidden data-fold="${id}" `)));
      i = j;
    } else {
      out.push(rows[i]);
      i++;
    }
  }
  return out;
}

/** Aligned sentences of one link side by side; same-language pairs get a word-level diff. */
function alignedTable(link, sameLang) {
  const ops = (link.aligned || []).map((r) => r.op || "same");
  let rows = (link.aligned || []).map((r) => {
    const a = sentenceText(r.source_sentence ?? r.a_text), b = sentenceText(r.target_sentence ?? r.b_text);
    const op = r.op || "same";
    let left = esc(a), right = esc(b);
    if (sameLang && a && b && op !== "same") {
      const d = wordDiff(a, b);
      left = diffHtml(d.left, esc);
      right = diffHtml(d.right, esc);
    }
    if (!a) left = `<span class="muted">— not in the original —</span>`;
    if (!b) right = `<span class="muted">— left out —</span>`;
    return `<tr class="op-${esc(op)}"><td>${left}</td><td>${right}</td>
      <td class="num">${esc(op === "same" ? (sameLang ? "same" : "aligned") : op)}<br><span class="muted">${op === "added" || op === "dropped" ? "" : fixed(r.score)}</span></td></tr>`;
  });
  if (!rows.length) return `<p class="muted">No aligned sentences stored for this link.</p>`;
  if (sameLang) rows = foldIdentical(rows, ops);
  return `<table class="aligned"><thead><tr><th>Original</th><th>${link.kind === "translation" ? "Translation" : "Copy"}</th><th>match</th></tr></thead>
    <tbody>${rows.join("")}</tbody></table>
    ${sameLang ? `<p class="muted small">Same language: <del>struck</del> words are missing from the copy, <ins>underlined</ins> words were added.</p>` : ""}`;
}

/** A link's reason with article ids replaced by the outlet or title of those articles (then escaped). */
function readableReason(reason, nodeOf) {
  const text = String(reason ?? "").replace(/\b[0-9a-f]{16}\b/g, (id) => {
    const n = nodeOf.get(id);
    const title = n?.title || n?.outlet;
    return title ? `“${title.length > 50 ? title.slice(0, 49) + "…" : title}”` : `article ${id.slice(0, 8)}`;
  });
  return esc(text);
}

function provenanceSummary(a, trace) {
  const nodeOf = new Map((trace.nodes || []).map((n) => [n.id, n]));
  const links = trace.links?.length ? trace.links : a.links || [];
  const mine = links.filter((l) => l.source === a.id || l.target === a.id);
  const sentences = mine.map((l) => {
    const other = nodeOf.get(l.source === a.id ? l.target : l.source) || {id: l.source === a.id ? l.target : l.source};
    const verb = l.directed === false ? (l.kind === "translation" ? "and this translation share an original:" : "and this copy share an original:")
      : l.source === a.id ? (l.kind === "translation" ? "was translated by" : "was copied by")
        : (l.kind === "translation" ? "is a translation of" : "is a copy of");
    return `<li>This article <b>${verb}</b> ${articleLink(other)} <span class="muted">(${outletHtml(other.outlet)}, ${langTag(other.lang)} ${dateHtml(other.published)})</span>
      <div class="muted small">direction confidence ${fixed(l.confidence)}${l.reason ? ` — ${readableReason(l.reason, nodeOf)}` : ""}</div></li>`;
  });
  const declared = (a.declared_sources || []).map((d) => tag(typeof d === "string" ? d : d.name || d.title || "", "source")).join(" ");
  const hasUpstream = mine.some((l) => l.target === a.id || l.directed === false);
  const verdict = !mine.length ? `No copies or translations of this article were found, and it is not a copy of a stored article.`
    : hasUpstream ? `This article repeats earlier reporting.` : `This article is original reporting that others repeated.`;
  return `<p class="verdict">${esc(verdict)}</p>${sentences.length ? `<ul class="prov">${sentences.join("")}</ul>` : ""}
    ${declared ? `<p>Declared source${(a.declared_sources || []).length > 1 ? "s" : ""}: ${declared}</p>` : ""}`;
}

views.article = async (id) => {
  const a = await api(`articles/${encodeURIComponent(id)}`);
  const [trace, story] = await Promise.all([
    api(`articles/${encodeURIComponent(a.id)}/trace`).catch(() => ({nodes: [], edges: [], links: []})),
    a.story_id ? api(`stories/${encodeURIComponent(a.story_id)}`).catch(() => null) : null]);
  const nodeOf = new Map((trace.nodes || []).map((n) => [n.id, n]));
  const url = safeUrl(a.url);
  const groupSize = (trace.nodes || []).filter((n) => n.kind !== "external").length;
  const aligned = (trace.links || []).filter((l) => l.source === a.id || l.target === a.id).map((l) => {
    const src = nodeOf.get(l.source) || {id: l.source}, dst = nodeOf.get(l.target) || {id: l.target};
    const sameLang = l.kind === "copy" || (src.lang && src.lang === dst.lang);
    return `<details class="card link" open><summary>${l.kind === "translation" ? "Translation" : "Copy"}:
        ${articleLink(src)} ${langTag(src.lang)} ${l.directed === false ? "↔" : "→"} ${articleLink(dst)} ${langTag(dst.lang)}
        ${l.directed === false ? `<span class="muted">(direction unknown)</span>` : ""}
        <span class="muted">(${(l.aligned || []).length} aligned sentences)</span></summary>${alignedTable(l, sameLang)}</details>`;
  });
  const quotes = (a.quotes || []).map((q) => [speakerHtml(q), `<q>${esc(q.content)}</q>`, esc(q.cue || "")]);
  const narratives = (a.narratives || []).map((h) => [`<a href="${hashWith("narratives", {narrative: h.narrative_id || h.narrative})}">${esc(narrativeName(h))}</a>`,
    stanceTag(h.stance), esc(h.sentence || "")]);
  return `<p class="crumbs">${a.story_id ? `Story: <a href="#/story/${encodeURIComponent(a.story_id)}">${esc(story?.title || "open the story")}</a> ›` : `<a href="#/articles">Articles</a> ›`}</p>
    <h1>${esc(a.title || "untitled article")}</h1>
    <p class="meta">${outletHtml(a.outlet)} · ${langTag(a.lang)} ${esc(langName(a.lang))} · ${dateHtml(a.published)}
      ${url ? ` · <a href="${esc(url)}" rel="noopener noreferrer" target="_blank">${esc(url)}</a>` : ""}</p>
    <section class="card provenance"><h2>Provenance</h2>${provenanceSummary(a, trace)}
      ${groupSize > 1 || (trace.nodes || []).some((n) => n.kind === "external")
        ? `${propagationSvg(trace.nodes || [], trace.edges || [], {focus: a.id})}
           <p><a href="#/trace/${encodeURIComponent(a.id)}">Open the propagation view</a></p>` : ""}</section>
    ${aligned.length ? `<section id="aligned"><h2>Aligned sentences</h2>${aligned.join("")}</section>` : ""}
    <section class="card"><h2>Text <span class="muted count ent-legend">names link to their entity pages:
      <span class="ent ent-PER">person</span> <span class="ent ent-ORG">organisation</span> <span class="ent ent-LOC">place</span> <span class="ent ent-MISC">other</span></span></h2>
      <div class="article-text">${annotatedText(a.text || "", a.entities)}</div></section>
    <section class="card"><h2>Quotes</h2>${table(["Speaker", "Quote", "Cue"], quotes)}</section>
    <section class="card"><h2>Narratives</h2>${table(["Narrative", "Stance", "Sentence"], narratives)}</section>`;
};

views.trace = async (id) => {
  const trace = await api(`articles/${encodeURIComponent(id)}/trace`);
  const root = trace.root || id, focus = trace.article || root;
  const nodes = byDate(trace.nodes || []);
  const rootNode = nodes.find((n) => n.id === root) || {id: root};
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));
  const rows = (trace.links || trace.edges || []).map((l) => {
    const s = nodes.find((n) => n.id === l.source) || {id: l.source}, t = nodes.find((n) => n.id === l.target) || {id: l.target};
    return [articleLink(s), l.directed === false ? `${esc(l.kind)} ↔<div class="small muted">direction unknown</div>` : `${esc(l.kind)} →`, articleLink(t), fixed(l.confidence), `<span class="muted">${readableReason(l.reason, nodeOf)}</span>`];
  });
  return `<p class="crumbs"><a href="${articleHref(focus)}">Article</a> ›</p>
    <h1>How “${esc(rootNode.title || "this article")}” travelled</h1>
    <p class="muted">${nodes.filter((n) => n.kind !== "external").length} articles in this reuse group, in
      ${new Set(nodes.filter((n) => n.kind !== "external").map((n) => n.lang)).size} language(s).${trace.original === null
        ? " Which version came first is undecided: no date, declared source or content evidence tells." : ""}</p>
    <section class="card" id="propagation">${propagationSvg(nodes, trace.edges || [], {focus})}</section>
    <section class="card"><h2>Links</h2>${table(["Original", "", "Copy / translation", "Confidence", "Why this direction"], rows)}</section>`;
};

// ---- entities ------------------------------------------------------------------------------------------

const entityRow = (e) => [entityLink(e.id, e.name), tag(e.type || "?", `type-${e.type}`), number(e.mention_count ?? e.mentions ?? e.count),
  `<span class="langs">${Object.keys(e.langs || e.languages || {}).sort().map(langTag).join(" ")}</span>`,
  (e.variants || []).slice(0, 6).map((v) => esc(typeof v === "string" ? v : v.name)).join(" · ")];

views.entities = async (_arg, params) => {
  const page = await api("entities", {q: params.q, type: params.type, limit: 50});
  const types = ["", "PER", "ORG", "LOC", "MISC"];
  return `<h2>Entities <span class="muted count">${number(page.total ?? itemsOf(page).length)}</span></h2>
    <form class="filters" data-view="entities">
      <label>Name <input name="q" value="${esc(params.q)}" placeholder="any"></label>
      <label>Type <select name="type">${types.map((t) => `<option value="${t}" ${t === (params.type || "") ? "selected" : ""}>${t || "any"}</option>`).join("")}</select></label>
      <button>Filter</button></form>
    <div id="entities">${table(["Name", "Type", "Mentions", "Languages", "Spellings"], itemsOf(page).map(entityRow))}</div>${pager("entities", page.next_cursor)}`;
};
views.entities.wire = (_arg, params) => wirePager("entities", (cursor) => api("entities", {...params, limit: 50, cursor}),
  (rows) => rows.map(entityRow));

views.entity = async (id) => {
  const e = await api(`entities/${encodeURIComponent(id)}`);
  const byLang = new Map();
  for (const v of e.variants || []) {
    const l = v.lang || "";
    byLang.set(l, [...(byLang.get(l) || []), v]);
  }
  const variants = [...byLang.entries()].sort().map(([l, vs]) => [langTag(l) + " " + esc(langName(l)),
    vs.sort((x, y) => (y.count || 0) - (x.count || 0)).map((v) => `${esc(v.name)} <span class="muted">×${number(v.count)}</span>`).join(", ")]);
  const days = (e.mentions_by_day || []).filter((d) => parseDate(d.date));
  const counts = new Map(days.map((d) => [dayKey(parseDate(d.date)), d.count]));
  const columns = dayRange([...counts.keys()]).map((day) => ({label: day, parts: [{key: "mentions", value: counts.get(day) || 0, colour: "#0b5cad"}]}));
  const artOf = new Map((e.articles || []).map((x) => [x.id, x]));
  const quotes = byDate((e.quotes || []).map((q) => ({...artOf.get(q.article_id), ...q,
    title: q.article_title || q.title || artOf.get(q.article_id)?.title,
    published: q.published || artOf.get(q.article_id)?.published})))
    .map((q) => [`<q>${esc(q.content)}</q>`, langTag(q.lang),
      q.article_id ? articleLink({id: q.article_id, title: q.title || "open article"}) : "", dateHtml(q.published)]);
  const co = (e.co_mentions || []).map((c) => `<a class="chip" href="#/entity/${encodeURIComponent(c.id)}">${esc(c.name)}
    <span class="muted">${esc(c.type || "")} · ${number(c.count)}</span></a>`).join("");
  const arts = byDate(e.articles || [], (x) => x.published, true).map((x) => [articleLink(x), outletHtml(x.outlet), langTag(x.lang), dateHtml(x.published)]);
  return `<p class="crumbs"><a href="#/entities">Entities</a> ›</p>
    <h1>${esc(e.name)} ${tag(e.type || "?", `type-${e.type}`)}</h1>
    <div class="grid2">
      <section class="card"><h2>Names by language</h2>${table(["Language", "Spellings (mentions)"], variants)}</section>
      <section class="card"><h2>Mentions over time</h2>${stackedBars(columns, {height: 160, width: 520, yLabel: "mentions"})}</section>
    </div>
    <section class="card"><h2>Quotes by ${esc(e.name)} ${quotes.length ? `<a class="count" href="${hashWith("quotes", {speaker: e.id})}">open in the quote explorer</a>` : ""}</h2>
      ${table(["Quote", "Lang", "Article", "Published"], quotes)}</section>
    <section class="card"><h2>Often mentioned with</h2>${co ? `<div class="chips">${co}</div>` : `<p class="muted">Nobody else.</p>`}</section>
    <section class="card"><h2>Articles</h2>${table(["Article", "Outlet", "Lang", "Published"], arts)}</section>`;
};

// ---- quotes --------------------------------------------------------------------------------------------

const versionsHtml = (q) => (q.versions || []).length
  ? `<div class="small muted">${q.is_original ? "repeated in" : "also in"}: ${(q.versions || []).map((v) =>
    `<a href="${articleHref(v.article_id)}" title="${esc(v.content)}">${langTag(v.lang)}</a>`).join(" ")}</div>` : "";
const quoteRow = (q) => [speakerHtml(q), `<q>${esc(q.content)}</q>${versionsHtml(q)}`, langTag(q.lang),
  q.article_id ? articleLink({id: q.article_id, title: q.article_title || q.title || "open article"}) : "", dateHtml(q.published)];

views.quotes = async (_arg, params) => {
  const filters = {speaker: params.speaker, lang: params.lang, story: params.story};
  const [page, stories] = await Promise.all([api("quotes", {...filters, limit: 50}), api("stories", {limit: 200})]);
  const langs = [...new Set(itemsOf(stories).flatMap((st) => Object.keys(st.languages || {})))].sort();
  const option = (value, label, current) => `<option value="${esc(value)}" ${value === (current || "") ? "selected" : ""}>${esc(label)}</option>`;
  return `<h2>Quotes <span class="muted count">${number(page.total ?? itemsOf(page).length)}</span></h2>
    <form class="filters" data-view="quotes">
      <label>Speaker <input name="speaker" value="${esc(params.speaker)}" placeholder="any spelling of a name"></label>
      <label>Language <select name="lang">${option("", "any", params.lang)}${langs.map((l) => option(l, `${l} · ${langName(l)}`, params.lang)).join("")}</select></label>
      <label>Story <select name="story" class="story-select">${option("", "any story", params.story)}${itemsOf(stories).map((st) =>
        option(st.id, (st.title || st.id).slice(0, 70), params.story)).join("")}</select></label>
      <button>Filter</button></form>
    <div id="quotes">${table(["Speaker", "Quote", "Lang", "Article", "Published"], itemsOf(page).map(quoteRow))}</div>
    ${pager("quotes", page.next_cursor)}`;
};
views.quotes.wire = (_arg, params) => wirePager("quotes", (cursor) => api("quotes", {...params, limit: 50, cursor}),
  (rows) => rows.map(quoteRow));

// ---- narratives ------------------------------------------------------------------------------------------

/** A /narratives?by=… answer flattened to rows [{key, narrative, name, stance, count}] (articles per stance). */
function narrativeRows(data) {
  return (data.narratives || []).flatMap((n) => (n.groups || []).flatMap((g) => STANCES.map((stance) => ({
    key: g.group ?? "", narrative: n.id, name: narrativeName(n), stance, count: g[stance] || 0,
  })))).filter((r) => r.count);
}

const stanceParts = (rows) => STANCES.concat([...new Set(rows.map((r) => r.stance))].filter((s) => !STANCES.includes(s)))
  .map((s) => ({key: s, value: rows.filter((r) => r.stance === s).reduce((n, r) => n + r.count, 0), colour: stanceColour(s)}));

function groupTable(rows, by, label) {
  const keys = [...new Set(rows.map((r) => r.key))];
  const narratives = [...new Map(rows.map((r) => [r.narrative, r.name])).entries()];
  const max = Math.max(1, ...keys.flatMap((k) => narratives.map(([n]) => rows.filter((r) => r.key === k && r.narrative === n).reduce((s, r) => s + r.count, 0))));
  const body = keys.sort().map((k) => [by === "lang" ? `${langTag(k)} ${esc(langName(k))}` : outletHtml(k),
    ...narratives.map(([n]) => {
      const cell = rows.filter((r) => r.key === k && r.narrative === n);
      const total = cell.reduce((s, r) => s + r.count, 0);
      return total ? `<a href="${hashWith("narratives", {narrative: n, [by]: k})}" class="cell">${miniBar(stanceParts(cell), max, 90)} ${total}</a>` : "";
    })]);
  return table([label, ...narratives.map(([, name]) => name)], body, "matrix");
}

views.narratives = async (_arg, params) => {
  const [week, outlet, lang, hits] = await Promise.all(["week", "outlet", "lang"].map((by) => api("narratives", {by}))
    .concat([api("narratives/hits", {narrative: params.narrative, outlet: params.outlet, lang: params.lang, limit: 200})]));
  const weekRows = narrativeRows(week), outletRows = narrativeRows(outlet), langRows = narrativeRows(lang);
  const names = new Map((outlet.narratives || []).map((n) => [n.id, narrativeName(n)]));
  const cards = [...names.entries()].map(([n, name]) => {
    const mine = weekRows.filter((r) => r.narrative === n);
    const weeks = [...new Set(mine.map((r) => r.key))].sort();
    const cols = weeks.map((w) => ({label: w, parts: stanceParts(mine.filter((r) => r.key === w))
      .map((p) => ({...p, title: `${w}: ${p.value} ${p.key}`}))}));
    const totals = stanceParts(outletRows.filter((r) => r.narrative === n));
    return `<section class="card narrative"><h3><a href="${hashWith("narratives", {narrative: n})}">${esc(name)}</a></h3>
      <p>${totals.filter((p) => p.value).map((p) => `${stanceTag(p.key)} ${p.value}`).join(" ")}</p>
      ${stackedBars(cols, {height: 130, width: 340, yLabel: "articles", maxBar: 30})}</section>`;
  }).join("");
  const filtered = [params.narrative && `narrative “${names.get(params.narrative) || humanize(params.narrative)}”`,
    params.outlet && `outlet ${params.outlet}`, params.lang && `language ${params.lang}`].filter(Boolean);
  const hitRows = itemsOf(hits).map((h) => [esc(narrativeName(h)), stanceTag(h.stance), esc(h.sentence || ""),
    outletHtml(h.outlet), langTag(h.lang), h.article_id ? articleLink({id: h.article_id, title: h.article_title || h.title || "open article"}) : "",
    dateHtml(h.published)]);
  return `<h1>Narratives</h1>
    <p class="legend">${STANCES.map((s) => `${stanceTag(s)}`).join(" ")} <span class="muted">stance of the article towards the narrative: it endorses it, reports it at a distance, or denies it</span></p>
    <h2>Over time <span class="muted count">articles per ISO week, by stance</span></h2><div class="cards">${cards || `<p class="muted">No narrative hits.</p>`}</div>
    <section class="card"><h2>By outlet</h2>${groupTable(outletRows, "outlet", "Outlet")}</section>
    <section class="card"><h2>By language</h2>${groupTable(langRows, "lang", "Language")}</section>
    <section class="card" id="hits"><h2>Evidence ${filtered.length ? `<span class="muted count">${esc(filtered.join(", "))} · <a href="#/narratives">show all</a></span>` : ""}</h2>
      ${table(["Narrative", "Stance", "Sentence", "Outlet", "Lang", "Article", "Published"], hitRows)}</section>`;
};

views.narratives.wire = (_arg, params) => {
  if (params.narrative || params.outlet || params.lang) main.querySelector("#hits")?.scrollIntoView();
};

// ---- router ------------------------------------------------------------------------------------------

async function route() {
  const {view, arg, params} = parseHash();
  const render = views[view] || views.home;
  const navName = {"": "home", story: "home", article: "articles", trace: "home", entity: "entities", search: "articles"}[view] ?? view;
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === navName));
  main.setAttribute("aria-busy", "true");
  try {
    const html = await render(arg, params);
    main.innerHTML = html;
    window.scrollTo(0, 0);
    render.wire?.(arg, params);
    main.querySelectorAll("form.filters").forEach((form) => form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      location.hash = hashWith(form.dataset.view, Object.fromEntries(new FormData(form)));
    }));
    document.title = `${main.querySelector("h1, h2")?.textContent?.trim() || "echolot"} · echolot`;
    if (view !== "search") document.querySelector("#search input").value = "";
  } catch (err) {
    main.innerHTML = `<div class="card error"><h2>${err.status === 404 ? "Not found" : "Something went wrong"}</h2>
      <p>${esc(err.message)}</p><p><a href="#/">Back to the stories</a></p></div>`;
  } finally {
    main.setAttribute("aria-busy", "false");
    main.dataset.route = location.hash;
  }
}

document.getElementById("search").addEventListener("submit", (e) => {
  e.preventDefault();
  location.hash = hashWith("search", {q: new FormData(e.target).get("q")});
});
main.addEventListener("click", (e) => {
  const button = e.target.closest?.("button[data-unfold]");
  if (!button) return;
  main.querySelectorAll(`tr[data-fold="${button.dataset.unfold}"]`).forEach((tr) => tr.removeAttribute("hidden"));
  button.closest("tr").remove();
});
window.addEventListener("hashchange", route);
route();
