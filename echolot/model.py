"""The records every stage exchanges.

Stages never reach into each other's internals: they read and write these plain
dataclasses (and the store). Keeping them free of behaviour means the same record
travels unchanged through the CLI, the server, a test and a Spark task.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RawDocument:
    """One input item as read from a source, before any cleaning.

    `body` is text (already decoded) and `kind` says how to read it: "text" for
    pre-scraped plain text, "html" for a web page. Metadata given by the source
    (a JSONL record's title, a feed entry's date) travels in the optional fields
    and wins over anything guessed from the body.
    """

    origin: str  # file path, URL or "path:line" that produced it
    body: str
    kind: str = "text"  # "text" | "html"
    title: str | None = None
    published: str | None = None  # ISO 8601
    source: str | None = None  # outlet / host / user-given source name
    url: str | None = None
    lang: str | None = None  # declared language (never trusted for prediction)
    external_id: str | None = None  # id given by the input (JSONL "id")
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Sentence:
    """One sentence of an article, addressed by (article_id, index)."""

    index: int
    paragraph: int
    text: str
    lang: str | None = None
    start: int = 0  # character offset in Article.text
    end: int = 0


@dataclass
class Article:
    """A cleaned article: the unit every later stage works on."""

    id: str  # content hash (stable: re-ingesting the same text gives the same id)
    text: str  # cleaned body, paragraphs separated by "\n\n"
    title: str | None = None
    published: str | None = None  # ISO 8601, never invented
    source: str | None = None  # outlet name or host
    url: str | None = None
    lang: str | None = None  # ISO 639-1 of the whole article
    declared_sources: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    paragraph_langs: list[str | None] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    origin: str | None = None
    external_id: str | None = None
    removed: list[str] = field(default_factory=list)  # boilerplate lines dropped by cleaning
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Rejection:
    """An input item that could not be ingested, with the reason shown to the user."""

    origin: str
    reason: str


@dataclass
class AlignedPair:
    """Evidence for a reuse link: sentence i of `a` matches sentence j of `b`."""

    a_index: int | None  # None: sentence only in b (added)
    b_index: int | None  # None: sentence only in a (dropped)
    score: float
    a_text: str = ""
    b_text: str = ""
    op: str = "same"  # same | changed | added | dropped


@dataclass
class ReuseLink:
    """`source` -> `target`: target is a copy or translation of source.

    When the direction is unknown, `directed` is False and source/target are in id
    order. `reason` is a short human sentence that explains the direction.
    """

    source: str
    target: str
    kind: str  # "copy" | "translation"
    score: float  # share of sentences aligned, 0..1
    confidence: float = 0.5  # confidence in the direction
    directed: bool = True
    reason: str = ""
    evidence: list[AlignedPair] = field(default_factory=list)


@dataclass
class StoryAssignment:
    """Article joined story `story_id`; `reason` says why (nearest member, score)."""

    article_id: str
    story_id: str
    score: float = 0.0
    reason: str = ""


@dataclass
class Mention:
    """A named-entity mention in one article."""

    article_id: str
    text: str
    type: str  # PER | ORG | LOC | MISC
    start: int
    end: int
    lang: str | None = None
    entity_id: str | None = None  # canonical entity after merging


@dataclass
class Entity:
    """A canonical entity with all its surface variants across languages."""

    id: str
    name: str  # preferred display name
    type: str
    variants: list[str] = field(default_factory=list)
    merge_reasons: list[str] = field(default_factory=list)
    mention_count: int = 0


@dataclass
class Quote:
    """A direct or indirect quotation with its speaker."""

    article_id: str
    content: str
    content_span: tuple[int, int]
    kind: str = "direct"  # direct | indirect
    speaker: str | None = None  # surface form in the article
    speaker_span: tuple[int, int] | None = None
    speaker_entity: str | None = None  # canonical entity id
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    lang: str | None = None
    id: str | None = None


@dataclass
class NarrativeHit:
    """An article sentence that matches a catalog narrative."""

    article_id: str
    narrative_id: str
    sentence: str
    score: float
    stance: str = "endorse"  # endorse | deny | report
    sentence_index: int | None = None
    actor: str | None = None
    target: str | None = None
