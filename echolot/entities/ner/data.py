"""CoNLL reading and writing for the NER models (training, `echolot eval ner`, `echolot predict ner`).

Which sentences train a model and which are the dev part is decided in one place,
`echolot.eval.splits` (`ner_is_dev`), not here: runtime code never needs the split.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

Sentence = list[tuple[str, str]]


def read_conll(path: Path) -> list[Sentence]:
    """Sentences of (token, tag) pairs; the tag is the last column, a missing tag reads as 'O'."""
    sentences: list[Sentence] = []
    current: Sentence = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                if current:
                    sentences.append(current)
                    current = []
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if not parts:
                raise ValueError(f"{path}:{lineno}: cannot read token line {line!r}")
            current.append((parts[0], parts[-1].strip() if len(parts) > 1 else "O"))
    if current:
        sentences.append(current)
    return sentences


def write_conll(path: Path, sentences: Iterable[Sequence[tuple[str, str]]]) -> None:
    """Write `token<TAB>tag` lines with a blank line after every sentence."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for sentence in sentences:
            for token, tag in sentence:
                handle.write(f"{token}\t{tag}\n")
            handle.write("\n")
