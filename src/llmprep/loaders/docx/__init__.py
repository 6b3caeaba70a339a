"""DOCX: the OOXML package, its styles and numbering, the body walk, headers/footers/notes."""
