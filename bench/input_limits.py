"""Peak memory and time of hostile inputs: a 10 MB line through read+clean+annotate, 50 MB single
lines in each reader, and a 2 GiB gzip bomb in a WARC, each in a fresh process.

Baseline per case: a process that imports the same modules and reads the whole file into
memory once (`open(path, "rb").read()`), i.e. the least any reader that reads it whole needs.
Peak RSS is the process's VmHWM (/proc/self/status); "imports" is VmHWM before the case ran.

    python bench/input_limits.py          # prints one line per case: peak RSS (MiB), seconds, outcome
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ingest"))

CHILD = r"""
import json, sys, time

def hwm():  # peak resident set of this process image, MiB (ru_maxrss would carry the parent's across exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

sys.path.insert(0, {root!r})
from echolot.ingest import read_sources
from echolot.model import RawDocument, Rejection
from echolot.pipeline import prepare
from echolot.clean import CleanError
from echolot.settings import Settings
import echolot.text.lang  # imported by both runs, so the baseline carries the same code
path, mode = sys.argv[1], sys.argv[2]
start_rss = hwm()
started = time.perf_counter()
if mode == "baseline":
    data = open(path, "rb").read()
    outcome = f"read {{len(data):,}} bytes"
else:
    outcome = []
    for item in read_sources([path], Settings()):
        if isinstance(item, Rejection):
            outcome.append("rejected: " + item.reason[:90])
            continue
        try:
            article = prepare(item, Settings())
            outcome.append(f"article of {{len(article.text):,}} chars, {{len(article.sentences)}} sentences, "
                           f"{{len(article.meta.get('notes', []))}} notes")
        except CleanError as exc:
            outcome.append("rejected: " + str(exc)[:90])
    outcome = "; ".join(outcome)
elapsed = time.perf_counter() - started
peak = hwm()
print(json.dumps({{"peak_mib": round(peak, 1), "before_mib": round(start_rss, 1),
                  "seconds": round(elapsed, 2), "outcome": outcome}}))
"""


def _run(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), str(path), mode],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from test_limits import MB, _bomb_warc, _one_line, _write_line

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cases = []
        ten = root / "line10mb.txt"
        ten.write_text(_one_line(10 * MB), encoding="utf-8")
        cases.append(("10 MB single line, .txt (read+clean+annotate)", ten))
        for name, prefix, suffix in [
            ("line50mb.txt", b"", b""),
            ("line50mb.jsonl", b'{"id": "1", "text": "', b'"}\n{"id": "2", "text": "short but kept"}\n'),
            ("line50mb.csv", b'id,text\n1,"', b'"\n2,short but kept\n'),
        ]:
            path = root / name
            _write_line(path, prefix, 50 * MB, suffix)
            cases.append((f"50 MB single line, {name.split('.')[-1]}", path))
        bomb = root / "bomb.warc.gz"
        _bomb_warc(bomb, 2048 * MB)
        cases.append((f"gzip bomb WARC ({bomb.stat().st_size / MB:.1f} MB -> 2 GiB)", bomb))
        print(f"{'case':52} {'imports':>8} {'peak RSS':>9} {'baseline':>9} {'seconds':>8}  outcome")
        for label, path in cases:
            ours, base = _run(path, "echolot"), _run(path, "baseline")
            print(f"{label:52} {ours['before_mib']:7.1f}M {ours['peak_mib']:8.1f}M {base['peak_mib']:8.1f}M "
                  f"{ours['seconds']:8.2f}  {ours['outcome']}")


if __name__ == "__main__":
    main()
