"""What the clusterer sees of an article: embedded text, name/number keys, times."""
from __future__ import annotations

from echolot.model import Article
from echolot.stories.features import embed_text, format_time, keys, parse_time


def test_titles_only_corpus_embeds_the_title_once() -> None:
    article = Article(id="a", text="Japan douses the Olympic flame", title="Japan douses the Olympic flame")
    assert embed_text(article, 300) == "Japan douses the Olympic flame"


def test_title_and_lead_are_embedded_and_cut_at_a_word() -> None:
    body = "Tokyo closed the Games on Sunday. " + "More words follow here. " * 40
    text = embed_text(Article(id="a", text=body, title="Games close"), 60)
    assert text.startswith("Games close. Tokyo closed the Games on Sunday.")
    assert len(text) <= len("Games close. ") + 60
    assert not text.endswith(" ")


def test_keys_are_names_and_numbers_transliterated() -> None:
    assert keys("Rui Hachimura named flag bearer for 2020 Games") == ["2020", "games", "hachimura", "rui"]
    # a sentence-initial capital alone is not a name; accents and Cyrillic are transliterated
    assert keys("Ricky Rubio lleva a España a cuartos (81-71)") == ["71", "81", "espana", "ricky", "rubio"]
    assert keys("Japan douses the flame") == []
    assert "tokio" in keys("Олимпиада в Токио")


def test_times_parse_with_and_without_zone() -> None:
    plain = parse_time("2021-07-25T03:12:00")
    zoned = parse_time("2021-07-25T05:12:00+02:00")
    assert plain is not None and zoned is not None and abs(plain - zoned) < 1e-9
    assert parse_time("2021-07-25") is not None
    assert parse_time("not a date") is None and parse_time(None) is None
    assert format_time(plain) == "2021-07-25T03:12"
