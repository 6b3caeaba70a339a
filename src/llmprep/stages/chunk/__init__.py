"""Chunking: token-aware splitting at the best boundary under a hard limit; tables by rows."""
