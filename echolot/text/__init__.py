"""Language, paragraphs and sentences: shared text utilities every stage uses."""
from __future__ import annotations

from echolot.model import Article
from echolot.settings import TextSettings
from echolot.text.lang import DECLARED, chosen_language, detect_language, detect_paragraph_languages, language_code
from echolot.text.sentences import split_paragraphs, split_sentences, split_sentences_in_paragraph

__all__ = [
    "DECLARED", "annotate", "chosen_language", "detect_language", "detect_paragraph_languages", "language_code",
    "split_paragraphs",
    "split_sentences", "split_sentences_in_paragraph",
]


def annotate(article: Article, settings: TextSettings | None = None) -> Article:
    """Fill language, paragraphs, paragraph languages and sentences of a cleaned article.

    The language is detected unless the user chose it (`text.lang`, `--lang`): a record's
    declared `lang` (kept as `meta["declared_lang"]`) is used only with `--lang declared`,
    because scraped metadata is often wrong and the evaluation corpora forbid using it.
    """
    settings = settings or TextSettings()
    article.paragraphs = split_paragraphs(article.text)
    chosen = chosen_language(settings.lang, article.meta.get("declared_lang"))
    if chosen:
        article.lang = chosen
        article.paragraph_langs = [chosen] * len(article.paragraphs)
    else:
        full = ((article.title or "") + "\n" + article.text).strip()
        article.lang, _ = detect_language(full)
        article.paragraph_langs = detect_paragraph_languages(article.paragraphs, article.lang, settings.lang_min_chars)
    article.sentences = split_sentences(article.text, article.paragraph_langs)
    return article
