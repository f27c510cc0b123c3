"""`echolot check`: is the store whole, and what can be put right?

Checks, each through the `Store` protocol so every backend gets them:
  1. the backend's own structures (`index_problems`: page integrity, full-text index
     against the articles),
  2. orphans: rows that name an article that is not stored (`orphans`),
  3. stage marks whose results are missing (an article marked done by `stories` with
     no story, by `quotes` with no quotes record, ...): the mark is not trusted,
  4. completeness: every article done or failed by every stage (pending = not yet),
  5. failures: the articles a stage failed on, with the error (listed; a problem only
     with `strict`, since a recorded failure is the pipeline working as designed).

`repair` drops orphans, rebuilds the full-text index and resets untrusted marks so the
next `echolot ingest` redoes that work; it never deletes an article or analyses anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from echolot.store.base import Store

# per stage, the done article ids that lack the result the stage always writes for an article
_Missing = Callable[[Store, set[str]], set[str]]


def _missing_vectors(store: Store, done: set[str]) -> set[str]:
    ids = sorted(done)
    found: set[str] = set()
    for i in range(0, len(ids), 2000):
        keys = [f"reuse.lv:{a}" for a in ids[i:i + 2000]]
        found |= {k.split(":", 1)[1] for k in store.get_vectors(keys)}
    return done - found


def _missing_annotation(kind: str) -> _Missing:
    return lambda store, done: done - store.annotated_ids(kind)


def _missing_story(store: Store, done: set[str]) -> set[str]:
    return done - {a.article_id for a in store.story_assignments()}


STAGE_RESULTS: dict[str, _Missing] = {
    "reuse": _missing_vectors,  # the lead vector every linked article gets
    "stories": _missing_story,
    "entities": _missing_annotation("ner_status"),
    "quotes": _missing_annotation("quotes"),
    "narratives": _missing_annotation("narratives"),
}


@dataclass
class Problem:
    kind: str  # integrity | index | orphans | untrusted_marks | pending | failed
    detail: str
    count: int = 1
    repairable: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "count": self.count, "repairable": self.repairable}


@dataclass
class CheckReport:
    articles: int = 0
    stages: dict[str, dict[str, int]] = field(default_factory=dict)  # stage -> done/failed/pending
    problems: list[Problem] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    strict: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not (self.strict and self.failed)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "articles": self.articles, "stages": self.stages,
                "problems": [p.to_dict() for p in self.problems], "failed": self.failed,
                "repaired": self.repaired}

    def text(self) -> str:
        lines = [f"articles: {self.articles}"]
        lines += [f"{stage}: {c['done']} done, {c['failed']} failed, {c['pending']} pending"
                  for stage, c in self.stages.items()]
        lines += [f"repaired: {r}" for r in self.repaired]
        lines += [f"PROBLEM {p.kind}: {p.detail}" + (" (repairable: --repair)" if p.repairable else "")
                  for p in self.problems]
        if self.failed:
            lines.append(f"failed: {len(self.failed)} (retry with `echolot ingest --retry-failed`)")
            lines += [f"  {f['stage']} {f['article_id']}: {f['error']}" for f in self.failed]
        lines.append("ok" if self.ok else "NOT OK")
        return "\n".join(lines)


def _stage_names() -> list[str]:
    from echolot.pipeline import STAGES

    return [stage for stage, _, _ in STAGES]


def _untrusted(store: Store, stage: str) -> set[str]:
    missing = STAGE_RESULTS.get(stage)
    return missing(store, store.done_ids(stage)) if missing else set()


def check(store: Store, strict: bool = False, stages: list[str] | None = None) -> CheckReport:
    """Inspect the store; nothing is written."""
    report = CheckReport(articles=store.count_articles(), strict=strict)
    for line in store.index_problems():
        kind = "index" if line.startswith("full-text") else "integrity"
        report.problems.append(Problem(kind, line, repairable=kind == "index"))
    for table, count in store.orphans().items():
        report.problems.append(Problem("orphans", f"{count} row(s) in {table} name an article that is not stored",
                                       count, repairable=True))
    for stage in stages or _stage_names():
        failed = store.failed(stage)
        pending = store.pending(stage)
        report.stages[stage] = {"done": len(store.done_ids(stage)), "failed": len(failed), "pending": len(pending)}
        untrusted = _untrusted(store, stage)
        if untrusted:
            report.problems.append(Problem(
                "untrusted_marks", f"{stage}: {len(untrusted)} article(s) marked done without the stage's result"
                f" (e.g. {min(untrusted)})", len(untrusted), repairable=True))
        if pending:
            report.problems.append(Problem(
                "pending", f"{stage}: {len(pending)} article(s) not analysed yet (e.g. {pending[0]});"
                " `echolot ingest --retry-failed` analyses them", len(pending)))
        report.failed.extend(failed)
    return report


def repair(store: Store, strict: bool = False, stages: list[str] | None = None) -> CheckReport:
    """Fix what can be fixed without analysing anything, then check again; the report says what was done."""
    done: list[str] = []
    dropped = store.drop_orphans()
    done += [f"dropped {n} orphan row(s) from {table}" for table, n in dropped.items()]
    if any(line.startswith("full-text") for line in store.index_problems()):
        store.rebuild_index()
        done.append("rebuilt the full-text index from the articles")
    for stage in stages or _stage_names():
        untrusted = _untrusted(store, stage)
        if untrusted:
            n = store.unmark(stage, untrusted)
            done.append(f"{stage}: reset {n} mark(s) without results; the next `echolot ingest` redoes them")
    report = check(store, strict=strict, stages=stages)
    report.repaired = done or ["nothing to repair"]
    return report
