"""The incremental clusterer on synthetic vectors: joins, windows, debiasing, state round trip."""
from __future__ import annotations

import numpy as np

from echolot.settings import StoriesSettings
from echolot.stories.cluster import Item, StoryClusterer

DIM = 64


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _stream(seed: int = 0, events: int = 20, per_event: int = 6) -> tuple[list[Item], dict[str, int]]:
    """Events with a topic direction each, over a direction all news shares (the "Olympics"
    component) and a per-language offset: the bias a multilingual encoder shows."""
    rng = np.random.default_rng(seed)
    common = _unit(rng.normal(size=DIM))
    topics = [_unit(rng.normal(size=DIM)) for _ in range(events)]
    bias = {"en": _unit(rng.normal(size=DIM)), "de": _unit(rng.normal(size=DIM))}
    items, gold = [], {}
    for e, topic in enumerate(topics):
        for j in range(per_event):
            lang = "en" if (j + e) % 2 else "de"
            noise = rng.normal(size=DIM) * 0.5 / np.sqrt(DIM)
            vector = _unit(0.8 * common + topic + 0.8 * bias[lang] + noise)
            item_id = f"e{e}a{j}"
            items.append(Item(item_id, vector, lang, 100.0 + e * 0.3 + j * 0.05, [f"name{e}"]))
            gold[item_id] = e
    items.sort(key=lambda it: (it.time, it.id))
    return items, gold


def _purity(assigned: dict[str, str], gold: dict[str, int]) -> tuple[int, int]:
    """(number of predicted stories, number of predicted stories mixing events)."""
    by_story: dict[str, set[int]] = {}
    for item_id, story in assigned.items():
        by_story.setdefault(story, set()).add(gold[item_id])
    return len(by_story), sum(len(v) > 1 for v in by_story.values())


def test_events_in_two_languages_form_one_story_each() -> None:
    items, gold = _stream()
    clusterer = StoryClusterer(StoriesSettings(threshold=0.45), DIM)
    assigned = {it.id: clusterer.add(it).story_id for it in items}
    n_stories, mixed = _purity(assigned, gold)
    assert mixed == 0
    assert n_stories <= 24  # 20 events; debiasing lets both languages meet


def test_language_debiasing_is_what_joins_the_languages() -> None:
    items, gold = _stream()
    plain = StoryClusterer(StoriesSettings(threshold=0.45, debias=0.0, key_weight=0.0), DIM)
    debiased = StoryClusterer(StoriesSettings(threshold=0.45, debias=1.0, key_weight=0.0), DIM)
    a = {it.id: plain.add(it).story_id for it in items}
    b = {it.id: debiased.add(it).story_id for it in items}
    # without debiasing the shared direction dominates and distinct events merge
    assert _purity(a, gold)[1] > 0
    assert _purity(b, gold)[1] == 0


def test_same_order_same_result_and_reasons_name_the_nearest_member() -> None:
    items, _ = _stream(seed=3)
    runs = []
    for _ in range(2):
        clusterer = StoryClusterer(StoriesSettings(), DIM)
        runs.append([(d.story_id, d.score, d.reason) for d in map(clusterer.add, items)])
    assert runs[0] == runs[1]
    joined = [r for r in runs[0] if r[2].startswith("nearest member")]
    assert joined and all(" cos " in r[2] for r in joined)


def test_far_apart_in_time_never_join() -> None:
    vector = _unit(np.ones(DIM))
    clusterer = StoryClusterer(StoriesSettings(window_days=3.0), DIM)
    first = clusterer.add(Item("a", vector, "en", 100.0))
    near = clusterer.add(Item("b", vector, "en", 101.0))
    far = clusterer.add(Item("c", vector, "en", 110.0))
    assert near.story_id == first.story_id
    assert far.story_id != first.story_id and far.new


def test_forced_join_and_state_round_trip_continue_identically() -> None:
    items, _ = _stream(seed=5)
    half = len(items) // 2
    whole = StoryClusterer(StoriesSettings(), DIM)
    expected = [whole.add(it).story_id for it in items]
    first = StoryClusterer(StoriesSettings(), DIM)
    got = [first.add(it).story_id for it in items[:half]]
    resumed = StoryClusterer.from_bytes(first.to_bytes(), StoriesSettings())
    got += [resumed.add(it).story_id for it in items[half:]]
    assert got == expected
    forced = resumed.add(Item("copy", _unit(-np.ones(DIM)), "fr", 104.0), force=expected[0], force_reason="copy of x")
    assert forced.story_id == expected[0] and forced.reason == "copy of x"


def test_trim_forgets_old_members_but_keeps_recent_ones() -> None:
    clusterer = StoryClusterer(StoriesSettings(retain_days=5.0, trim_every=10**9), DIM)
    rng = np.random.default_rng(1)
    for day in range(20):
        clusterer.add(Item(f"a{day}", _unit(rng.normal(size=DIM)), "en", 100.0 + day))
    clusterer.trim()
    assert clusterer.story_of("a0") is None
    assert clusterer.story_of("a19") is not None
    assert len(clusterer.member_ids) <= 6


def _basis(i: int) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[i] = 1.0
    return v


def test_an_article_bridging_two_stories_merges_them_and_redirects_the_younger() -> None:
    settings = StoriesSettings(threshold=0.45, merge_threshold=0.6, debias=0.0, key_weight=0.0)
    clusterer = StoryClusterer(settings, DIM)
    first = clusterer.add(Item("a", _basis(0), "en", 100.0))
    second = clusterer.add(Item("b", _basis(1), "de", 100.1))
    assert first.story_id != second.story_id
    bridge = clusterer.add(Item("c", _unit(_basis(0) + _basis(1)), "fr", 100.2))
    assert bridge.story_id == first.story_id and bridge.merged == [second.story_id]
    assert clusterer.resolve(second.story_id) == first.story_id
    assert clusterer.story_of("b") == first.story_id
    # the merged story is no candidate any more: a copy of "b" joins the survivor
    assert clusterer.add(Item("d", _basis(1), "de", 100.3)).story_id == first.story_id
    resumed = StoryClusterer.from_bytes(clusterer.to_bytes(), settings)
    assert resumed.resolve(second.story_id) == first.story_id


def test_no_merge_when_the_second_story_scores_below_the_merge_threshold() -> None:
    settings = StoriesSettings(threshold=0.45, merge_threshold=0.8, debias=0.0, key_weight=0.0)
    clusterer = StoryClusterer(settings, DIM)
    clusterer.add(Item("a", _basis(0), "en", 100.0))
    second = clusterer.add(Item("b", _basis(1), "de", 100.1))
    bridge = clusterer.add(Item("c", _unit(_basis(0) + _basis(1)), "fr", 100.2))
    assert bridge.merged == [] and clusterer.resolve(second.story_id) == second.story_id


def test_cross_bonus_favours_other_language_members() -> None:
    def story_of_query(bonus: float) -> str:
        settings = StoriesSettings(threshold=0.7, debias=0.0, key_weight=0.0, centroid_weight=0.0,
                                   cross_bonus=bonus, merge_threshold=9.0)
        clusterer = StoryClusterer(settings, DIM)
        clusterer.add(Item("en1", _basis(0), "en", 100.0))
        clusterer.add(Item("de1", _basis(1), "de", 100.0))
        # a little closer to the English story (cos 0.73 vs 0.69)
        return clusterer.add(Item("en2", _unit(_basis(0) + 0.95 * _basis(1)), "en", 100.1)).story_id

    assert story_of_query(0.0) == "sen1"
    assert story_of_query(0.1) == "sde1"


def _story_of_three(clusterer: StoryClusterer, name: str, direction: np.ndarray, time: float,
                    keys: tuple[str, ...] = ()) -> str:
    """Three near-copies of `direction` (a story big enough for the story-level merge rules); returns its id."""
    rng = np.random.default_rng(len(name))
    ids = [clusterer.add(Item(f"{name}{k}", _unit(direction + 0.01 * rng.normal(size=DIM)), "en",
                              time + 0.01 * k, [*keys, f"{name}{k}"])).story_id for k in range(3)]
    assert len({clusterer.resolve(i) for i in ids}) == 1
    return ids[0]


def _elsewhere(clusterer: StoryClusterer) -> None:
    """Articles long before the stories under test, so that their keys are rare (idf > 0)."""
    for k in range(4):
        clusterer.add(Item(f"old{k}", _unit(_basis(5 + k)), "en", 10.0 + k, [f"other{k}"]))


def test_a_bridging_article_does_not_merge_two_big_stories_whose_centroids_and_keys_disagree() -> None:
    def merged(bridge_cos: float, shared: tuple[str, ...] = ()) -> list[str]:
        settings = StoriesSettings(threshold=0.45, merge_threshold=0.6, debias=0.0, key_weight=0.0,
                                   merge_link=-1.0, merge_link_min=3, merge_bridge_cos=bridge_cos, merge_keys=0.1)
        clusterer = StoryClusterer(settings, DIM)
        _elsewhere(clusterer)
        _story_of_three(clusterer, "a", _basis(0), 100.0, shared)
        _story_of_three(clusterer, "b", _basis(1), 100.1, shared)
        return clusterer.add(Item("c", _unit(_basis(0) + _basis(1)), "fr", 100.2)).merged

    assert merged(-1.0) != []  # the old rule: one article scoring 0.6 for both merges them
    assert merged(0.4) == []  # centroids at cosine ~0, no shared name: two stories, whatever one article scores
    assert merged(0.4, ("doncic",)) != []  # ... unless every member of both names the same person


def test_two_big_stories_with_close_centroids_and_shared_keys_merge_without_a_bridging_article() -> None:
    close = _unit(0.75 * _basis(0) + 0.66 * _basis(1))  # cosine ~0.75 to story a's direction

    def stories(link: float, shared: tuple[str, ...]) -> set[str]:
        settings = StoriesSettings(threshold=0.9, merge_threshold=0.95, debias=0.0, key_weight=0.0,
                                   merge_link=link, merge_link_min=3, merge_keys=0.1)
        clusterer = StoryClusterer(settings, DIM)
        _elsewhere(clusterer)
        a = _story_of_three(clusterer, "a", _basis(0), 100.0, shared)
        b = _story_of_three(clusterer, "b", close, 100.1, shared)  # checked against a once it has 3 members
        return {clusterer.resolve(a), clusterer.resolve(b)}

    assert len(stories(-1.0, ("doncic",))) == 2  # off: no article scored 0.9 for the other story
    assert len(stories(0.5, ("doncic",))) == 1
    assert len(stories(0.5, ())) == 2  # close vectors but nothing named in common: kept apart


def test_a_merge_made_mid_batch_survives_the_periodic_trim() -> None:
    """A batch as the stage runs it: ids handed out per article, resolved at the end. A merge into a
    story that the periodic trim (every `trim_every` members) then forgets must still redirect the
    merged story's members; the redirect goes when the state is saved."""
    settings = StoriesSettings(threshold=0.45, merge_threshold=0.6, debias=0.0, key_weight=0.0,
                               retain_days=5.0, trim_every=4)
    clusterer = StoryClusterer(settings, DIM)
    handed: dict[str, str] = {}
    stream = [Item("a", _basis(0), "en", 100.0), Item("b", _basis(1), "de", 100.1),
              Item("c", _unit(_basis(0) + _basis(1)), "fr", 100.2)]  # c bridges a's and b's stories
    stream += [Item(f"late{i}", _basis(2 + i), "en", 120.0 + i) for i in range(6)]  # the stream moves on
    for item in stream:
        decision = clusterer.add(item)
        handed[item.id] = decision.story_id
        if item.id == "c":
            assert decision.merged == [handed["b"]]
    assert clusterer.story_of("a") is None and handed["a"] not in clusterer.story_index  # trimmed mid-batch
    final = {article: clusterer.resolve(story) for article, story in handed.items()}
    assert final["a"] == final["b"] == final["c"] == handed["a"]
    assert len({final[f"late{i}"] for i in range(6)}) == 6
    resumed = StoryClusterer.from_bytes(clusterer.to_bytes(), settings)  # saved: the redirect is pruned
    assert handed["b"] not in resumed.merged_into and handed["b"] not in clusterer.merged_into


def _ambiguous_stream() -> list[Item]:
    """`b` arrives when only `a`'s story exists and joins it; the `c`s then form the story `b` is closer to.

    Vectors in the plane of two axes: `b` = 0.66 a + 0.75 c. With `threshold` 0.6, `b` scores 0.66 for
    a's story (joins), each `c` 0.57 for the story of a and b (opens its own), and the other `c`s join it."""
    b = _unit(0.66 * _basis(0) + 0.75 * _basis(1))
    stream = [Item("a", _basis(0), "en", 100.1), Item("b", b, "en", 100.2)]
    stream += [Item(f"c{i}", _basis(1), "en", 100.3 + 0.1 * i) for i in range(3)]
    return stream + [Item("next-day", _basis(2), "en", 101.2)]  # crosses day 101: the pass runs


def _refining(**knobs: float) -> StoriesSettings:
    return StoriesSettings(threshold=0.6, merge_threshold=0.9, debias=0.0, key_weight=0.0, **knobs)  # type: ignore[arg-type]


def test_the_reassignment_pass_moves_an_early_member_to_the_story_that_formed_after_it() -> None:
    single = StoryClusterer(_refining(), DIM)
    handed = {it.id: single.add(it).story_id for it in _ambiguous_stream()}
    assert handed["b"] == handed["a"] != handed["c0"]  # the single pass commits b to a's story
    assert not single.moves
    refined = StoryClusterer(_refining(refine_days=1.0), DIM)
    for item in _ambiguous_stream():
        refined.add(item)
    assert refined.story_of("b") == refined.story_of("c0") == handed["c0"]
    assert refined.story_of("a") == handed["a"]
    assert [(m.article_id, m.old, m.new) for m in refined.moves] == [("b", handed["a"], handed["c0"])]
    index = refined.story_index[handed["a"]]
    assert int(refined.story_n.data[index]) == 1  # b's vector left a's sums
    assert np.allclose(refined.centroids.data[index], _basis(0), atol=1e-6)


def test_a_member_that_no_story_takes_any_more_opens_its_own() -> None:
    """A member whose story moved away from it (no story reaching the threshold without it) leaves."""
    stream = [Item("a", _basis(0), "en", 100.1), Item("b", _unit(_basis(0) + 1.1 * _basis(1)), "en", 100.2)]
    stream += [Item(f"a{i}", _unit(_basis(0) - 0.3 * _basis(1)), "en", 100.3 + 0.1 * i) for i in range(4)]
    stream.append(Item("next-day", _basis(2), "en", 101.2))
    clusterer = StoryClusterer(_refining(refine_days=1.0), DIM)
    handed = {it.id: clusterer.add(it).story_id for it in stream}
    assert handed["b"] == handed["a"]
    assert clusterer.story_of("b") == "sb" and clusterer.story_of("a3") == handed["a"]


def test_the_pass_is_driven_by_the_stream_so_a_saved_state_continues_identically() -> None:
    """Batches may end anywhere: saving and resuming mid-day gives what one run gives, moves included."""
    items = []
    for day in range(4):  # the ambiguous pattern once a day, each day on two axes of its own
        a, c = _basis(2 * day), _basis(2 * day + 1)
        items += [Item(f"a{day}", a, "en", 100.1 + day), Item(f"b{day}", _unit(0.66 * a + 0.75 * c), "en", 100.2 + day)]
        items += [Item(f"c{day}-{i}", c, "en", 100.3 + day + 0.1 * i) for i in range(3)]
    items.append(Item("end", _basis(9), "en", 104.5))
    settings = _refining(refine_days=1.0)
    whole = StoryClusterer(settings, DIM)
    for item in items:
        whole.add(item)
    assert [m.article_id for m in whole.moves] == ["b0", "b1", "b2", "b3"]
    for cut in (3, len(items) // 2, len(items) - 2):
        first = StoryClusterer(settings, DIM)
        for item in items[:cut]:
            first.add(item)
        resumed = StoryClusterer.from_bytes(first.to_bytes(), settings)
        for item in items[cut:]:
            resumed.add(item)
        assert {i.id: resumed.story_of(i.id) for i in items} == {i.id: whole.story_of(i.id) for i in items}
        assert first.moves + resumed.moves == whole.moves


def test_places_survive_a_state_round_trip_and_a_state_saved_before_them_loads() -> None:
    import io
    import json

    settings = StoriesSettings(place_penalty=0.3, threshold=0.8)  # identical vectors score ~1.0
    clusterer = StoryClusterer(settings, DIM)
    vector = _unit(np.ones(DIM))
    clusterer.add(Item("a", vector, "ru", 100.0, lead=True, places=["RU/524901"]))
    blob = clusterer.to_bytes()
    resumed = StoryClusterer.from_bytes(blob, settings)
    assert resumed.story_places[0] == {"RU/524901": 1, "RU*": 1}
    assert resumed.add(Item("b", vector, "ru", 100.1, lead=True, places=["RU/498817"])).new  # another town
    arrays = dict(np.load(io.BytesIO(blob), allow_pickle=False))
    meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    del meta["story_places"]  # what a state from before the place rule holds
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    old = io.BytesIO()
    np.savez(old, **arrays)
    loaded = StoryClusterer.from_bytes(old.getvalue(), settings)
    assert loaded.story_places == [{}]
    assert not loaded.add(Item("b", vector, "ru", 100.1, lead=True, places=["RU/498817"])).new  # no evidence


def test_per_member_sums_are_saved_only_while_the_reassignment_pass_is_on() -> None:
    import io
    import json

    items, _ = _stream(seed=6)
    off, on = StoriesSettings(), StoriesSettings(refine_days=1.0)
    saved = {}
    for name, settings in (("off", off), ("on", on)):
        clusterer = StoryClusterer(settings, DIM)
        for item in items:
            clusterer.add(item)
        saved[name] = clusterer.to_bytes()
    meta = {name: json.loads(np.load(io.BytesIO(blob))["meta"].tobytes()) for name, blob in saved.items()}
    assert "member_keys" not in meta["off"] and "member_names" not in meta["off"]
    assert len(meta["on"]["member_keys"]) == len(meta["on"]["member_ids"])
    assert len(saved["off"]) < len(saved["on"])
    # the pass turned on over a state saved without the sums: those members stay where they are
    resumed = StoryClusterer.from_bytes(saved["off"], on)
    assert bool(np.all(resumed.member_flags.view() & 4))
    assert resumed.refine(float(resumed.member_time.view().max()) + 1.0) == 0
    assert not np.any(StoryClusterer.from_bytes(saved["off"], off).member_flags.view() & 4)
