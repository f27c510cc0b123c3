"""Score provenance predictions on two fixed halves of a dev set: "tune" and "held-out" (issue #12).

    python bench/provenance_split.py ../shared/data/provenance/dev-languages PRED.jsonl

Gold groups go to a half by a hash of their group id (crc32 % 2), singletons by a hash of their
article id, and only links with both ends in a half count for it. Thresholds for the e5 path were
chosen on the "tune" half only, so the "held-out" figures were not used to decide anything.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def half_of(key: str) -> str:
    return "tune" if zlib.crc32(key.encode("utf-8")) % 2 == 0 else "held-out"


def main(task: Path, pred: Path) -> dict[str, dict]:
    corpus, gold = _rows(task / "corpus.jsonl"), _rows(task / "gold.jsonl")
    links = _rows(pred)
    grouped = {m["id"]: half_of(g["group"]) for g in gold for m in g["members"]}
    side = {r["id"]: grouped.get(r["id"], half_of(r["id"])) for r in corpus}
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for half in ("tune", "held-out"):
            d = Path(tmp) / half
            d.mkdir()
            _write(d / "corpus.jsonl", [r for r in corpus if side[r["id"]] == half])
            _write(d / "gold.jsonl", [g for g in gold if half_of(g["group"]) == half])
            _write(d / "pred.jsonl", [x for x in links if side.get(x["a"]) == half and side.get(x["b"]) == half])
            subprocess.run([sys.executable, str(task.parent / "score.py"), str(d / "corpus.jsonl"),
                            str(d / "gold.jsonl"), str(d / "pred.jsonl"), "--out", str(d / "s.json")],
                           check=True, capture_output=True)
            s = json.loads((d / "s.json").read_text("utf-8"))
            out[half] = {k: s[k]["f1"] for k in ("pairwise", "pairwise_same_lang", "pairwise_cross_lang")}
            print(half, json.dumps(out[half]))
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
