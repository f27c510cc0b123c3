"""The pipeline stage on hand-made articles: stored Quote records, pronoun speakers, clusters."""
from __future__ import annotations

import json

from echolot.model import Article
from echolot.quotes import STATE_KEY, process
from echolot.text import annotate

DE = ("Außenminister Antony Blinken besuchte am Dienstag Astana. „Die Vereinigten Staaten unterstützen "
      "die Souveränität Kasachstans nachdrücklich“, sagte er vor Journalisten.")
RU = ("Пресс-секретарь президента России Дмитрий Песков провёл брифинг в среду. "
      "«Мы внимательно следим за ситуацией в Казахстане», — заявил он журналистам. "
      "Токаев заявил, что в стране действуют подготовленные за рубежом террористы.")


def article(aid: str, text: str, published: str | None) -> Article:
    return annotate(Article(id=aid, text=text, published=published))


def test_stage_stores_quotes_and_clusters(store, settings) -> None:  # type: ignore[no-untyped-def]
    settings = settings.with_overrides({"quotes.encoder": "hashing", "quotes.match_threshold": 0.6})
    articles = [article("de1", DE, "2023-03-01"), article("de2", "Bericht. " + DE, "2023-03-02"),
                article("ru1", RU, None)]
    store.add_articles(articles)
    process(articles, store, settings)
    de = store.annotations("quotes", "de1")
    assert len(de) == 1 and de[0]["kind"] == "direct" and de[0]["speaker"] == "Antony Blinken"
    assert de[0]["id"].startswith("q_") and de[0]["content"].startswith("Die Vereinigten Staaten")
    ru = store.annotations("quotes", "ru1")
    assert {(q["kind"], q["speaker"]) for q in ru} >= {("direct", "Дмитрий Песков"), ("indirect", "Токаев")}
    assert all(q["lang"] == "ru" for q in ru)
    state = json.loads(store.get_state(STATE_KEY))
    (cluster,) = [c for c in state["clusters"] if set(c["languages"]) == {"de"}]
    assert cluster["original"] == de[0]["id"] and "earliest published" in cluster["original_reason"]


def test_person_names_the_stored_mentions_lack_still_count_for_speakers() -> None:
    # the NER typed the whole phrase ORG; the known given name "Nadia" still makes Nadia Korvel a person,
    # so "sie" is hers and not the president's named earlier
    from echolot.quotes.stage import quotes_for_article

    text = ("Präsident Oleg Tarnawski gab seine Stimme ab. Seine Herausforderin, Nadia Korvel vom Bündnis Karsk, "
            "wählte in der Hauptstadt. „Die Menschen standen vier Stunden in der Kälte“, sagte sie.")
    org = text.index("Nadia Korvel vom Bündnis Karsk")
    mentions = [{"start": text.index("Oleg Tarnawski"), "end": text.index("Oleg Tarnawski") + 14, "type": "PER",
                 "text": "Oleg Tarnawski", "entity_id": "e:tarnawski"},
                {"start": org, "end": org + len("Nadia Korvel vom Bündnis Karsk"), "type": "ORG",
                 "text": "Nadia Korvel vom Bündnis Karsk", "entity_id": "e:org"}]
    quotes = quotes_for_article(annotate(Article(id="k", text=text, lang="de")), mentions)
    cold = [q for q in quotes if "Kälte" in q.content]
    assert cold and cold[0].speaker == "Nadia Korvel"
