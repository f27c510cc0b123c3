"""NER contract: spans are sorted, typed, non-overlapping; unsupported languages give []; helpers round-trip."""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.entities import ner
from echolot.entities.ner.clusters import WordClusters
from echolot.entities.ner.crf import CLUSTERS_FILE, CRFTagger, Lexicon, shape
from echolot.entities.ner.data import read_conll, write_conll
from echolot.entities.ner.wordtype import CLASSES, WordTypes, fold_of
from echolot.eval.splits import ner_is_dev
from echolot.training.ner import split_dev
from echolot.training.ner_features import build_lexicon, external_names, fit_word_types, train
from echolot.entities.ner.tokens import (
    bio_to_spans, char_spans_to_bio, clean_spans, group_sentences, join_tokens, spans_to_bio, tokenize,
)

SAMPLES = {
    "de": ("Die Bundeskanzlerin Angela Merkel sprach am Dienstag in Hamburg mit Vertretern "
           "von Siemens und der Europäischen Union.\nDanach reiste sie nach Paris.", "Angela Merkel", "Paris"),
    "en": ("Prime Minister Boris Johnson visited Toyota's factory in Derby on Tuesday, "
           "the BBC reported.\nHe then flew to Paris.", "Boris Johnson", "Paris"),
    "ru": ("Президент России Владимир Путин провёл в Кремле встречу с руководством "
           "Газпрома.\nЗатем он вылетел в Париж.", "Владимир Путин", "Париж"),
}


def _check_contract(text: str, spans: list[tuple[int, int, str]]) -> None:
    assert spans == sorted(spans)
    for (a, b, typ), nxt in zip(spans, spans[1:] + [(len(text), len(text), "PER")]):
        assert 0 <= a < b <= nxt[0], (a, b, nxt)
        assert typ in ner.TYPES
        assert text[a:b] == text[a:b].strip()


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_recognize_finds_person_and_keeps_contract(lang: str) -> None:
    text, person, city = SAMPLES[lang]
    assert ner.supports(lang)
    spans = ner.recognize(text, lang)
    _check_contract(text, spans)
    found = {(text[a:b], typ) for a, b, typ in spans}
    assert (person, "PER") in found, found
    assert (city, "LOC") in found, found


def test_language_variants_and_detection() -> None:
    text, person, _city = SAMPLES["en"]
    assert ner.recognize(text, "EN-gb") == ner.recognize(text, "en")
    detected = ner.recognize(text, None)
    assert (person, "PER") in {(text[a:b], t) for a, b, t in detected}


@pytest.mark.parametrize("lang", ["zh", "xx", "", None])
def test_unsupported_language_gives_nothing(lang: str | None) -> None:
    if lang is not None:
        assert not ner.supports(lang)
    assert ner.recognize("Emmanuel Macron est à Paris.", lang or "xx") == []
    assert ner.recognize_tokens(["Emmanuel", "Macron"], lang or "xx") == ["O", "O"]


@pytest.mark.parametrize("text", ["", "   \n ", "...", "1234 5678", "\u200b\u200b"])
def test_odd_input_does_not_crash(text: str) -> None:
    for lang in ("de", "en", "ru"):
        spans = ner.recognize(text, lang)
        _check_contract(text, spans)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_recognize_tokens_gives_valid_bio(lang: str) -> None:
    text, person, _city = SAMPLES[lang]
    tokens = [text[a:b] for a, b in tokenize(text.split("\n")[0])]
    tags = ner.recognize_tokens(tokens, lang)
    assert len(tags) == len(tokens)
    for i, tag in enumerate(tags):
        assert tag == "O" or (tag[:2] in ("B-", "I-") and tag[2:] in ner.TYPES)
        if tag.startswith("I-"):
            assert i > 0 and tags[i - 1][2:] == tag[2:]
    names = {" ".join(tokens[a:b]) for a, b, typ in bio_to_spans(tags) if typ == "PER"}
    assert person in names
    assert ner.recognize_sentences([tokens, []], lang) == [tags, []]


def test_tokenize_offsets_and_sentences() -> None:
    text = "Dr. Müller kam am 5. Mai 2023 nach Baden-Baden. Die U.S. Army blieb.\nNeue Zeile"
    offsets = tokenize(text)
    tokens = [text[a:b] for a, b in offsets]
    assert "Baden-Baden" in tokens and "U.S." in tokens and "2023" in tokens
    ranges = group_sentences(tokens, [a for a, _ in offsets], text)
    sentences = [" ".join(tokens[a:b]) for a, b in ranges]
    assert sentences[-1] == "Neue Zeile"
    assert any(s.startswith("Die U.S. Army") for s in sentences)
    assert not any(s.startswith("Mai") for s in sentences)  # "5." is an ordinal, not a sentence end


def test_bio_span_helpers_round_trip() -> None:
    tags = ["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "B-ORG", "I-MISC"]
    spans = bio_to_spans(tags)
    assert spans == [(0, 2, "PER"), (3, 4, "LOC"), (4, 5, "LOC"), (5, 6, "ORG"), (6, 7, "MISC")]
    assert spans_to_bio(7, spans) == ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "B-ORG", "B-MISC"]
    text, offsets = join_tokens(["Wladimir", "Putin", "in", "Moskau"])
    assert char_spans_to_bio(offsets, [(0, 14, "PER"), (18, 22, "LOC")]) == ["B-PER", "I-PER", "O", "B-LOC"]
    assert text[18:22] == "Mosk"
    assert clean_spans([(0, 5, "PER"), (2, 9, "ORG"), (9, 12, "LOC"), (3, 3, "PER"), (1, 2, "DATE")]) == [
        (2, 9, "ORG"), (9, 12, "LOC")]


def test_split_is_deterministic_and_about_a_fifth() -> None:
    sentences = [[(f"w{i}", "O"), (str(i * 7), "O")] for i in range(2000)]
    train_part, held = split_dev(sentences)
    assert len(train_part) + len(held) == 2000
    assert 0.16 < len(held) / 2000 < 0.24
    assert all(ner_is_dev([t for t, _ in s]) for s in held)
    assert split_dev(sentences) == (train_part, held)


def test_conll_round_trip(tmp_path: Path) -> None:
    sentences = [[("Anna", "B-PER"), ("lacht", "O")], [("Köln", "B-LOC")]]
    write_conll(tmp_path / "x.conll", sentences)
    assert read_conll(tmp_path / "x.conll") == sentences


def test_lexicon_features() -> None:
    data = [[("Die", "O"), ("Firma", "O"), ("Zentex", "B-ORG"), ("wächst", "O")],
            [("Anna", "B-PER"), ("Zentex", "I-PER"), ("sagt", "O"), ("die", "O"), ("Wahrheit", "O")]]
    lex = build_lexicon(data)
    assert lex.types["zentex"] == ["B-ORG", "I-PER"]
    assert "die" in lex.lower and "firma" not in lex.lower
    assert Lexicon.from_json(lex.to_json()).types == lex.types
    assert shape("Merkel") == "Xx" and shape("EU-27") == "X-d"
    names = external_names([[("The", "O"), ("Acme", "B-ORG"), ("Corp", "I-ORG")], [("The", "B-MISC")]])
    assert names == {"acme": ["ORG"], "corp": ["ORG"]}


def test_crf_trains_and_generalises_on_toy_data(tmp_path: Path) -> None:
    first = ["Anna", "Boris", "Clara", "David", "Emil", "Frieda", "Gustav", "Hanna"]
    cities = ["Aachen", "Bonn", "Celle", "Dessau", "Essen", "Fulda", "Gera", "Hof"]
    data = []
    for i, (name, city) in enumerate(zip(first, cities)):
        data.append([(name, "B-PER"), ("Berger", "I-PER"), ("wohnt", "O"), ("in", "O"), (city, "B-LOC"), (".", "O")])
        data.append([("Gestern", "O"), ("fuhr", "O"), (first[i - 1], "B-PER"), ("nach", "O"), (city, "B-LOC"), (".", "O")])
    info = train(data * 3, tmp_path / "m", iterations=60, folds=2)
    assert info["model_bytes"] > 0
    tagger = CRFTagger(tmp_path / "m")
    assert tagger.tag(["Clara", "Berger", "wohnt", "in", "Hof", "."]) == ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    assert tagger.tag([]) == []


SHIPPED_CLUSTERS = ner.MODELS_DIR / "de" / CLUSTERS_FILE


def test_word_clusters_group_names_of_a_kind() -> None:
    clusters = WordClusters(SHIPPED_CLUSTERS)
    assert SHIPPED_CLUSTERS.stat().st_size < 1_500_000
    ids = {w: clusters.ids(w) for w in ("Paris", "Frankreich", "Berlin", "Hamburg", "und", "gehen")}
    assert set(ids["Paris"]) == {"c32", "c128", "c1024"}
    assert ids["Paris"]["c128"] == ids["Frankreich"]["c128"]
    assert ids["Berlin"]["c128"] == ids["Hamburg"]["c128"]
    assert ids["Berlin"]["c1024"] != ids["und"]["c1024"] != ids["gehen"]["c1024"]
    assert clusters.ids("Paris") == ids["Paris"]  # cached, stable
    assert clusters.ids("") == {}


def _toy_word_types() -> tuple[list, list]:
    german = [[(city, "B-LOC"), ("liegt", "O"), ("am", "O"), ("Fluss", "O")]
              for city in ("Berlin", "Hamburg", "München", "Dresden", "Leipzig", "Bremen")]
    german += [[(name, "B-PER"), ("sagt", "O"), ("nein", "O")] for name in ("Schmidt", "Müller", "Meier", "Becker")]
    english = [[(city, "B-LOC"), ("is", "O"), ("big", "O")] for city in ("London", "Paris", "Madrid", "Rome")]
    english += [[("Mr", "O"), (name, "B-PER")] for name in ("Smith", "Johnson", "Brown")]
    return german, english


def test_word_type_prior_generalises_and_round_trips(tmp_path: Path) -> None:
    german, english = _toy_word_types()
    mean = WordClusters(SHIPPED_CLUSTERS).mean
    prior = fit_word_types(german, english, mean, folds=3)
    probs = prior.probs(["Stuttgart", "Wasser", "schreibt"])
    assert probs.shape == (3, len(CLASSES))
    assert abs(float(probs.sum()) - 3.0) < 1e-4
    loc = CLASSES.index("LOC")
    assert probs[0, loc] > probs[1, loc] and probs[0, loc] > probs[2, loc]
    prior.save(tmp_path / "wt.npz")
    again = WordTypes.load(tmp_path / "wt.npz")
    assert abs(again.probs(["Stuttgart"])[0, loc] - probs[0, loc]) < 0.01
    assert again.features(["Stuttgart"])[0]["wt"] == prior.features(["Stuttgart"])[0]["wt"]
    # cross-fitting: a training word gets the prior of the model that did not see its fold
    fold = fold_of("Berlin", 3)
    crossed = prior.features(["Berlin"], cross_fit=True)[0]
    expected = prior.probs(["Berlin"], fold)[0]
    assert crossed["wt"] == CLASSES[int(expected.argmax())]


def test_crf_with_clusters_and_prior_saves_and_loads_them(tmp_path: Path) -> None:
    german, english = _toy_word_types()
    prior = fit_word_types(german, english, WordClusters(SHIPPED_CLUSTERS).mean, folds=3)
    train(german * 3, tmp_path / "m", iterations=40, folds=2, clusters=SHIPPED_CLUSTERS, word_types=prior)
    assert (tmp_path / "m" / CLUSTERS_FILE).is_file()
    tagger = CRFTagger(tmp_path / "m")
    assert tagger.clusters is not None and tagger.word_types is not None
    assert tagger.tag(["Hamburg", "liegt", "am", "Fluss"]) == ["B-LOC", "O", "O", "O"]
    train(german, tmp_path / "m", iterations=5, folds=2)  # retraining without them removes the files
    assert CRFTagger(tmp_path / "m").clusters is None
