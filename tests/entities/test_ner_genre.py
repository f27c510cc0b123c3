"""German NER extras: the sentence-genre guesser and the optional feature groups (quotes, position)."""
from __future__ import annotations

from pathlib import Path

from echolot.entities.ner.crf import CRFTagger, Lexicon, sentence_features
from echolot.entities.ner.genre import GENRE_FILE, GenreModel
from echolot.training.ner_features import cross_fitted, fit_genre, train

PARL = [["Herr", "Präsident", ",", "die", "Kommission", "hat", "recht", "."],
        ["Wir", "im", "Parlament", "stimmen", "dem", "Bericht", "zu", "."],
        ["Frau", "Präsidentin", ",", "der", "Bericht", "der", "Kommission", "ist", "gut", "."]]
WIKI = [["Die", "Burg", "wurde", "1230", "erbaut", "."],
        ["Der", "Fluss", "mündet", "bei", "Bonn", "in", "den", "Rhein", "."],
        ["Die", "Kirche", "wurde", "1230", "im", "Stil", "der", "Gotik", "erbaut", "."]]


def test_genre_model_guesses_and_round_trips(tmp_path: Path) -> None:
    sentences = PARL * 3 + WIKI * 3
    genres = ["parl"] * 9 + ["wiki"] * 9
    model = fit_genre(sentences, genres, min_count=1)
    assert model.predict(["Herr", "Präsident", ",", "die", "Kommission"]) == "parl"
    assert model.predict(["Die", "Burg", "wurde", "erbaut"]) == "wiki"
    model.save(tmp_path / GENRE_FILE)
    again = GenreModel.load(tmp_path / GENRE_FILE)
    assert again.predict(["Die", "Burg", "wurde", "erbaut"]) == "wiki"
    guesses = cross_fitted(sentences, genres, folds=3)
    assert len(guesses) == len(sentences) and set(guesses) <= {"parl", "wiki"}


def test_extra_feature_groups_and_genre_conjunctions() -> None:
    tokens = ["Er", "las", "„", "Ecce", "homo", "“", "in", "Rom", "."]
    plain = sentence_features(tokens, Lexicon())
    extra = sentence_features(tokens, Lexicon(), extras=frozenset({"quotes", "position"}), genre="wiki")
    assert "inq" not in plain[3] and "g" not in plain[3]
    assert extra[3]["inq"] == 1.0 and extra[3]["qopen"] == 1.0 and "inq" in extra[4] and "inq" not in extra[7]
    assert extra[7]["tmid"] == 1.0 and "tmid" not in extra[0] and "kn0" in extra[0]
    assert extra[7]["g"] == "wiki" and extra[7]["g|w"] == "wiki|rom"


def test_crf_with_genre_and_extras_saves_and_loads_them(tmp_path: Path) -> None:
    data = [[(w, "B-ORG" if w == "Kommission" else "O") for w in s] for s in PARL]
    data += [[(w, "B-LOC" if w in {"Bonn", "Rhein"} else "O") for w in s] for s in WIKI]
    train(data * 3, tmp_path / "m", iterations=30, folds=2, genres=(["parl"] * 3 + ["wiki"] * 3) * 3,
          extras=("quotes", "position"))
    tagger = CRFTagger(tmp_path / "m")
    assert tagger.genre is not None and tagger.extras == {"quotes", "position"}
    assert tagger.tag(["Der", "Fluss", "mündet", "bei", "Bonn", "."])[4] == "B-LOC"
    train(data, tmp_path / "m", iterations=5, folds=2)  # retraining without them drops both
    tagger = CRFTagger(tmp_path / "m")
    assert tagger.genre is None and tagger.extras == frozenset()
    assert not (tmp_path / "m" / GENRE_FILE).exists()
