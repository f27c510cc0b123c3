"""Sanity checks of the bundled demo corpus and of its ground truth.

The demo corpus (examples/demo/) is what `echolot demo` shows to a new user, and
examples/demo_expected.json is the truth the lead's end-to-end checks compare echolot
against. These tests keep the two honest with each other: every claim the manifest
makes about a text (a title, a date string, a quote, a name variant, a source line)
must be literally present in that text, and every malformed file must really be
malformed in the way the manifest says. They do not run echolot itself.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from functools import lru_cache, cache
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DEMO = EXAMPLES / "demo"
MANIFEST = EXAMPLES / "demo_expected.json"
JSONL_KEYS = {"id", "lang", "title", "text", "published", "source", "url"}
RELATIONS = {"original", "copy", "human_translation", "machine_translation"}
STANCES = {"endorse", "report", "deny"}


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def _strip_tags(markup: str) -> str:
    return re.sub(r"<[^>]+>", " ", markup)


@cache
def article_text(key: str) -> str:
    """The text of one article as the manifest addresses it (file, FILE#line, FILE#item)."""
    name, _, n = key.partition("#")
    f = manifest()["files"][name]
    raw = (DEMO / name).read_bytes().decode(f["encoding"])
    if f["format"] == "jsonl":
        record = json.loads(raw.splitlines()[int(n) - 1])
        return record["title"] + "\n" + record["text"]
    if f["format"] == "rss":
        items = re.findall(r"<item>(.*?)</item>", raw, re.S)
        return _strip_tags(items[int(n) - 1].replace("<![CDATA[", "").replace("]]>", ""))
    if f["format"] == "html":
        return _strip_tags(raw)
    return raw


def articles() -> dict[str, dict[str, Any]]:
    return manifest()["articles"]


# --- the corpus as a whole -------------------------------------------------------------

def test_every_file_is_in_the_manifest_and_vice_versa() -> None:
    on_disk = {p.name for p in DEMO.iterdir() if p.is_file()}
    assert on_disk == set(manifest()["files"])


def test_manifest_articles_and_files_agree() -> None:
    listed = [key for f in manifest()["files"].values() for key in f["articles"]]
    assert sorted(listed) == sorted(articles())
    for key in articles():
        assert key.partition("#")[0] in manifest()["files"]


def test_corpus_is_big_and_varied_enough() -> None:
    arts = articles()
    langs = Counter(a["lang"] for a in arts.values())
    stories = Counter(a["story"] for a in arts.values())
    assert len(arts) >= 34
    assert {"de", "en", "ru", "fr"} <= set(langs) and len(langs) >= 4
    assert len(stories) >= 5 and all(n >= 5 for n in stories.values())
    for story, spec in manifest()["stories"].items():
        events = {a["event"] for a in arts.values() if a["story"] == story}
        assert events == set(spec["events"]), story
        assert len(events) >= 2


def test_article_lengths_are_news_sized() -> None:
    for key in articles():
        words = len(article_text(key).split())
        assert 150 <= words <= 400, (key, words)


# --- malformed inputs really are malformed ------------------------------------------------

def test_empty_and_binary_files() -> None:
    files = manifest()["files"]
    assert files["empty_article.txt"]["expected"] == "reject"
    assert (DEMO / "empty_article.txt").stat().st_size == 0
    junk = (DEMO / "garbage_binary.txt").read_bytes()
    assert b"\x00" in junk and files["garbage_binary.txt"]["rejection"] == "binary"
    with pytest.raises(UnicodeDecodeError):
        junk.decode("utf-8")


@pytest.mark.parametrize("name,encoding,probe", [
    ("valdoria_deal_ru_cp1251.txt", "cp1251", "забастовка"),
    ("lunevo_evacuation_fr_latin1.txt", "latin-1", "évacuées"),
])
def test_legacy_encodings_are_not_utf8(name: str, encoding: str, probe: str) -> None:
    data = (DEMO / name).read_bytes()
    assert manifest()["files"][name]["encoding"] == encoding
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert probe in data.decode(encoding)


def test_bom_file_starts_with_a_bom() -> None:
    data = (DEMO / "lunevo_dam_de_reprint_bom.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8").startswith("Flutkatastrophe")


def test_truncated_html_is_cut_off_mid_text() -> None:
    page = (DEMO / "karsk_protests_de_truncated.html").read_text(encoding="utf-8")
    assert "</html>" not in page and "</article>" not in page
    assert not page.rstrip().endswith(">")
    full = (DEMO / "karsk_protests_de_original.html").read_text(encoding="utf-8")
    assert "</html>" in full and "<nav" in full and "<footer" in full


def test_jsonl_has_exactly_the_listed_broken_lines() -> None:
    name = "tremivast_recall_news.jsonl"
    spec = manifest()["files"][name]
    broken = {item["line"] for item in spec["rejected_items"]}
    lines = (DEMO / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if number in broken:
            with pytest.raises(json.JSONDecodeError):
                json.loads(line)
        else:
            record = json.loads(line)
            assert set(record) == JSONL_KEYS
            assert f"{name}#{number}" in spec["articles"]
    assert broken and len(spec["articles"]) == len(lines) - len(broken)


def test_feed_is_well_formed_rss() -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(DEMO / "lunevo_dam_feed.xml").getroot()
    assert len(root.findall("./channel/item")) == len(manifest()["files"]["lunevo_dam_feed.xml"]["articles"])


# --- every claim of the manifest is in the text -------------------------------------------

@pytest.mark.parametrize("key", sorted(articles()))
def test_manifest_claims_are_in_the_text(key: str) -> None:
    a = articles()[key]
    text = article_text(key)
    assert a["title"] in text
    for field in ("date_text", "declared_source"):
        if a.get(field):
            assert a[field] in text, (field, a[field])
    name = key.partition("#")[0]
    if a.get("url"):  # URLs may sit in markup (canonical link, <link>, JSON field): look at the raw file
        assert a["url"] in (DEMO / name).read_bytes().decode(manifest()["files"][name]["encoding"])
    for quote in a["quotes"]:
        assert quote["snippet"] in text, quote
    for hit in a["narratives"]:
        assert hit["snippet"] in text, hit
    for artefact in a.get("mt_artefacts", []):
        assert artefact in text, artefact
    for entity, forms in a["entities"].items():
        known = manifest()["entities"][entity]["variants"]
        for form in forms:
            assert form in known and form in text, (entity, form)


@pytest.mark.parametrize("key", sorted(articles()))
def test_article_fields_are_well_typed(key: str) -> None:
    a = articles()[key]
    m = manifest()
    assert a["story"] in m["stories"] and a["event"] in m["stories"][a["story"]]["events"]
    assert a["outlet"] is None or a["outlet"] in m["outlets"]
    if a["date"]:
        datetime.fromisoformat(a["date"])
        assert a["date"][:10] >= m["stories"][a["story"]]["events"][a["event"]]["date"]
    for quote in a["quotes"]:
        assert quote["kind"] in ("direct", "indirect")
        assert quote["speaker"] in m["entities"] or quote["speaker"].startswith("<")
    for hit in a["narratives"]:
        assert hit["narrative"] in m["narratives"] and hit["stance"] in STANCES


# --- reuse, quotes, names and narratives have the promised variety ----------------------

def test_reuse_groups_are_consistent() -> None:
    arts = articles()
    grouped = set()
    for group in manifest()["reuse_groups"]:
        members = {m["article"] for m in group["members"]}
        assert group["original"] in members
        for m in group["members"]:
            assert m["relation"] in RELATIONS
            assert arts[m["article"]]["reuse"]["original"] == group["original"]
            if m["relation"] == "original":
                assert m["of"] is None
            else:
                assert m["of"] in members and m["of"] != m["article"]
            if m["relation"] == "copy":
                assert arts[m["article"]]["lang"] == arts[m["of"]]["lang"]
            if m["relation"].endswith("translation"):
                assert arts[m["article"]]["lang"] != arts[m["of"]]["lang"]
        assert not members & grouped
        grouped |= members
    singletons = {k for k, a in arts.items() if a["reuse"] is None}
    assert grouped | singletons == set(arts) and singletons


def test_reuse_variety() -> None:
    groups = manifest()["reuse_groups"]
    relations = Counter(m["relation"] for g in groups for m in g["members"])
    assert all(relations[r] >= 3 for r in RELATIONS)
    assert any(len(g["languages"]) >= 3 for g in groups)
    chained = [m for g in groups for m in g["members"] if m["of"] not in (None, g["original"])]
    assert any(m["relation"] == "copy" for m in chained)
    assert any(m["relation"].endswith("translation") for m in chained)


def _sentences(text: str) -> set[str]:
    parts = re.split(r"(?<=[.!?])\s+", re.sub(r"\s+", " ", text))
    return {s for s in parts if len(s) > 40}


def test_copies_share_sentences_verbatim_with_their_source() -> None:
    for group in manifest()["reuse_groups"]:
        for m in group["members"]:
            if m["relation"] == "copy":
                shared = _sentences(article_text(m["of"])) & _sentences(article_text(m["article"]))
                assert len(shared) >= 5, (m["article"], len(shared))


def test_same_statement_quoted_across_languages() -> None:
    langs: dict[str, set[str]] = {}
    for a in articles().values():
        for quote in a["quotes"]:
            if "statement" in quote:
                langs.setdefault(quote["statement"], set()).add(a["lang"])
    assert sum(len(v) >= 2 for v in langs.values()) >= 10
    assert any(len(v) >= 3 for v in langs.values())


def test_names_vary_across_languages_and_scripts() -> None:
    cyrillic = re.compile(r"[а-яА-ЯёЁ]")
    cross_script = [e for e in manifest()["entities"].values()
                    if any(cyrillic.search(v) for v in e["variants"])
                    and any(not cyrillic.search(v) for v in e["variants"])]
    assert len(cross_script) >= 10
    assert any(e["type"] == "ORG" and len([v for v in e["variants"] if v.isupper()]) >= 3
               for e in manifest()["entities"].values())


def test_narrative_stances_are_all_present() -> None:
    stances = Counter(h["stance"] for a in articles().values() for h in a["narratives"])
    assert all(stances[s] >= 2 for s in STANCES)
