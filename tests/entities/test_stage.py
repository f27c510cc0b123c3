"""The entities stage: seeds end to end (real NER + provenance), and behaviour with a scripted tagger."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from echolot.entities.stage import MENTIONS, NER_STATUS, process
from echolot.entities.query import active_entities, entity_details, find_entity, no_ner_languages
from echolot.model import AlignedPair, Article, Mention, ReuseLink, Sentence
from echolot.settings import Settings
from echolot.store import SQLiteStore


# -- seeds, end to end ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeded(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from echolot.entities import ner
    from echolot.pipeline import ingest, run_stages

    if not (ner.supports("de") and ner.supports("en")):
        pytest.skip("German/English NER models are not available")
    home = tmp_path_factory.mktemp("seeds")
    settings = Settings(home=home)
    store = SQLiteStore(home / "x.db")
    ingest(sorted(str(p) for p in seeds_dir.glob("*.txt")), store, settings, progress=False)
    run_stages(store, settings, only=["reuse", "entities"], progress=False)
    origin = {Path(a.origin or "").name[:3]: a for a in store.iter_articles()}
    yield store, origin
    store.close()


def _entity_of(store: SQLiteStore, article: Article, pattern: str) -> set[str]:
    mentions = store.annotations(MENTIONS, article.id)
    return {m["entity_id"] for m in mentions if re.fullmatch(pattern, m["text"])}


@pytest.mark.parametrize("de_pattern, en_pattern", [
    (r"(Jen )?Psaki", r"(Jen )?Psaki"),
    (r".*To[qk]aje?w", r".*Tokayev"),
    (r"(Wladimir )?Putin", r"(Vladimir )?Putin"),
    (r"(Joe )?Biden", r"(Joe )?Biden.?(s)?"),
    (r"OVKS|Organisation des Vertrags über kollektive Sicherheit", r"CSTO|Collective Security Treaty Organization"),
    (r"Kasachstan", r"Kazakhstan"),
])
def test_seed_translation_pair_names_resolve_to_one_entity(seeded, de_pattern: str, en_pattern: str) -> None:
    store, origin = seeded
    german, english = origin["000"], origin["001"]
    assert store.links(german.id), "provenance found no link between the seed translation pair"
    ids = _entity_of(store, german, de_pattern) | _entity_of(store, english, en_pattern)
    assert len(ids) == 1, ids


def test_seed_variants_from_other_articles_join_too(seeded) -> None:
    store, origin = seeded
    tokayev = find_entity(store, "Tokajew")
    assert tokayev is not None and tokayev["type"] == "PER"
    assert {"Tokayev", "Toqajew", "Tokajew"} <= {name_keys_surname(v) for v in tokayev["variants"]}
    assert {origin["000"].id, origin["001"].id, origin["004"].id} <= set(tokayev["articles"])
    blinken = find_entity(store, "Blinken")
    assert blinken is not None and "Antony Blinken" in blinken["variants"]
    assert find_entity(store, "Токаев")["id"] == tokayev["id"]  # Cyrillic lookup of a Latin-only entity


def name_keys_surname(variant: str) -> str:
    return variant.split()[-1]


def test_seed_distinct_entities_stay_apart(seeded) -> None:
    store, _ = seeded
    putin, psaki = find_entity(store, "Putin"), find_entity(store, "Psaki")
    assert putin and psaki and putin["id"] != psaki["id"]
    assert find_entity(store, "Biden")["id"] not in {putin["id"], psaki["id"]}
    kazakhstan = find_entity(store, "Kasachstan")
    assert all(v.lower() != "kazakh" for v in kazakhstan["variants"])


@pytest.mark.parametrize("names, type_", [
    (("Russland", "Russia"), "LOC"), (("USA", "US", "Vereinigten Staaten"), "LOC"),
    (("Weißen Hauses", "White House"), "ORG"), (("Kreml", "Kremlin"), "ORG"),
    (("Zentralasien", "Central Asia"), "LOC"), (("Moskau", "Moscow"), "LOC"),
])
def test_seed_places_and_institutions_are_one_entity_across_languages(seeded, names, type_) -> None:  # type: ignore[no-untyped-def]
    store, _ = seeded
    found = [find_entity(store, n) for n in names]
    assert all(found) and len({e["id"] for e in found}) == 1, [(n, e and e["name"]) for n, e in zip(names, found)]
    assert found[0]["type"] == type_
    syria = find_entity(store, "Syriens")
    assert syria is not None and syria["name"] == "Syrien"  # the nominative, not the genitive


def test_seed_tagger_fragments_leave_no_junk_entities(seeded) -> None:
    """Spans the tagger cut wrongly become the names inside them, never entities of their own."""
    store, _ = seeded
    variants = {v for e in active_entities(store) for v in e["variants"]}
    names = {e["name"] for e in active_entities(store)}
    # a common noun glued to a place, a news agency glued to a genitive surname, a cut abbreviation
    assert not {v for v in variants if re.search(r"Hauptstadt|Unterstützung|Sowjetrepubliken|Friedenstruppen", v)}
    assert not {v for v in variants if len(v) <= 2 and not v.isupper()}
    assert not {v for v in variants if " " in v and v.split()[0] == "TASS"}
    patrushev = find_entity(store, "Nikolai Patruschew")
    assert patrushev["type"] == "PER" and find_entity(store, "TASS")["id"] != patrushev["id"]
    assert "St. Petersburg" in names
    # a genitive place is shown (and named) in the nominative
    assert not {v for v in variants if v in {"Syriens", "Kasachstans", "Russlands"}}
    assert find_entity(store, "Kasachstans")["name"] in {"Kasachstan", "Kazakhstan"}


def test_seed_owner_before_a_bare_ministry_names_the_institution(seeded) -> None:
    store, _ = seeded
    ministry = find_entity(store, "Russian Foreign Ministry")
    assert ministry is not None and ministry["type"] == "ORG"
    assert find_entity(store, "Foreign Ministry") is None or find_entity(store, "Foreign Ministry")["id"] == ministry["id"]
    usa = find_entity(store, "USA")
    assert usa["type"] == "LOC" and {"US", "USA"} <= set(usa["variants"])
    assert find_entity(store, "Vereinigte Staaten")["id"] == usa["id"]


def test_seed_institution_the_tagger_missed_is_one_entity_with_its_translation(seeded) -> None:
    """"Das russische Außenministerium" (untagged in seeds 000 and 003) and "Russia's Foreign Ministry"."""
    store, origin = seeded
    ministry = find_entity(store, "russische Außenministerium")
    assert ministry is not None and ministry["type"] == "ORG" and ministry["name"] == "Russian Foreign Ministry"
    assert find_entity(store, "Russia’s Foreign Ministry")["id"] == ministry["id"]
    assert {origin["000"].id, origin["001"].id, origin["003"].id} <= set(ministry["articles"])
    assert {"de", "en"} <= set(ministry["langs"])


def test_seed_peoples_are_one_misc_entity_apart_from_their_place(seeded) -> None:
    """"Russians" (en, MISC) and "Russen" (de, tagged LOC) are one people; "Moskauer" is no place."""
    store, _ = seeded
    russians = find_entity(store, "Russen")
    assert russians is not None and russians["type"] == "MISC"
    assert find_entity(store, "Russians")["id"] == find_entity(store, "Russian")["id"] == russians["id"]
    assert russians["id"] != find_entity(store, "Russland")["id"]
    moscow_adjective = find_entity(store, "Moskauer")
    assert moscow_adjective["type"] == "MISC" and moscow_adjective["id"] != find_entity(store, "Moskau")["id"]


def test_seed_types_agree_across_languages(seeded) -> None:
    """No seed entity named in two languages is typed by one language's tagger error: the known
    places are LOC, the listed institutions ORG, the peoples MISC."""
    store, _ = seeded
    expected = {"Russland": "LOC", "Moskau": "LOC", "Kasachstan": "LOC", "Zentralasien": "LOC",
                "Kreml": "ORG", "Weiße Haus": "ORG", "OVKS": "ORG", "russische Außenministerium": "ORG",
                "Russen": "MISC", "Psaki": "PER", "Putin": "PER"}
    for name, type_ in expected.items():
        found = find_entity(store, name)
        assert found is not None and found["type"] == type_, (name, found and found["type"])


def test_seed_two_letter_institution_acronym_is_the_listed_institution(seeded) -> None:
    """"EU" (seed 004) is the European Union of the institution list, keyed by its letters: two-letter
    acronyms were too short to be listed before, and folded like words they collide with words."""
    store, _ = seeded
    eu = find_entity(store, "EU")
    assert eu is not None and eu["type"] == "ORG" and eu["name"] == "European Union"
    assert "org:european-union" in eu["keys"]


def test_seed_merges_explain_themselves(seeded) -> None:
    store, _ = seeded
    org = find_entity(store, "CSTO")
    assert find_entity(store, "OVKS")["id"] == org["id"]
    assert any("aligned in translation pair" in r or "acronym of" in r for r in org["merge_reasons"])
    mentions = store.annotations(MENTIONS)
    assert mentions and all(Mention(**m).entity_id for m in mentions)  # the format the quotes stage reads


# -- a scripted tagger ------------------------------------------------------------------------------

class Gazetteer:
    """Tags every occurrence of known names (a test double for echolot.entities.ner)."""

    def __init__(self, names: dict[str, str], langs: tuple[str, ...] = ("en", "de", "ru")) -> None:
        self.names = sorted(names.items(), key=lambda kv: -len(kv[0]))
        self.langs = langs

    def supports(self, lang: str | None) -> bool:
        return lang in self.langs

    def recognize(self, text: str, lang: str | None) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        for name, type_ in self.names:
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                if not any(a < m.end() and m.start() < b for a, b, _ in spans):
                    spans.append((m.start(), m.end(), type_))
        return sorted(spans)


NAMES = {
    "Kassym-Jomart Tokayev": "PER", "Tokayev": "PER", "Tokajew": "PER", "Токаева": "PER", "Токаев": "PER",
    "John Smith": "PER", "Jane Smith": "PER", "Smith": "PER", "Acme": "ORG", "London": "LOC",
    "Paris": "LOC", "Louvre": "ORG", "Russia": "LOC", "Russland": "LOC", "Kazakhstan": "LOC",
    "Kasachstan": "LOC", "Казахстан": "LOC", "Shell": "ORG", "Oxford": "LOC",
    "Northwind Trust": "ORG", "Nordwind-Stiftung": "ORG",
}


def article(article_id: str, text: str, lang: str) -> Article:
    """An article with one paragraph per line and one sentence per paragraph."""
    paragraphs = text.split("\n\n")
    sentences, cursor = [], 0
    for i, p in enumerate(paragraphs):
        start = text.index(p, cursor)
        sentences.append(Sentence(index=i, paragraph=i, text=p, lang=lang, start=start, end=start + len(p)))
        cursor = start + len(p)
    return Article(id=article_id, text=text, lang=lang, paragraphs=paragraphs,
                   paragraph_langs=[lang] * len(paragraphs), sentences=sentences)


def run(store: SQLiteStore, articles: list[Article], tagger: Gazetteer | None = None) -> None:
    tagger = tagger or Gazetteer(NAMES)
    store.add_articles(articles)
    process(articles, store, Settings(), recognizer=tagger.recognize, supports=tagger.supports, progress=False)


def test_incremental_batches_join_existing_entities_across_scripts(store: SQLiteStore) -> None:
    run(store, [article("a1", "Kassym-Jomart Tokayev spoke in Kazakhstan. Tokayev left.", "en")])
    first = find_entity(store, "Tokayev")
    run(store, [article("a2", "Tokajew sprach in Kasachstan.", "de"),
                article("a3", "Путин встретился с Токаевым. Токаева видели в Казахстан.", "ru")])
    again = find_entity(store, "Tokajew")
    assert again["id"] == first["id"] and again["mention_count"] == 4
    assert find_entity(store, "Казахстан")["id"] == find_entity(store, "Kazakhstan")["id"]
    assert {"a1", "a2", "a3"} <= set(again["articles"])
    assert any("transliteration match" in r for r in again["merge_reasons"])
    run(store, [article("a2", "Tokajew sprach in Kasachstan.", "de")])  # already done: no double counting
    assert find_entity(store, "Tokayev")["mention_count"] == 4


def test_same_surname_in_different_stories_uses_context(store: SQLiteStore) -> None:
    run(store, [article("s1", "John Smith of Acme spoke in London. Smith left Acme.", "en"),
                article("s2", "Jane Smith visited the Louvre in Paris. Smith liked Paris.", "en")])
    john, jane = find_entity(store, "John Smith"), find_entity(store, "Jane Smith")
    assert john["id"] != jane["id"]
    run(store, [article("s3", "Smith returned to Acme in London.", "en")])
    smith = {m["entity_id"] for m in store.annotations(MENTIONS, "s3") if m["text"] == "Smith"}
    assert smith == {john["id"]}
    run(store, [article("s4", "Smith met Shell people in Oxford.", "en")])  # no context: a new entity
    unknown = {m["entity_id"] for m in store.annotations(MENTIONS, "s4") if m["text"] == "Smith"}
    assert unknown.isdisjoint({john["id"], jane["id"]})


def test_translation_link_pairs_names_and_rewrites_stored_mentions(store: SQLiteStore) -> None:
    # names no spelling rule or name list joins: only the aligned translation says they are one
    english = article("t1", "Kassym-Jomart Tokayev thanked the Northwind Trust.\n\nThe end.", "en")
    run(store, [english])
    before = find_entity(store, "Northwind Trust")["id"]
    german = article("t2", "Kassym-Jomart Tokayev dankte der Nordwind-Stiftung.\n\nDas Ende.", "de")
    store.add_articles([german])
    store.put_links([ReuseLink(source="t1", target="t2", kind="translation", score=1.0,
                               evidence=[AlignedPair(a_index=0, b_index=0, score=0.9)])])
    run(store, [german])
    entity = find_entity(store, "Nordwind-Stiftung")
    assert entity["id"] == find_entity(store, "Northwind Trust")["id"]
    assert any("aligned in translation pair t1->t2" in r for r in entity["merge_reasons"])
    stored = {m["entity_id"] for m in store.annotations(MENTIONS, "t1") if m["text"] == "Northwind Trust"}
    assert stored == {entity["id"]}
    if before != entity["id"]:  # the merged-away id still resolves
        assert find_entity(store, before)["id"] == entity["id"]


def test_countries_merge_across_languages_from_cldr(store: SQLiteStore) -> None:
    run(store, [article("c1", "Kassym-Jomart Tokayev thanked Russia.", "en"),
                article("c2", "Tokajew dankte Russland.", "de")])
    russia = find_entity(store, "Russia")
    assert russia["id"] == find_entity(store, "Russland")["id"] and russia["type"] == "LOC"
    assert any("geo:RU" in k for k in russia["keys"])


def test_language_without_ner_is_marked_not_fatal(store: SQLiteStore, tmp_path: Path) -> None:
    text = "Kassym-Jomart Tokayev spoke.\n\nTokayev a parlé à Paris hier soir."
    art = article("f1", text, "en")
    art.paragraph_langs = ["en", "fr"]
    run(store, [art], Gazetteer(NAMES, langs=("en",)))
    status = store.annotations(NER_STATUS, "f1")[0]
    assert status["no_ner"] == {"fr": 1}
    assert no_ner_languages(store) == {"fr": 1}
    assert all(m["start"] < text.index("\n\n") for m in store.annotations(MENTIONS, "f1"))
    store.close()
    from echolot.cli import main

    result = CliRunner().invoke(main, ["--db", str(tmp_path / "store.db"), "entities"])
    assert result.exit_code == 0 and "no NER for language fr" in result.output


def test_cli_entity_shows_variants_co_mentions_and_quotes(store: SQLiteStore, tmp_path: Path) -> None:
    run(store, [article("c1", "Kassym-Jomart Tokayev spoke in Kazakhstan.", "en"),
                article("c2", "Tokajew sprach in Kasachstan.", "de")])
    tokayev = find_entity(store, "Tokayev")
    store.put_annotations("quotes", "c2", [{"article_id": "c2", "content": "Wir bleiben.", "speaker": "Tokajew",
                                            "speaker_entity": tokayev["id"]}])
    details = entity_details(store, tokayev)
    assert [q["content"] for q in details["quotes"]] == ["Wir bleiben."]
    assert details["co_mentioned"][0]["name"] in {"Kazakhstan", "Kasachstan"}
    store.close()
    from echolot.cli import main

    db = str(tmp_path / "store.db")
    out = CliRunner().invoke(main, ["--db", db, "entity", "Токаев", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["id"] == tokayev["id"] and {"de", "en"} <= set(data["languages"])
    listed = CliRunner().invoke(main, ["--db", db, "entities", "--type", "PER", "--json"])
    assert [e["name"] for e in json.loads(listed.output)["entities"]] == ["Kassym-Jomart Tokayev"]
    missing = CliRunner().invoke(main, ["--db", db, "entity", "Nobody"])
    assert missing.exit_code != 0 and "no entity matches" in missing.output


def test_merged_entities_leave_tombstones_that_listings_hide(store: SQLiteStore) -> None:
    run(store, [article("m1", "Northwind Trust spoke.\n\nEnd.", "en")])
    assert len(active_entities(store)) == 1
    german = article("m2", "Nordwind-Stiftung sprach.\n\nEnde.", "de")
    store.add_articles([german])
    store.put_links([ReuseLink(source="m1", target="m2", kind="translation", score=1.0,
                               evidence=[AlignedPair(a_index=0, b_index=0, score=0.9)])])
    run(store, [german])
    live = active_entities(store)
    tombstones = [e for e in store.list_entities() if e.get("merged_into")]
    assert len(live) == 1 and set(live[0]["variants"]) == {"Northwind Trust", "Nordwind-Stiftung"}
    assert [t["merged_into"] for t in tombstones] == [live[0]["id"]] and tombstones[0]["mention_count"] == 0


def test_a_name_read_only_in_an_oblique_case_is_not_shown_when_a_plain_form_exists(store: SQLiteStore) -> None:
    tagger = Gazetteer({"Bündnisses Freies Karsk": "ORG", "Bündnis Freies Karsk": "ORG",
                        "Europäischen Bank": "ORG", "Europäische Bank": "ORG"})
    run(store, [article("g1", "Die Schals des Bündnisses Freies Karsk. Sprecher des Bündnisses Freies Karsk "
                              "sagten, das Bündnis Freies Karsk protestiere.\n\nKredite der Europäischen Bank "
                              "und der Europäischen Bank; die Europäische Bank schwieg.", "de")], tagger)
    alliance = find_entity(store, "Bündnisses Freies Karsk")
    assert alliance["name"] == "Bündnis Freies Karsk"  # the genitive is more frequent, the nominative is shown
    assert alliance["variant_oblique"] == {"Bündnisses Freies Karsk": 2}
    assert find_entity(store, "Europäischen Bank")["name"] == "Europäische Bank"


def test_an_entity_read_only_in_oblique_cases_keeps_its_most_frequent_form(store: SQLiteStore) -> None:
    run(store, [article("g2", "Die Schals des Bündnisses Freies Karsk und die Fahnen des Bündnisses Freies Karsk.",
                        "de")], Gazetteer({"Bündnisses Freies Karsk": "ORG"}))
    assert find_entity(store, "Bündnisses Freies Karsk")["name"] == "Bündnisses Freies Karsk"


def run_translation(store: SQLiteStore, tagger: Gazetteer, source: Article, copy: Article) -> None:
    """Store two articles linked as a translation whose first sentences align, then run the stage."""
    store.add_articles([source, copy])
    store.put_links([ReuseLink(source=source.id, target=copy.id, kind="translation", score=1.0,
                               evidence=[AlignedPair(a_index=0, b_index=0, score=0.9)])])
    run(store, [source, copy], tagger)


def test_a_translation_pairs_no_known_place_with_a_neighbouring_span(store: SQLiteStore) -> None:
    """The tagger read the region ("Київської області") where the translation names the city: position
    in a translation pair is no evidence for a thing whose names the tables already know."""
    tagger = Gazetteer({"Kyiv": "LOC", "Київської області": "LOC", "Andriy Yermak": "PER", "Андрій Єрмак": "PER",
                        "Northwind Trust": "ORG", "Фонд Нордвінд": "ORG"}, langs=("en", "uk"))
    run_translation(store, tagger, article("k1", "Andriy Yermak came to Kyiv with the Northwind Trust.\n\nThe end.", "en"),
                    article("k2", "Андрій Єрмак приїхав до Київської області з Фонд Нордвінд.\n\nКінець.", "uk"))
    assert find_entity(store, "Kyiv")["id"] != find_entity(store, "Київської області")["id"]
    assert find_entity(store, "Northwind Trust")["id"] == find_entity(store, "Фонд Нордвінд")["id"]  # unknown: aligned
    assert find_entity(store, "Andriy Yermak")["id"] == find_entity(store, "Андрій Єрмак")["id"]


def test_the_people_of_a_country_never_merge_with_the_country(store: SQLiteStore) -> None:
    tagger = Gazetteer({"Russian": "MISC", "Russian Federation": "LOC", "Russia": "LOC", "Росія": "LOC"},
                       langs=("en", "uk"))
    run(store, [article("r1", "Russian soldiers crossed into the Russian Federation, said Russia.", "en"),
                article("r2", "Росія заперечує.", "uk")], tagger)
    russia, russians = find_entity(store, "Росія"), find_entity(store, "Russian")
    assert russia["id"] == find_entity(store, "Russian Federation")["id"] and russia["type"] == "LOC"
    assert russians["id"] != russia["id"] and russians["type"] == "MISC"


def test_a_translation_pairs_no_name_with_the_place_named_inside_it(store: SQLiteStore) -> None:
    """The English tagger read only "Tarnia" where the Russian one read the whole commission "of Tarnia"."""
    tagger = Gazetteer({"Tarnia": "ORG", "Центральная комиссия Тарнии": "ORG", "Olaf Brenn": "PER",
                        "Олаф Бренн": "PER"}, langs=("en", "ru"))
    run_translation(store, tagger, article("c1", "Olaf Brenn told the central commission of Tarnia so.\n\nThe end.", "en"),
                    article("c2", "Олаф Бренн сказал это Центральная комиссия Тарнии.\n\nКонец.", "ru"))
    assert find_entity(store, "Tarnia")["id"] != find_entity(store, "Центральная комиссия Тарнии")["id"]
    assert find_entity(store, "Olaf Brenn")["id"] == find_entity(store, "Олаф Бренн")["id"]


def test_a_ukrainian_name_meets_its_ukrainian_romanisation(store: SQLiteStore) -> None:
    tagger = Gazetteer({"Hostomel": "LOC", "Гостомель": "LOC", "Гостомеля": "LOC"}, langs=("en", "uk", "ru"))
    run(store, [article("h1", "Hostomel was freed.", "en"), article("h2", "Гостомель звільнено.", "uk"),
                article("h3", "Гостомель освобожден.", "ru")], tagger)
    assert find_entity(store, "Hostomel")["id"] == find_entity(store, "Гостомель")["id"]
    assert {"h1", "h2", "h3"} <= set(find_entity(store, "Hostomel")["articles"])


def test_a_translation_pairs_two_renderings_of_one_surname_but_not_two_people(store: SQLiteStore) -> None:
    """"Donald Trump" / "Дональда Трампа": folded "trump" / "tramp"; only the aligned translation joins them,
    and a different given name in the same place still keeps two people apart."""
    names = {"Donald Trump": "PER", "Дональда Трампа": "PER", "Melania Trump": "PER", "Мелании Трамп": "PER",
             "Дэвида Трампа": "PER"}
    tagger = Gazetteer(names)
    english = article("p1", "Pompeo backed Donald Trump.\n\nMelania Trump stayed.", "en")
    russian = article("p2", "Помпео поддержал Дональда Трампа.\n\nДэвида Трампа не было.", "ru")
    run(store, [english], tagger)
    store.add_articles([russian])
    store.put_links([ReuseLink(source="p1", target="p2", kind="translation", score=1.0,
                               evidence=[AlignedPair(a_index=0, b_index=0, score=0.9),
                                         AlignedPair(a_index=1, b_index=1, score=0.9)])])
    run(store, [russian], tagger)
    assert find_entity(store, "Donald Trump")["id"] == find_entity(store, "Дональда Трампа")["id"]
    assert find_entity(store, "Melania Trump")["id"] != find_entity(store, "Дэвида Трампа")["id"]
