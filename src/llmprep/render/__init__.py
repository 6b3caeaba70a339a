"""Text forms of a document's elements: plain (as loaded) or Markdown (`render.markdown`)."""
