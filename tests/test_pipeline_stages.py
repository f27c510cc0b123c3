"""`pipeline.analyse`: stages get bounded batches, never an oversized article, and one failing
article is isolated, recorded and skipped instead of poisoning every later run (issue 16)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from echolot import pipeline
from echolot.model import Article, RawDocument, Sentence
from echolot.pipeline import StageUnavailable, analyse, oversize_reason, run_stages
from echolot.settings import PipelineSettings, Settings
from echolot.store import SQLiteStore

CALLS: list[list[str]] = []  # article ids of every call of the fake stages below
BAD = {"bad"}  # articles whose text contains one of these words make `picky` raise


def counting(articles: list[Article], store: Any, settings: Settings) -> None:
    CALLS.append([a.id for a in articles])
    for article in articles:
        store.put_annotations("seen", article.id, [{"chars": len(article.text)}])


def picky(articles: list[Article], store: Any, settings: Settings) -> None:
    CALLS.append([a.id for a in articles])
    for article in articles:
        if any(word in article.text.split() for word in BAD):
            raise ValueError(f"cannot digest {article.id}")
    for article in articles:
        store.put_annotations("picked", article.id, [])


def _article(i: int, text: str | None = None) -> Article:
    body = text if text is not None else f"Article number {i} says something. It ends here."
    return Article(id=f"a{i:04d}", text=body, title=f"Title {i}", lang="en",
                   sentences=[Sentence(index=0, paragraph=0, lang="en", text=body, start=0, end=len(body))])


@pytest.fixture()
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    CALLS.clear()
    monkeypatch.setattr(pipeline, "STAGES", [("count", __name__, "counting"), ("picky", __name__, "picky")])


def _settings(**pipeline_keys: Any) -> Settings:
    return replace(Settings(), pipeline=replace(PipelineSettings(), **pipeline_keys))


def test_stage_gets_batches_not_the_whole_input(store: SQLiteStore, fake_stages: None) -> None:
    store.add_articles([_article(i) for i in range(23)])
    report = analyse(store, _settings(batch_size=5), only=["count"], progress=False)
    sizes = [len(c) for c in CALLS]
    assert sizes == [5, 5, 5, 5, 3]
    assert report.done == {"count": 23} and not report.failed
    assert store.pending("count") == [] and len(store.annotated_ids("seen")) == 23


def test_failing_article_is_isolated_recorded_and_skipped(store: SQLiteStore, fake_stages: None) -> None:
    articles = [_article(i) for i in range(16)]
    articles[11] = _article(11, "this one is bad for the stage. Really.")
    store.add_articles(articles)
    with pytest.warns(RuntimeWarning, match=r"picky stage failed on a batch of 8 articles \(ValueError: cannot digest a0011"):
        report = analyse(store, _settings(batch_size=8), only=["picky"], progress=False)
    assert report.done == {"picky": 15}
    assert list(report.failed["picky"]) == ["a0011"]
    assert "ValueError: cannot digest a0011" in report.failed["picky"]["a0011"]
    # bisection: the clean batch ran once, the other was split until the culprit stood alone
    assert sum(1 for c in CALLS if "a0011" in c) == 4 and len(CALLS) <= 8
    assert store.annotated_ids("picked") == {a.id for a in articles} - {"a0011"}
    failures = store.failed("picky")
    assert [(f["stage"], f["article_id"]) for f in failures] == [("picky", "a0011")]
    # later runs skip it: the stage is not called again, and nothing is pending
    CALLS.clear()
    again = analyse(store, _settings(batch_size=8), only=["picky"], progress=False)
    assert CALLS == [] and again.done == {"picky": 0} and again.skipped == {"picky": 1}
    assert store.pending("picky") == []


def test_retry_failed_runs_them_again(store: SQLiteStore, fake_stages: None) -> None:
    store.add_articles([_article(0), _article(1, "bad text here. Yes.")])
    with pytest.warns(RuntimeWarning, match="in halves"):
        analyse(store, _settings(), only=["picky"], progress=False)
    assert [f["article_id"] for f in store.failed("picky")] == ["a0001"]
    CALLS.clear()
    BAD.clear()  # the bug got fixed
    try:
        report = analyse(store, _settings(), only=["picky"], progress=False, retry_failed=True)
    finally:
        BAD.add("bad")
    assert CALLS == [["a0001"]] and report.done == {"picky": 1}
    assert store.failed() == [] and "a0001" in store.done_ids("picky")


def test_oversized_article_never_reaches_a_stage(store: SQLiteStore, fake_stages: None) -> None:
    line = "word " * 2_000_000  # the case: one 10 MB line without a sentence break
    store.add_articles([_article(0), _article(1, line)])
    report = analyse(store, Settings(), only=["count", "picky"], progress=False)
    assert all("a0001" not in call for call in CALLS)
    for stage in ("count", "picky"):
        assert report.failed[stage]["a0001"].startswith("too large for analysis: 10,000,000 characters")
        assert report.done[stage] == 1


def test_oversize_limits() -> None:
    cfg = PipelineSettings(max_chars=100, max_sentences=2, max_sentence_chars=30)
    assert oversize_reason(_article(0, "short. text."), cfg) is None
    assert "characters" in (oversize_reason(_article(0, "x" * 101), cfg) or "")
    many = replace(_article(0, "a. b. c."),
                   sentences=[Sentence(index=i, paragraph=0, text="a.", lang="en", end=2) for i in range(3)])
    assert "3 sentences" in (oversize_reason(many, cfg) or "")
    assert "a sentence of 40 characters" in (oversize_reason(_article(0, "y" * 40), cfg) or "")
    unsplit = replace(_article(0, "z" * 50), sentences=[])  # no sentences: the text is one
    assert "a sentence of 50" in (oversize_reason(unsplit, cfg) or "")
    assert oversize_reason(_article(0, "x" * 10_000), PipelineSettings(0, 0, 0, 0)) is None  # 0 = no limit


def hungry(articles: list[Article], store: Any, settings: Settings) -> None:
    for article in articles:
        if article.id == "a0002":
            raise MemoryError("Unable to allocate 9.54 GiB for an array")
        store.put_annotations("fed", article.id, [])


def test_memory_error_is_a_failure_not_a_crash(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", [("hungry", __name__, "hungry")])
    store.add_articles([_article(i) for i in range(5)])
    with pytest.warns(RuntimeWarning, match="hungry stage failed on a batch of 5 articles"):
        report = analyse(store, Settings(), progress=False)
    assert report.done == {"hungry": 4} and "MemoryError" in report.failed["hungry"]["a0002"]


def test_stage_that_cannot_be_imported_fails_loudly(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "STAGES", [("ghost", "echolot.no_such_stage", "process")])
    store.add_articles([_article(0)])
    with pytest.raises(StageUnavailable, match=r"echolot\.no_such_stage"):
        run_stages(store, Settings(), progress=False)
    monkeypatch.setattr(pipeline, "STAGES", [("nofn", __name__, "no_such_function")])
    with pytest.raises(StageUnavailable, match="no function"):
        run_stages(store, Settings(), progress=False)
    assert store.pending("ghost") == ["a0000"]  # nothing was marked


BARS: list[bool] = []  # the `progress` each call of `chatty` got


def chatty(articles: list[Article], store: Any, settings: Settings, progress: bool = True) -> None:
    BARS.append(progress)
    for article in articles:
        store.put_annotations("chatted", article.id, [])


@pytest.mark.parametrize("progress", [False, True])
def test_a_quiet_run_quiets_the_stages_own_bars(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch,
                                                  progress: bool) -> None:
    """A stage with a progress bar of its own (stories) gets `progress=False` in a quiet run; a loud run
    leaves its default."""
    BARS.clear()
    monkeypatch.setattr(pipeline, "STAGES", [("chat", __name__, "chatty")])
    store.add_articles([_article(i) for i in range(7)])
    analyse(store, _settings(batch_size=3), progress=progress)
    assert len(BARS) == 3 and set(BARS) == {progress}


def test_run_stages_keeps_its_return_shape(store: SQLiteStore, fake_stages: None) -> None:
    store.add_articles([_article(0)])
    assert run_stages(store, Settings(), progress=False) == {"count": 1, "picky": 1}
    assert run_stages(store, Settings(), progress=False) == {"count": 0, "picky": 0}


def test_big_line_article_and_the_real_reuse_stage(tmp_path: Path, store: SQLiteStore,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's case at the stage boundary: an article of one 10 MB line without a sentence
    break (as an older version stored it; ingest now truncates or rejects such input) beside a
    normal one. The real reuse stage (which would allocate ~2M shingles x 64 permutations in
    MinHash, and tokens x hidden units in the encoder) is never handed it, does not raise, and
    the store checks out."""
    import echolot.reuse.stage as reuse  # the module the stage loader takes `process` from
    from echolot.store.check import check

    seen: list[int] = []
    real = reuse.process

    def spy(articles: list[Article], store: Any, settings: Settings, **kw: Any) -> Any:
        seen.extend(len(a.text) for a in articles)
        return real(articles, store, settings, **kw)

    monkeypatch.setattr(reuse, "process", spy)
    line = ("wort " * 2_000_000)[:10_000_000]
    big = Article(id="big", text=line, lang="de",
                  sentences=[Sentence(index=0, paragraph=0, text=line, lang="de", end=len(line))])
    small = pipeline.prepare(RawDocument(origin="small.txt", body="Eine Meldung\n\nDer Sprecher sagte am Morgen,"
                                         " die Lage sei ruhig. Weitere Angaben folgen am Abend."), Settings())
    store.add_articles([big, small])
    settings = replace(Settings(home=tmp_path), encoder=replace(Settings().encoder, backend="hashing"))
    report = analyse(store, settings, only=["reuse"], progress=False)
    assert seen == [len(small.text)]
    assert report.done == {"reuse": 1}
    assert report.failed["reuse"]["big"].startswith("too large for analysis: 10,000,000 characters")
    result = check(store, stages=["reuse"])
    assert result.ok, result.text()
    assert [f["article_id"] for f in result.failed] == ["big"]


def locked(articles: list[Article], store: Any, settings: Settings) -> None:
    import sqlite3

    raise sqlite3.OperationalError("database is locked")


def test_store_errors_stop_the_run_and_mark_nothing(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    monkeypatch.setattr(pipeline, "STAGES", [("locked", __name__, "locked")])
    store.add_articles([_article(i) for i in range(3)])
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        analyse(store, Settings(), progress=False)
    assert store.failed() == [] and len(store.pending("locked")) == 3


BLAS_SEEN: list[int] = []  # BLAS thread counts the `blas_probe` stage saw


def blas_probe(articles: list[Article], store: Any, settings: Settings) -> None:
    from threadpoolctl import threadpool_info

    BLAS_SEEN.extend(int(lib["num_threads"]) for lib in threadpool_info() if lib.get("user_api") == "blas")


@pytest.mark.parametrize("threads", [1, 0])
def test_stages_run_under_the_blas_cap(store: SQLiteStore, monkeypatch: pytest.MonkeyPatch, threads: int) -> None:
    """`encoder.blas_threads` caps the BLAS threads while the stages run (0: the libraries' own count),
    and the cap ends with the run."""
    import numpy  # noqa: F401  (loads the BLAS library the cap acts on)
    from threadpoolctl import threadpool_info

    before = [int(lib["num_threads"]) for lib in threadpool_info() if lib.get("user_api") == "blas"]
    if not before:
        pytest.skip("numpy has no BLAS library threadpoolctl can see")
    BLAS_SEEN.clear()
    monkeypatch.setattr(pipeline, "STAGES", [("probe", __name__, "blas_probe")])
    store.add_articles([_article(1)])
    settings = replace(Settings(), encoder=replace(Settings().encoder, blas_threads=threads))
    analyse(store, settings, progress=False)
    seen = list(BLAS_SEEN)
    assert seen and (set(seen) == {1} if threads == 1 else seen == before)
    assert [int(lib["num_threads"]) for lib in threadpool_info() if lib.get("user_api") == "blas"] == before
