"""The trained English taggers on hand-written sentences (skipped when weights or spaCy are missing)."""
from __future__ import annotations

import pytest

from echolot.quotes import english


@pytest.fixture(scope="module")
def extract():  # type: ignore[no-untyped-def]
    if not english.models_available():
        pytest.skip("English quote models not trained (scripts/train_quotes_crf.py)")
    try:
        english.load_nlp()
    except OSError:
        pytest.skip("no English spaCy model")

    def run(text: str) -> list[tuple[str | None, str | None, str]]:
        out = []
        for a in english.extract(text):
            src = text[a.source[0]:a.source[1]] if a.source else None
            cue = text[a.cue[0]:a.cue[1]] if a.cue else None
            out.append((src, cue, " ".join(text[s:e] for s, e in a.content)))
        return out
    return run


def test_indirect_speech_with_that(extract) -> None:  # type: ignore[no-untyped-def]
    text = "The senator said that the bill would fail in the House next week."
    (src, cue, content), *_ = extract(text)
    assert src == "The senator" and cue and "said" in cue
    assert "the bill would fail" in content


def test_direct_quote_after_content(extract) -> None:  # type: ignore[no-untyped-def]
    text = "“We will not back down from this fight,” the governor told reporters on Monday."
    got = extract(text)
    assert any(src and "governor" in src and "We will not back down" in content for src, _, content in got)


def test_according_to(extract) -> None:  # type: ignore[no-untyped-def]
    text = "According to the campaign, the rally drew more than ten thousand people."
    got = extract(text)
    assert any(src and "campaign" in src and "rally drew" in content for src, _, content in got)


def test_offsets_refer_to_the_input_text(extract) -> None:  # type: ignore[no-untyped-def]
    text = "  Smith said\u00a0that  the   plan   was dead.\n\nJones disagreed."
    for a in english.extract(text):
        for s, e in a.content:
            assert text[s:e].strip() == text[s:e] and e <= len(text)


def test_parse_fallback_reads_complement_and_subject() -> None:
    """When the role tagger labels nothing, the cue's clausal complement and subject stand in."""
    try:
        nlp = english.load_nlp()
    except OSError:
        pytest.skip("no English spaCy model")
    text = "The governor believes that the new tax plan will hurt small farmers."
    doc = nlp(text)
    cue_i = next(t.i for t in doc if t.lemma_ == "believe")
    content, source = english._parse_roles(doc, cue_i)
    assert doc[content[0]].text == "the" and "farmers" in {doc[i].text for i in content}
    assert "that" not in {doc[i].text for i in content}
    assert {doc[i].text for i in source} == {"The", "governor"}


def test_parse_fallback_rejects_one_word_complements() -> None:
    try:
        nlp = english.load_nlp()
    except OSError:
        pytest.skip("no English spaCy model")
    doc = nlp("She said nothing.")
    cue_i = next(t.i for t in doc if t.lemma_ == "say")
    content, _ = english._parse_roles(doc, cue_i)
    assert content == []
