"""HTML main-text extraction: `echolot predict extraction HTML_DIR -o PRED.json` and `echolot eval extraction`.

The prediction for a page is what `echolot ingest` would store for it: trafilatura's
main text (comments off) cleaned by the same line rules as plain scrapes, plus the
title and date from the page's metadata. `evaluate` scores it and, in the same run,
two baselines: plain `trafilatura.extract` given the same decoded page and the same
options echolot passes (`extract_options`: comments off, tables on, the configured
precision/recall balance), so the difference is echolot's line cleaning alone; and
`trafilatura.extract` with its library defaults (comments on) on the raw bytes.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from tqdm import tqdm

from echolot.eval.common import run_scorer
from echolot.settings import Settings

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def _html_files(inputs: list[Path]) -> Iterator[Path]:
    for path in inputs:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _HTML_SUFFIXES)
        elif path.is_file():
            yield path


def extract_article(data: bytes, settings: Settings, url: str | None = None) -> dict[str, Any]:
    """{"text", "title", "date"} of one page, as echolot's ingest would see it."""
    from echolot.clean import clean_text
    from echolot.clean.dates import normalise_date
    from echolot.clean.html import extract_page
    from echolot.ingest import DecodeError, decode_document

    try:
        html, _ = decode_document(data)
    except DecodeError:
        return {"text": "", "title": None, "date": None}
    page = extract_page(html, url=url, favor=settings.ingest.html_favor)
    if page is None:
        return {"text": "", "title": None, "date": None}
    cleaned = clean_text(page.text, title=page.title, guess_title=False, guess_date=page.date is None,
                         title_max_chars=settings.ingest.title_max_chars)
    lines = cleaned.lines or [page.text]
    date = normalise_date(page.date) or cleaned.published
    return {"text": "\n".join(lines), "title": cleaned.title, "date": date}


def _baseline(data: bytes, settings: Settings) -> dict[str, Any]:
    """Plain trafilatura at its best for this task: the page decoded as echolot decodes it and the
    extraction options echolot uses, without echolot's line cleaning. The figure echolot must beat."""
    import trafilatura

    from echolot.clean.html import extract_options
    from echolot.ingest import DecodeError, decode_document

    try:
        html, _ = decode_document(data)
    except DecodeError:
        return {"text": ""}
    return {"text": trafilatura.extract(html, **extract_options(settings.ingest.html_favor)) or ""}


def _library_defaults(data: bytes, settings: Settings) -> dict[str, Any]:
    """`trafilatura.extract` as a newcomer calls it: raw bytes, library defaults (comments included)."""
    import trafilatura

    return {"text": trafilatura.extract(data) or ""}


# (name in the figures, extractor): echolot first, then the baselines
EXTRACTORS: tuple[tuple[str, Callable[[bytes, Settings], dict[str, Any]]], ...] = (
    ("echolot", extract_article),
    ("trafilatura_same_options", _baseline),
    ("trafilatura_defaults", _library_defaults),
)


def _run(files: list[Path], output: Path, settings: Settings,
         extractor: Callable[[bytes, Settings], dict[str, Any]], label: str) -> None:
    predictions: dict[str, Any] = {}
    for path in tqdm(files, desc=label, unit="page", leave=False):
        predictions[path.name] = extractor(path.read_bytes(), settings)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")


def predict(inputs: list[Path], output: Path, settings: Settings, **options: Any) -> None:
    """Write `{file_name: {"text", "title", "date"}}` for every HTML file under `inputs`."""
    files = list(_html_files(inputs))
    if not files:
        raise ValueError("no HTML files found in the given inputs")
    _run(files, output, settings, extract_article, "extract")


def evaluate(settings: Settings, data_dir: Path, **options: Any) -> dict[str, Any]:
    """Score echolot and the trafilatura baselines on the dev pages with the task's own scorer.

    Every figure is a dev figure: the cleaning rules were written while looking at these pages."""
    task = data_dir / "extraction"
    dev = task / "dev" / "trafilatura"
    gold, html_dir = dev / "gold.json", dev / "html"
    if not gold.is_file() or not html_dir.is_dir():
        raise FileNotFoundError(f"extraction dev set not found under {dev}")
    files = list(_html_files([html_dir]))
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, extractor in EXTRACTORS:
            pred = Path(tmp) / f"{name}.json"
            _run(files, pred, settings, extractor, name)
            result = run_scorer(task / "score.py", gold, pred)
            figures[name] = {k: v for k, v in result.items() if k not in {"gold", "pred"}}
    return figures
