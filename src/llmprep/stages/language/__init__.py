"""Language detection: scripts, word lists, n-gram profiles, optional lingua."""
