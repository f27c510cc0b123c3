"""Supervised narrative labels: tokenizer, hierarchy, determinism, link unification (no encoder needed)."""
from __future__ import annotations

import numpy as np

from echolot.narratives.stage import unify_hits
from echolot.narratives.labelling import groups, unify
from echolot.narratives.features import full_text, tfidf, tokenize
from echolot.narratives.supervised import MODEL_PATH, NarrativeModel, decide_row, sub_parent
from echolot.training.narratives import Hyper, fit

LABELS = ["URW: Blame", "URW: Praise"]
SUBS = ["URW: Blame: The West is to blame", "URW: Praise: Praise of the army"]


def test_tokenize_keeps_devanagari_words_whole() -> None:
    assert tokenize("रूस ने यूक्रेन पर हमला किया") == ["रूस", "ने", "यूक्रेन", "पर", "हमला", "किया"]
    assert tokenize("Die NATO-Osterweiterung, 2022!") == ["die", "nato", "osterweiterung"]


def test_hierarchy_sub_implies_narrative_and_other() -> None:
    parents = [0, 1]
    cuts, sub_cuts = np.array([0.5, 0.5]), np.array([0.5, 0.5])
    assert decide_row(np.array([0.1, 0.2]), np.array([0.1, 0.1]), LABELS, SUBS, parents, cuts, sub_cuts) == \
        (["Other"], ["Other"])
    assert decide_row(np.array([0.9, 0.2]), np.array([0.1, 0.1]), LABELS, SUBS, parents, cuts, sub_cuts) == \
        (["URW: Blame"], ["URW: Blame: Other"])
    assert decide_row(np.array([0.1, 0.2]), np.array([0.1, 0.8]), LABELS, SUBS, parents, cuts, sub_cuts) == \
        (["URW: Praise"], ["URW: Praise: Praise of the army"])
    assert sub_parent(SUBS[0], LABELS) == "URW: Blame"


def _toy(n: int = 40) -> tuple[np.ndarray, list[dict]]:
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(n, 8)).astype(np.float32)
    records = []
    for i in range(n):
        blame = i % 2 == 0
        emb[i, 0] += 2.0 if blame else -2.0
        records.append({"id": f"a{i:02d}", "text": ("the west is to blame " if blame else "glorious army parade ") * 3,
                        "narratives": ["URW: Blame"] if blame else ["URW: Praise"],
                        "subnarratives": [SUBS[0]] if blame else ["URW: Praise: Other"]})
    return emb, records


def test_fit_is_deterministic_byte_for_byte(tmp_path) -> None:  # type: ignore[no-untyped-def]
    emb, records = _toy()
    cfg = Hyper(C_emb=1.0, C_txt=4.0, weight=0.5, folds=4)
    paths = []
    for k in range(2):
        model = fit(emb, records, LABELS, SUBS, cfg)
        paths.append(tmp_path / f"m{k}.npz")
        model.save(paths[-1])
    assert paths[0].read_bytes() == paths[1].read_bytes()
    loaded = NarrativeModel.load(paths[0])
    preds = loaded.predict(emb, tfidf([full_text(r) for r in records], loaded.vocabulary, loaded.idf))
    right = sum(p[0] == r["narratives"] for p, r in zip(preds, records))
    assert right >= 36  # separable toy data
    assert all(s == "URW: Praise: Other" for p, r in zip(preds, records) if p[0] == ["URW: Praise"] for s in p[1])


def test_unify_gives_one_label_set_per_link_component() -> None:
    ids = ["a", "b", "c"]
    component = groups(ids, [("b", "a")])
    assert component == {"a": "a", "b": "a", "c": "c"}
    p = np.array([[0.9, 0.1], [0.3, 0.1], [0.2, 0.8]])
    q = np.zeros((3, 2))
    pu, _ = unify(p, q, ids, component)
    assert np.allclose(pu[0], pu[1]) and np.allclose(pu[0], [0.6, 0.1]) and np.allclose(pu[2], p[2])


def test_unify_hits_carries_narratives_and_rolls_up_stance() -> None:
    def hit(aid: str, nid: str, stance: str, score: float) -> dict:
        return {"article_id": aid, "narrative_id": nid, "stance": stance, "score": score, "sentence": "s",
                "outlet": aid.upper(), "lang": "de" if aid == "a" else "en", "published": None}

    by_article = {"a": [hit("a", "n1", "endorse", 0.7)], "b": [hit("b", "n1", "deny", 0.6), hit("b", "n2", "report", 0.8)],
                  "c": [hit("c", "n3", "endorse", 0.9)]}
    out = unify_hits(by_article, {"a": "a", "b": "a", "c": "c"})
    assert {h["narrative_id"]: h["stance"] for h in out["a"]} == {"n1": "deny", "n2": "report"}
    assert {h["narrative_id"]: h["stance"] for h in out["b"]} == {"n1": "deny", "n2": "report"}
    carried = next(h for h in out["a"] if h["narrative_id"] == "n2")
    assert carried["carried_from"] == "b" and carried["outlet"] == "A" and carried["lang"] == "de"
    assert out["c"] == by_article["c"]


def test_shipped_model_and_its_training_record() -> None:
    from echolot.training.record import RECORD_SUFFIX, read_record, stale_outputs

    model = NarrativeModel.load(MODEL_PATH)
    path = MODEL_PATH.with_name("narratives" + RECORD_SUFFIX)
    record = read_record(path)
    assert stale_outputs(path) == []
    assert record.settings["encoder"] == model.encoder
    assert record.notes["articles"] + record.notes["final_articles_left_out"] == 328  # final never trained on
    assert len(model.labels) == 21 and all(sub_parent(s, model.labels) for s in model.sublabels)
    assert MODEL_PATH.stat().st_size < 5e6
