"""Quality flags: text statistics, the rules that turn them into flags."""
