#!/usr/bin/env python3
"""Train the English NER model shipped in echolot/entities/models/en: a CRF stacked on spaCy.

spaCy's en_core_web_sm follows OntoNotes (e.g. sports teams named by their city are GPE,
nationalities NORP); the CRF reads its labels as features and learns the CoNLL conventions
from ../shared/data/ner/dev/en.conll2003.conll, 80% of whose sentences train (fixed hash rule,
see echolot/entities/ner_data.py) while 20% are held out and scored.

    nice -n 10 python scripts/train_ner_en.py
"""
from echolot.entities.ner_train import main

if __name__ == "__main__":
    raise SystemExit(main("en", ("en.conll2003.conll",), "spacy", __doc__))
