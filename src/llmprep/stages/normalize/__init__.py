"""Normalization: Unicode, whitespace, ligatures, list markers; per element."""
