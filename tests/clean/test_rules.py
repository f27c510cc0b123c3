"""The general cleaning rules on small hand-made texts (no seed-specific strings)."""
from __future__ import annotations

import pytest

from echolot.clean import CleanError, clean, clean_text
from echolot.clean.dates import find_dates, first_date, normalise_date
from echolot.clean.sources import declared_source
from echolot.model import RawDocument
from echolot.settings import Settings

BODY = ("Der Minister sagte am Dienstag, die Gespräche seien konstruktiv verlaufen und würden fortgesetzt. "
        "Beobachter hatten mit einem schwierigeren Treffen gerechnet.")
BODY2 = "The minister said on Tuesday that the talks had been constructive and would continue next week."


def _cleaned(lines: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    return clean_text("\n".join(lines), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("line", [
    "Share on Facebook | Share on Twitter | Share by email",
    "Поделиться: ВКонтакте | Одноклассники | Telegram",
    "Partager Tweeter E-mail Imprimer",
    "Teilen auf Facebook | Twittern | Per E-Mail versenden",
    "Anzeige", "ADVERTISEMENT", "Реклама",
    "Diese Website verwendet Cookies. Wenn Sie weiter surfen, stimmen Sie der Nutzung zu.",
    "© 2021 Kurier Aktuell. Alle Rechte vorbehalten.",
    "Все права защищены",
    "Read more: Politics", "Lesen Sie auch: Regional", "Читайте также: Общество", "Lire aussi : Monde",
    "Exit mobile version",
    "Startseite » Politik » Ausland",
    "Главная » В мире",
])
def test_boilerplate_at_the_bottom_is_removed(line: str) -> None:
    out = _cleaned(["Titel der Meldung hier", BODY, BODY, line])
    assert line not in out.lines
    assert line in out.removed


def test_subheadings_inside_the_body_are_kept() -> None:
    out = _cleaned(["Ein Titel für den Test", BODY, "Sanktionen im Rampenlicht", BODY, "Mehr Geld für Schulen", BODY])
    assert "Sanktionen im Rampenlicht" in out.lines
    assert "Mehr Geld für Schulen" in out.lines


def test_real_sentence_that_starts_like_a_link_is_kept() -> None:
    sentence = "Read more about the plan in the report, which the ministry published on its website on Monday."
    out = _cleaned([BODY2, sentence, BODY2])
    assert sentence in out.lines


def test_top_zone_rules() -> None:
    out = _cleaned(["bitcoin", "Nachrichten Politik Welt", "Ein Titel für den Test", BODY, BODY])
    assert out.title == "Ein Titel für den Test"
    assert out.lines == [BODY, BODY]
    assert out.removed == ["bitcoin", "Nachrichten Politik Welt"]


def test_short_footer_only_inside_furniture() -> None:
    byline = "Max Mustermann"
    kept = _cleaned([BODY, BODY, byline])
    assert byline in kept.lines  # a closing byline alone is not furniture
    dropped = _cleaned([BODY, BODY, "Source: Reuters", "Service"])
    assert "Service" not in dropped.lines and dropped.declared_sources == ["Reuters"]


@pytest.mark.parametrize("line,value", [
    ("Quelle : Al Jazeera", "Al Jazeera"), ("Source: Reuters.", "Reuters"), ("Источник: ТАСС", "ТАСС"),
    ("via RT", "RT"), ("Mit Material von dpa", "dpa"), ("https://example.org/a/b.html", "https://example.org/a/b.html"),
])
def test_declared_source_lines(line: str, value: str) -> None:
    assert declared_source(line) == value
    out = _cleaned([BODY, BODY, line])
    assert out.declared_sources == [value] and line not in out.lines


def test_not_a_declared_source() -> None:
    assert declared_source("Die Quelle des Flusses liegt in den Alpen, sagte der Forscher.") is None
    assert declared_source("Finanzierung / Kooperationen", footer=True) is None
    assert declared_source("dpa/AFP", footer=True) == "dpa/AFP"
    assert declared_source("dpa/AFP", footer=False) is None


@pytest.mark.parametrize("text,iso", [
    ("5 Jan, 2022 22:10 / Updated 3 years ago", "2022-01-05T22:10"),
    ("5. Januar 2022", "2022-01-05"),
    ("05.01.2022, 22:10 Uhr", "2022-01-05T22:10"),
    ("05.01.2022 22.10 Uhr", "2022-01-05T22:10"),
    ("2022-01-05T22:10:00Z", "2022-01-05T22:10"),
    ("January 5, 2022 at 10:10 pm", "2022-01-05T22:10"),
    ("5 января 2022 г.", "2022-01-05"),
    ("le 5 janvier 2022", "2022-01-05"),
])
def test_dates(text: str, iso: str) -> None:
    assert first_date(text) == iso


@pytest.mark.parametrize("text", ["vor 3 Jahren", "yesterday", "31.02.2022", "2022", "Updated 3 years ago",
                                  "13.13.2020"])
def test_no_date_is_invented(text: str) -> None:
    assert find_dates(text) == []


def test_normalise_declared_date() -> None:
    assert normalise_date("2021-07-25T03:12:00") == "2021-07-25T03:12:00"
    assert normalise_date("5. Januar 2022") == "2022-01-05"
    assert normalise_date(None) is None


def test_record_metadata_wins_and_declared_lang_is_only_kept() -> None:
    raw = RawDocument(origin="x.jsonl:1", body="Doncic amenaza a España", title="Doncic amenaza a España",
                      published="2021-07-25T03:12:00", source="AS", url=None, lang="pt", external_id="a1",
                      meta={"record": True, "title_declared": True})
    article = clean(raw, Settings())
    assert article.text == "Doncic amenaza a España"  # one-line record kept although text == title
    assert article.external_id == "a1" and article.source == "AS"
    assert article.meta["declared_lang"] == "pt" and article.lang is None  # language comes from annotate()
    assert article.published == "2021-07-25T03:12:00"


def test_clean_errors() -> None:
    settings = Settings()
    with pytest.raises(CleanError, match="empty"):
        clean(RawDocument(origin="a", body="  \n "), settings)
    with pytest.raises(CleanError, match="too short"):
        clean(RawDocument(origin="b", body="Kurzer Text."), settings)
    with pytest.raises(CleanError, match="boilerplate"):
        clean(RawDocument(origin="c", body="Tumblr\nLinkedIn\nDrucken"), settings)


def test_html_page_metadata() -> None:
    html = ("<html><head><title>Ein Test</title><meta property='og:site_name' content='Testblatt'>"
            "<meta property='article:published_time' content='2022-01-05T22:10:00'></head><body>"
            "<article><h1>Ein Test</h1>" + "".join(f"<p>{BODY} Absatz {i}.</p>" for i in range(4))
            + "<p>Teilen auf Facebook | Twittern</p></article></body></html>")
    article = clean(RawDocument(origin="t.html", body=html, kind="html", url="https://www.example.de/a"),
                    Settings())
    assert article.title == "Ein Test"
    assert article.published and article.published.startswith("2022-01-05")
    assert article.source == "Testblatt"
    assert "Absatz 3" in article.text and "Twittern" not in article.text


def test_date_from_a_byline_removed_as_boilerplate():
    from echolot.clean import clean_text

    text = ("Ein Titel über den Damm\nKurier | 22.09.2025, 20:10 Uhr | Von Malte Friis\n\n"
            "Der Damm hielt dem Hochwasser stand, sagte der Landrat am Montag vor der Presse.")
    assert clean_text(text).published == "2025-09-22T20:10"


def test_spanish_dates():
    from echolot.clean.dates import find_dates

    assert find_dates("Publicado el 12 de abril de 2025")[0][0] == "2025-04-12"
    assert find_dates("06/02/2025") == []  # day/month order unknown: no date rather than a wrong one


def test_url_above_the_text_is_the_articles_own_address():
    from echolot.clean import clean
    from echolot.model import RawDocument
    from echolot.settings import Settings

    text = ("Dockers walk out at the harbour\nhttps://news.example/2025/03/12/strike\n\n"
            "The strike began on Monday morning, the union said in a statement to reporters.\n\n"
            "Source: https://wire.example/strike-report")
    article = clean(RawDocument(origin="x", body=text), Settings())
    assert article.url == "https://news.example/2025/03/12/strike"
    assert article.source == "news.example"
    assert article.declared_sources == ["https://wire.example/strike-report"]
