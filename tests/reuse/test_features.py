"""Per-article features: anchors in any digits, name skeletons, the words of articles without capitals."""
from __future__ import annotations

from echolot.model import Article
from echolot.reuse.features import anchors, name_skeletons, spelled
from echolot.text.translit import skeleton


def test_numbers_in_native_digits_are_the_same_anchors_as_ascii_ones() -> None:
    ascii_digits = anchors(Article(id="a", lang="en", text="The census of 2023 counted 4,512 households."))
    devanagari = anchors(Article(id="b", lang="hi", text="२०२३ की जनगणना में ४,५१२ परिवार गिने गए।"))
    arabic_indic = anchors(Article(id="c", lang="ar", text="أحصى تعداد ٢٠٢٣ عدد ٤٥١٢ أسرة."))
    assert {"#2023", "#4512"} <= ascii_digits
    assert devanagari == arabic_indic == {"#2023", "#4512"}


def test_name_skeletons_are_the_capitalised_words_not_starting_a_sentence() -> None:
    article = Article(id="a", lang="en", text="Mayor Ostrander opened the bridge in Velmora. The crowd cheered.")
    assert name_skeletons(article) == {skeleton("Ostrander"), skeleton("Velmora")}


def test_spelled_holds_the_words_of_an_article_without_capitals_only() -> None:
    hindi = Article(id="hi", lang="hi", text="महापौर ओस्ट्रैंडर ने मंगलवार को वेल्मोरा में नया पुल खोला।")
    assert {skeleton("Ostrander"), skeleton("Velmora")} <= spelled(hindi)
    # a Russian article quoting one Hindi word is not an article without capitals
    russian = Article(id="ru", lang="ru", text="Мэр Остерхольм открыл мост; по-индийски мост называется पुल.")
    assert spelled(russian) == frozenset()


def test_scripts_without_spaces_give_no_words_to_stand_in_for_names() -> None:
    # a Chinese, Japanese or Thai "word" here is a phrase: a name inside it seldom begins it
    chinese = Article(id="zh", lang="zh", text="市长奥斯特兰德周二在韦尔莫拉开通了新桥。维修费用为三千八百万。")
    japanese = Article(id="ja", lang="ja", text="オステランダー市長は火曜日、ヴェルモラで新しい橋を開通させた。修理費は、3800万だった。")
    thai = Article(id="th", lang="th", text="นายกเทศมนตรีออสแทรนเดอร์เปิดสะพานใหม่ในเวลโมราเมื่อวันอังคาร ค่าซ่อมแซมสามสิบแปดล้าน")
    assert spelled(chinese) == spelled(japanese) == spelled(thai) == frozenset()
