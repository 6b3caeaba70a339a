"""Dedup: fingerprints made per file (digests, MinHash), compared across the run."""
