#!/usr/bin/env python3
"""Train the German NER model (CRF) shipped in echolot/entities/models/de.

Data: ../shared/data/ner/dev/de.germeval.conll + de.europarl.conll. About 20% of each file
is held out by a fixed hash rule (sha1 of the sentence's tokens % 100 < 20, see
echolot/entities/ner_data.py); the model trains on the rest and the script prints
exact-span F1 on the held-out part (also written to models/de/training.json).

    nice -n 10 python scripts/train_ner_de.py                   # train, score held-out, write model
    nice -n 10 python scripts/train_ner_de.py --inner --c1 0.1  # tuning run on an inner slice

Defaults of the shipped model: 150 L-BFGS iterations, c1 0.05, c2 0.01, the genre guesser
(--no-genre to drop it), the extra feature groups "quotes", "position" and "gazetteer" (--extras "")
and contextual tag guesses from multilingual-e5 word vectors (--no-context to drop them; the encoder
pass over the training files takes ~5 min, --vector-cache FILE keeps it between runs).
The gazetteer file (models/de/gazetteer.txt.gz) comes from scripts/build_gazetteer.py.
"""
from echolot.entities.ner_crf import CLUSTERS_FILE
from echolot.entities.ner_gazetteer import GAZETTEER_FILE
from echolot.entities.ner_train import MODELS_DIR, main

if __name__ == "__main__":
    raise SystemExit(main("de", ("de.germeval.conll", "de.europarl.conll"), None, __doc__,
                         iterations=150, name_files=("en.conll2003.conll",), clusters=MODELS_DIR / "de" / CLUSTERS_FILE,
                         genre=True, extras=("quotes", "position", "gazetteer"),
                         gazetteer=MODELS_DIR / "de" / GAZETTEER_FILE, context=True))
