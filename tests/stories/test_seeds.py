"""The five real seed articles: two events about Kazakhstan a year apart, mostly undated.

000 (German) is a translation of 001 (English, January 2022): the US denies a role in the
unrest. 003 (German, undated; its source link is dated 2022-01-06) is Russia's foreign
ministry on the same unrest and the CSTO troops: a careful reader puts it in that story.
002 (a Russian official in Kazakhstan; "since the invasion in February 2022") and 004
(Blinken in Astana; "a year ago") are 2023 visits: neither belongs to the January 2022
story, and being different visits by different people, not to each other either. Only
001 carries a date; the rest must be told apart from their text (time expressions, names).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from echolot.pipeline import ingest, run_stages
from echolot.settings import PipelineSettings, Settings, StoriesSettings
from echolot.store import SQLiteStore


def _stories(seeds_dir: Path, tmp_path: Path, stages: list[str],
             stories: StoriesSettings | None = None) -> dict[str, str]:
    """Seed number ("000".."004") -> story id, after ingesting the seeds and running `stages`."""
    settings = Settings(home=tmp_path / "home", pipeline=PipelineSettings(), stories=stories or StoriesSettings())
    with SQLiteStore(tmp_path / "seeds.db") as store:
        summary = ingest([str(seeds_dir)], store, settings, progress=False)
        assert not summary.rejected
        run_stages(store, settings, only=stages, progress=False)
        seed_of = {a.id: Path(a.origin or "").name[:3] for a in store.iter_articles()}
        return {seed_of[a.article_id]: a.story_id for a in store.story_assignments()}


@pytest.mark.parametrize("stories", [StoriesSettings(), StoriesSettings(refine_days=1.0, refine_span=3.0),
                                     StoriesSettings(place_penalty=0.3)],
                         ids=["defaults", "re-assignment pass", "place rule"])
def test_two_events_stay_apart_without_dates_and_translations_stay_together(seeds_dir: Path, tmp_path: Path,
                                                                            stories: StoriesSettings) -> None:
    story = _stories(seeds_dir, tmp_path, ["stories"], stories)  # no reuse links: the clusterer alone decides
    assert sorted(story) == ["000", "001", "002", "003", "004"]
    unrest = story["001"]
    assert story["000"] == unrest  # the translation, found by its vector and shared names
    assert story["003"] == unrest  # same unrest, its link dates it a day after 001
    assert story["002"] != unrest and story["004"] != unrest
    assert story["002"] != story["004"]


@pytest.mark.slow
def test_reuse_links_keep_the_translation_in_its_original_story(seeds_dir: Path, tmp_path: Path) -> None:
    story = _stories(seeds_dir, tmp_path, ["reuse", "stories"])
    assert story["000"] == story["001"] == story["003"]
    assert len({story["001"], story["002"], story["004"]}) == 3
