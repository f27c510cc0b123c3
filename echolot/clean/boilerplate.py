"""Line-level boilerplate rules for pre-scraped text.

A scrape is a list of lines; each line gets a few features (word count, sentence
punctuation, position relative to the article body, repetition) and a handful of
general rules decide whether it is navigation, sharing, advertising, cookie,
copyright or "read more" furniture. The rules are deliberately conservative in
the body: a line between the first and the last body paragraph is removed only
when a strong pattern (share row, cookie notice, ...) says so, because losing an
article sentence is worse than keeping a stray "Tumblr".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”“»«’)\]]*\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_ANY_PUNCT = re.compile(r"[.!?,;:\"„“”«»()]")

# words that make up share / print / like rows (de, en, ru, fr)
_SHARE_STRONG = set([
    "share", "shares", "sharen", "teilen", "teile", "geteilt", "tweet", "tweets", "tweeten", "twittern", "tweeter", "twitter",
    "facebook", "whatsapp", "telegram", "tumblr", "linkedin", "pinterest", "reddit", "xing", "vk", "вконтакте", "одноклассники",
    "твитнуть", "поделиться", "поделитесь", "partager", "imprimer", "drucken", "print", "printer", "e-mail", "email", "mailen",
    "viber", "flipboard", "pocket", "messenger", "gefällt", "like", "likes", "related", "translate", "übersetzen", "перевести",
    "traduire", "rss", "newsletter", "печать", "распечатать", "instagram", "youtube", "tiktok", "threads", "mastodon", "bluesky"
])
_SHARE_WEAK = set([
    "mit", "with", "on", "auf", "per", "by", "via", "par", "sur", "in", "mir", "me", "mehr", "more", "plus", "ещё", "еще",
    "больше", "wird", "geladen", "loading", "laden", "lädt", "versenden", "senden", "send", "envoyer", "отправить", "copy",
    "kopieren", "link", "copier", "le", "la", "lien", "save", "speichern", "merken", "kommentar", "kommentare", "comment",
    "comments", "commenter", "комментарии", "комментарий", "artikel", "article", "seite", "page", "this", "diesen", "dieser",
    "den", "die", "der", "das", "the", "a", "an", "x", "google", "ok", "и", "and", "und", "et", "или", "or", "oder", "follow",
    "folgen", "us", "uns", "подписаться", "subscribe", "abonnieren", "s'abonner", "nous", "suivez", "einem", "freund", "friend",
    "ami", "другу", "drucken", "versenden", "twitter-nachricht", "post", "posten", "sms", "messenger", "facebook-seite",
    "share-button", "weiterleiten", "forward", "empfehlen", "recommend", "en", "по", "почте", "e-mail-adresse"
])
_MORE = {"mehr", "more", "plus", "ещё", "еще", "больше", "подробнее"}
_AD_WORDS = set([
    "anzeige", "anzeigen", "werbung", "advertisement", "advertisements", "advertising", "ad", "ads", "sponsored", "gesponsert",
    "реклама", "publicité", "publicite", "pub", "promo", "promotion", "partnerinhalt", "sponsoredcontent"
])
_SECTION_WORDS = set([
    "nachrichten", "politik", "wirtschaft", "sport", "kultur", "welt", "ausland", "inland", "europa", "news", "politics",
    "world", "business", "opinion", "meinung", "panorama", "gesellschaft", "wissen", "digital", "technik", "tech", "lifestyle",
    "home", "startseite", "international", "regional", "lokal", "новости", "политика", "экономика", "мир", "общество", "спорт",
    "культура", "главная", "actualités", "actualites", "politique", "monde", "économie", "economie", "société", "societe",
    "europe", "breaking", "video", "videos", "fotos", "live", "topthemen", "themen", "aktuell", "deutschland", "russland",
    "ukraine", "usa", "asien", "afrika", "amerika", "nahost", "россия", "украина", "америка", "zentralasien"
])
_HOME_WORDS = {"home", "startseite", "start", "главная", "accueil", "inicio", "homepage", "news", "nachrichten",
               "новости", "actualités", "übersicht"}

_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    # (reason, pattern, max words of a line it may remove)
    ("related links", re.compile(
        r"^\s*(mehr zum thema|mehr dazu|mehr lesen|lesen sie (auch|mehr|hier)|weiterlesen|weitere artikel|auch interessant"
        r"|das könnte sie auch interessieren|read more|read also|read next|see also|related( articles| stories)?\s*:"
        r"|more on this|more from|recommended|you may also like|читайте также|читать также|читайте далее|читать далее"
        r"|подробнее|смотрите также|lire aussi|à lire aussi|a lire aussi|lire la suite|voir aussi|sur le même sujet)",
        re.IGNORECASE), 30),
    ("cookie notice", re.compile(
        r"cookie.*(verwend|nutz|benutz|use|utilis|использ|akzept|accept|zustimm|consent|einverst|privacy|datenschutz"
        r"|соглаш|принять)|(verwend|nutz|use|utilis|использ).*cookie", re.IGNORECASE), 80),
    ("copyright", re.compile(
        r"^\s*(©|\(c\)\s|copyright\b)|alle rechte vorbehalten|all rights reserved|tous droits réservés"
        r"|все права защищены|todos los derechos reservados", re.IGNORECASE), 40),
    ("mobile/desktop switch", re.compile(
        r"mobile version|mobilen version|mobile ansicht|version mobile|мобильн\w* верси|desktop[- ]version"
        r"|zur desktop|exit mobile", re.IGNORECASE), 8),
    ("loading notice", re.compile(r"wird geladen|^\s*loading\s*\.\.\.|загрузка\s*\.\.\.", re.IGNORECASE), 10),
    ("newsletter/subscribe", re.compile(
        r"newsletter (abonnieren|bestellen)|subscribe to (our|the) newsletter|подпишитесь на|abonnez-vous"
        r"|jetzt abonnieren|sign up for (our|the) newsletter", re.IGNORECASE), 25),
    ("comments notice", re.compile(
        r"^\s*(\d+\s+)?(kommentare?|comments?|комментари\w*|commentaires?)\s*(\(\d+\))?\s*$"
        r"|kommentar schreiben|leave a (comment|reply)|write a comment|laisser un commentaire", re.IGNORECASE), 8),
]
_ANYWHERE = {"cookie notice", "copyright"}
_BREADCRUMB_SEP = re.compile(r"\s*(?:»|›|→|>|\s/\s|\s\|\s|\s::\s)\s*")


@dataclass
class Line:
    """One line of a scrape with the features the rules read."""

    text: str
    words: list[str]
    sentence_end: bool
    n_words: int  # scripts without spaces (CJK) count one word per two characters
    zone: str = "body"  # top | body | bottom


def _count_words(words: list[str], text: str) -> int:
    if not _CJK.search(text):
        return len(words)
    return sum(max(1, len(_CJK.findall(w)) // 2) if _CJK.search(w) else 1 for w in words)


def make_line(text: str) -> Line:
    words = _WORD.findall(text.lower())
    return Line(text=text, words=words, sentence_end=bool(_SENTENCE_END.search(text)),
                n_words=_count_words(words, text))


def is_body_line(line: Line) -> bool:
    """A line that certainly belongs to the article: a real sentence, or a long paragraph."""
    return (line.n_words >= 8 and line.sentence_end) or line.n_words >= 20


def assign_zones(lines: list[Line]) -> None:
    """Mark lines before the first body line `top` and after the last one `bottom`."""
    body = [i for i, line in enumerate(lines) if is_body_line(line)]
    if not body:
        return
    first, last = body[0], body[-1]
    for i, line in enumerate(lines):
        line.zone = "top" if i < first else "bottom" if i > last else "body"


def _share_row(line: Line) -> bool:
    words = line.words
    if not words or len(words) > 15:
        return False
    if not all(w in _SHARE_STRONG or w in _SHARE_WEAK for w in words):
        return False
    return any(w in _SHARE_STRONG for w in words) or (len(words) <= 2 and any(w in _MORE for w in words))


def _breadcrumb(line: Line) -> bool:
    parts = [p for p in _BREADCRUMB_SEP.split(line.text.strip()) if p]
    if len(parts) < 2 or line.n_words > 30:
        return False
    if any(_SENTENCE_END.search(p) and len(_WORD.findall(p)) > 3 for p in parts):
        return False
    if any(len(_WORD.findall(p)) > 12 for p in parts[:-1]):
        return False
    first = parts[0].strip().lower()
    return first in _HOME_WORDS or (len(parts) >= 3 and all(len(_WORD.findall(p)) <= 6 for p in parts))


def _category_row(line: Line) -> bool:
    tokens = line.text.split()
    if not 2 <= len(tokens) <= 8 or _ANY_PUNCT.search(line.text):
        return False
    if not all(t[:1].isupper() or t[:1].isdigit() for t in tokens):
        return False
    return any(w in _SECTION_WORDS for w in line.words)


def _stray_word(line: Line) -> bool:
    """A lone lowercase token or two above the article ("kucoin"): ad or widget residue."""
    letters = line.text.replace(" ", "")
    return 1 <= line.n_words <= 2 and len(letters) <= 30 and letters.isalpha() and letters.islower()


def classify(line: Line, repeated: bool) -> str | None:
    """The reason `line` is boilerplate, or None when it is (possibly) article text."""
    if not line.words:
        return "no words" if line.text.strip() else None
    if _share_row(line):
        return "share/social row"
    if line.n_words <= 2 and all(w in _AD_WORDS for w in line.words):
        return "advertising marker"
    sentence_like = line.zone == "body" and is_body_line(line)
    for reason, pattern, max_words in _PATTERNS:
        if sentence_like and reason not in _ANYWHERE:
            continue  # a real sentence in the body that merely starts like "Read more"
        if line.n_words <= max_words and pattern.search(line.text):
            return reason
    if _breadcrumb(line) and line.zone != "body":
        return "breadcrumb/navigation"
    if line.zone == "top":
        if _category_row(line):
            return "category row"
        if _stray_word(line):
            return "stray word above the article"
    if line.zone != "body" and repeated and not line.sentence_end and line.n_words <= 8:
        return "navigation repeated above and below the article"
    return None


def _short_footer(line: Line) -> bool:
    return line.zone == "bottom" and line.n_words <= 3 and not line.sentence_end \
        and not _ANY_PUNCT.search(line.text) and not any(ch.isdigit() for ch in line.text)


def find_boilerplate(lines: list[Line], after_removed: set[int] | None = None) -> dict[int, str]:
    """Index -> reason for every boilerplate line (zones must be assigned).

    `after_removed` holds indices of lines already taken out (declared sources):
    a short footer line is dropped only inside such a run of furniture, so a
    closing byline or a last short heading under the article survives.
    """
    zones: dict[str, set[str]] = {}
    for line in lines:
        zones.setdefault(line.text.strip().lower(), set()).add(line.zone)
    out: dict[int, str] = {}
    removed = set(after_removed or ())
    for i, line in enumerate(lines):
        reason = classify(line, {"top", "bottom"} <= zones[line.text.strip().lower()])
        if reason is None and _short_footer(line) and (i - 1) in removed:
            reason = "short line inside footer furniture"
        if reason:
            out[i] = reason
            removed.add(i)
    return out
