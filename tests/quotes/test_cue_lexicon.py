"""The learned cue lexicon (`quotes/cue_lexicon.py`): frame keys, precision look-ups, the extra cues."""
from __future__ import annotations

from typing import Any

import pytest

from echolot.quotes.cue_lexicon import CueLexicon, frame_content, frame_keys, lexicon_cues
from echolot.quotes.features import doc_info


def _tok(doc: Any, word: str) -> Any:
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(("text", "word", "first_key"), [
    ("She warned that prices would rise sharply.", "warned", "warn|V:that"),
    ("The senator vowed to fight the new tax.", "vowed", "vow|V:to"),
    ("Rubio took a shot at the governor on Sunday.", "took", "take|V:obj=shot+at"),
    ("His claim that the vote was rigged spread quickly.", "claim", "claim|N:that"),
    ("Prices will rise, according to the central bank.", "according", "according|to"),
])
def test_a_word_is_keyed_by_what_it_governs(english_nlp: Any, text: str, word: str, first_key: str) -> None:
    doc = english_nlp(text)
    assert frame_keys(_tok(doc, word))[0] == first_key


def test_light_verb_keys_back_off_from_object_and_preposition_to_any_object(english_nlp: Any) -> None:
    keys = frame_keys(_tok(english_nlp("Rubio took a shot at the governor on Sunday."), "took"))
    assert keys == ["take|V:obj=shot+at", "take|V:obj=shot", "take|V:obj"]


def test_a_word_that_governs_nothing_has_no_key_and_no_content(english_nlp: Any) -> None:
    doc = english_nlp("The senator slept.")
    assert frame_keys(_tok(doc, "slept")) == [] and frame_content(_tok(doc, "slept")) == []


def test_the_frame_content_needs_two_words(english_nlp: Any) -> None:
    doc = english_nlp("She warned that prices would rise sharply. He criticized Smith.")
    assert [doc[i].text for i in frame_content(_tok(doc, "warned"))][-3:] == ["would", "rise", "sharply"]
    assert frame_content(_tok(doc, "criticized")) == []  # one word: no statement to attribute


def test_the_most_specific_key_seen_often_enough_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    import echolot.quotes.cue_lexicon as module

    # the keys of "took a shot at", most specific first
    monkeypatch.setattr(module, "frame_keys", lambda tok: ["take|V:obj=shot+at", "take|V:obj=shot", "take|V:obj"])
    lexicon = CueLexicon({"take|V:obj=shot+at": (4, 5), "take|V:obj=shot": (4, 6), "take|V:obj": (10, 900)})
    tok = object()
    assert lexicon.precision(tok, 5) == (0.8, "take|V:obj=shot+at")
    assert lexicon.precision(tok, 6) == (4 / 6, "take|V:obj=shot")  # the rarer key is not trusted
    assert lexicon.precision(tok, 1000) == (0.0, None)
    # a specific key seen often and rarely a cue stops the look-up: no fall back to a likelier general key
    lexicon.counts["take|V:obj=shot+at"] = (0, 50)
    assert lexicon.precision(tok, 5) == (0.0, "take|V:obj=shot+at")


def test_extra_cues_only_where_the_taggers_took_none_outside_quotes_and_precise(english_nlp: Any) -> None:
    doc = english_nlp('Rubio took a shot at the Florida governor. He said "we took a shot at the rules there".'
                      " Jones warned that the plan would fail.")
    info = doc_info(doc)
    lexicon = CueLexicon({"take|V:obj=shot+at": (8, 10), "warn|V:that": (9, 10)})
    took, warned = _tok(doc, "took").i, _tok(doc, "warned").i
    found = lexicon_cues(doc, info, lexicon, set(), 0.5, 5)
    assert [(doc[i].text, p, key) for i, p, key in found] == [("took", 0.8, "take|V:obj=shot+at"),
                                                               ("warned", 0.9, "warn|V:that")]  # the quoted "took": no
    assert [i for i, _, _ in lexicon_cues(doc, info, lexicon, {warned}, 0.5, 5)] == [took]
    assert [i for i, _, _ in lexicon_cues(doc, info, lexicon, set(), 0.85, 5)] == [warned]
    assert lexicon_cues(doc, info, lexicon, set(), 0.5, 11) == []


def test_the_counts_come_from_gold_cue_heads_outside_quotes(english_nlp: Any) -> None:
    from echolot.training.quotes_lexicon import count

    text = "Smith warned that taxes would rise. Jones warned that it was late. Ann slept."
    doc = english_nlp(text)
    cue = text.index("warned")
    record = {"quotes": [{"cue": [cue, cue + 6], "content": [cue + 12, text.index(".")],
                          "source": [0, 5]}]}
    counts = count([doc], [record])
    assert counts["warn|V:that"] == (1, 2)
    assert not any(k.startswith("sleep|") for k in counts)  # a lemma never a cue is left out


def _extract_with(monkeypatch: pytest.MonkeyPatch, nlp: Any, text: str, counts: dict[str, tuple[int, int]],
                  context_precision: float = 2.0) -> Any:
    import echolot.quotes.cue_lexicon as module
    from echolot.quotes import english

    monkeypatch.setattr(module, "load", lambda model_dir: CueLexicon(counts))
    return english.extract_doc(nlp(text), tuned_weight=0.0, lexicon_min_precision=0.7, lexicon_min_count=5,
                               lexicon_context_precision=context_precision)


def test_a_learned_cue_needs_a_speaker_and_a_word_no_found_statement_holds(english_quote_models: Any,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A made-up lexicon where eating a thing is always a cue: the extractor adds the cue the taggers
    never take, with its speaker; not without a speaker, nor inside another cue's statement."""
    counts = {"eat|V:obj": (10, 10)}
    text = "Jones ate the cold pizza slowly."
    found = _extract_with(monkeypatch, english_quote_models, text, counts)
    learned = [a for a in found if a.extras.get("lexicon")]
    assert len(learned) == 1 and text[slice(*learned[0].cue)] == "ate"
    assert text[slice(*learned[0].source)] == "Jones" and "pizza" in text[slice(*learned[0].content_extent)]
    assert not [a for a in _extract_with(monkeypatch, english_quote_models, "The cold pizza was eaten there by noon.",
                                         counts) if a.extras.get("lexicon")]
    nested = _extract_with(monkeypatch, english_quote_models, "Smith said that Jones ate the cold pizza slowly.",
                           counts)
    assert nested and not [a for a in nested if a.extras.get("lexicon")]
    # below the precision the setting asks for: nothing added
    assert not [a for a in _extract_with(monkeypatch, english_quote_models, text, {"eat|V:obj": (6, 10)})
                if a.extras.get("lexicon")]


def test_the_trainer_writes_the_same_bytes_twice_and_a_record(english_nlp: Any, tmp_path: Any) -> None:
    import json

    from echolot.eval.splits import quotes_part
    from echolot.training.quotes_lexicon import train
    from echolot.training.record import read_record, stale_outputs

    ids = [f"lex-{k}" for k in range(200) if quotes_part(f"lex-{k}") == "train"][:2]
    text = "Smith warned that taxes would rise. Jones warned that it was late."
    cue = text.index("warned")
    rows = [{"id": i, "text": text, "quotes": [{"cue": [cue, cue + 6], "content": [cue + 12, text.index(".")]}]}
            for i in ids]
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    first = train(data, tmp_path / "a")
    train(data, tmp_path / "b")
    assert (tmp_path / "a" / "cue_lexicon.json").read_bytes() == (tmp_path / "b" / "cue_lexicon.json").read_bytes()
    counts = json.loads((tmp_path / "a" / "cue_lexicon.json").read_text(encoding="utf-8"))["counts"]
    assert counts["warn|V:that"] == [2, 4]
    assert stale_outputs(first) == [] and read_record(first).trainer == "quotes_lexicon"


def test_a_lower_floor_in_context_takes_clause_frames_only(english_quote_models: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`quotes.lexicon_context_precision`: a made-up lexicon where "eat" before a clause (as the parser reads
    "ate with the hunch that ...") and "eat" with an object are cues three times in ten; the lower floor
    takes the clause frame, not the object frame; off by default (2.0), nothing below the plain floor."""
    counts = {"eat|V:that": (3, 10), "eat|V:obj": (3, 10)}

    def learned(text: str, context_precision: float) -> list[str]:
        found = _extract_with(monkeypatch, english_quote_models, text, counts, context_precision)
        return [text[slice(*a.cue)] for a in found if a.extras.get("lexicon")]

    text = "Jones ate with the hunch that the cold pizza would never arrive."
    assert learned(text, 2.0) == []
    assert learned(text, 0.2) == ["ate"]
    assert learned(text, 0.4) == []  # below the lower floor too
    assert learned("Jones ate the cold pizza slowly.", 0.2) == []
