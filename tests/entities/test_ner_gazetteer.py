"""German NER name lists (ner/gazetteer.py): folding, longest multi-word match, features, model round trip."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.entities.ner.crf import CRFTagger, Lexicon, sentence_features
from echolot.entities.ner.gazetteer import GAZETTEER_FILE, Gazetteer, fold
from echolot.training.ner_features import train

ENTRIES = [("PF", "Torsten"), ("PL", "Frings"), ("CITY", "Immenstadt"), ("CITY", "Immenstadt im Allgäu"),
           ("REGION", "Sri Lanka"), ("CITY", "Zürich")]


def test_fold_and_longest_match() -> None:
    assert fold("Zürich") == "zurich" and fold("Straße") == "strasse"
    gaz = Gazetteer(ENTRIES)
    assert gaz.single["zurich"] == {"CITY"} and "Zürich" in gaz.exact
    tokens = ["in", "Immenstadt", "im", "Allgäu", "und", "Sri", "Lanka"]
    assert gaz.spans([fold(t) for t in tokens]) == ["", "B-CITY", "I-CITY", "I-CITY", "", "B-REGION", "I-REGION"]


def test_gazetteer_file_round_trip_is_reproducible(tmp_path: Path) -> None:
    Gazetteer.save(tmp_path / "a.gz", ENTRIES)
    Gazetteer.save(tmp_path / "b.gz", reversed(ENTRIES))
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes()
    assert Gazetteer.load(tmp_path / "a.gz").multi == Gazetteer(ENTRIES).multi


def test_gazetteer_features_only_when_given() -> None:
    tokens = ["Torsten", "Frings", "kam", "aus", "ZURICH", "."]
    plain = sentence_features(tokens, Lexicon())
    feats = sentence_features(tokens, Lexicon(), gazetteer=Gazetteer(ENTRIES))
    assert not any(k.startswith("gz") for k in plain[0])
    assert feats[0]["gzl=PF"] == 1.0 and feats[0]["gzx"] == 1.0 and feats[1]["-1:gzc"] == "PF"
    assert feats[4]["gzl=CITY"] == 1.0 and "gzx" not in feats[4]  # folded match, case differs
    assert "gzl=PL" not in sentence_features(["frings"], Lexicon(), gazetteer=Gazetteer(ENTRIES))[0]


def test_crf_with_gazetteer_saves_and_needs_it(tmp_path: Path) -> None:
    Gazetteer.save(tmp_path / GAZETTEER_FILE, ENTRIES)
    data = [[("Torsten", "B-PER"), ("Frings", "I-PER"), ("kam", "O"), ("aus", "O"), ("Zürich", "B-LOC")],
            [("Das", "O"), ("ist", "O"), ("gut", "O"), (".", "O")]] * 5
    train(data, tmp_path / "m", iterations=20, folds=2, extras=("gazetteer",), gazetteer=tmp_path / GAZETTEER_FILE)
    tagger = CRFTagger(tmp_path / "m")
    assert tagger.gazetteer is not None and (tmp_path / "m" / GAZETTEER_FILE).is_file()
    assert tagger.tag(["Torsten", "Frings", "kam"])[:2] == ["B-PER", "I-PER"]
    train(data, tmp_path / "m", iterations=5, folds=2)  # retraining without the group drops the file
    assert CRFTagger(tmp_path / "m").gazetteer is None and not (tmp_path / "m" / GAZETTEER_FILE).exists()
    with pytest.raises(FileNotFoundError):
        train(data, tmp_path / "n", iterations=5, folds=2, extras=("gazetteer",))


def test_fold_of_plain_ascii_is_the_decomposed_form() -> None:
    """The ASCII fast path gives what the NFKD route gives (nothing to strip in ASCII)."""
    import string
    import unicodedata

    def decomposed(token: str) -> str:
        low = token.lower().replace("ß", "ss")
        return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))

    samples = [string.printable, "MÜNCHEN", "Muenchen", "O'Neill", "EU-27", "", "São Paulo", "ﬁnal", "Ⅻ"]
    for token in [*samples, *string.printable]:
        assert fold(token) == decomposed(token), token
