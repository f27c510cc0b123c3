"""The trained English taggers on hand-written sentences (skipped when weights or spaCy are missing)."""
from __future__ import annotations

import pytest

from echolot.quotes import english


@pytest.fixture(scope="module")
def extract(english_quote_models):  # type: ignore[no-untyped-def]

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


def _nlp():  # type: ignore[no-untyped-def]
    try:
        return english.load_nlp()
    except OSError:
        pytest.skip("no English spaCy model")


def test_parse_fallback_takes_a_topic_preposition_object() -> None:
    doc = _nlp()("Comey talked about health care reform.")
    cue_i = next(t.i for t in doc if t.lemma_ == "talk")
    content, source = english._parse_roles(doc, cue_i)
    assert {doc[i].text for i in content} == {"health", "care", "reform"}
    assert {doc[i].text for i in source} == {"Comey"}


def test_colon_at_paragraph_end_introduces_the_next_paragraph() -> None:
    from echolot.quotes.features import doc_info

    text = "Cruz continued:\n\n\u201cYou look at the questions. Nobody wants this.\u201d\n\nThe debate ended."
    doc = _nlp()(text)
    cue_i = next(t.i for t in doc if t.lower_ == "continued")
    got = " ".join(doc[i].text for i in english._colon_content(doc, doc_info(doc), cue_i))
    assert "You look at the questions" in got and "Nobody wants this" in got
    assert "debate" not in got


def test_a_quotation_cut_by_the_window_is_completed() -> None:
    from echolot.quotes.features import doc_info

    text = ("The senator spoke on Monday. \u201cThe plan is dead. We will fight it. Nobody wants it. "
            "It is over.\u201d Then she left.")
    doc = _nlp()(text)
    info = doc_info(doc)
    first = [t.i for t in doc if info.quote_of[t.i] >= 0 and info.sent_of[t.i] == info.sent_of[
        next(u.i for u in doc if u.text == "plan")]]
    window_end = info.sents[info.sent_of[first[-1]]].end
    got = {doc[i].text for i in english._complete_quotes(doc, info, first, 0, window_end)}
    assert {"fight", "Nobody", "over"} <= got and "left" not in got


def test_drop_duplicates_keeps_the_surer_cue() -> None:
    from echolot.quotes.spans import Attribution

    text = "Smith said the plan is dead and buried, telling reporters the plan is dead."
    a = Attribution(content=[(11, 39)], confidence=0.9)
    b = Attribution(content=[(15, 31)], confidence=0.4)  # "plan is dead and": most of a's words
    c = Attribution(content=[(58, 74)], confidence=0.5)  # the same words elsewhere: another statement
    kept = english.drop_duplicates([a, b, c], text, 0.5)
    assert a in kept and c in kept and b not in kept
    assert english.drop_duplicates([a, b, c], text, 1.1) == [a, b, c]


def test_a_sentence_with_its_own_cue_is_not_another_cues_content(extract) -> None:  # type: ignore[no-untyped-def]
    text = ("\u201cWe don't want them in our country,\u201d Trump said on Monday. He added, \u201cOnly "
            "people who love our country should come here.\u201d")
    got = extract(text)
    said = [content for _, cue, content in got if cue and "said" in cue]
    assert said and all("love our country" not in content for content in said)


def test_a_coordinated_cue_keeps_its_own_statement() -> None:
    doc = _nlp()("The minister said the talks had failed and insisted that new sanctions would follow.")
    said = next(t.i for t in doc if t.lower_ == "said")
    insisted = next(t.i for t in doc if t.lower_ == "insisted")
    if doc[insisted].dep_ != "conj":
        pytest.skip("parser attached the second verb differently")
    sibling = english._sibling_cue_tokens(doc, said, {said, insisted})
    assert insisted in sibling and any(doc[i].lower_ == "sanctions" for i in sibling)
    assert not any(doc[i].lower_ == "talks" for i in sibling)
    assert english._sibling_cue_tokens(doc, said, {said}) == set()  # not a found cue: nothing removed


def _parsed(text: str):  # type: ignore[no-untyped-def]
    try:
        return english.load_nlp()(text)
    except OSError:
        pytest.skip("no English spaCy model")


def _source_words(doc, lemma: str) -> set[str]:  # type: ignore[no-untyped-def]
    cue_i = next(t.i for t in doc if t.lemma_ == lemma)
    return {doc[i].text for i in english._parse_source(doc, cue_i, set())}


def test_a_participle_takes_the_subject_of_its_clause() -> None:
    doc = _parsed("The mayor rejected the plan on Monday, saying that it would cost too much.")
    assert "mayor" in _source_words(doc, "say")


def test_a_relative_pronoun_is_the_source_of_its_clause() -> None:
    doc = _parsed("Voters who backed the senator in 2012 stayed home.")
    assert _source_words(doc, "back") == {"who"}


def test_a_participle_on_a_reported_clause_takes_the_reporting_speaker() -> None:
    """The small parser hangs "claiming" on "is"; the speaker is who denied, not "the US"."""
    doc = _parsed("The spokeswoman has denied that the US government is behind the protests, "
                  "claiming that unnamed officials have falsely accused Washington.")
    words = _source_words(doc, "claim")
    assert "government" not in words
    cue = next(t for t in doc if t.lemma_ == "claim")
    if cue.head.dep_ == "ccomp":  # the attachment this rule is for
        assert "spokeswoman" in words


def test_a_passive_subject_is_not_a_source() -> None:
    doc = _parsed("Trump was asked a question about police violence.")
    cue_i = next(t.i for t in doc if t.lemma_ == "ask")
    assert english._speakerless(doc, cue_i)
    assert not english._parse_source(doc, cue_i, set())
    doc = _parsed("The plan was criticized by the governor.")
    assert not english._speakerless(doc, next(t.i for t in doc if t.lemma_ == "criticize"))


def test_a_dangling_conjunction_leaves_the_content() -> None:
    doc = _parsed("The White House is monitoring the protests and supports calls for calm.")
    content = [t.i for t in doc if t.i <= next(t.i for t in doc if t.text == "and")]
    kept = english._strip_conjunctions(doc, content)
    assert doc[kept[-1]].text == "protests"


def test_a_relative_pronoun_source_names_its_antecedent_for_readers() -> None:
    """PolNeAR's source is "who"; the speaker a reader sees is the phrase it stands for."""
    text = "Voters who backed the senator said the economy mattered most."
    doc = _parsed(text)
    who = next(t for t in doc if t.text == "who")
    span = english._relative_antecedent(doc, (who.idx, who.idx + 3))
    if who.head.dep_ == "relcl":
        assert span is not None and text[span[0]:span[1]] == "Voters"
    assert english._relative_antecedent(doc, (0, 6)) is None  # "Voters" itself is no relative pronoun


def test_an_unquoted_content_ends_with_the_cues_sentence(english_nlp) -> None:  # type: ignore[no-untyped-def]
    doc = english_nlp("Korvel welcomed the report and repeated her demand for a recount. Protests are planned "
                      "again for Sunday. \"We will be there,\" she said.")
    info = english.doc_info(doc)
    cue = next(t.i for t in doc if t.text == "repeated")
    tail = [t.i for t in doc if t.text in {"her", "demand", "recount", "Protests", "planned", "Sunday"}]
    assert [doc[i].text for i in english._unquoted_tail(info, cue, tail)] == ["her", "demand", "recount"]
    # a content with quoted words may run on (a quotation of several sentences is the speaker's)
    said = next(t.i for t in doc if t.text == "said")
    quoted = [t.i for t in doc if t.text in {"We", "will", "there"}]
    assert english._unquoted_tail(info, said, quoted) == quoted
    # a content wholly outside the cue's sentence is left to the other rules
    assert english._unquoted_tail(info, cue, tail[3:]) == tail[3:]


def test_a_content_without_a_word_is_no_statement(english_nlp) -> None:  # type: ignore[no-untyped-def]
    """A lone "." after a closing quotation mark (labelled alone by the tagger on PolNeAR dev) is no content."""
    from echolot.quotes.english import _has_words

    doc = english_nlp('"We will win." The U.S. agreed.')
    period = [t.i for t in doc if t.text == "."]
    assert not _has_words(doc, period[:1]) and not _has_words(doc, [])
    assert _has_words(doc, [t.i for t in doc if t.text == "U.S."])
