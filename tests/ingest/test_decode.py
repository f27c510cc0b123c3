"""Decoding never produces silent garbage: mostly-UTF-8, byte-order marks, implausible text."""
from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from echolot.ingest import read_sources
from echolot.ingest.decode import DecodeError, decode_text, implausible
from echolot.model import RawDocument, Rejection
from echolot.settings import Settings

DE = ("Während der verlängerten Sitzung sagte der Minister, die Gespräche über die künftige Zusammenarbeit "
      "seien konstruktiv verlaufen und würden fortgesetzt. Beobachter hatten mit größeren Schwierigkeiten "
      "gerechnet, äußerten sich aber zufrieden. ")
RU = ("Министр заявил во вторник, что переговоры прошли конструктивно и будут продолжены на следующей "
      "неделе. Наблюдатели ожидали более трудной встречи. ")


def _one(path: Path) -> RawDocument | Rejection:
    (item,) = list(read_sources([str(path)], Settings()))
    return item


def test_mostly_utf8_with_stray_bytes_stays_utf8(tmp_path: Path) -> None:
    data = (DE * 3).encode("utf-8")
    data = data[:40] + b"\xe4" + data[40:200] + b"\x96\xfc" + data[200:]  # three stray latin-1 bytes
    decoded = decode_text(data)
    assert decoded.encoding == "utf-8"
    assert "verlängerten" in decoded.text and "Gespräche" in decoded.text  # not "verlõngerten" (cp775)
    assert decoded.text.count("\ufffd") == 3
    assert decoded.notes == ["decoded as UTF-8 with 3 invalid byte sequence(s) replaced by U+FFFD"]
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    doc = _one(path)
    assert isinstance(doc, RawDocument) and doc.meta["notes"] == decoded.notes


@pytest.mark.parametrize("bom,codec", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                       (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                                       (codecs.BOM_UTF32_BE, "utf-32-be")])
@pytest.mark.parametrize("text", [DE, RU, "中文新闻报道，记者说：“我们今天开会。”" * 4])
def test_byte_order_marks(tmp_path: Path, bom: bytes, codec: str, text: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(bom + text.encode(codec))
    doc = _one(path)
    assert isinstance(doc, RawDocument) and doc.body == text and doc.meta["encoding"] == codec


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
@pytest.mark.parametrize("codec,text", [("utf-8", DE), ("cp1252", DE), ("cp1251", RU)])
def test_stray_utf16_mark_before_8bit_bytes_is_ignored(bom: bytes, codec: str, text: str) -> None:
    decoded = decode_text(bom + text.encode(codec))
    assert decoded.text == text  # not CJK-looking garbage
    assert "ignored a UTF-16 byte-order mark" in decoded.notes[0]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [DE, RU])
def test_utf16_without_bom(tmp_path: Path, codec: str, text: str) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(text.encode(codec))
    doc = _one(path)
    assert isinstance(doc, RawDocument) and doc.body == text and doc.meta["encoding"] == codec


@pytest.mark.parametrize("codec,text", [("cp1251", RU), ("koi8-r", RU), ("cp1252", DE), ("latin-1", DE)])
def test_legacy_code_pages_still_work(codec: str, text: str) -> None:
    assert decode_text(text.encode(codec)).text == text


@pytest.mark.parametrize("garbage,reason", [
    ((DE * 2).encode("utf-8").decode("cp1252").encode("utf-8"), "double-encoded"),  # "WÃ¤hrend"
    ((RU * 2).encode("cp1251").decode("latin-1").encode("utf-8"), "implausible letters"),  # "Ìèíèñòð"
    (b"abc " + bytes(range(0x80, 0x100)) * 4, "implausible characters"),
    (codecs.BOM_UTF8 + b"ok " + b"\xff\xfe\xfd " * 40, "mostly undecodable"),
])
def test_implausible_text_is_rejected_with_a_reason(tmp_path: Path, garbage: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_text(garbage)
    path = tmp_path / "garbage.txt"
    path.write_bytes(garbage)
    item = _one(path)
    assert isinstance(item, Rejection) and reason in item.reason


@pytest.mark.parametrize("text", [
    DE, RU, "Ελληνικά κείμενα είναι εντάξει σήμερα, λέει ο υπουργός. " * 3,
    "ディミトロフと練習のチャンス、ATPがオークション出品＜男子テニス＞ - Yahoo!ニュース " * 3,
    "Người dân được hỗ trợ trong đợt này, theo thông báo của chính quyền địa phương. " * 3,
    "وقال الوزير إن المحادثات كانت بناءة وستستمر الأسبوع المقبل. " * 3,
    "<i class='icon'>\ue800</i> " * 40 + DE,  # private-use icon fonts in a UTF-8 page are fine
    "हिन्दी भाषा में समाचार लेख यहाँ है और यह ठीक है। " * 3, "ภาษาไทย ข่าว วันนี้ ดีมาก ครับ " * 4,
    unicodedata.normalize("NFD", DE + "Người dân được hỗ trợ trong đợt này. " * 3),  # decomposed accents
])
def test_real_text_in_any_script_is_plausible(text: str) -> None:
    assert implausible(text) is None
    assert decode_text(text.encode("utf-8")).text == text


def test_jsonl_record_with_mojibake_is_rejected(tmp_path: Path) -> None:
    import json

    path = tmp_path / "r.jsonl"
    bad = (DE * 2).encode("utf-8").decode("cp1252")
    path.write_text(json.dumps({"id": "1", "text": bad}) + "\n" + json.dumps({"id": "2", "text": DE}) + "\n",
                    encoding="utf-8")
    items = list(read_sources([str(path)], Settings()))
    assert isinstance(items[0], Rejection) and "double-encoded" in items[0].reason
    assert isinstance(items[1], RawDocument) and items[1].body == DE
