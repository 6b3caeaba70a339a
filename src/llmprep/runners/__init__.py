"""Runners execute the per-file function over many inputs: `local` (process pool) and `ray`."""
