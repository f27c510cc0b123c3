"""Direction from content evidence: reprint signals, dates, declared sources, contradictions, weak fallbacks."""
from __future__ import annotations

import networkx as nx

from echolot.eval.provenance import reprint
from echolot.model import Article, ReuseLink
from echolot.reuse import orient_group
from echolot.reuse.align import evidence, text_align
from echolot.reuse.direction import content_pairs, decide, pair_verdict
from echolot.settings import Settings

SENTENCES = [
    "The harbour authority of Nordhaven closed the eastern pier on Tuesday after inspectors found deep cracks.",
    "Ferries to the islands will use the western terminal until repairs are finished in about eleven weeks.",
    "Engineer Mara Lindqvist said the damage was caused by winter storms that pushed ice against the pillars.",
    "Local fishermen complained that the western terminal has too few berths for all the boats in the area.",
    "The city council will vote next month on a repair budget of 4.2 million euros from a regional fund.",
    "A spokesperson for the ferry operator apologised for the delays and promised extra departures at Easter.",
]
JAPANESE = ["港湾局は火曜日、東側の桟橋を閉鎖した。", "検査で深い亀裂が見つかった。", "フェリーは西側の埠頭を使う。",
            "修理には約十一週間かかる見込みだ。", "市議会は来月、修理予算を採決する。", "運航会社は遅延を謝罪した。"]


def _art(ext: str, lines: list[str], lang: str = "en", **kw: object) -> Article:
    return Article(id=ext, text="\n".join(lines), lang=lang, external_id=ext, **kw)  # type: ignore[arg-type]


def _rows(a: Article, b: Article) -> list:
    sa, sb = a.text.split("\n"), b.text.split("\n")
    return evidence(text_align(sa, sb), sa, sb, True)


def _reprint_of(article: Article, n: int) -> tuple[Article, str]:
    record, kind = reprint({"id": article.id, "text": article.text, "lang": article.lang}, n)
    return _art(record["id"], record["text"].split("\n"), article.lang or "en"), kind


def test_generated_reprints_point_away_from_the_original() -> None:
    original = _art("orig", SENTENCES)
    kinds = set()
    for n in range(4):
        copy, kind = _reprint_of(original, n)
        kinds.add(kind)
        verdict = pair_verdict(original, copy, _rows(original, copy))
        assert verdict.sign == 1, (kind, verdict)
        flipped = pair_verdict(copy, original, _rows(copy, original))
        assert flipped.sign == -1 and flipped.reason == verdict.reason
        assert "boilerplate" in verdict.reason and "contradiction" not in verdict.reason
    assert len(kinds) == 4  # the generator cycles through its kinds deterministically
    assert _reprint_of(original, 1) == _reprint_of(original, 1)


def test_truncation_and_boilerplate_give_high_confidence() -> None:
    original = _art("orig", SENTENCES)
    copy = _art("copy", ["Home » World » Europe"] + SENTENCES[:4] + ["Share: Facebook Twitter WhatsApp Email"])
    verdict = pair_verdict(original, copy, _rows(original, copy))
    assert verdict.sign == 1 and verdict.confidence >= 0.8
    assert "truncated ending" in verdict.reason and "boilerplate" in verdict.reason


def test_short_sentences_without_spaces_count_as_content() -> None:
    """A dropped Japanese paragraph is content the copy lacks, not boilerplate the original adds."""
    original = _art("orig", JAPANESE, lang="ja")
    copy = _art("copy", JAPANESE[:4] + ["シェア: Facebook Twitter"], lang="ja")
    verdict = pair_verdict(original, copy, _rows(original, copy))
    assert verdict.sign == 1 and "truncated ending" in verdict.reason


def test_copy_dated_before_its_original_is_a_named_contradiction() -> None:
    original = _art("orig", SENTENCES, published="2024-05-03")
    copy = _art("copy", ["Home » World » Europe"] + SENTENCES[:5] + ["Share: Facebook Twitter"],
                published="2024-05-01")
    verdict = pair_verdict(original, copy, _rows(original, copy))
    assert verdict.confidence <= 0.6 and "contradiction" in verdict.reason
    agreeing = _art("copy2", copy.text.split("\n"), published="2024-05-04")
    assert pair_verdict(original, agreeing, _rows(original, agreeing)).confidence >= 0.9


def test_mutual_declarations_do_not_crash_and_are_named() -> None:
    a = _art("a", SENTENCES, url="https://one.example/a", declared_sources=["https://two.example/b"])
    b = _art("b", SENTENCES + ["Share: Facebook Twitter"], url="https://two.example/b",
             declared_sources=["https://one.example/a"])
    verdict = pair_verdict(a, b, _rows(a, b))
    assert "each declare the other" in verdict.reason and verdict.confidence <= 0.6


def test_declared_source_and_dates_decide_translations() -> None:
    en = _art("en", SENTENCES, url="https://wire.example/story")
    de = _art("de", ["Der Hafen von Nordhaven schloss den Pier."] * 6, lang="de",
              declared_sources=["https://wire.example/story"])
    fr = _art("fr", ["Le port de Nordhaven a fermé la jetée."] * 6, lang="fr",
              declared_sources=["https://wire.example/story"])
    links = [("en", "de", 0.9), ("en", "fr", 0.9), ("de", "fr", 0.9)]
    verdict = decide({"en": en, "de": de, "fr": fr}, [], links)
    assert verdict.original == "en" and "declare it as their source" in verdict.reason
    dated = {"en": _art("en", SENTENCES, published="2024-05-02T10:00+00:00"),
             "de": _art("de", de.text.split("\n"), lang="de", published="2024-05-01T08:00+00:00")}
    verdict = decide(dated, [], [("en", "de", 0.9)])
    assert verdict.original == "de" and verdict.confidence >= 0.8 and "published first" in verdict.reason


def test_language_counts_are_a_weak_last_resort() -> None:
    ru = _art("ru", ["Порт Нордхафена закрыл восточный пирс во вторник после проверки."] * 6, lang="ru")
    en1 = _art("en1", SENTENCES)
    en2 = _art("en2", [s.replace("the", "a") for s in SENTENCES])
    verdict = decide({"ru": ru, "en1": en1, "en2": en2}, [], [("ru", "en1", 0.9), ("ru", "en2", 0.9)])
    assert verdict.original == "ru" and verdict.confidence < 0.7 and "weak evidence only" in verdict.reason


def test_reprints_of_the_original_do_not_outvote_it() -> None:
    """Two same-language reprints collapse into their source before versions are counted."""
    ru = _art("ru", ["Порт Нордхафена закрыл восточный пирс во вторник после проверки инспекторов."] * 6, lang="ru")
    r1, _ = _reprint_of(ru, 0)
    r2, _ = _reprint_of(ru, 1)
    en = _art("en", SENTENCES)
    de = _art("de", [s.replace("the", "a") for s in SENTENCES])  # a second English translation
    members = {x.id: x for x in (ru, r1, r2, en, de)}
    near = [(ru.id, r1.id, _rows(ru, r1)), (ru.id, r2.id, _rows(ru, r2)), (r1.id, r2.id, _rows(r1, r2))]
    links = [(a, b, 0.9) for a, b, _ in near] + [(ru.id, "en", 0.9), (ru.id, "de", 0.9), ("en", "de", 0.9)]
    verdict = decide(members, near, links)
    assert verdict.original == ru.id
    assert verdict.parent[r1.id] == ru.id and verdict.parent[r2.id] == ru.id


def test_orient_group_never_makes_a_cycle_with_contradicting_evidence() -> None:
    a = _art("a", SENTENCES, url="https://one.example/a", declared_sources=["https://two.example/b"],
             published="2024-05-03")
    b = _art("b", ["Home » World"] + SENTENCES, url="https://two.example/b",
             declared_sources=["https://one.example/a"], published="2024-05-01")
    c = _art("c", SENTENCES[:4] + ["Share: Facebook"], published="2024-05-02")
    links = [ReuseLink(x.id, y.id, "copy", 0.9, 0.5, False, "", _rows(x, y)) for x, y in ((a, b), (a, c), (b, c))]
    oriented = orient_group({x.id: x for x in (a, b, c)}, links, Settings().reuse)
    graph = nx.DiGraph([(l.source, l.target) for l in oriented if l.directed])
    assert nx.is_directed_acyclic_graph(graph)
    assert any("contradiction" in l.reason for l in oriented)


def test_shared_boilerplate_alone_is_not_content() -> None:
    a = ["Home » World » Europe", "A first sentence about one thing that happened somewhere today.",
         "Share: Facebook Twitter"]
    b = ["Home » World » Europe", "A different sentence about another event in another city.",
         "Share: Facebook Twitter"]
    kept, share = content_pairs([(0, 0, 1.0), (2, 2, 1.0)], a, b)
    assert kept == 0 and share == 0.0
    kept, share = content_pairs([(0, 0, 1.0), (1, 1, 0.7), (2, 2, 1.0)], a, b)
    assert kept == 1 and share == 1.0
    fragment = ["However, if I'm not very fit,", "you will know someone"]  # short, but not shared furniture
    assert content_pairs([(0, 0, 0.8), (1, 1, 0.8)], fragment, ["Short line one,", "short line two"]) == (2, 1.0)


def test_long_breadcrumb_with_headline_is_boilerplate() -> None:
    original = _art("orig", SENTENCES)
    crumb = "Home » World » Europe » Harbour authority of Nordhaven closes the eastern pier after inspectors find cracks"
    copy = _art("copy", [crumb] + SENTENCES)
    verdict = pair_verdict(original, copy, _rows(original, copy))
    assert verdict.sign == 1 and "boilerplate" in verdict.reason


GERMAN = ["Die Hafenbehörde von Nordhaven schloss am Dienstag den Ostpier, nachdem Prüfer tiefe Risse gefunden hatten.",
          "Fähren zu den Inseln nutzen das Westterminal, bis die Reparaturen in etwa elf Wochen abgeschlossen sind.",
          "Ingenieurin Mara Lindqvist sagte, die Schäden stammten von Winterstürmen, die Eis gegen die Pfeiler drückten.",
          "Fischer beklagten, dass das Westterminal zu wenige Liegeplätze für alle Boote der Gegend hat.",
          "Der Stadtrat stimmt nächsten Monat über ein Reparaturbudget von 4,2 Millionen Euro aus einem Regionalfonds ab.",
          "Ein Sprecher des Fährbetreibers entschuldigte sich für die Verspätungen und versprach zusätzliche Abfahrten."]


def _pair_links(members: dict[str, Article]) -> list[ReuseLink]:
    a, b = sorted(members)
    return [ReuseLink(a, b, "translation", 0.9, 0.5, False, "", _rows(members[a], members[b]))]


def _settings(**reuse: object) -> Settings:
    from dataclasses import replace

    settings = Settings()
    return replace(settings, reuse=replace(settings.reuse, **reuse))


def _balanced() -> dict[str, Article]:
    """One English and one German version of about the same length, without dates or sources."""
    en = _art("en", SENTENCES)
    de = _art("de", GERMAN, lang="de")
    assert abs(len(en.text) / len(de.text) - 1) < 0.05  # the length signal stays silent
    return {"en": en, "de": de}


def test_balanced_versions_without_evidence_are_undecided() -> None:
    """No date, source, residue or length difference: the link is stored, undirected, and says why."""
    members = _balanced()
    verdict = decide(members, [], [("de", "en", 0.9)])
    assert not verdict.decided and verdict.confidence == 0.5
    [link] = orient_group(members, _pair_links(members), _settings().reuse)
    assert not link.directed and link.confidence == 0.5
    assert "direction undecided" in link.reason and "1 en" in link.reason and "1 de" in link.reason
    assert (link.source, link.target) == ("de", "en") and link.evidence  # id order, evidence kept


def test_source_language_prior_only_when_configured() -> None:
    members = _balanced()
    assert Settings().reuse.source_langs == ""
    [link] = orient_group(members, _pair_links(members), _settings(source_langs="en").reuse)
    assert link.directed and (link.source, link.target) == ("en", "de")
    assert "configured prior" in link.reason and link.confidence == 0.55
    [link] = orient_group(members, _pair_links(members), _settings(direction_undecided=False).reuse)
    assert link.directed and "picked arbitrarily" in link.reason and link.confidence == 0.5


def test_length_signal_can_be_switched_off() -> None:
    members = {"en": _art("en", SENTENCES[:5]), "de": _art("de", GERMAN, lang="de")}
    [link] = orient_group(members, _pair_links(members), _settings().reuse)
    assert link.directed and link.source == "en" and "shorter than the other version" in link.reason
    [link] = orient_group(members, _pair_links(members), _settings(direction_length=False).reuse)
    assert not link.directed and "direction undecided" in link.reason


def test_undecided_group_keeps_its_reprint_direction() -> None:
    """Only the links between versions lose their direction; a reprint still points from its source."""
    members = _balanced()
    copy, _ = _reprint_of(members["de"], 0)
    members[copy.id] = copy
    links = _pair_links({"de": members["de"], "en": members["en"]})
    links.append(ReuseLink("de", copy.id, "copy", 0.9, 0.5, False, "", _rows(members["de"], copy)))
    links.append(ReuseLink(copy.id, "en", "translation", 0.9, 0.5, False, "", _rows(copy, members["en"])))
    oriented = {frozenset((l.source, l.target)): l for l in orient_group(members, links, _settings().reuse)}
    reprint_link = oriented[frozenset(("de", copy.id))]
    assert reprint_link.directed and (reprint_link.source, reprint_link.target) == ("de", copy.id)
    for pair in (("de", "en"), (copy.id, "en")):
        assert not oriented[frozenset(pair)].directed and "direction undecided" in oriented[frozenset(pair)].reason
