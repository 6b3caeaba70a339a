"""Adapters that hand llmprep's records to RAG frameworks, each behind its own extra.

- `llmprep.integrations.langchain.LlmprepLoader`: a LangChain `BaseLoader` (extra `langchain`).
- `llmprep.integrations.llamaindex.LlmprepReader`: a LlamaIndex `BaseReader`, also usable as
  `SimpleDirectoryReader(file_extractor={".pdf": LlmprepReader(), ...})` (extra `llamaindex`).
- `llmprep.integrations.haystack.LlmprepConverter`: a Haystack 2 component taking paths and
  `ByteStream`s (extra `haystack`).

Each file goes through `llmprep.process` (dedup and the keep/reject policy within the file),
so an adapter returns exactly the records `process` returns, one framework document per kept
chunk (`mode="chunks"`, default) or per document (`mode="documents"`: the whole normalized,
redacted text of the file and of each attachment or mailbox message). Metadata (see
`_common.record_metadata`) carries ids, source, pages, heading path, language, flag codes and
PII counts per type, never a detected value.
"""
