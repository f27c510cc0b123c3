// echolot web UI: a small hash-routed single page over the REST API (no build step, no dependencies).
"use strict";

const app = document.getElementById("app");
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
const tag = (t, cls = "") => `<span class="tag ${esc(cls || t)}">${esc(t)}</span>`;
const link = (a) => `<a href="#/article/${esc(a.id)}">${esc(a.title || a.id)}</a>`;

async function api(path) {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${res.status}: ${(await res.json()).detail || res.statusText}`);
  return res.json();
}

function table(headers, rows) {
  if (!rows.length) return `<p class="muted">Nothing here yet.</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead>
    <tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

const views = {
  async articles(q) {
    const items = await api(q ? `/api/articles?q=${encodeURIComponent(q)}` : "/api/articles?limit=500");
    return `<h2>${q ? `Search: ${esc(q)}` : "Articles"} <span class="muted">(${items.length})</span></h2>` +
      table(["Title", "Lang", "Published", "Source"],
        items.map((a) => [link(a) + (a.snippet ? `<div class="muted">${esc(a.snippet)}</div>` : ""),
          esc(a.lang), esc(a.published || ""), esc(a.source || "")]));
  },
  async article(id) {
    const a = await api(`/api/articles/${encodeURIComponent(id)}`);
    const other = (l) => a.linked[l.source === a.id ? l.target : l.source] || {id: "?"};
    const links = a.links.map((l) => {
      const role = l.source === a.id ? "is the original of" : "is a copy/translation of";
      const rows = l.evidence.map((e) => `<div class="${esc(e.op)}">${esc(e.a_text)}</div>
          <div class="${esc(e.op)}">${esc(e.b_text)}</div><div class="muted">${esc(e.op)} ${e.score.toFixed(2)}</div>`).join("");
      return `<div class="card"><b>This article ${role}</b> ${link(other(l))} ${tag(l.kind)}
        <span class="muted">share aligned ${l.score.toFixed(2)}, direction confidence ${l.confidence.toFixed(2)}: ${esc(l.reason)}</span>
        <details><summary>Aligned sentences (${l.evidence.length})</summary><div class="align">${rows}</div></details></div>`;
    }).join("");
    const quotes = a.quotes.map((q) => `<li>${esc(q.speaker || "unknown")}: “${esc(q.content)}” ${tag(q.kind)}</li>`).join("");
    const narr = a.narratives.map((h) => `<li>${tag(h.stance)} <b>${esc(h.narrative_id)}</b>: ${esc(h.sentence)}</li>`).join("");
    return `<div class="card"><h2>${esc(a.title || a.id)}</h2>
      <p class="muted">${esc(a.lang)} · ${esc(a.published || "no date")} · ${esc(a.source || "unknown outlet")}
      ${a.url ? ` · <a href="${esc(a.url)}">${esc(a.url)}</a>` : ""}
      ${a.declared_sources.length ? ` · declared source: ${a.declared_sources.map(esc).join(", ")}` : ""}</p>
      <div class="article-text">${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join("")}</div></div>
      <h3>Provenance</h3>${links || `<p class="muted">No reprints or translations found.</p>`}
      <h3>Quotes</h3>${quotes ? `<ul>${quotes}</ul>` : `<p class="muted">None.</p>`}
      <h3>Narratives</h3>${narr ? `<ul>${narr}</ul>` : `<p class="muted">None.</p>`}`;
  },
  async stories() {
    const items = await api("/api/stories");
    return `<h2>Stories <span class="muted">(${items.length})</span></h2>` +
      table(["Story", "Size", "Languages", "First seen", "Last seen"], items.map((s) => [
        `<a href="#/story/${esc(s.id)}">${esc(s.label || s.id)}</a>`, esc(s.count),
        Object.keys(s.languages || {}).sort().map((l) => tag(l)).join(""), esc(s.first_seen || ""), esc(s.last_seen || "")]));
  },
  async story(id) {
    const s = await api(`/api/stories/${encodeURIComponent(id)}`);
    return `<h2>${esc(s.label || s.id)}</h2>` + table(["Published", "Lang", "Source", "Article", "Why it joined"],
      s.timeline.map((m) => [esc(m.published || ""), esc(m.lang), esc(m.source || ""), link(m), `<span class="muted">${esc(m.reason)}</span>`]));
  },
  async entities() {
    const items = await api("/api/entities?limit=300");
    return `<h2>Entities</h2>` + table(["Name", "Type", "Mentions", "Variants"], items.map((e) => [
      esc(e.name), tag(e.type), esc(e.mention_count), (e.variants || []).map(esc).join(" · ")]));
  },
  async quotes() {
    const items = await api("/api/quotes?limit=500");
    return `<h2>Quotes</h2>` + table(["Speaker", "Quote", "Kind", "Lang", "Article"], items.map((q) => [
      esc(q.speaker || ""), esc(q.content), tag(q.kind), esc(q.lang || ""), link({id: q.article_id, title: q.article_id.slice(0, 8)})]));
  },
  async narratives() {
    const data = await api("/api/narratives");
    return `<h2>Narratives</h2>` + table(["Narrative", "Stance", "Hits"], data.counts.map((c) => [esc(c.narrative), tag(c.stance), esc(c.count)])) +
      `<h3>Evidence</h3>` + table(["Narrative", "Stance", "Sentence", "Article"], data.hits.slice(0, 300).map((h) => [
        esc(h.narrative_id), tag(h.stance), esc(h.sentence), link({id: h.article_id, title: h.article_id.slice(0, 8)})]));
  },
};

async function route() {
  const [, view = "", arg = ""] = location.hash.split("/");
  const name = view || "articles";
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === name));
  try {
    const render = views[name] || views.articles;
    app.innerHTML = await render(decodeURIComponent(arg));
  } catch (err) {
    app.innerHTML = `<p class="muted">Error: ${esc(err.message)}</p>`;
  }
}

document.getElementById("search").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = new FormData(e.target).get("q");
  location.hash = `#/articles/${encodeURIComponent(q)}`;
});
window.addEventListener("hashchange", route);
route();
