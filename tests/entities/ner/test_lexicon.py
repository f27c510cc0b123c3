"""simplemma's word lists read from their index on disk give simplemma's own answers (issue 12)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

factory_module = pytest.importorskip("simplemma.strategies.dictionaries.dictionary_factory")

from echolot.entities.ner import lexicon  # noqa: E402

WORDS = ("houses", "house", "went", "Houses", "better", "ran", "running", "Merkel", "xqzzv", "", "naïve", "children")


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    return tmp_path


def test_index_answers_as_the_decoded_list(home: Path) -> None:
    own = factory_module.MappingStrToByteString(factory_module._load_dictionary_from_disk("en"))
    words = lexicon._open_index("en")
    assert lexicon.index_path("en").is_relative_to(home)
    assert len(words) == len(own)
    sample = [k for i, k in enumerate(own) if i % 997 == 0]
    for key in (*WORDS, *sample):
        assert words.get(key) == own.get(key), key
        assert (key in words) == (key in own)
    assert words.get("xqzzv", "-") == "-"
    with pytest.raises(KeyError):
        words["xqzzv"]
    assert sorted(words)[:50] == sorted(own)[:50]


def test_unsupported_language_raises_value_error_as_simplemma_does(home: Path) -> None:
    with pytest.raises(ValueError):
        lexicon.index_path("zz")


def _answers(factory: Any, words: tuple[str, ...], lang: str) -> list[tuple[bool, str]]:
    """(known, lemma) of each word by a fresh lemmatizer over `factory` (no result cached from elsewhere)."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy

    lookup = DictionaryLookupStrategy(factory)
    lemmatizer = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
    return [(lookup.get_lemma(w, lang) is not None, lemmatizer.lemmatize(w, lang)) for w in words if w]


def test_install_keeps_every_answer_of_simplemma(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    words = (*WORDS, "Häuser", "ging", "Kinder", "Straßen", "Bundeskanzlerin", "Zielonka")
    decoded = factory_module.DefaultDictionaryFactory()
    expected = {lang: _answers(decoded, words, lang) for lang in ("en", "de")}
    factory = factory_module.DEFAULT_DICTIONARY_FACTORY
    monkeypatch.setattr(factory, "_get_dictionary", factory._get_dictionary)  # restored after the test
    monkeypatch.setattr(lexicon, "_INSTALLED", False)
    assert lexicon.install() and lexicon.installed()
    assert isinstance(factory.get_dictionary("en"), lexicon.IndexedWords)
    assert {lang: _answers(factory, words, lang) for lang in ("en", "de")} == expected
    with pytest.raises(ValueError):
        factory.get_dictionary("zz")


def test_an_index_that_cannot_be_built_falls_back_to_the_decoded_list(home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(lang: str, path: Path) -> None:
        raise OSError("read-only data dir")

    monkeypatch.setattr(lexicon, "_build", refuse)
    own = factory_module.DefaultDictionaryFactory()._get_dictionary_uncached
    words = lexicon._indexed_or_own("en", own)
    assert not isinstance(words, lexicon.IndexedWords)
    assert words.get("houses") == "house"


def test_a_damaged_index_is_built_again(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    lexicon._open_index("en")
    path = lexicon.index_path("en")
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)
    own = factory_module.DefaultDictionaryFactory()._get_dictionary_uncached
    with caplog.at_level("WARNING"):
        words = lexicon._indexed_or_own("en", own)
    assert isinstance(words, lexicon.IndexedWords) and words.get("houses") == "house"
    assert path.stat().st_size == size
    assert any("damaged" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)


def test_build_index_prepares_a_language_and_refuses_one_without_a_list(home: Path) -> None:
    """`build_index` is what a driver calls before timed work: it leaves the index file in the data dir,
    and a language simplemma has no list for raises ValueError as simplemma does."""
    path = lexicon.build_index("de")
    assert path.is_file() and path.stat().st_size > 0 and home in path.parents
    with pytest.raises(ValueError):
        lexicon.build_index("xx")
