"""PDF: pdfium for text and geometry, pypdf as the fallback; layout, furniture, headings."""
