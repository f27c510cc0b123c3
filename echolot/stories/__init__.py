"""Stories: incremental, cross-language clustering of articles into events.

The pipeline stage is `echolot.stories.stage.process`; `cluster` holds the
clusterer, `features` what it sees of an article (text to embed, name keys,
time), `timex` the time expressions of a text, `summary` what a user sees of a
story and `query` the read side shared by the CLI and the API.
"""
