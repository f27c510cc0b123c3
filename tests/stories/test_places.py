"""Places of a title and lead: countries and towns in any script, declined forms, containment."""
from __future__ import annotations

from echolot.stories.places import compatible, focus, implied, named_count, places

MOSCOW, PETERSBURG, VOLGOGRAD = "RU/524901", "RU/498817", "RU/472757"


def test_towns_and_countries_in_several_languages_and_cases() -> None:
    assert places("Погода в Москве 26 июля: жара до +28", "ru") == [MOSCOW]
    assert places("Weather: Moscow to see +28 next week", "en") == [MOSCOW]
    assert places("Das Wetter in Moskaus Zentrum", "de") == [MOSCOW]  # not Wetter (Ruhr), 29,000 people
    assert places("В Санкт-Петербурге рабочая неделя начнется без дождей", "ru") == [PETERSBURG]
    assert places("Working week in St. Petersburg starts dry", "en") == [PETERSBURG]
    assert places("Под Волгоградом пострадал ребенок", "ru") == [VOLGOGRAD]
    assert places("В КНДР и США", "ru") == ["KP", "US"]  # acronyms outside the Latin script
    assert places("В Мурманской области выявлено 9500 случаев", "ru") == ["RU/524305"]
    assert places("В России выявили 5765 случаев COVID-19", "ru") == ["RU"]  # not the town Rosso ("Росс|ии")
    assert places("Car and caravan collide in Harju County, Estonia", "en") == ["EE"]


def test_no_place_when_unsure() -> None:
    assert places("Putin and Zelensky discuss the ceasefire", "en") == []  # "Zelensk" is an old town name
    assert places("Lokomotiv signs Lisakovich", "en") == []
    assert places("MOSCOW, July 26 (Reuters) - IT firms in Europe", "en") == []  # shouted, codes, continents
    assert places("", None) == []


def test_towns_meet_towns_and_countries_meet_countries() -> None:
    story = implied([MOSCOW, MOSCOW, "RU"])
    assert named_count(story) == 3 and "RU*" in story
    assert compatible([MOSCOW], set(implied([MOSCOW])))
    assert compatible(["RU"], set(implied([MOSCOW])))  # Russia's figures and Moscow's
    assert compatible([MOSCOW], set(implied(["RU"])))
    assert not compatible([PETERSBURG], set(implied([MOSCOW])))
    assert not compatible([PETERSBURG, "RU"], set(implied([MOSCOW, "RU"])))  # two towns, whatever holds them
    assert not compatible(["EE"], set(implied([MOSCOW, VOLGOGRAD])))
    assert compatible([PETERSBURG, "EE"], set(implied(["EE", "US"])))  # a story spanning places meets any one
    assert compatible([VOLGOGRAD], set(implied([MOSCOW, VOLGOGRAD])))


def test_words_inside_a_name_phrase_and_small_towns_written_like_words_are_no_places() -> None:
    assert places("President Vladimir Putin met Lewis Hamilton", "en") == []  # Vladimir: 357,000 people
    assert places("Manchester United signs a striker", "en") == []
    assert places("Le Maire: selon Bercy, Ende der Krise", "fr") == []  # alternate names of small towns
    assert places("В Тихорецке иномарка въехала в магазин", "ru") == []  # 64,000 people: a surname as often
    assert places("Контракт с Лисаковичем", "ru") == []  # ("Владимиром" alone is still the town Vladimir)


def test_a_town_meets_a_story_naming_its_country_unless_the_story_is_about_another_town_there() -> None:
    assert compatible(["BR/3469058"], set(implied(["KP/1876373", "BR", "KR"])))  # Brasilia; Kaesong's story
    assert not compatible([PETERSBURG], set(implied([MOSCOW, "RU"])))


def test_the_title_decides_the_places_when_it_names_one() -> None:
    lead = "Weather in St. Petersburg. Forecasters in Moscow said"
    assert focus("Weather in St. Petersburg", lead, "en") == [PETERSBURG]
    assert focus("Forecasters spoke about the weather", lead, "en") == sorted([MOSCOW, PETERSBURG])
