#!/usr/bin/env python3
"""Train the English attribution taggers on PolNeAR's training part (see echolot.training.quotes).

    python scripts/train_quotes_crf.py [--parse-cache /tmp/polnear.spacy] [--vector-dir /tmp/qvec]

With no options it rebuilds the shipped files in echolot/quotes/models/ byte for byte, with
their training record; `--help` lists the settings (defaults = the shipped ones).
"""
from __future__ import annotations

from echolot.training.quotes import main

if __name__ == "__main__":
    main()
