"""Incremental, deterministic story clustering over a sliding time window.

Each article is compared only with the stories that have a member within
`window_days` of it, so the cost per article depends on how busy the window is,
not on the size of the store (the whole store is never re-clustered). The score of
a candidate story mixes four signals:

* the cosine to the story centroid and to its nearest member, computed on
  language-debiased vectors: multilingual encoders place all texts of one language
  a little closer together, so each vector has its language's running mean
  subtracted (shrunk towards the global mean while a language has few articles);
* the share of the article's name/number keys (idf-weighted) that the story
  already contains;
* a time decay: the further the article is from the story's time span, the lower
  the score;
* reuse links, handled by the caller: a copy or translation joins its original's
  story without scoring (`force`).

An article that scores above `merge_threshold` for a second story bridges the two:
they are merged into the oldest (`merged_into` redirects the others' ids). Two stories
that both have `merge_link_min` members or more ("big" pairs) merge on story-level
evidence, which small vector changes barely move, rather than on one article's score:
a bridge merges them only when their centroids reach `merge_bridge_cos` or their name /
number keys agree (`merge_keys`), and whenever one of them grows, it merges with every
big story in the window whose centroid reaches `merge_link` and whose keys agree.

A re-assignment pass (`refine_days`, off by default) re-decides recent members by the same scores
each time the stream crosses a multiple of `refine_days`: each member is taken out of its story's sums
(centroid, keys, name counts: kept per member for this, and saved with the state only while the pass is on;
a member loaded from a state saved with it off stays where it is) and goes where it now scores best. It is
driven by the items' times only, so batches that cut the stream anywhere give what one call gives.

The state (centroids, window members, language means, key frequencies) is small,
serialisable to bytes without pickle, and trimmed to `retain_days`.
"""
from __future__ import annotations

import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from echolot.settings import StoriesSettings
from echolot.stories.places import compatible, implied, named_count

_MAGIC = "echolot-stories-v1"


@dataclass
class Item:
    """One article as the clusterer sees it."""

    id: str
    vector: np.ndarray  # L2-normalised embedding of title + lead
    lang: str | None
    time: float  # days since the epoch
    keys: list[str] = field(default_factory=list)
    timed: bool = True  # False: no date and no time in the text (`time` is only "now")
    lead: bool = False  # body text beyond the title was embedded and keyed (not a titles-only record)
    names: list[str] = field(default_factory=list)  # keys of name phrases in title + lead (`features.names`)
    places: list[str] = field(default_factory=list)  # countries and towns title + lead name (`stories.places`)


@dataclass
class Decision:
    """Where an item went, with the evidence shown to users."""

    story_id: str
    score: float
    reason: str
    new: bool
    merged: list[str] = field(default_factory=list)  # stories folded into `story_id` by this item


@dataclass
class _Scored:
    """The candidate stories of one item and everything its decision and reason need."""

    rows: slice | np.ndarray  # the window's member rows
    sims: np.ndarray  # cosine of the item to each of them
    member_story: np.ndarray  # their stories
    stories: np.ndarray  # the candidate stories (story indices)
    score: np.ndarray  # their scores
    best: int  # position of the best in `stories`
    central: np.ndarray
    key_share: np.ndarray
    gap: np.ndarray
    against: np.ndarray


@dataclass(frozen=True)
class Move:
    """A member the re-assignment pass moved from one story to another (a story of its own: score 1.0)."""

    article_id: str
    old: str
    new: str
    score: float


class _Buffer:
    """A growable numpy array (amortised O(1) append; rows are never moved on append)."""

    def __init__(self, dim: int = 0, dtype: type = np.float32, capacity: int = 256) -> None:
        self.shape = (dim,) if dim else ()
        self.data = np.zeros((capacity, *self.shape), dtype=dtype)
        self.n = 0

    def append(self, row: object) -> int:
        if self.n == len(self.data):
            grown = np.zeros((2 * len(self.data), *self.shape), dtype=self.data.dtype)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n] = row
        self.n += 1
        return self.n - 1

    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def keep(self, rows: np.ndarray) -> None:
        """Keep only `rows` (in order), e.g. after dropping what fell out of retention."""
        kept = self.data[rows]
        self.data = np.zeros((max(256, 2 * len(kept)), *self.shape), dtype=self.data.dtype)
        self.data[: len(kept)] = kept
        self.n = len(kept)

    def load(self, values: np.ndarray) -> None:
        self.data = np.zeros((max(256, 2 * len(values)), *self.shape), dtype=self.data.dtype)
        self.data[: len(values)] = values
        self.n = len(values)


class StoryClusterer:
    """Single-pass clustering; `add` items in (time, id) order for reproducible results."""

    def __init__(self, settings: StoriesSettings, dim: int) -> None:
        self.s = settings
        self.dim = dim
        # language debiasing: running sums per language and overall
        self.lang_sum: dict[str, np.ndarray] = {}
        self.lang_n: Counter[str] = Counter()
        self.all_sum = np.zeros(dim, dtype=np.float64)
        self.all_n = 0
        # key document frequencies (for idf)
        self.key_df: Counter[str] = Counter()
        self.docs = 0
        # stories, addressed by a dense index
        self.story_ids: list[str] = []
        self.story_index: dict[str, int] = {}
        self.centroids = _Buffer(dim)
        self.story_n = _Buffer(dtype=np.int64)
        self.story_first = _Buffer(dtype=np.float64)
        self.story_last = _Buffer(dtype=np.float64)
        self.story_keys: list[dict[str, float]] = []
        self.story_key_norm: list[float] = []  # cached: keys change only when a member joins
        # name-phrase keys of members with a lead, each counted once per member (so a member can leave)
        self.story_names: list[Counter[str]] = []
        # place keys of members (`places.implied`: each place and the countries holding its towns), per member
        self.story_places: list[Counter[str]] = []
        # members inside the retention period, in the order they were added
        self.members = _Buffer(dim)
        self.member_story = _Buffer(dtype=np.int64)
        self.member_time = _Buffer(dtype=np.float64)
        self.member_ids: list[str] = []
        self.member_lang = _Buffer(dtype=np.int64)  # index into `langs` (-1: unknown)
        # what a member brought to its story's sums, so that the re-assignment pass can take it out again
        self.member_keys: list[dict[str, float]] = []  # its idf-weighted key vector as it joined
        self.member_names: list[list[str]] = []
        self.member_places: list[list[str]] = []
        # bit 0: timed, bit 1: lead, bit 2: pinned (by a reuse link, or loaded without what it brought to the sums)
        self.member_flags = _Buffer(dtype=np.int8)
        self.langs: list[str] = []
        self.merged_into: dict[str, str] = {}  # story folded into another -> the survivor
        self.sorted_times = True
        self.newest = -math.inf
        self.refined_step: int | None = None  # last multiple of `refine_days` the pass ran at
        self.moves: list[Move] = []  # what the re-assignment pass moved, for the caller to drain
        self.refine_merged: list[str] = []  # stories the pass merged away, for the caller

    # -- public ---------------------------------------------------------------------------
    def add(self, item: Item, force: str | None = None, force_reason: str = "") -> Decision:
        """Assign `item` to a story (or open one) and update the state."""
        self._maybe_refine(item.time)
        vector = self._debias(item.vector, item.lang)
        keys = self._key_vector(item.keys)
        bridged: list[int] = []
        if force is not None:
            force = self.resolve(force)
            decision = Decision(force, 1.0, force_reason or "reuse link", force not in self.story_index)
        else:
            decision, bridged = self._decide(item, vector, keys)
        self._join(decision.story_id, item, vector, keys, pinned=force is not None)
        if bridged:
            self._fold(decision, bridged)
        if not decision.new:
            linked = self._linked(self.story_index[decision.story_id], item.time)
            if linked:
                self._fold(decision, linked)
        self._learn(item)
        return decision

    def _fold(self, decision: Decision, others: list[int]) -> None:
        """Merge `others` and the decision's story; the oldest survives, so ids users have seen stay valid."""
        group = sorted({self.story_index[decision.story_id], *others})
        decision.merged += [self._merge(index, group[0]) for index in group[1:]]
        decision.story_id = self.story_ids[group[0]]

    # -- re-assignment pass ---------------------------------------------------------------------
    def _maybe_refine(self, time: float) -> None:
        """Run the pass when `time` crosses a multiple of `refine_days` (items arrive in time order).

        Triggered by the stream's times alone, never by the end of a call: the stage's batches then cut
        the stream anywhere without changing what the pass does (one call over everything and the same
        articles in batches give the same stories)."""
        if self.s.refine_days <= 0 or not math.isfinite(time):
            return
        step = math.floor(time / self.s.refine_days)
        if self.refined_step is None or self.member_time.n == 0:
            self.refined_step = step
            return
        if step > self.refined_step:
            self.refined_step = step
            self.refine(step * self.s.refine_days)

    def refine(self, until: float) -> int:
        """Re-decide the members of the `refine_span` days before `until`; returns how many moved.

        Each member in turn (in the order they were added) is taken out of its story and scored as if it
        arrived now, against everyone but itself; it goes to the best story reaching `threshold` (by
        `refine_margin` more than its own), else to a story of its own (`refine_leave`); with
        `refine_max_size` only members of stories that small are re-decided. Rounds repeat until no member
        moves or `refine_rounds` is reached. A single pass commits each article on the evidence before it:
        an article at the threshold decides its story by a fourth decimal, and every later decision follows.
        Re-deciding once the days around it are in lets the stories that grew since correct it. A story
        that gained members then merges with the big stories `merge_link` allows (as after a join)."""
        times = self.member_time.view()
        pinned = (self.member_flags.view() & 4) > 0  # a copy or translation stays with its original
        rows = np.nonzero((times >= until - self.s.refine_span) & (times < until) & ~pinned)[0].tolist()
        limit = self.s.refine_max_size or math.inf
        total = 0
        for _ in range(self.s.refine_rounds):
            grown: dict[int, float] = {}  # story that gained members -> its newest new member's time
            for row in rows:
                if self.story_n.data[self.member_story.data[row]] > limit:
                    continue
                target = self._reassign(row)
                if target is not None:
                    grown[target] = max(grown.get(target, -math.inf), float(times[row]))
                    total += 1
            if not grown:
                break
            for index, time in sorted(grown.items()):
                self._link_after_refine(index, time)
        return total

    def _reassign(self, row: int) -> int | None:
        """Move member `row` to the story it scores best for now; the story it went to, or None if it stayed."""
        own = int(self.member_story.data[row])
        flags = int(self.member_flags.data[row])
        code = int(self.member_lang.data[row])
        item = Item(self.member_ids[row], self.members.data[row], self.langs[code] if code >= 0 else None,
                    float(self.member_time.data[row]), timed=bool(flags & 1), lead=bool(flags & 2),
                    names=self.member_names[row], places=self.member_places[row])
        keys = self.member_keys[row]
        self._detach(row, own, keys)
        scored = self._score(item, item.vector, keys, skip=row)
        score = 1.0
        if scored is not None:
            self._keep_own(scored, own)
        if scored is not None and float(scored.score[scored.best]) >= self.s.threshold:
            target, score = int(scored.stories[scored.best]), round(float(scored.score[scored.best]), 4)
            if target != own and self._stays(scored, own):
                target = own
        elif self.story_n.data[own] == 0 or not self.s.refine_leave:
            target = own  # alone in its story, or leaving is off: stays
        else:
            target = self._open_index(item)
        self._attach(row, target, keys)
        if target == own:
            return None
        if self.story_n.data[own] == 0:
            self.story_last.data[own] = -math.inf  # empty now: dropped at the next trim
        self.moves.append(Move(item.id, self.story_ids[own], self.story_ids[target], score))
        return target

    def _stays(self, scored: _Scored, own: int) -> bool:
        """Whether a member stays in its story although another scores higher: by less than `refine_margin`."""
        at = np.nonzero(scored.stories == own)[0]
        if not len(at) or float(scored.score[at[0]]) < self.s.threshold:
            return False
        return float(scored.score[scored.best]) < float(scored.score[at[0]]) + self.s.refine_margin

    @staticmethod
    def _keep_own(scored: _Scored, own: int) -> None:
        """No evidence against a member's own story: only against moving to another one.

        The name check needs a story that names enough (`name_min_keys`); a story's first members joined
        before it did, and the names its later members brought (in other languages, other spellings)
        would otherwise push out the very articles it grew from."""
        at = np.nonzero(scored.stories == own)[0]
        if len(at) and np.isfinite(scored.score[at[0]]):
            scored.score[at[0]] += scored.against[at[0]]
            scored.best = int(np.lexsort((scored.stories, -scored.score))[0])

    def _detach(self, row: int, index: int, keys: dict[str, float]) -> None:
        """Take member `row` out of story `index`'s sums (its span stays: members out of memory set it)."""
        self.centroids.data[index] -= self.members.data[row]
        self.story_n.data[index] -= 1
        story_keys = self.story_keys[index]
        for key, weight in keys.items():
            left = story_keys.get(key, 0.0) - weight
            if left > 1e-9:
                story_keys[key] = left
            else:
                story_keys.pop(key, None)
        self.story_key_norm[index] = math.sqrt(sum(v * v for v in story_keys.values()))
        for counts, taken in ((self.story_names[index], self.member_names[row]),
                              (self.story_places[index], implied(self.member_places[row]))):
            counts.subtract(taken)
            for key in taken:
                if counts[key] <= 0:
                    del counts[key]

    def _attach(self, row: int, index: int, keys: dict[str, float]) -> None:
        """Add member `row` to story `index`'s sums (as `_join` does for a new item)."""
        self.centroids.data[index] += self.members.data[row]
        self.story_n.data[index] += 1
        time = float(self.member_time.data[row])
        self.story_first.data[index] = min(self.story_first.data[index], time)
        self.story_last.data[index] = max(self.story_last.data[index], time)
        story_keys = self.story_keys[index]
        for key, weight in keys.items():
            story_keys[key] = story_keys.get(key, 0.0) + weight
        self.story_key_norm[index] = math.sqrt(sum(v * v for v in story_keys.values()))
        self.story_names[index].update(self.member_names[row])
        self.story_places[index].update(implied(self.member_places[row]))
        self.member_story.data[row] = index

    def _open_index(self, item: Item) -> int:
        """A new, empty story for a member that leaves its story (id "s<article>", suffixed when taken)."""
        story_id, n = "s" + item.id, 1
        while story_id in self.story_index or story_id in self.merged_into:
            story_id, n = f"s{item.id}/{n}", n + 1
        return self._new_story(story_id, item.time)

    def _new_story(self, story_id: str, time: float) -> int:
        """Index of a new story without members yet, its span the one time `time`."""
        index = self.centroids.append(np.zeros(self.dim, dtype=np.float32))
        self.story_ids.append(story_id)
        self.story_index[story_id] = index
        self.story_n.append(0)
        self.story_first.append(time)
        self.story_last.append(time)
        self.story_keys.append({})
        self.story_key_norm.append(0.0)
        self.story_names.append(Counter())
        self.story_places.append(Counter())
        return index

    def _link_after_refine(self, index: int, time: float) -> None:
        """`merge_link` merges for a story that gained members in the pass (the oldest survives)."""
        if self.story_n.data[index] == 0:
            return
        linked = self._linked(index, time)
        if linked:
            group = sorted({index, *linked})
            self.refine_merged += [self._merge(other, group[0]) for other in group[1:]]

    def resolve(self, story_id: str) -> str:
        """The story `story_id` ended up in after merges (itself when never merged)."""
        seen = 0
        while story_id in self.merged_into and seen < 1000:
            story_id, seen = self.merged_into[story_id], seen + 1
        return story_id

    def story_of(self, article_id: str) -> str | None:
        """Story of a member still inside the retention period (None otherwise)."""
        try:
            return self.story_ids[int(self.member_story.data[self.member_ids.index(article_id)])]
        except ValueError:
            return None

    # -- scoring --------------------------------------------------------------------------------
    def _debias(self, vector: np.ndarray, lang: str | None) -> np.ndarray:
        """Subtract the language's running mean (shrunk to the global mean), renormalise."""
        vector = np.asarray(vector, dtype=np.float32)
        if self.s.debias <= 0 or self.all_n == 0:
            return vector
        prior = self.s.debias_prior
        global_mean = self.all_sum / self.all_n
        key = lang or "?"
        mean = (self.lang_sum.get(key, 0.0) + prior * global_mean) / (self.lang_n[key] + prior)
        # with few articles the means are the topics themselves, not the languages: ramp up. The
        # shared direction (global mean) may ramp faster: encoders like e5 give any two news
        # titles a cosine near 0.8, so without it a young store puts everything in one story
        strength = self.s.debias * self.all_n / (self.all_n + self.s.debias_warmup)
        shared = self.s.debias * self.all_n / (self.all_n + self.s.global_warmup)
        out = vector - (shared * global_mean + strength * (mean - global_mean)).astype(np.float32)
        norm = float(np.linalg.norm(out))
        return out / norm if norm > 1e-9 else vector

    def _window(self, time: float) -> slice | np.ndarray:
        """Members within the window around `time`: a slice when times are sorted (the usual
        case, articles processed in time order), else an index array (slower mask)."""
        lo_t, hi_t = time - self.s.window_days, time + self.s.window_days
        times = self.member_time.view()
        if self.sorted_times:
            return slice(int(np.searchsorted(times, lo_t, "left")), int(np.searchsorted(times, hi_t, "right")))
        return np.nonzero((times >= lo_t) & (times <= hi_t))[0]

    def _score(self, item: Item, vector: np.ndarray, keys: dict[str, float], skip: int = -1) -> _Scored | None:
        """The candidate stories of `item` and their scores (None when the window is empty).

        `skip`: a member row left out of the nearest-member search (the re-assignment pass scores a member
        that is still in the window against everyone but itself)."""
        rows = self._window(item.time)
        sims = self.members.data[rows] @ vector
        if skip >= 0:
            if isinstance(rows, slice):
                if rows.start <= skip < rows.stop:
                    sims[skip - rows.start] = -np.inf
            else:
                sims[rows == skip] = -np.inf
        if len(sims) == 0 or not np.isfinite(sims).any():
            return None
        if self.s.cross_bonus:  # other-language neighbours look farther than they are
            lang = self._lang_code(item.lang, add=False)
            sims = sims + self.s.cross_bonus * (self.member_lang.data[rows] != lang)
        member_story = self.member_story.data[rows]
        # the best members name the only stories worth scoring
        top = (np.argpartition(-sims, self.s.shortlist)[: self.s.shortlist] if len(sims) > self.s.shortlist
               else np.arange(len(sims)))
        top = top[np.isfinite(sims[top])]
        stories, inverse = np.unique(member_story[top], return_inverse=True)
        nearest = np.full(len(stories), -1.0, dtype=np.float32)
        np.maximum.at(nearest, inverse, sims[top])
        cents = self.centroids.data[stories]
        norms = np.maximum(np.linalg.norm(cents, axis=1), 1e-9)
        # cohesion**p: a diffuse story (members pointing many ways) has a short mean vector; its
        # unit centroid would be the generic direction every vague title is close to
        sizes = np.maximum(self.story_n.data[stories].astype(np.float32), 1.0)
        central = (cents @ vector) / norms * (norms / sizes) ** self.s.cohesion_power
        w = self.s.centroid_weight
        sim = w * central + (1.0 - w) * nearest
        key_share = self._key_share(keys, stories)
        gap = self._gap(item.time, stories)
        score = sim + self.s.key_weight * key_share - gap / self.s.decay_days * self.s.decay_weight
        against = self._against(item, stories)
        score = score - against
        score = np.where(nearest >= self.s.member_floor, score, -np.inf)  # no join without a close member
        best = int(np.lexsort((stories, -score))[0])  # ties: the older story (smaller index)
        return _Scored(rows, sims, member_story, stories, score, best, central, key_share, gap, against)

    def _decide(self, item: Item, vector: np.ndarray, keys: dict[str, float]) -> tuple[Decision, list[int]]:
        """The best story (or a new one) and the other stories this item bridges into it."""
        scored = self._score(item, vector, keys)
        if scored is None or float(scored.score[scored.best]) < self.s.threshold:
            return self._open(item), []
        rows, sims, best = scored.rows, scored.sims, scored.best
        index = int(scored.stories[best])
        bridged = self._bridged(scored.stories, best, scored.score >= self.s.merge_threshold)
        in_best = np.nonzero(scored.member_story == index)[0]
        near = in_best[int(np.argmax(sims[in_best]))]
        row = rows.start + int(near) if isinstance(rows, slice) else int(rows[near])
        reason = (f"nearest member {self.member_ids[row]} cos {float(sims[near]):.2f}, "
                  f"centroid cos {float(scored.central[best]):.2f}, keys {float(scored.key_share[best]):.2f}, "
                  f"gap {float(scored.gap[best]):.1f}d")
        against = scored.against
        if against[best] > 0:
            place = float(self._place_conflicts(item.places, scored.stories[best:best + 1])[0]) \
                * self.s.place_penalty if item.places and self.s.place_penalty else 0.0
            why = [w for w, on in (("names none of the story's names", against[best] > self._undated(item) + place + 1e-6),
                                   ("names none of the story's places", place > 0),
                                   ("no date and no time in its text", not item.timed and self.s.undated_margin))
                   if on]
            reason += f", evidence against -{float(against[best]):.2f} ({'; '.join(why)})"
        return Decision(self.story_ids[index], round(float(scored.score[best]), 4), reason, False), bridged

    def _bridged(self, stories: np.ndarray, best: int, bridge: np.ndarray) -> list[int]:
        """The candidate stories this item bridges into the best one (scores `merge_threshold` for both).

        A pair of big stories (both `merge_link_min` members or more) also needs story-level evidence:
        their centroids reach `merge_bridge_cos`, or their keys agree (`merge_keys`). One article's
        score sits within the noise of a change of encoder often enough to decide, by itself, whether
        two stories of dozens of members become one; a centroid of many members and the keys they
        named barely move."""
        out: list[int] = []
        a = int(stories[best])
        for j, b in enumerate(stories.tolist()):
            if j == best or not bridge[j] or self._places_apart(a, b):
                continue
            if (not self._big(a, b) or self._centroid_cos(a, b) >= self.s.merge_bridge_cos
                    or self._story_key_cos(a, b) >= self.s.merge_keys):
                out.append(int(b))
        return out

    def _linked(self, index: int, time: float) -> list[int]:
        """Big stories in the window that story `index` (which just grew) merges with on its own evidence.

        Centroid cosine >= `merge_link` and agreeing keys (`merge_keys`), checked against every big
        story with a member in the window, not only the ones this item happened to score: whether two
        stories merge then does not depend on which article arrives between them."""
        if self.s.merge_link <= -1 or self.story_n.data[index] < self.s.merge_link_min:
            return []
        rows = self._window(time)
        others = np.unique(self.member_story.data[rows])
        others = others[(others != index) & (self.story_n.data[others] >= self.s.merge_link_min)]
        if len(others) == 0:
            return []
        cos = self._centroid_cosines(index, others)
        return [int(b) for b, c in zip(others.tolist(), cos.tolist())
                if c >= self.s.merge_link and self._story_key_cos(index, int(b)) >= self.s.merge_keys
                and not self._places_apart(index, int(b))]

    def _places_apart(self, a: int, b: int) -> bool:
        """Whether stories `a` and `b` both name places and none of `a`'s meets `b`'s (`places.compatible`):
        then no article's bridge and no centroid link merges them (only with the place rule on). Weather in
        Moscow and in St Petersburg would otherwise become one story through one article close to both."""
        if not self.s.place_penalty:
            return False
        seen_a, seen_b = self.story_places[a], self.story_places[b]
        if min(named_count(seen_a), named_count(seen_b)) < max(self.s.place_min_keys, 1):
            return False
        return not compatible([key for key in seen_a if not key.endswith("*")], seen_b)

    def _big(self, a: int, b: int) -> bool:
        return min(int(self.story_n.data[a]), int(self.story_n.data[b])) >= self.s.merge_link_min

    def _centroid_cos(self, a: int, b: int) -> float:
        return float(self._centroid_cosines(a, np.array([b]))[0])

    def _centroid_cosines(self, index: int, others: np.ndarray) -> np.ndarray:
        """Cosines of story `index`'s centroid with those of `others` (one product for all of them)."""
        cents = self.centroids.data[others]
        mine = self.centroids.data[index]
        return (cents @ mine) / np.maximum(np.linalg.norm(cents, axis=1) * float(np.linalg.norm(mine)), 1e-12)

    def _story_key_cos(self, a: int, b: int) -> float:
        """Cosine of two stories' summed idf-weighted key vectors (0 when either named nothing)."""
        ka, kb = self.story_keys[a], self.story_keys[b]
        if len(kb) < len(ka):
            ka, kb = kb, ka
        dot = sum(w * kb.get(k, 0.0) for k, w in ka.items())
        return dot / max(self.story_key_norm[a] * self.story_key_norm[b], 1e-12) if dot > 0 else 0.0

    def _undated(self, item: Item) -> float:
        return self.s.undated_margin if not item.timed else 0.0

    def _against(self, item: Item, stories: np.ndarray) -> np.ndarray:
        """Evidence against joining that the positive terms cannot express.

        * No time at all (no date, none in the text): the article could be from any
          year, so standing "now" is no evidence it belongs to today's stories
          (`undated_margin`, off by default).
        * Title and lead name people, places or bodies of which the story names none:
          two reports of one event share at least one name (`name_penalty`). Only for
          articles with a lead (a title alone often names nobody) and stories with
          enough keys to tell (`name_min_keys`)."""
        penalty = np.full(len(stories), self._undated(item), dtype=np.float32)
        if item.lead and item.names and self.s.name_penalty:
            # a date agreeing with the story's is evidence too: a name miss then weighs half
            weight = self.s.name_penalty * (self.s.name_dated_share if item.timed else 1.0)
            gap = self._gap(item.time, stories)
            for i, index in enumerate(stories):
                seen = self.story_names[int(index)]
                if len(seen) >= self.s.name_min_keys and seen.keys().isdisjoint(item.names):
                    penalty[i] += weight if gap[i] <= self.s.window_days else self.s.name_penalty
        if item.places and self.s.place_penalty:
            penalty += self._place_conflicts(item.places, stories) * np.float32(self.s.place_penalty)
        return penalty

    def _place_conflicts(self, named: list[str], stories: np.ndarray) -> np.ndarray:
        """1 for each story whose members name places (`place_min_keys` or more), none of them one of
        `named` or holding or held by one of them (`places.compatible`), else 0.

        Weather in Moscow and in St Petersburg, accidents near Volgograd and in Tikhoretsk read alike;
        the place tells them apart. A country holds its towns (Russia's figures and Moscow's are no
        conflict), and a story that spans places (a summit's guests) meets an article naming any one."""
        out = np.zeros(len(stories), dtype=np.float32)
        for i, index in enumerate(stories):
            seen = self.story_places[int(index)]
            if seen and named_count(seen) >= self.s.place_min_keys and not compatible(named, seen):
                out[i] = 1.0
        return out

    def _key_vector(self, keys: list[str]) -> dict[str, float]:
        """Idf weights of the item's keys, L2-normalised (idf as of now, then frozen in the story)."""
        weights = {k: math.log((self.docs + 1) / (self.key_df[k] + 1)) for k in keys}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {k: w / norm for k, w in weights.items()} if norm > 0 else {}

    def _key_share(self, keys: dict[str, float], stories: np.ndarray) -> np.ndarray:
        """Cosine between the item's key vector and each story's summed key vector.

        A plain union of the story's keys would let big stories match everything;
        the summed vector weighs each key by how many members share it.
        """
        out = np.zeros(len(stories), dtype=np.float32)
        if not keys or self.s.key_weight == 0:
            return out
        for i, index in enumerate(stories):
            seen = self.story_keys[int(index)]
            dot = sum(w * seen.get(k, 0.0) for k, w in keys.items())
            if dot > 0:
                out[i] = dot / self.story_key_norm[int(index)]
        return out

    def _gap(self, time: float, stories: np.ndarray) -> np.ndarray:
        """Days between `time` and each story's [first, last] span (0 inside it)."""
        first = self.story_first.data[stories]
        last = self.story_last.data[stories]
        return np.maximum(0.0, np.maximum(first - time, time - last))

    # -- updates ---------------------------------------------------------------------------------
    def _lang_code(self, lang: str | None, add: bool = True) -> int:
        key = lang or "?"
        if key not in self.langs:
            if not add:
                return -2  # unseen language: every member is another language
            self.langs.append(key)
        return self.langs.index(key)

    def _merge(self, loser: int, winner: int) -> str:
        """Fold story `loser` into `winner` (an article bridged the two); returns the loser's id.

        The loser keeps its index (indices are shared with the buffers) but loses its
        members, so it is never a candidate again; `merged_into` redirects its id."""
        rows = np.nonzero(self.member_story.view() == loser)[0]
        self.member_story.data[rows] = winner
        self.centroids.data[winner] += self.centroids.data[loser]
        self.centroids.data[loser] = 0.0
        self.story_n.data[winner] += self.story_n.data[loser]
        self.story_first.data[winner] = min(self.story_first.data[winner], self.story_first.data[loser])
        self.story_last.data[winner] = max(self.story_last.data[winner], self.story_last.data[loser])
        keys = self.story_keys[winner]
        for key, weight in self.story_keys[loser].items():
            keys[key] = keys.get(key, 0.0) + weight
        self.story_keys[loser] = {}
        self.story_names[winner].update(self.story_names[loser])
        self.story_names[loser] = Counter()
        self.story_places[winner].update(self.story_places[loser])
        self.story_places[loser] = Counter()
        self.story_key_norm[winner] = math.sqrt(sum(v * v for v in keys.values()))
        self.story_key_norm[loser] = 0.0
        self.story_last.data[loser] = -math.inf  # dropped at the next trim
        loser_id = self.story_ids[loser]
        self.merged_into[loser_id] = self.story_ids[winner]
        return loser_id

    def _open(self, item: Item) -> Decision:
        return Decision("s" + item.id, 1.0, "opened: no story within the window scored above the threshold", True)

    def _join(self, story_id: str, item: Item, vector: np.ndarray, keys: dict[str, float],
              pinned: bool = False) -> None:
        index = self.story_index.get(story_id)
        if index is None:
            index = self._new_story(story_id, item.time)
        self.story_names[index].update(set(item.names))
        self.story_places[index].update(implied(sorted(set(item.places))))
        self.centroids.data[index] += vector
        self.story_n.data[index] += 1
        self.story_first.data[index] = min(self.story_first.data[index], item.time)
        self.story_last.data[index] = max(self.story_last.data[index], item.time)
        story_keys = self.story_keys[index]
        if keys:
            for key, weight in keys.items():
                story_keys[key] = story_keys.get(key, 0.0) + weight
            self.story_key_norm[index] = math.sqrt(sum(v * v for v in story_keys.values()))
        if self.member_time.n and item.time < self.member_time.data[self.member_time.n - 1]:
            self.sorted_times = False
        self.members.append(vector)
        self.member_story.append(index)
        self.member_time.append(item.time)
        self.member_ids.append(item.id)
        self.member_lang.append(self._lang_code(item.lang))
        self.member_keys.append(keys)
        self.member_names.append(sorted(set(item.names)))
        self.member_places.append(sorted(set(item.places)))
        self.member_flags.append(int(item.timed) | int(item.lead) << 1 | int(pinned) << 2)

    def _learn(self, item: Item) -> None:
        key = item.lang or "?"
        raw = np.asarray(item.vector, dtype=np.float64)
        self.lang_sum[key] = self.lang_sum.get(key, 0.0) + raw
        self.lang_n[key] += 1
        self.all_sum += raw
        self.all_n += 1
        self.key_df.update(set(item.keys))
        self.docs += 1
        if item.time > self.newest:
            self.newest = item.time
        if self.member_time.n > self.s.trim_every and self.member_time.n % self.s.trim_every == 0:
            self.trim(forget_merges=False)

    def trim(self, forget_merges: bool = True) -> None:
        """Forget members and stories older than `retain_days` before the (robust) newest article.

        The 99th percentile of member times stands for "now", so one article with a
        wrong future date cannot make the clusterer forget everything.

        `forget_merges`: also drop the `merged_into` redirects whose survivor was forgotten. Not in
        the periodic trim inside `add`: the caller resolves the story ids it was handed during a
        batch only at the batch's end (`stories.stage.process`), so a merge made mid-batch into a
        story that then fell out of retention would leave the members given the merged story's id
        under that id. The redirects are pruned when the state is saved (`to_bytes`)."""
        times = self.member_time.view()
        now = float(np.quantile(times, 0.99)) if len(times) >= 100 else self.newest
        cutoff = now - self.s.retain_days
        keep = np.nonzero(times >= cutoff)[0]
        if len(keep) < len(times):
            self.members.keep(keep)
            self.member_story.keep(keep)
            self.member_time.keep(keep)
            self.member_ids = [self.member_ids[i] for i in keep]
            self.member_lang.keep(keep)
            self.member_flags.keep(keep)
            self.member_keys = [self.member_keys[i] for i in keep]
            self.member_names = [self.member_names[i] for i in keep]
            self.member_places = [self.member_places[i] for i in keep]
        last = self.story_last.view()
        alive = np.union1d(self.member_story.view(), np.nonzero(last >= cutoff)[0]).astype(np.int64)
        if len(alive) < len(self.story_ids):
            remap = np.full(len(self.story_ids), -1, dtype=np.int64)
            remap[alive] = np.arange(len(alive))
            for buffer in (self.centroids, self.story_n, self.story_first, self.story_last):
                buffer.keep(alive)
            self.story_ids = [self.story_ids[i] for i in alive]
            self.story_index = {sid: i for i, sid in enumerate(self.story_ids)}
            self.story_keys = [self.story_keys[i] for i in alive]
            self.story_key_norm = [self.story_key_norm[i] for i in alive]
            self.story_names = [self.story_names[i] for i in alive]
            self.story_places = [self.story_places[i] for i in alive]
            self.member_story.data[: self.member_story.n] = remap[self.member_story.view()]
        if forget_merges:
            self.merged_into = {a: b for a, b in self.merged_into.items() if self.resolve(b) in self.story_index}
        self.sorted_times = bool(np.all(np.diff(self.member_time.view()) >= 0))

    # -- persistence -----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """Arrays in an .npz, everything else as JSON inside it: no pickle, portable.

        Not compressed: vectors barely compress and zlib would dominate the save time."""
        self.trim()
        meta: dict[str, Any] = {
            "magic": _MAGIC, "dim": self.dim, "lang_n": dict(self.lang_n), "all_n": self.all_n,
            "key_df": dict(self.key_df), "docs": self.docs, "story_ids": self.story_ids,
            "story_keys": self.story_keys, "story_names": [dict(sorted(n.items())) for n in self.story_names],
            "story_places": [dict(sorted(n.items())) for n in self.story_places],
            "refined_step": self.refined_step,
            "member_ids": self.member_ids, "newest": self.newest,
            "member_langs": self.langs, "merged_into": self.merged_into,
            "langs": sorted(self.lang_sum),
        }
        if self.s.refine_days > 0:  # what each member brought to its story's sums: only the pass needs it
            meta.update(member_keys=self.member_keys, member_names=self.member_names, member_places=self.member_places)
        lang_matrix = np.stack([self.lang_sum[k] for k in meta["langs"]]) if self.lang_sum else np.zeros((0, self.dim))
        buffer = io.BytesIO()
        np.savez(
            buffer, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            centroids=self.centroids.view(), members=self.members.view(), story_n=self.story_n.view(),
            story_first=self.story_first.view(), story_last=self.story_last.view(),
            member_story=self.member_story.view(), member_time=self.member_time.view(),
            member_lang=self.member_lang.view(), member_flags=self.member_flags.view(),
            lang_sum=lang_matrix, all_sum=self.all_sum,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, settings: StoriesSettings) -> StoryClusterer:
        arrays = np.load(io.BytesIO(blob), allow_pickle=False)
        meta: dict[str, Any] = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        if meta.get("magic") != _MAGIC:
            raise ValueError("stored story state has an unknown format; re-run with a fresh store")
        self = cls(settings, int(meta["dim"]))
        self.lang_sum = {k: arrays["lang_sum"][i].astype(np.float64) for i, k in enumerate(meta["langs"])}
        self.lang_n = Counter(meta["lang_n"])
        self.all_sum = arrays["all_sum"].astype(np.float64)
        self.all_n = int(meta["all_n"])
        self.key_df = Counter(meta["key_df"])
        self.docs = int(meta["docs"])
        self.story_ids = list(meta["story_ids"])
        self.story_index = {sid: i for i, sid in enumerate(self.story_ids)}
        for name in ("centroids", "story_n", "story_first", "story_last", "members", "member_story",
                     "member_time"):
            getattr(self, name).load(arrays[name])
        self.story_keys = [dict(c) for c in meta["story_keys"]]
        self.story_key_norm = [math.sqrt(sum(v * v for v in c.values())) for c in self.story_keys]
        # counts per name since the re-assignment pass; a list (state saved before): each name once
        self.story_names = [Counter(n) for n in meta.get("story_names", [[] for _ in self.story_ids])]
        # place keys since the place rule; a state saved before it names no places
        self.story_places = [Counter(n) for n in meta.get("story_places", [{} for _ in self.story_ids])]
        self.member_ids = list(meta["member_ids"])
        self.member_places = [list(n) for n in meta.get("member_places", [[] for _ in self.member_ids])]
        self.member_keys = [dict(k) for k in meta.get("member_keys", [{} for _ in self.member_ids])]
        self.member_names = [list(n) for n in meta.get("member_names", [[] for _ in self.member_ids])]
        summed = "member_keys" in meta  # saved with the pass on (or before it existed: not summed either)
        self.refined_step = meta.get("refined_step")
        flags = arrays["member_flags"] if "member_flags" in arrays else np.ones(len(self.member_ids), dtype=np.int8)
        if not summed and settings.refine_days > 0:
            # what these members brought to their stories' sums is unknown: the pass could not take it out
            # again, so they stay where they are, as members pinned by a reuse link do
            flags = flags | np.int8(4)
        self.member_flags.load(flags)
        self.langs = list(meta.get("member_langs", []))
        self.merged_into = dict(meta.get("merged_into", {}))
        if "member_lang" in arrays:
            self.member_lang.load(arrays["member_lang"])
        else:  # state saved before languages were kept per member
            self.member_lang.load(np.full(len(self.member_ids), -1, dtype=np.int64))
        self.newest = float(meta["newest"])
        self.sorted_times = bool(np.all(np.diff(self.member_time.view()) >= 0))
        return self

