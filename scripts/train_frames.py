#!/usr/bin/env python3
"""Train the shipped frame/genre model (echolot/narratives/models/frames.npz + frames.record.json).

    python scripts/train_frames.py [--data ../shared/data] [--out DIR]

The recipe is `echolot.training.frames` (every article outside the final part); figures
come from `echolot eval narratives` (key `frames`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from echolot.eval.common import find_data_dir
from echolot.settings import load_settings
from echolot.training.frames import MODELS, train_shipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default: ../shared/data)")
    parser.add_argument("--out", type=Path, default=MODELS, help="folder to write the model and its record to")
    args = parser.parse_args()
    record = train_shipped(args.data or find_data_dir(), load_settings().cache_dir, args.out, progress=True)
    print(f"wrote {args.out / 'frames.npz'} and {record.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
