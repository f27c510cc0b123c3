"""Pretrained taggers that the CRFs stack on (and that serve alone when a CRF model is missing):
spaCy `en_core_web_sm` for English, natasha/slovnet for Russian. Each module exposes
`available()`, `recognize(text)` and a batched form over pre-tokenised sentences."""
