"""Narratives: claims in articles matched to a catalog, with stance, spread over copies and translations.

The stage (`stage.process`) matches every article against a narrative catalog and the
supervised label model and stores the hits; `query` answers the CLI's and the API's
questions about them; `frames` and `supervised` are the two article-level models whose
training lives in `echolot.training`. See docs/narratives.md.
"""
