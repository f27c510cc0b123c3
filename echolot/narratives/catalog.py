"""Narrative catalogs: the file format, its validation, and converters from label lists.

A catalog is a YAML (or JSON) file:

    name: my catalog                      # optional
    narratives:
      - id: foreign-instigation           # unique across the whole catalog
        name: Foreign powers instigated the unrest
        description: One sentence saying what the narrative asserts.
        label: "URW: ..."                 # optional: the label written by `predict narratives`
        examples:                         # statements, by language (or a plain list)
          en: ["The West is behind the protests."]
          de: ["Der Westen steckt hinter den Protesten."]
        subnarratives: [ ...same shape, nested... ]

Why examples by language: the matcher embeds every example with a multilingual
encoder; one example per language in the corpus keeps the similarity scale even
across languages (a German sentence scores a little higher against German examples).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator

import yaml

DEFAULT_CATALOG = Path(__file__).parent / "catalog.yaml"
DEFAULT_BACKGROUND = Path(__file__).parent / "background.yaml"
_ID_OK = re.compile(r"^[^\s\n][^\n]*$")


class CatalogError(ValueError):
    """A catalog that cannot be used; the message is one line naming file and place."""


@dataclass
class Narrative:
    id: str
    name: str
    description: str = ""
    examples: dict[str, list[str]] = field(default_factory=dict)  # lang -> statements
    subnarratives: list[Narrative] = field(default_factory=list)
    label: str | None = None
    parent: str | None = None
    threshold: float | None = None  # overrides the global match threshold

    @property
    def display_label(self) -> str:
        return self.label or self.id

    def statements(self) -> list[tuple[str | None, str]]:
        """(lang, text) of everything the matcher embeds for this narrative."""
        out: list[tuple[str | None, str]] = [(lang, t) for lang, items in self.examples.items() for t in items]
        if not out:  # zero-shot: the name (and description) stand in for examples
            out.append((None, self.name))
            if self.description:
                out.append((None, self.description))
        return out

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.label:
            data["label"] = self.label
        if self.description:
            data["description"] = self.description
        if self.threshold is not None:
            data["threshold"] = self.threshold
        if self.examples:
            data["examples"] = {lang: list(items) for lang, items in self.examples.items()}
        if self.subnarratives:
            data["subnarratives"] = [child.to_dict() for child in self.subnarratives]
        return data


def default_background() -> dict[str, list[str]]:
    """The shipped neutral statements (see background.yaml for why they exist)."""
    data = yaml.safe_load(DEFAULT_BACKGROUND.read_text(encoding="utf-8")) if DEFAULT_BACKGROUND.is_file() else {}
    return _examples(data, str(DEFAULT_BACKGROUND))


@dataclass
class Catalog:
    narratives: list[Narrative]
    name: str = ""
    path: str | None = None
    background: dict[str, list[str]] = field(default_factory=default_background)

    def walk(self) -> Iterator[Narrative]:
        """Every narrative, parents before their subnarratives."""
        stack = list(reversed(self.narratives))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.subnarratives))

    def by_id(self) -> dict[str, Narrative]:
        return {n.id: n for n in self.walk()}

    def root_of(self, narrative_id: str) -> str:
        index = self.by_id()
        node = index.get(narrative_id)
        while node is not None and node.parent:
            node = index.get(node.parent)
        return node.id if node else narrative_id

    def descendants(self, narrative_id: str) -> list[str]:
        node = self.by_id().get(narrative_id)
        if node is None:
            return []
        out, stack = [], list(node.subnarratives)
        while stack:
            child = stack.pop()
            out.append(child.id)
            stack.extend(child.subnarratives)
        return out

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.name:
            data["name"] = self.name
        data["narratives"] = [n.to_dict() for n in self.narratives]
        if self.background != default_background():
            data["background"] = self.background
        return data

    def dump(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=110),
                            encoding="utf-8")


# -- parsing and validation ---------------------------------------------------------------

def _examples(raw: Any, where: str) -> dict[str, list[str]]:
    """Accept {lang: [..]}, {lang: "one"}, ["plain", ...] or [{"lang":..,"text":..}]."""
    if raw is None:
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    if isinstance(raw, dict):
        for lang, items in raw.items():
            items = [items] if isinstance(items, str) else items
            if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
                raise CatalogError(f"{where}: examples for {lang!r} must be a string or a list of strings")
            out[str(lang)].extend(t.strip() for t in items if t.strip())
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                out["und"].append(item.strip())
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                out[str(item.get("lang") or "und")].append(item["text"].strip())
            else:
                raise CatalogError(f"{where}: each example must be a string or {{lang, text}}")
    else:
        raise CatalogError(f"{where}: 'examples' must be a mapping lang -> list or a list")
    return {k: v for k, v in out.items() if v}


def _parse_node(raw: Any, where: str, parent: str | None, seen: set[str]) -> Narrative:
    if not isinstance(raw, dict):
        raise CatalogError(f"{where}: a narrative must be a mapping with id and name")
    nid = raw.get("id")
    if not isinstance(nid, str) or not nid.strip() or not _ID_OK.match(nid.strip()):
        raise CatalogError(f"{where}: missing or invalid 'id' (a non-empty one-line string)")
    nid = nid.strip()
    where = f"{where} ({nid!r})"
    if nid in seen:
        raise CatalogError(f"{where}: duplicate id")
    seen.add(nid)
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CatalogError(f"{where}: missing 'name'")
    unknown = set(raw) - {"id", "name", "description", "examples", "subnarratives", "label", "threshold"}
    if unknown:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    threshold = raw.get("threshold")
    if threshold is not None and not (isinstance(threshold, (int, float)) and -1.0 <= threshold <= 1.0):
        raise CatalogError(f"{where}: 'threshold' must be a number in [-1, 1]")
    children_raw = raw.get("subnarratives") or []
    if not isinstance(children_raw, list):
        raise CatalogError(f"{where}: 'subnarratives' must be a list")
    node = Narrative(id=nid, name=name.strip(), description=str(raw.get("description") or "").strip(),
                     examples=_examples(raw.get("examples"), where), label=raw.get("label"),
                     parent=parent, threshold=float(threshold) if threshold is not None else None)
    node.subnarratives = [_parse_node(child, f"{where} > subnarrative #{i + 1}", nid, seen)
                          for i, child in enumerate(children_raw)]
    return node


def parse_catalog(data: Any, source: str = "catalog") -> Catalog:
    """Validate a decoded catalog document; raise CatalogError with one clear line."""
    if isinstance(data, list):
        data = {"narratives": data}
    if not isinstance(data, dict) or not isinstance(data.get("narratives"), list):
        raise CatalogError(f"{source}: expected a mapping with a 'narratives' list")
    if not data["narratives"]:
        raise CatalogError(f"{source}: the catalog has no narratives")
    seen: set[str] = set()
    nodes = [_parse_node(raw, f"{source}: narrative #{i + 1}", None, seen) for i, raw in enumerate(data["narratives"])]
    unknown = set(data) - {"name", "narratives", "background", "description", "version"}
    if unknown:
        raise CatalogError(f"{source}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    catalog = Catalog(narratives=nodes, name=str(data.get("name") or ""), path=source)
    if data.get("background") is not None:
        catalog.background = _examples(data["background"], f"{source}: background")
    return catalog


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load a YAML/JSON catalog (default: the shipped one); taxonomy label lists convert on the fly."""
    path = Path(path) if path else DEFAULT_CATALOG
    if not path.is_file():
        raise CatalogError(f"catalog not found: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CatalogError(f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {first}") from None
    if isinstance(data, dict) and "narratives" in data and data["narratives"] and \
            all(isinstance(x, str) for x in data["narratives"]):
        return from_taxonomy(data, source=str(path))
    return parse_catalog(data, str(path))


# -- converters -----------------------------------------------------------------------------

def slug(text: str) -> str:
    out = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return out or "x"


def _taxonomy_labels(data: Any) -> tuple[list[str], list[str], dict[str, str]]:
    if isinstance(data, list):
        labels = [str(x) for x in data]
        return labels, [], {}
    if not isinstance(data, dict):
        raise CatalogError("taxonomy: expected a list of labels or a mapping with 'narratives'")
    narratives = [str(x) for x in data.get("narratives") or []]
    subs = [str(x) for x in data.get("subnarratives") or []]
    domains = {str(k): str(v) for k, v in (data.get("domains") or {}).items()}
    if not narratives and not subs:
        raise CatalogError("taxonomy: no 'narratives' labels found")
    return narratives, subs, domains


def from_taxonomy(data: Any, source: str = "taxonomy") -> Catalog:
    """Labels like "DOMAIN: Narrative" / "DOMAIN: Narrative: Sub" become a nested catalog.

    "Other" and "...: Other" carry no content to match, so they are not narratives:
    the predictor writes them when nothing (or no specific sub-narrative) matches.
    Labels serve as names; the matcher embeds the name (and the domain-qualified
    description) when a node has no examples (zero-shot).
    """
    narratives, subs, domains = _taxonomy_labels(data)
    nodes: dict[str, Narrative] = {}
    order: list[str] = []

    def ensure(label: str) -> Narrative | None:
        parts = [p.strip() for p in label.split(":")]
        if not parts[-1] or parts[-1].lower() == "other":
            return None
        if label in nodes:
            return nodes[label]
        parent_label = ": ".join(parts[:-1]) if len(parts) > 2 else None
        parent = ensure(parent_label) if parent_label else None
        domain = domains.get(parts[0], parts[0]) if len(parts) > 1 else ""
        name = parts[-1]
        description = f"{domain}: {parent.name + ': ' if parent else ''}{name}" if domain else name
        node = Narrative(id=slug(label), name=name, description=description, label=label,
                         parent=parent.id if parent else None)
        nodes[label] = node
        if parent is not None:
            parent.subnarratives.append(node)
        else:
            order.append(label)
        return node

    for label in narratives + subs:
        ensure(label)
    catalog = Catalog(narratives=[nodes[k] for k in order], name=f"taxonomy from {source}", path=source)
    _check_unique(catalog, source)
    return catalog


def _check_unique(catalog: Catalog, source: str) -> None:
    counts = Counter(n.id for n in catalog.walk())
    dup = [k for k, c in counts.items() if c > 1]
    if dup:
        raise CatalogError(f"{source}: duplicate id(s) after conversion: {', '.join(dup[:5])}")


def from_claims(records: Iterable[dict[str, Any]], min_claims: int = 5, max_groups: int = 100,
                max_examples: int = 25, source: str = "claims") -> Catalog:
    """EUvsDisinfo-style claims grouped by keyword: one narrative per frequent keyword.

    A claim's title (and the first sentence of its summary when present) becomes an
    example statement; claims carry several keywords and so feed several groups. The
    most recent claims are kept as examples: they describe the narrative as it is told now.
    """
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    names: dict[str, str] = {}
    for record in records:
        title = str(record.get("title") or "").strip().rstrip("…").strip()
        if not title:
            continue
        for keyword in record.get("keywords") or []:
            key = slug(str(keyword))
            if key == "x":
                continue
            groups[key].append(record)
            names.setdefault(key, str(keyword).strip())
    ranked = sorted((k for k in groups if len(groups[k]) >= min_claims), key=lambda k: (-len(groups[k]), k))
    if not ranked:
        raise CatalogError(f"{source}: no keyword has at least {min_claims} claims")
    nodes = []
    for key in ranked[:max_groups]:
        claims = sorted(groups[key], key=lambda r: str(r.get("date") or ""), reverse=True)
        examples: list[str] = []
        for claim in claims:
            title = str(claim.get("title") or "").strip().rstrip("…").strip()
            if title and title not in examples:
                examples.append(title)
            if len(examples) >= max_examples:
                break
        nodes.append(Narrative(id=f"kw-{key}", name=names[key],
                               description=f"claims tagged '{names[key]}' ({len(claims)} claims)",
                               examples={"en": examples}))
    return Catalog(narratives=nodes, name=f"claims by keyword from {source}", path=source)


def convert(kind: str, path: Path, **options: Any) -> Catalog:
    """Build a catalog from a taxonomy JSON or a claims JSONL file."""
    path = Path(path)
    if not path.is_file():
        raise CatalogError(f"not found: {path}")
    if kind == "taxonomy":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{path}: not valid JSON: {exc.msg} (line {exc.lineno})") from None
        return from_taxonomy(data, source=str(path))
    if kind == "claims":
        def records() -> Iterator[dict[str, Any]]:
            with open(path, encoding="utf-8") as handle:
                for lineno, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        raise CatalogError(f"{path}:{lineno}: not valid JSON") from None
        return from_claims(records(), source=str(path), **options)
    raise CatalogError(f"unknown converter {kind!r}; choose taxonomy or claims")
