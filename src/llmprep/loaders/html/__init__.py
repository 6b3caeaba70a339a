"""HTML: charset, DOM clean-up, main-content extraction, blocks and tables, metadata."""
