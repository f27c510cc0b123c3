"""A small invented corpus: one story in three languages plus a reprint, and unrelated articles."""
from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from echolot.encoders.hashing import HashingEncoder

BRIDGE_EN = (
    "The Velmora harbour bridge reopens after 14 months of repairs.\n"
    "Engineers from the Tarnis company replaced 2,400 steel cables on the northern span. "
    "Mayor Ilsa Brenwick said the city paid 38 million euros for the work. "
    "Ferries that carried 9,000 commuters a day during the closure will stop on Monday.\n"
    "Residents of the Osterkai district had complained about long queues at the ferry piers. "
    "The bridge will be closed to lorries heavier than 40 tonnes until an inspection in March. "
    "Cyclists get a new protected lane on the eastern side."
)
BRIDGE_DE = (
    "Die Hafenbrücke von Velmora öffnet nach 14 Monaten Reparatur wieder.\n"
    "Ingenieure der Firma Tarnis ersetzten 2.400 Stahlseile am nördlichen Brückenteil. "
    "Bürgermeisterin Ilsa Brenwick sagte, die Stadt habe 38 Millionen Euro für die Arbeiten bezahlt. "
    "Die Fähren, die während der Sperrung täglich 9.000 Pendler beförderten, werden am Montag eingestellt.\n"
    "Bewohner des Viertels Osterkai hatten sich über lange Schlangen an den Fähranlegern beschwert. "
    "Für Lastwagen über 40 Tonnen bleibt die Brücke bis zu einer Prüfung im März gesperrt. "
    "Radfahrer bekommen auf der Ostseite eine neue geschützte Spur."
)
BRIDGE_FR = (
    "Le pont du port de Velmora rouvre après 14 mois de travaux.\n"
    "Les ingénieurs de l'entreprise Tarnis ont remplacé 2 400 câbles d'acier sur la travée nord. "
    "La maire Ilsa Brenwick a déclaré que la ville avait payé 38 millions d'euros pour les travaux. "
    "Les ferries qui transportaient 9 000 navetteurs par jour pendant la fermeture s'arrêteront lundi.\n"
    "Les habitants du quartier d'Osterkai se plaignaient de longues files d'attente aux embarcadères. "
    "Le pont restera fermé aux camions de plus de 40 tonnes jusqu'à une inspection en mars. "
    "Les cyclistes disposent d'une nouvelle voie protégée du côté est."
)
BRIDGE_REPRINT = (
    "Home > News > City\n"
    "The Velmora harbour bridge reopens after 14 months of repairs.\n"
    "Engineers from the Tarnis company replaced 2,400 steel cables on the northern span. "
    "Mayor Ilsa Brenwick said the city paid 38 million euros for the work. "
    "Ferries that carried 9,000 commuters a day during the closure will stop on Monday.\n"
    "Residents of the Osterkai district had complained about long queues at the ferry piers. "
    "The bridge will be closed to lorries heavier than 40 tonnes until an inspection in March.\n"
    "Share this article on social media\n"
    "Subscribe to our newsletter for more local news"
)
ORCHARD_EN = (
    "A late frost destroyed most of the cherry blossoms in the Pellan valley this week.\n"
    "Growers near Dunmarrow estimate that 70 percent of the harvest is lost. "
    "The regional farmers' union asked for emergency loans to cover wages for seasonal pickers. "
    "Some orchards tried smoke pots and sprinklers, with little success.\n"
    "Apple trees, which flower later, were mostly spared according to the union."
)
ORCHARD_DE = (
    "Ein später Frost hat diese Woche die meisten Kirschblüten im Pellantal vernichtet.\n"
    "Obstbauern bei Dunmarrow schätzen, dass 70 Prozent der Ernte verloren sind. "
    "Der regionale Bauernverband forderte Notkredite, um die Löhne der Saisonkräfte zu bezahlen. "
    "Einige Betriebe versuchten es mit Räuchertöpfen und Beregnung, mit wenig Erfolg.\n"
    "Apfelbäume, die später blühen, blieben laut dem Verband weitgehend verschont."
)
LIBRARY_FR = (
    "La bibliothèque municipale de Corvagne prolonge ses horaires d'ouverture le samedi.\n"
    "Désormais, les lecteurs pourront emprunter des livres jusqu'à 20 heures. "
    "La directrice explique que la demande des étudiants a fortement augmenté depuis l'automne. "
    "Un espace de jeux pour les enfants ouvrira aussi au rez-de-chaussée."
)
CHESS_EN = (
    "Sixteen-year-old Maren Tollefsen won the national chess championship in Brask on Sunday.\n"
    "She drew her final game with black against the defending champion. "
    "Her coach said she had prepared a rare line of the French defence for the tournament. "
    "Tollefsen will represent the country at the olympiad in 2026."
)


def _record(rid: str, title_and_text: str) -> dict[str, str | None]:
    title, _, text = title_and_text.partition("\n")
    return {"id": rid, "title": title, "text": text, "published": None, "source": None, "url": None}


@pytest.fixture
def corpus(tmp_path: Path) -> list[str]:
    return write_corpus(tmp_path)


@pytest.fixture(scope="module")
def module_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def write_corpus(tmp_path: Path) -> list[str]:
    """Inputs of three kinds: a JSONL file, a folder of text files, and an HTML page."""
    jsonl = tmp_path / "articles.jsonl"
    records = [_record("bridge-en", BRIDGE_EN), _record("bridge-de", BRIDGE_DE),
               _record("orchard-en", ORCHARD_EN), _record("library-fr", LIBRARY_FR),
               _record("bridge-en", BRIDGE_EN)]  # an exact duplicate line: deduped by content id
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "bridge_fr.txt").write_text(BRIDGE_FR, encoding="utf-8")
    (folder / "bridge_reprint.txt").write_text(BRIDGE_REPRINT, encoding="utf-8")
    (folder / "orchard_de.txt").write_text(ORCHARD_DE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")  # rejected, never fatal
    html = tmp_path / "chess.html"
    paragraphs = "".join(f"<p>{p}</p>" for p in CHESS_EN.split("\n")[1:])
    title = CHESS_EN.split("\n")[0]
    html.write_text(f"<html><head><title>{title}</title></head><body><nav>Home | Sport</nav>"
                    f"<article><h1>{title}</h1>{paragraphs}</article></body></html>", encoding="utf-8")
    return [str(jsonl), str(folder), str(html)]


@pytest.fixture(scope="session")
def session() -> Iterator[Any]:
    """One local Spark session (a JVM start) for every end-to-end test of the package."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (apt-get install default-jre-headless)")
    from echolot.spark import SparkOptions, start_session

    spark = start_session(SparkOptions(master="local[2]", partitions=2))
    yield spark
    spark.stop()


class CountingWide(HashingEncoder):
    """A second encoder name standing in for e5 as the wide encoder; it records the texts it encodes."""

    name = "hashing-wide"

    def __init__(self) -> None:
        super().__init__(64)
        self.texts: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return super().encode(texts)


@pytest.fixture
def counting_wide() -> CountingWide:
    return CountingWide()
