"""Consonant skeletons: one name in Latin, Cyrillic, Armenian, Georgian and Devanagari spellings."""
from __future__ import annotations

import pytest

from echolot.text.translit import letter_words, skeleton, skeletons_meet, uncased_words


@pytest.mark.parametrize("spellings", [
    ("Washington", "Вашингтон", "ვაშინგტონი", "Վաշինգտոն"),
    ("Berlin", "Берлин", "ბერლინი", "बर्लिन"),
    ("Philadelphia", "Филадельфия", "ფილადელფია", "फिलाडेल्फिया"),
    ("Trump", "Трамп", "ტრამპი", "ट्रंप", "ترامب"),  # anusvara for m, Arabic b for p
    ("Zelensky", "Зеленский", "ზელენსკი", "ज़ेलेंस्की"),  # z written with a nukta
])
def test_one_name_has_one_skeleton_in_every_script(spellings: tuple[str, ...]) -> None:
    first = skeleton(spellings[0])
    assert len(first) >= 3
    for other in spellings[1:]:
        assert skeletons_meet(first, skeleton(other)), (other, skeleton(other), first)


def test_armenian_u_is_a_vowel_not_a_consonant() -> None:
    # unidecode spells "ու" as "ow"; read as a w it would add a consonant that the Latin name lacks
    assert skeleton("Սուրեն") == skeleton("Suren")


def test_inflected_forms_meet_their_name_and_different_names_do_not() -> None:
    assert skeletons_meet(skeleton("Velmora"), skeleton("ველმორაში"))  # Georgian "in Velmora"
    assert skeletons_meet(skeleton("Hadad"), skeleton("ჰადადმა"))  # a two-consonant name, one consonant added
    assert not skeletons_meet(skeleton("Velmora"), skeleton("დურგაპურში"))
    assert not skeletons_meet("ht", "htmks")  # two consonants say too little to begin a long word


def test_words_keep_their_vowel_signs() -> None:
    assert letter_words("ब्रिन्मोन्ट में 12 लोग") == ["ब्रिन्मोन्ट", "में", "लोग"]


def test_uncased_words_are_those_of_scripts_that_write_no_capital() -> None:
    hindi = ["इंजीनियर प्रिया संधू ने NATO के बारे में कहा।"]
    assert "NATO" not in uncased_words(hindi) and "संधू" in uncased_words(hindi)
    georgian = ["ინჟინერმა პრია სანდუმ თქვა"]
    assert uncased_words(georgian) == ["ინჟინერმა", "პრია", "სანდუმ", "თქვა"]
    # Armenian and Russian write capitals, so none of their words stand in for names
    assert uncased_words(["Ինժեներ Սանդուն ասաց, որ կամուրջը բաց է։"]) == []
    assert uncased_words(["Инженер Санду сказала, что мост открыт."]) == []
