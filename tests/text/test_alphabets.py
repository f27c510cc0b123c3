"""A text's own letters overrule a language guess its alphabet rules out (`echolot.text.alphabets`)."""
from __future__ import annotations

from echolot.text import detect_language
from echolot.text.alphabets import foreign_letters, rerank

# written for this test: Yakut with many Russian names and loanwords, the kind lid.176 lite calls Russian
YAKUT = ("Саха Республикатын Правительствота «Бетукладин» препарат клиническэй тургутуктарын "
         "туһунан иһитиннэрдэ. Бу туһунан РИА Новости суруйар. Препарат 2018-2019 сылларга "
         "анал клиникаларга тургутуллубута, онтон эмтэнээччилэр этэҥҥэ буоллулар, диэн этэр Михаил Иванов.")


def test_letters_rule_out_russian_for_yakut() -> None:
    assert {"ҥ", "һ"} <= foreign_letters(YAKUT, "ru")
    assert not foreign_letters(YAKUT, "sah")
    assert detect_language(YAKUT)[0] == "sah"


def test_rerank_takes_the_best_candidate_whose_alphabet_fits() -> None:
    candidates = [("ru", 0.8), ("uk", 0.1), ("sah", 0.05), ("tt", 0.03)]
    code, score = rerank(YAKUT, candidates) or ("", 0.0)
    assert code == "sah" and abs(score - 0.85) < 1e-9  # uk lacks ҥ/һ; tt lacks ҥ
    assert rerank(YAKUT, [("ru", 0.9), ("uk", 0.1)]) is None  # nobody fits: keep the guess


def test_a_quoted_name_does_not_change_the_language() -> None:
    russian = ("Правительство в среду объявило о новых мерах поддержки предприятий. Министр встретился "
               "с коллегами в Київ и обсудил поставки зерна, сообщили в ведомстве.")
    assert foreign_letters(russian, "ru") == set()
    assert rerank(russian, [("ru", 0.9), ("uk", 0.05)]) is None
    assert detect_language(russian)[0] == "ru"


def test_unlisted_alphabets_are_never_ruled_out() -> None:
    assert foreign_letters("Ҕ ҕ ҕ ҥ ҥ ҥ", "et") == set()
    assert rerank("Ҕ ҕ ҕ ҥ ҥ ҥ", [("et", 0.5), ("zz", 0.4)]) is None
