"""kill -9 during `echolot ingest` leaves a consistent store; the re-run finishes without duplicates."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

N_FILES = 1500


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_kill_9_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(N_FILES):
        (folder / f"{i:05d}.txt").write_text(
            f"Meldung Nummer {i}\n\nDer Sprecher sagte am Morgen, Nummer {i} sei eingetroffen und werde geprüft. "
            f"Die Behörde kündigte für Donnerstag weitere Angaben zur Meldung {i} an.")
    db = tmp_path / "store.db"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    command = [sys.executable, "-m", "echolot", "--db", str(db), "--set", "ingest.batch_size=50",
               "ingest", str(folder), "--no-analyze"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and _count(db) < 100:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the folder bigger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 0 < partial < N_FILES
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert partial % 50 == 0  # whole batches only: one transaction each
    done = subprocess.run(command + ["--json"], env=env, capture_output=True, text=True, check=True)
    assert '"ingested": ' + str(N_FILES - partial) in done.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (N_FILES, N_FILES)
        fts = conn.execute("SELECT COUNT(*) FROM articles_fts").fetchone()[0]
        assert fts == N_FILES
