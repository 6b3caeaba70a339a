"""PII detection: llmprep's own detectors, Presidio's validated recognizers, NER, operators."""
