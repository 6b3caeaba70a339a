"""HTML pages: structure, main vs full text, charsets, metadata, robustness, and the dev benchmark."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import llmprep
from llmprep.config import Config
from llmprep.loaders.base import SourceFile
from llmprep.loaders.html.loader import HtmlExtraction, HtmlLoader, extract_html
from llmprep.loaders.registry import get_registry

ROOT = Path(__file__).resolve().parents[1]

PROSE = (
    "The committee met on Tuesday to review the water quality report for the northern district. "
    "Members agreed that the filtration plant needs new membranes before the summer season begins, "
    "and asked the engineering team to prepare a cost estimate with two supplier options. "
)


def article_page(*, extra_head: str = "", lead: str = "") -> str:
    """A realistic news page: navigation, cookie banner, article, comments, related links, footer."""
    paragraphs = "".join(
        f"<p>{PROSE} Paragraph number {i} adds its own detail.</p>" for i in range(6)
    )
    return f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Water report reviewed | Northern Gazette</title>{extra_head}</head><body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies?</div>
<main><article><h1>Water report reviewed by committee</h1>{lead}
<div class="article-body">{paragraphs}
<h2>What happens next</h2><p>{PROSE}</p>
<ul><li>Order new membranes for the plant</li><li>Publish the cost estimate in June</li></ul>
</div>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Reader Sam wrote: great article, thanks for covering the meeting!</p></div></section>
<aside class="related-posts"><h3>Related stories</h3><ul><li><a href="/a">Council budget approved after long debate</a></li>
<li><a href="/b">New bus routes announced for the spring timetable</a></li></ul></aside>
</article></main>
<footer class="site-footer"><p>Copyright Northern Gazette. All rights reserved. Imprint and privacy policy.</p></footer>
</body></html>"""


def texts(result: HtmlExtraction) -> str:
    return "\n".join(el.text for el in result.elements)


def flag(result: HtmlExtraction, code: str):  # type: ignore[no-untyped-def]
    return next((f for f in result.flags if f.code == code), None)


# -- structure --------------------------------------------------------------------------------


STRUCTURED = """<html><body>
<h1>Handbook</h1><p>Intro text for the handbook.</p>
<h2>Setup</h2><p>Install the tool.</p>
<h3>Linux</h3><p>Use the package manager.</p>
<h2>Usage</h2>
<ul><li>First step</li><li>Second step<ol><li>Sub step a</li><li>Sub step b</li></ol></li></ul>
<table><caption>Prices</caption><thead><tr><th>Plan</th><th>Price</th></tr></thead>
<tbody><tr><td>Basic</td><td>10 EUR</td></tr><tr><td>Pro</td><td>25 EUR</td></tr></tbody></table>
<pre>def main():
    return 42</pre>
<blockquote><p>Simple things should be simple.</p><p>Complex things should be possible.</p></blockquote>
</body></html>"""


def test_headings_become_heading_elements_with_levels_and_paths() -> None:
    result = extract_html(STRUCTURED, mode="full")
    headings = [(el.text, el.level) for el in result.elements if el.type == "heading"]
    assert headings == [("Handbook", 1), ("Setup", 2), ("Linux", 3), ("Usage", 2)]
    linux_para = next(el for el in result.elements if el.text == "Use the package manager.")
    assert linux_para.heading_path == ["Handbook", "Setup", "Linux"]


def test_list_items_are_separate_elements_with_nesting_levels_and_ordered_numbers() -> None:
    result = extract_html(STRUCTURED, mode="full")
    items = [(el.text, el.level) for el in result.elements if el.type == "list_item"]
    assert items == [
        ("First step", 1),
        ("Second step", 1),
        ("1. Sub step a", 2),
        ("2. Sub step b", 2),
    ]


def test_data_tables_keep_rows_and_cells_apart() -> None:
    result = extract_html(STRUCTURED, mode="full")
    table = next(el for el in result.elements if el.type == "table")
    assert table.metadata["rows"] == [["Plan", "Price"], ["Basic", "10 EUR"], ["Pro", "25 EUR"]]
    assert table.metadata["header_rows"] == 1
    assert table.text.splitlines() == ["Plan | Price", "Basic | 10 EUR", "Pro | 25 EUR"]
    assert any(el.type == "caption" and el.text == "Prices" for el in result.elements)


def test_pre_blocks_keep_their_whitespace_and_blockquotes_are_quotes() -> None:
    result = extract_html(STRUCTURED, mode="full")
    code = next(el for el in result.elements if el.type == "code")
    assert code.text == "def main():\n    return 42"
    quote = next(el for el in result.elements if el.type == "quote")
    assert quote.text == "Simple things should be simple.\nComplex things should be possible."


def test_layout_tables_read_as_paragraphs_not_tables() -> None:
    page = "<html><body><table><tr><td><p>Left column text here.</p></td><td><p>Right column.</p></td></tr></table></body></html>"
    result = extract_html(page, mode="full")
    assert [el.type for el in result.elements] == ["paragraph", "paragraph"]


def test_main_mode_keeps_structure_of_the_extracted_content() -> None:
    result = extract_html(article_page(), mode="main")
    assert any(el.type == "heading" and el.text == "What happens next" for el in result.elements)
    items = [el.text for el in result.elements if el.type == "list_item"]
    assert items == ["Order new membranes for the plant", "Publish the cost estimate in June"]


def test_main_mode_tables_keep_structured_rows() -> None:
    table = (
        "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Basic</td><td>10 EUR</td></tr></table>"
    )
    page = article_page().replace(
        "<h2>What happens next</h2>", table + "<h2>What happens next</h2>"
    )
    result = extract_html(page, mode="main")
    found = next(el for el in result.elements if el.type == "table")
    assert found.metadata["rows"] == [["Plan", "Price"], ["Basic", "10 EUR"]]


# -- main vs full -----------------------------------------------------------------------------


def test_main_mode_drops_navigation_banners_comments_related_links_and_footer() -> None:
    text = texts(extract_html(article_page(), mode="main"))
    assert "filtration plant needs new membranes" in text
    for boilerplate in (
        "Contact us",
        "Accept all cookies",
        "great article",
        "Council budget approved",
        "All rights reserved",
    ):
        assert boilerplate not in text


def test_full_mode_keeps_all_visible_text() -> None:
    text = texts(extract_html(article_page(), mode="full"))
    for visible in (
        "Contact us",
        "Accept all cookies",
        "great article",
        "Council budget approved",
        "All rights reserved",
    ):
        assert visible in text


def test_full_mode_drops_scripts_styles_and_hidden_elements() -> None:
    page = """<html><head><style>p { color: red }</style></head><body><p>Visible words.</p>
<script>var secret = "script text";</script><noscript>Enable JavaScript</noscript>
<div style="display: none">Hidden by style</div><p hidden>Hidden by attribute</p>
<span class="sr-only">Screen reader only</span><div aria-hidden="true">Decorative</div>
<template><p>Template text</p></template><p>More visible words.</p></body></html>"""
    text = texts(extract_html(page, mode="full"))
    assert text == "Visible words.\nMore visible words."


def test_elements_hidden_only_on_small_screens_are_kept() -> None:
    page = (
        '<html><body><div class="d-none d-md-block"><p>Shown on desktop (Bootstrap).</p></div>'
        '<div class="hidden lg:block"><p>Shown on desktop (Tailwind).</p></div>'
        '<div class="hidden"><p>Never shown.</p></div></body></html>'
    )
    text = texts(extract_html(page, mode="full"))
    assert "Bootstrap" in text and "Tailwind" in text and "Never shown" not in text


def test_boilerplate_ratio_is_main_text_over_visible_text() -> None:
    result = extract_html(article_page(), mode="main")
    ratio = flag(result, "boilerplate_ratio")
    assert ratio is not None and ratio.severity == "info"
    assert 0.5 < float(ratio.value) < 1.0  # type: ignore[arg-type]


def test_a_page_without_main_content_falls_back_to_full_and_says_so() -> None:
    page = "<html><body><nav><a href='/'>Home</a> <a href='/about'>About</a></nav></body></html>"
    result = extract_html(page, mode="main")
    warning = flag(result, "no_main_content")
    assert warning is not None and warning.severity == "warn"
    assert result.metadata.extra["html_mode"] == "full"
    assert "Home" in texts(result) and "About" in texts(result)


def test_the_lead_between_title_and_body_is_kept() -> None:
    lead = '<p class="standfirst">Engineers warn that the ageing filtration plant will not last another summer without repairs.</p>'
    text = texts(extract_html(article_page(lead=lead), mode="main"))
    assert "ageing filtration plant will not last another summer" in text


def test_a_standalone_dateline_is_not_content() -> None:
    page = article_page().replace(
        '<div class="article-body">', '<div class="article-body"><p>23.10.2018</p>'
    )
    assert "23.10.2018" not in texts(extract_html(page, mode="main"))


def test_read_more_teaser_links_are_not_content() -> None:
    teaser = (
        '<p>Read more: <a href="/c">Council budget approved after a long night of debate</a></p>'
    )
    page = article_page().replace(
        "<h2>What happens next</h2>", teaser + "<h2>What happens next</h2>"
    )
    text = texts(extract_html(page, mode="main"))
    assert "filtration plant" in text and "Council budget approved" not in text


def test_newsletter_boxes_inside_the_article_are_removed() -> None:
    box = '<div class="newsletter-signup"><h3>Our newsletter</h3><p>Sign up to get the best stories of the week in your inbox every Friday morning.</p></div>'
    page = article_page().replace("<h2>What happens next</h2>", box + "<h2>What happens next</h2>")
    text = texts(extract_html(page, mode="main"))
    assert "filtration plant" in text and "best stories of the week" not in text


def test_schema_org_article_body_rescues_script_rendered_pages() -> None:
    body = " ".join(
        f"Sentence {i} of the article rendered only by JavaScript on the client side."
        for i in range(20)
    )
    page = f"""<html><head><script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Rendered later", "articleBody": "{body}"}}
</script></head><body><div id="app"><h1>Rendered later</h1><p>Loading the article for you, please wait a moment.</p></div></body></html>"""
    text = texts(extract_html(page, mode="main"))
    assert "Sentence 19 of the article rendered only by JavaScript" in text


# -- charsets ---------------------------------------------------------------------------------

GERMAN = "Grüße aus Köln: Straße, Größe, Übermaß – schön!"


def page_bytes(text: str, head: str, encoding: str) -> bytes:
    return f"<html><head>{head}</head><body><p>{text}</p></body></html>".encode(encoding)


def test_utf8_bom_wins() -> None:
    data = b"\xef\xbb\xbf" + page_bytes(GERMAN, '<meta charset="iso-8859-1">', "utf-8")
    result = extract_html(data, mode="full")
    assert GERMAN in texts(result) and result.metadata.extra["encoding_source"] == "bom"


def test_meta_charset_is_honoured() -> None:
    result = extract_html(
        page_bytes(GERMAN, '<meta charset="windows-1252">', "cp1252"), mode="full"
    )
    assert GERMAN in texts(result) and result.metadata.extra["encoding_source"] == "meta"


def test_http_equiv_content_type_is_honoured() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
    text = "Prix : 15 € pour l'œuvre, déjà réservée"
    result = extract_html(page_bytes(text, head, "iso-8859-15"), mode="full")
    assert text in texts(result)


def test_transport_charset_comes_before_the_meta_declaration() -> None:
    data = page_bytes("Привет, мир! Это проверка кодировки.", '<meta charset="utf-8">', "koi8-r")
    result = extract_html(data, mode="full", declared_charset="koi8-r")
    assert "Привет, мир!" in texts(result)


def test_undeclared_legacy_charset_is_detected() -> None:
    text = "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 4
    result = extract_html(page_bytes(text, "", "cp1251"), mode="full")
    assert "французских булок" in texts(result)
    assert result.metadata.extra["encoding_source"] == "detected"


def test_utf8_bytes_win_over_a_stale_legacy_declaration() -> None:
    result = extract_html(page_bytes(GERMAN, '<meta charset="iso-8859-1">', "utf-8"), mode="full")
    assert GERMAN in texts(result)


def test_utf16_pages_load_with_and_without_bom() -> None:
    page = f'<html><head><meta charset="utf-16"></head><body><p>{GERMAN}</p></body></html>'
    assert GERMAN in texts(extract_html(page.encode("utf-16"), mode="full"))  # BOM included
    assert GERMAN in texts(extract_html(page.encode("utf-16-le"), mode="full"))


def test_decomposed_accents_are_normalized_to_composed_form() -> None:
    decomposed = "Gru\u0308ße"
    assert "Grüße" in texts(extract_html(f"<p>{decomposed} aus Köln</p>", mode="full"))


# -- metadata ---------------------------------------------------------------------------------


def test_page_metadata_comes_from_head_tags() -> None:
    head = """<meta name="description" content="The committee reviewed the report.">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">
<meta property="og:site_name" content="Northern Gazette">
<meta property="og:title" content="Water report reviewed">
<link rel="canonical" href="/news/water-report">"""
    meta = extract_html(article_page(extra_head=head), url="https://example.org/x?utm=1").metadata
    assert meta.title == "Water report reviewed"
    assert meta.declared_language == "en-GB"
    assert meta.url == "https://example.org/news/water-report"
    assert meta.description == "The committee reviewed the report."
    assert meta.authors == ["Jane Doe"]
    assert meta.created == "2024-03-05T09:30:00+01:00"
    assert meta.site_name == "Northern Gazette"


def test_json_ld_supplies_authors_date_and_publisher() -> None:
    head = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
{"@type": "NewsArticle", "headline": "Water report", "datePublished": "2023-11-02",
 "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chan"}],
 "publisher": {"@type": "Organization", "name": "Gazette Media"}}]}</script>"""
    meta = extract_html(article_page(extra_head=head)).metadata
    assert meta.authors == ["Ann Lee", "Bo Chan"]
    assert meta.created == "2023-11-02"
    assert meta.site_name == "Gazette Media"


def test_title_falls_back_to_the_title_tag() -> None:
    assert extract_html(article_page()).metadata.title == "Water report reviewed by committee"
    page = "<html><head><title>Only a title tag</title></head><body><p>x</p></body></html>"
    assert extract_html(page, mode="full").metadata.title == "Only a title tag"


# -- robustness -------------------------------------------------------------------------------


def test_malformed_markup_still_yields_its_text() -> None:
    page = b"<html><body><p>Unclosed <b>bold <i>italic</p><div><table><tr><td>cell</div></td>tail</table><li>stray item<p>a & b < c</body>"
    text = " ".join(texts(extract_html(page, mode="full")).split())
    for word in ("Unclosed", "bold", "italic", "cell", "stray item", "a & b < c"):
        assert word in text


@pytest.mark.parametrize("tag", ["div", "span", "ul", "blockquote"])
def test_nesting_5000_deep_keeps_the_text_and_is_flagged(tag: str) -> None:
    inner = "<li>deep words here</li>" if tag == "ul" else "<p>deep words here</p>"
    page = (
        "<html><body><p>Before the deep part.</p>"
        + f"<{tag}>" * 5000
        + inner
        + f"</{tag}>" * 5000
        + "<p>After the deep part.</p></body></html>"
    )
    for mode in ("main", "full"):
        result = extract_html(page, mode=mode)
        text = texts(result)
        assert (
            "Before the deep part." in text
            and "deep words here" in text
            and "After the deep part." in text
        )
        assert flag(result, "markup_flattened") is not None


def test_a_10_mb_page_loads() -> None:
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
    ]
    para = "<p>" + " ".join(words[(i * 7) % len(words)] for i in range(90)) + " {n}.</p>\n"
    body = "".join(para.format(n=n) for n in range(10_000_000 // len(para)))
    page = f"<html><body><article><h1>Big</h1>{body}</article></body></html>".encode()
    assert len(page) > 10_000_000
    result = extract_html(page)
    assert flag(result, "main_content_simplified") is not None  # linear path, not trafilatura
    assert len(result.elements) > 10_000
    assert result.elements[-1].text.endswith(f"{10_000_000 // len(para) - 1}.")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        bytes(range(256)) * 8,
        b"\x00\x00<p>x\x00y</p>",
        b"<?xml version='1.0' encoding='utf-8'?><html><body><p>xhtml</p></body></html>",
    ],
)
def test_empty_binary_and_odd_inputs_do_not_raise(data: bytes) -> None:
    for mode in ("main", "full"):
        assert isinstance(extract_html(data, mode=mode), HtmlExtraction)


def test_unknown_mode_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        extract_html("<p>x</p>", mode="everything")


# -- loader, registry, config -----------------------------------------------------------------


def test_html_files_get_the_html_loader_by_extension_and_by_content(tmp_path: Path) -> None:
    registry = get_registry()
    for name in ("page.html", "page.htm", "page.xhtml", "page"):
        path = tmp_path / name
        path.write_text(article_page(), encoding="utf-8")
        loader = registry.choose(SourceFile(path=path, rel_path=name, config=Config()))
        assert loader is not None and loader.name == "html"


def test_process_returns_the_main_text_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(article_page(), encoding="utf-8")
    result = llmprep.process(path, redact=False)
    assert result.status == "ok"
    doc = result.documents[0]
    assert doc.source.loader.name == "html" and doc.source.media_type == "text/html"
    assert doc.metadata.title == "Water report reviewed by committee"
    assert "filtration plant" in result.text and "Contact us" not in result.text


def test_config_html_mode_full_is_used_by_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "article.html"
    path.write_text(article_page(), encoding="utf-8")
    config = Config().with_overrides(**{"html.mode": "full"})
    source = SourceFile(path=path, rel_path="article.html", config=config)
    doc = next(HtmlLoader().load(source))
    assert "Contact us" in doc.text and doc.metadata.extra["html_mode"] == "full"


def test_deeply_nested_files_are_partial_not_failed(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><body>" + "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000 + "</body></html>"
    )
    source = SourceFile(path=path, rel_path="deep.html", config=Config())
    doc = next(HtmlLoader().load(source))
    assert "deep text" in doc.text
    assert source.partial is not None and source.partial.code == "html.too_deep"


# -- the dev benchmark ------------------------------------------------------------------------


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "llmprep_bench_html", ROOT / "bench" / "html_content.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_scorer_counts_snippets_after_collapsing_whitespace() -> None:
    bench = load_bench()
    page = bench.Page(
        "u", "f.html", b"", ["main  text\nhere", "missing bit"], ["menu", "footer text"]
    )
    score = bench.score_texts(["Some main text here and a menu."], [page])
    assert (score.tp, score.fn, score.fp, score.tn) == (1, 1, 1, 1)
    assert score.precision == 0.5 and score.recall == 0.5 and score.f1 == 0.5


def test_llmprep_beats_trafilatura_on_the_dev_pages(corpus: Path) -> None:
    bench = load_bench()
    pages = bench.load_pages(corpus)
    assert len(pages) >= 100
    ours = bench.score_texts([bench.llmprep_text(p) for p in pages], pages)
    theirs = bench.score_texts([bench.trafilatura_text(p) for p in pages], pages)
    assert ours.f1 >= theirs.f1
    assert ours.f1 >= 0.93


def test_table_cells_that_look_like_share_buttons_are_kept_in_main_mode() -> None:
    # trafilatura empties a cell reading "Email" (it looks like a share button); the page's
    # table has it, and main mode puts it back.
    page = Path(__file__).resolve().parents[1] / "fixtures" / "kb" / "password-resets.html"
    tables = [e for e in extract_html(page.read_bytes(), mode="main").elements if e.type == "table"]
    assert tables and tables[0].metadata["rows"][1:] == [["Email", "3"], ["Phone", "1"]]
