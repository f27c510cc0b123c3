"""CoNLL reading/writing and the fixed train / held-out split of the NER models we train.

The split is a hash of the sentence's tokens, not a random draw, so the training script
and the evaluator agree on it without sharing state, and it does not move when a file
is re-ordered or extended.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

Sentence = list[tuple[str, str]]
HELD_OUT_PERCENT = 20


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


def is_held_out(tokens: Sequence[str], percent: int = HELD_OUT_PERCENT) -> bool:
    """True for the sentences kept out of training: sha1 of the space-joined tokens, mod 100."""
    digest = hashlib.sha1(" ".join(tokens).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < percent


def split(sentences: Sequence[Sentence], percent: int = HELD_OUT_PERCENT) -> tuple[list[Sentence], list[Sentence]]:
    """(train, held_out) by `is_held_out`."""
    train: list[Sentence] = []
    held: list[Sentence] = []
    for sentence in sentences:
        (held if is_held_out([t for t, _ in sentence], percent) else train).append(sentence)
    return train, held
