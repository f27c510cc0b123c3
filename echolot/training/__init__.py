"""Everything that *makes* a shipped model, kept apart from the code that *uses* it.

One module per model family (``ner``, ``quotes``, ``narratives`` ...), each exposing
``command(name)`` (the documented command that rebuilds the shipped files of record ``name``),
``defaults(name)`` (the settings that command uses) and its training functions. Every shipped model folder
holds a training record (``record.py``) naming the data files with their hashes, the settings
and the command; ``tests/training`` checks that each record agrees with its trainer's defaults
and with the files beside it. Runtime modules never import this package.
"""
