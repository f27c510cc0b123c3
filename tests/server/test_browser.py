"""The web UI in a real headless Chromium (Selenium + the system chromium-driver).

A store is built once from part of the demo corpus (two stories: the Brenna drones with a
copy chain and a Russian translation, the Karsk observers with a reprint and a Spanish
translation) through the real ingest and analysis stages, plus one hostile article whose
title, outlet and text carry <script> and <img onerror> payloads. The tests then click
through the UI as a reader would and check what the page shows, not how it is built.
Skipped cleanly when chromium, chromedriver or selenium is missing.
"""
from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - depends on the environment
    webdriver = None

pytestmark = [
    pytest.mark.slow,  # a real Chromium over a demo store with every stage: an end-to-end run, CI's slow step
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install chromium)"),
    pytest.mark.skipif(CHROMEDRIVER is None, reason="chromedriver not installed (apt-get install chromium-driver)"),
    pytest.mark.skipif(webdriver is None, reason="selenium not installed (pip install -e '.[dev]')"),
]

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
DEMO_FILES = ["brenna_*.txt", "karsk_observers_*.txt"]
HOSTILE_TITLE = 'Airport <script>window.__pwned = "title"</script> update <img src=x onerror="window.__pwned = \'img\'">'
HOSTILE_TEXT = ("Officials in Brenna said the airport would reopen on Monday, according to the pwnedcheck bulletin "
                "<script>window.__pwned = 'text'</script>.\n\n"
                "Police said <img src=x onerror=\"window.__pwned = 'text-img'\"> nobody was hurt near Brenna airport.")
HOSTILE_OUTLET = "evil<img src=x onerror=\"window.__pwned = 'outlet'\">.example"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a free loopback port over a store analysed from part of the demo corpus."""
    import uvicorn

    from echolot.pipeline import ingest, run_stages
    from echolot.server import create_app
    from echolot.settings import Settings
    from echolot.store import SQLiteStore

    root = tmp_path_factory.mktemp("ui")
    corpus = root / "corpus"
    corpus.mkdir()
    for pattern in DEMO_FILES:
        for path in DEMO.glob(pattern):
            shutil.copy(path, corpus / path.name)
    hostile = {"title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "source": HOSTILE_OUTLET, "lang": "en",
               "published": "2025-09-23T09:00", "url": "javascript:window.__pwned='url'"}
    (corpus / "hostile.jsonl").write_text(json.dumps(hostile) + "\n", encoding="utf-8")

    base = Settings(home=root / "home", db=root / "ui.db")
    # the English quote CRF is the slowest part and not what these tests look at
    settings = replace(base, quotes=replace(base.quotes, use_model=False))
    store = SQLiteStore(settings.db_path)
    summary = ingest([str(corpus)], store, settings, progress=False)
    assert summary.ingested == len(list(corpus.iterdir())), summary.to_dict()
    run_stages(store, settings, progress=False)
    store.close()

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium in Europe/Berlin time (so "local time" differs from the stored UTC offsets)."""
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,900",
                f"--user-data-dir={tmp_path_factory.mktemp('profile')}"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER, env={"TZ": "Europe/Berlin"}))
    driver.set_script_timeout(20)
    yield driver
    driver.quit()


def _wait_page(driver: Any, prefix: str = "") -> None:
    """Wait until the router has rendered the current hash (and it starts with `prefix`)."""
    try:
        WebDriverWait(driver, 20).until(lambda d: d.execute_script(
            "const m = document.getElementById('app');"
            "return m.dataset.route === location.hash && m.getAttribute('aria-busy') === 'false'"
            " && location.hash.startsWith(arguments[0]);", prefix))
    except TimeoutException:
        raise AssertionError(f"page {driver.execute_script('return location.hash')!r} did not render "
                             f"(wanted {prefix!r}): {driver.find_element(By.ID, 'app').text[:300]}") from None


def _go(driver: Any, base: str, route: str) -> None:
    driver.get(f"{base}/{route}")
    _wait_page(driver, route)


def _api(base: str, path: str, **params: Any) -> Any:
    url = f"{base}/api/v1/{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    with urllib.request.urlopen(url, timeout=10) as res:
        return json.load(res)


def test_story_propagation_article_entity_walkthrough(demo_server: str, browser: Any) -> None:
    _go(browser, demo_server, "#/")
    stories = browser.find_elements(By.CSS_SELECTOR, "#stories tbody tr")
    assert len(stories) >= 2
    stories[0].find_element(By.TAG_NAME, "a").click()  # the largest story: the Brenna drones
    _wait_page(browser, "#/story/")

    # story page: a timeline chart and the propagation view with one node per article and arrows
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#app h2")]
    assert any(h.startswith("Timeline") for h in headings) and any(h.startswith("Propagation") for h in headings)
    assert browser.find_elements(By.CSS_SELECTOR, "svg.bars rect")
    nodes = browser.find_elements(By.CSS_SELECTOR, "#propagation svg.propagation g.node")
    articles = browser.find_elements(By.CSS_SELECTOR, "#app table tbody tr")
    assert len([n for n in nodes if "external" not in n.get_attribute("class")]) == len(articles) >= 4
    assert browser.find_elements(By.CSS_SELECTOR, "#propagation path.edge.copy")
    assert browser.find_elements(By.CSS_SELECTOR, "#propagation path.edge.translation")
    # declared sources: an external node, or a "cites" edge from the stored article they name
    assert browser.find_elements(By.CSS_SELECTOR, "#propagation g.node.external, #propagation path.edge.source")
    roles = {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#app td .tag")}
    assert "original reporting" in roles and ({"copy", "translation"} & roles)

    # click a copy in the graph: its article page opens with provenance first
    copy_node = browser.find_element(By.CSS_SELECTOR, "#propagation a.node-link g.node.copy circle")
    browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", copy_node)
    _wait_page(browser, "#/article/")
    order = browser.execute_script(
        "return [...document.querySelectorAll('#app section')].map(s => s.querySelector('h2')?.textContent || '')")
    assert order[0].startswith("Provenance") and order[1].startswith("Aligned sentences")
    provenance = browser.find_element(By.CSS_SELECTOR, "section.provenance").text
    assert "is a copy of" in provenance or "share an original" in provenance
    assert browser.find_elements(By.CSS_SELECTOR, "section.provenance svg.propagation g.node.focus")

    # aligned sentences side by side: both columns filled for matched rows (runs of identical ones unfolded)
    for button in browser.find_elements(By.CSS_SELECTOR, "button[data-unfold]"):
        button.click()
    assert not browser.find_elements(By.CSS_SELECTOR, "table.aligned tr[hidden]")
    rows = browser.find_elements(By.CSS_SELECTOR, "table.aligned tbody tr.op-same, table.aligned tbody tr.op-changed")
    assert len(rows) >= 3
    for row in rows[:3]:
        left, right, _ = row.find_elements(By.TAG_NAME, "td")
        assert len(left.text) > 20 and len(right.text) > 20

    # an entity highlighted in the text leads to its entity page
    entity = browser.find_element(By.CSS_SELECTOR, ".article-text a.ent")
    name = entity.text
    entity.click()
    _wait_page(browser, "#/entity/")
    assert browser.find_element(By.CSS_SELECTOR, "#app h1").text.strip()
    variants = browser.find_element(By.XPATH, "//section[h2[text()='Names by language']]").text
    assert name.split()[-1] in variants or name in variants
    assert browser.find_elements(By.CSS_SELECTOR, "#app svg.bars rect")

    # and no page on the way logged a script error or a failed request
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_trace_view_links_every_node(demo_server: str, browser: Any) -> None:
    largest = _api(demo_server, "stories", limit=1)["items"][0]
    members = _api(demo_server, f"stories/{largest['id']}")["articles"]
    copy = next(a for a in members if a["role"] in ("copy", "translation"))
    _go(browser, demo_server, f"#/trace/{copy['id']}")
    links = browser.find_elements(By.CSS_SELECTOR, "svg.propagation a.node-link")
    hrefs = {a.get_dom_attribute("href") for a in links}
    trace = _api(demo_server, f"articles/{copy['id']}/trace")
    assert hrefs == {f"#/article/{n['id']}" for n in trace["nodes"] if n["kind"] == "article"}
    assert browser.find_elements(By.CSS_SELECTOR, "svg.propagation g.node.focus")


def test_search_marks_hits(demo_server: str, browser: Any) -> None:
    _go(browser, demo_server, "#/")
    box = browser.find_element(By.CSS_SELECTOR, "#search input")
    box.send_keys("drones", Keys.ENTER)
    _wait_page(browser, "#/search")
    marks = browser.find_elements(By.CSS_SELECTOR, "ol.hits .snippet mark")
    assert marks and all(m.text.lower().startswith("drone") for m in marks)
    assert "[" not in browser.find_element(By.CSS_SELECTOR, "ol.hits").text  # no bracket highlighting


def test_hostile_article_renders_as_text(demo_server: str, browser: Any) -> None:
    found = _api(demo_server, "search", q="pwnedcheck")["items"]
    assert len(found) == 1
    article_id = found[0]["id"]
    _go(browser, demo_server, "#/")
    for route in (f"#/article/{article_id}", "#/articles", "#/search?q=pwnedcheck", f"#/trace/{article_id}",
                  "#/quotes", "#/narratives"):
        browser.execute_script("location.hash = arguments[0]", route)
        _wait_page(browser, route.split("?")[0])
        injected = browser.execute_script("return document.querySelectorAll('#app script, #app img').length")
        assert injected == 0, route
        if route.startswith("#/article/"):
            assert browser.find_element(By.CSS_SELECTOR, "#app h1").text == HOSTILE_TITLE
            text = browser.find_element(By.CSS_SELECTOR, ".article-text").text
            assert "<script>window.__pwned = 'text'</script>" in text and 'onerror="window.__pwned' in text
            assert HOSTILE_OUTLET in browser.find_element(By.CSS_SELECTOR, "#app .meta").text
            assert not browser.find_elements(By.CSS_SELECTOR, "#app a[href^='javascript']")
        if route == "#/articles":
            assert HOSTILE_TITLE in browser.find_element(By.ID, "articles").text
    time.sleep(0.5)  # an <img onerror> would have fired by now
    assert browser.execute_script("return window.__pwned === undefined")


def test_dates_diff_and_snippets_in_the_page_modules(demo_server: str, browser: Any) -> None:
    """The page's own helpers, run in the browser: one date format in local time, undated last."""
    _go(browser, demo_server, "#/")
    out = browser.execute_async_script("""
      const done = arguments[arguments.length - 1];
      Promise.all([import('/static/util.js'), import('/static/diff.js')]).then(([u, d]) => done({
        dates: ['2025-02-05', '2025-02-06T08:00:00+01:00', '2025-09-21T18:05', '2025-02-06T07:00:00Z', null, 'soon']
          .map(u.fmtDate),
        asc: u.byDate([{published: null}, {published: '2025-02-06T08:00:00+01:00'}, {published: '2025-02-05'}])
          .map((x) => x.published),
        desc: u.byDate([{published: null}, {published: '2025-02-05'}, {published: '2025-03-01'}], undefined, true)
          .map((x) => x.published),
        snippet: u.markSnippet('a <mark>b&amp;c</mark> &lt;script&gt;x&lt;/script&gt; <img src=x onerror="window.__pwned=9">'),
        diff: d.wordDiff('The dam at Orsk gave way on Monday.', 'The dam at Orsk broke on Monday night.'),
        url: [u.safeUrl('javascript:alert(1)'), u.safeUrl('https://example.org/a?b=1'), u.safeUrl(null)],
      })).catch((e) => done({error: String(e)}));
    """)
    assert "error" not in out, out
    # Berlin local time: +01:00 kept, Z shifted by an hour; date-only stays a date; unknown says so
    assert out["dates"] == ["2025-02-05", "2025-02-06 08:00", "2025-09-21 18:05", "2025-02-06 08:00",
                            "date unknown", "date unknown"]
    assert out["asc"] == ["2025-02-05", "2025-02-06T08:00:00+01:00", None]
    assert out["desc"] == ["2025-03-01", "2025-02-05", None]
    assert out["snippet"] == "a <mark>b&amp;c</mark> &lt;script&gt;x&lt;/script&gt; "
    removed = [p["text"] for p in out["diff"]["left"] if p["op"] == "del"]
    added = [p["text"] for p in out["diff"]["right"] if p["op"] == "ins"]
    assert removed == ["gave", "way"] and added == ["broke", "night"]
    assert out["url"] == ["", "https://example.org/a?b=1", ""]
    assert browser.execute_script("return window.__pwned === undefined")


def test_propagation_graph_on_a_hand_made_group(demo_server: str, browser: Any) -> None:
    """Roles come from the arrows, an undirected link has no arrowhead, undated and external nodes are placed."""
    _go(browser, demo_server, "#/")
    out = browser.execute_async_script("""
      const done = arguments[arguments.length - 1];
      import('/static/charts.js').then((c) => {
        const div = document.createElement('div');
        div.innerHTML = c.propagationSvg([
          {id: 'a', kind: 'article', title: 'A', outlet: 'one', lang: 'en', published: '2025-01-01T10:00'},
          {id: 'b', kind: 'article', title: 'B', outlet: 'two', lang: 'de', published: '2025-01-01'},
          {id: 'c', kind: 'article', title: 'C', outlet: 'three', lang: 'fr', published: null},
          {id: 'ext:X', kind: 'external', title: 'X Wire', outlet: 'X Wire', url: 'https://x.example/wire'},
          {id: 'ext:Y', kind: 'external', title: 'Y', outlet: 'Y', url: 'javascript:window.__pwned = 1'}],
          [{source: 'a', target: 'b', kind: 'translation', confidence: 0.9, directed: true},
           {source: 'b', target: 'c', kind: 'copy', confidence: 0.5, directed: false},
           {source: 'ext:X', target: 'a', kind: 'declared', confidence: null},
           {source: 'ext:Y', target: 'b', kind: 'declared', confidence: null},
           {source: 'a', target: 'c', kind: 'declared', confidence: null}], {focus: 'b'});
        done({
          nodes: [...div.querySelectorAll('g.node')].map((g) => g.getAttribute('class')),
          edges: [...div.querySelectorAll('svg.propagation path.edge')].map((p) => [p.getAttribute('class'), p.hasAttribute('marker-end')]),
          lanes: [...div.querySelectorAll('.lane-label')].map((t) => t.textContent),
          links: [...div.querySelectorAll('a.node-link')].map((a) => a.getAttribute('href')),
          outside: [...div.querySelectorAll('a.external-link')].map((a) => a.getAttribute('href')),
          text: div.textContent,
        });
      }).catch((e) => done({error: String(e)}));
    """)
    assert "error" not in out, out
    assert out["nodes"] == ["node original", "node translation focus", "node independent", "node external", "node external"]
    # a declared source is a citation (dotted), also when it points at a stored article; undirected: no arrowhead
    assert out["edges"] == [["edge translation", True], ["edge copy", False], ["edge source", True],
                            ["edge source", True], ["edge source", True]]
    assert out["outside"] == ["https://x.example/wire"]  # the javascript: address is not linked
    assert out["lanes"] == ["declared sources", "English", "German", "French"]
    assert out["links"] == ["#/article/a", "#/article/b", "#/article/c"]
    assert "date unknown" in out["text"] and "X Wire" in out["text"]
