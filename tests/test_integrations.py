"""LangChain, LlamaIndex and Haystack adapters: the chunks `process` returns, in each one's types.

The real packages are installed (dev requirements); sockets are disabled, so none of them may
phone home while loading or converting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import llmprep

KB = Path(__file__).resolve().parents[1] / "fixtures" / "kb"
FILES = [KB / "handbook.md", KB / "team.mbox", KB / "data-protection-policy.pdf"]


@pytest.fixture(scope="module")
def expected() -> list[llmprep.Record]:
    return [r for path in FILES for r in llmprep.process(path).records]


def _no_values(metadata: dict, record: llmprep.Record) -> None:
    """Metadata counts PII per type and never carries a detected value or the text."""
    assert record.text not in str(metadata)
    assert metadata["pii_counts"] == record.pii.counts
    assert "spans" not in str(metadata)


# -- LangChain ------------------------------------------------------------------------------


def test_langchain_loader_returns_the_records_as_documents(
    expected: list[llmprep.Record],
) -> None:
    pytest.importorskip("langchain_core")
    from langchain_core.documents import Document

    from llmprep.integrations.langchain import LlmprepLoader

    docs = list(LlmprepLoader(FILES).lazy_load())
    assert all(isinstance(d, Document) for d in docs)
    assert [(d.id, d.page_content) for d in docs] == [(r.id, r.text) for r in expected]
    for doc, record in zip(docs, expected, strict=True):
        assert doc.metadata["source"] == record.source.path
        assert doc.metadata["pages"] == record.pages
        assert doc.metadata["heading_path"] == record.heading_path
        assert doc.metadata["language"] == record.language
        assert doc.metadata["flags"] == [f.code for f in record.flags]
        _no_values(doc.metadata, record)


def test_langchain_loader_takes_a_folder_and_options() -> None:
    pytest.importorskip("langchain_core")
    from llmprep.integrations.langchain import LlmprepLoader

    docs = LlmprepLoader(KB, redact=False, chunk_max_tokens=64).load()
    sources = {d.metadata["source"] for d in docs}
    assert {"handbook.md", "team.mbox", "ticket-44817.eml"} <= sources
    assert max(d.metadata["tokens"] for d in docs) <= 64


def test_langchain_loader_in_documents_mode_gives_one_per_document() -> None:
    pytest.importorskip("langchain_core")
    from llmprep.integrations.langchain import LlmprepLoader

    res = llmprep.process(KB / "team.mbox")
    docs = LlmprepLoader(KB / "team.mbox", mode="documents").load()
    assert [(d.id, d.page_content) for d in docs] == [(x.id, x.text) for x in res.documents]


def test_langchain_loader_refuses_an_unknown_mode() -> None:
    pytest.importorskip("langchain_core")
    from llmprep.integrations.langchain import LlmprepLoader

    with pytest.raises(ValueError, match="mode"):
        LlmprepLoader(KB, mode="pages")


# -- LlamaIndex -----------------------------------------------------------------------------


def test_llamaindex_reader_returns_the_records_as_documents(
    expected: list[llmprep.Record],
) -> None:
    pytest.importorskip("llama_index.core")
    from llama_index.core.schema import Document

    from llmprep.integrations.llamaindex import LlmprepReader

    reader = LlmprepReader()
    docs = [d for path in FILES for d in reader.lazy_load_data(path)]
    assert all(isinstance(d, Document) for d in docs)
    assert [(d.id_, d.text) for d in docs] == [(r.id, r.text) for r in expected]
    for doc, record in zip(docs, expected, strict=True):
        assert doc.metadata["doc_id"] == record.doc_id
        _no_values(doc.metadata, record)
        # Ids and hashes stay out of what is embedded.
        assert "sha256" in doc.excluded_embed_metadata_keys
        assert record.source.sha256 not in doc.get_content(metadata_mode="embed")


def test_llamaindex_simple_directory_reader_uses_it_as_a_file_extractor(
    expected: list[llmprep.Record],
) -> None:
    pytest.importorskip("llama_index.core")
    from llama_index.core import SimpleDirectoryReader

    from llmprep.integrations.llamaindex import LlmprepReader

    reader = LlmprepReader()
    docs = SimpleDirectoryReader(
        input_files=[str(p) for p in FILES],
        file_extractor={".md": reader, ".mbox": reader, ".pdf": reader},
    ).load_data()
    assert [d.text for d in docs] == [r.text for r in expected]
    # SimpleDirectoryReader's own file metadata joins llmprep's.
    assert all(d.metadata["file_name"] == Path(d.metadata["file_path"]).name for d in docs)


def test_llamaindex_reader_reads_through_a_non_local_filesystem(
    expected: list[llmprep.Record],
) -> None:
    pytest.importorskip("llama_index.core")
    fsspec = pytest.importorskip("fsspec")
    from llmprep.integrations.llamaindex import LlmprepReader

    fs = fsspec.filesystem("memory")
    fs.pipe("/kb/handbook.md", (KB / "handbook.md").read_bytes())
    docs = LlmprepReader().load_data("/kb/handbook.md", fs=fs)
    want = [r for r in expected if r.source.path == "handbook.md"]
    assert [(d.id_, d.text) for d in docs] == [(r.id, r.text) for r in want]


# -- Haystack -------------------------------------------------------------------------------


def test_haystack_converter_takes_paths_and_byte_streams(expected: list[llmprep.Record]) -> None:
    pytest.importorskip("haystack")
    from haystack import Document
    from haystack.dataclasses import ByteStream

    from llmprep.integrations.haystack import LlmprepConverter

    converter = LlmprepConverter()
    streams = [
        ByteStream(data=FILES[1].read_bytes(), meta={"file_path": str(FILES[1])}),
        ByteStream(data=FILES[2].read_bytes(), meta={"file_name": FILES[2].name}),
    ]
    docs = converter.run(sources=[FILES[0], *streams], meta={"team": "support"})["documents"]
    assert all(isinstance(d, Document) for d in docs)
    assert [(d.id, d.content) for d in docs] == [(r.id, r.text) for r in expected]
    assert all(d.meta["team"] == "support" for d in docs)
    for doc, record in zip(docs, expected, strict=True):
        _no_values(doc.meta, record)


def test_haystack_converter_runs_in_a_pipeline() -> None:
    pytest.importorskip("haystack")
    from haystack import Pipeline

    from llmprep.integrations.haystack import LlmprepConverter

    pipeline = Pipeline()
    pipeline.add_component("convert", LlmprepConverter(redact=False))
    out = pipeline.run({"convert": {"sources": [KB / "handbook.md"]}})
    assert [d.content for d in out["convert"]["documents"]] == [
        r.text for r in llmprep.process(KB / "handbook.md", redact=False).records
    ]
    # The pipeline can be saved and loaded with the converter's options (Haystack loads
    # components only from modules the caller allows).
    again = Pipeline.loads(pipeline.dumps(), allowed_modules=["llmprep.integrations.haystack"])
    assert again.get_component("convert").options == {"redact": False}


def test_haystack_byte_stream_without_a_name_is_read_by_its_mime_type() -> None:
    pytest.importorskip("haystack")
    from haystack.dataclasses import ByteStream

    from llmprep.integrations.haystack import LlmprepConverter

    html = b"<html><body><h1>Returns</h1><p>Items can be returned within thirty days of delivery, with the receipt.</p></body></html>"
    docs = LlmprepConverter(redact=False).run(
        sources=[ByteStream(data=html, mime_type="text/html")]
    )["documents"]
    assert docs and docs[0].meta["media_type"] == "text/html"
    assert docs[0].meta["source"] == "document.html"
