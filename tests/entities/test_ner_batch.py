"""The speed paths of NER and the stage give exactly what the plain paths give."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from echolot.entities import ner
from echolot.entities.ner import batch
from echolot.entities.ner.crf import Lexicon, _assemble, _word_features, sentence_features, stringify
from echolot.entities.stage import _mention_record, process
from echolot.model import Article, Mention
from echolot.settings import Settings
from echolot.store import SQLiteStore
from echolot.text import annotate

TEXTS = [
    ("Die Bundeskanzlerin Angela Merkel sprach am Dienstag in Hamburg mit Vertretern von Siemens. "
     "Danach reiste sie nach Paris.", "de"),
    ("Prime Minister Boris Johnson visited Toyota's factory in Derby on Tuesday. He then flew to Paris.", "en"),
    ("Президент России Владимир Путин провёл в Кремле встречу с руководством Газпрома.", "ru"),
    ("Wladimir Putin traf Kassym-Schomart Tokajew in Almaty.", "de"),
    ("Prime Minister Boris Johnson visited Toyota's factory in Derby on Tuesday. He then flew to Paris.", "en"),
    ("   ", "en"),
    ("", "de"),
    ("Something in a language without a tagger.", "tlh"),
    ("Angela Merkel met Emmanuel Macron in Berlin on Monday.", None),
]


def test_recognize_many_gives_what_recognize_gives_per_text() -> None:
    assert batch.recognize_many(TEXTS) == [ner.recognize(text, lang) for text, lang in TEXTS]


def test_recognize_many_splits_long_runs_into_calls_with_the_same_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "SENTENCES_PER_CALL", 1)
    assert batch.recognize_many(TEXTS) == [ner.recognize(text, lang) for text, lang in TEXTS]


def test_sentence_memo_tags_each_sentence_once_and_survives_a_restart(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [ner.recognize(text, lang) for text, lang in TEXTS]
    memo: batch.SentenceMemo = {}
    assert batch.recognize_many(TEXTS, memo) == expected
    assert len(memo) == len({k for k in memo})  # one entry per distinct (language, sentence)
    assert sum(1 for code, _ in memo if code == "en") == 2  # the repeated English text: its two sentences once
    calls: list[int] = []
    tagger = ner._tagger("de")
    real = tagger.tag_many

    def counting(sentences: list[list[str]]) -> list[list[str]]:
        calls.append(len(sentences))
        return real(sentences)

    monkeypatch.setattr(tagger, "tag_many", counting)
    assert batch.recognize_many(TEXTS, memo) == expected
    assert calls == []  # every German sentence came from the memo
    monkeypatch.setattr(batch, "MEMO_SENTENCES", 1)  # full: the memo restarts and still answers everything
    assert batch.recognize_many(TEXTS, memo) == expected


def test_tagging_every_repeat_gives_the_same_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "DEDUPE", False)
    memo: batch.SentenceMemo = {}
    assert batch.recognize_many(TEXTS, memo) == [ner.recognize(text, lang) for text, lang in TEXTS]
    assert memo == {}


def test_a_failing_batched_call_falls_back_to_text_by_text(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [ner.recognize(text, lang) for text, lang in TEXTS]

    def broken(code: str, paragraphs: list[Any]) -> list[Any]:
        raise RuntimeError("a tagger that fails on a batch")

    monkeypatch.setattr(batch, "_tag", broken)
    assert batch.recognize_many(TEXTS) == expected


def _naive(own: list[dict[str, Any]], ctx: list[dict[str, Any]], base: list[str] | None) -> list[dict[str, Any]]:
    """The window assembly as written before `_assemble`: stringify each assembled dict."""
    from echolot.entities.ner.crf import _base_features

    out = []
    n = len(own)
    for i in range(n):
        feats: dict[str, Any] = dict(own[i])
        feats["bias"] = 1.0
        if i == 0:
            feats["BOS"] = True
        if i == n - 1:
            feats["EOS"] = True
        for d in (-2, -1, 1, 2):
            if 0 <= i + d < n:
                for k, v in ctx[i + d].items():
                    feats[f"{d}:{k}"] = v
        if i > 0:
            feats["bi-1"] = ctx[i - 1]["w"] + "|" + own[i]["w"]
        if i + 1 < n:
            feats["bi+1"] = own[i]["w"] + "|" + ctx[i + 1]["w"]
        if base is not None:
            _base_features(feats, base, i)
        out.append(stringify(feats))
    return out


@pytest.mark.parametrize("base", [None, ["B-PER", "I-PER", "O", "B-LOC"]])
def test_assemble_equals_stringifying_every_assembled_dict(base: list[str] | None) -> None:
    words = ["Angela", "Merkel", "in", "Hamburg"]
    own = [{"w": w.lower(), "title": w[:1].isupper(), "upper": False, "len": len(w) // 3, "er": -1,
            "cx:B-PER": "3", "p": 0.5} for w in words]
    ctx = [{"w": w.lower(), "title": w[:1].isupper(), "lowseen": i == 2, "er": i, "cx": "O"}
           for i, w in enumerate(words)]
    got, want = _assemble(own, ctx, base), _naive(own, ctx, base)
    assert got == want
    assert [list(g) for g in got] == [list(w) for w in want]  # keys in the same order too
    for n in (0, 1):
        assert _assemble(own[:n], ctx[:n], None) == _naive(own[:n], ctx[:n], None)


def test_word_feature_memo_hands_out_copies_equal_to_fresh_features() -> None:
    lex = Lexicon(types={"merkel": ["B-PER"]}, lower={"in"}, ent_rate={"merkel": 4})
    tokens = ["Angela", "Merkel", "in", "Merkel-Land", "Merkel"]
    fresh = _word_features(tokens, lex)
    lex.memo = {}
    first = _word_features(tokens, lex)
    first[0][1]["changed"] = True  # a sentence's feature groups extend the dicts they get
    second = _word_features(tokens, lex)
    assert first[0][0] == fresh[0][0] and second == fresh
    assert set(lex.memo) == set(tokens)
    assert sentence_features(tokens, lex) == sentence_features(tokens, Lexicon(
        types=lex.types, lower=lex.lower, ent_rate=lex.ent_rate))


def test_mention_record_is_asdict() -> None:
    mention = Mention(article_id="a", text="Angela Merkel", type="PER", start=3, end=16, lang="de", entity_id=None)
    assert _mention_record(mention) == asdict(mention)
    assert list(_mention_record(mention)) == list(asdict(mention))


def test_stage_batched_ner_writes_the_mentions_of_per_paragraph_ner(tmp_path: Path) -> None:
    texts = [text for text, lang in TEXTS if lang in ("de", "en", "ru")]
    articles = [annotate(Article(id=f"a{i}", text=f"{text}\n\n{text[::-1][:40]}\n\n{text}"))
                for i, text in enumerate(texts)]
    found = []
    for name, recognizer in (("batched", None), ("plain", ner.recognize)):
        store = SQLiteStore(tmp_path / f"{name}.db")
        store.add_articles(articles)
        process(articles, store, Settings(home=tmp_path), recognizer=recognizer, progress=False)
        found.append([(m["start"], m["end"], m["type"], m["text"])
                      for a in articles for m in store.annotations("mentions", a.id)])
        store.close()
    assert found[0] == found[1]
    assert found[0]
