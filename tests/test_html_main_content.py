"""HTML main content: furniture known by what it says and holds (not by class names), picture
credits, flat fallback results restructured, and F1 on generated site pages (both splits)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from llmprep.loaders.html.loader import extract_html

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    "The harbour authority opened the new ferry terminal after three years of building work.",
    "Passengers can now board from a covered hall with seating for four hundred people.",
    "The old terminal will be turned into a market hall with space for local traders.",
    "Engineers say the new quay can take ships twice the size of the current ferries.",
    "The council expects the first cruise ships to call at the port next summer season.",
    "Traffic on the coast road is to be eased by a new lane reserved for ferry queues.",
]


def prose(n: int = 6) -> str:
    return "".join(f"<p>{SENTENCES[i % 6]} Detail number {i} follows here.</p>" for i in range(n))


def page(body: str) -> bytes:
    """A page whose classes name nothing (utility CSS), so only content can tell furniture."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Ferry terminal'
        f'</title></head><body><div class="flex px-4">{body}</div></body></html>'
    ).encode()


def main_text(body: str) -> str:
    return "\n".join(el.text for el in extract_html(page(body), mode="main").elements)


ARTICLE = f'<div class="mt-6"><h1>New ferry terminal opens</h1>{prose()}</div>'


def test_a_cookie_banner_with_a_button_is_not_main_content() -> None:
    banner = (
        '<div class="fixed bottom-0"><p>We use cookies to measure how this site is used.</p>'
        "<button>Accept</button></div>"
    )
    text = main_text(banner + ARTICLE)
    assert "cookies to measure" not in text
    assert "covered hall" in text


def test_a_box_around_an_email_field_is_not_main_content() -> None:
    box = (
        '<div class="p-4"><h3>Stay in the loop</h3><p>Weekly news from the harbour, every Friday '
        'morning.</p><form><input type="email" name="address"><button>Go</button></form></div>'
    )
    text = main_text(ARTICLE + box)
    assert "every Friday" not in text
    assert "market hall" in text


def test_a_section_under_a_comments_heading_is_not_main_content() -> None:
    comments = (
        '<div class="mt-8"><h3>3 Comments</h3><div><p><b>Alex</b></p><p>Finally the queues on the '
        "coast road will be shorter, I hope.</p></div></div>"
    )
    text = main_text(ARTICLE + comments)
    assert "queues on the coast road will be shorter" not in text
    assert "cruise ships" in text


def test_blocks_ending_in_a_reply_link_are_comments_on_an_article() -> None:
    comments = "".join(
        f'<div class="py-2"><p>Reader {n} thinks the terminal looks far better than the old '
        f'sheds.</p><a href="#r{n}">Reply</a></div>'
        for n in range(2)
    )
    text = main_text(ARTICLE + comments)
    assert "looks far better" not in text
    assert "ferry queues" in text


def test_posts_ending_in_a_reply_link_are_the_content_of_a_forum_thread() -> None:
    posts = "".join(
        f'<div class="py-2"><p>{SENTENCES[n]} {SENTENCES[n + 1]} Post {n} ends.</p>'
        f'<a href="#r{n}">Reply</a></div>'
        for n in range(4)
    )
    text = main_text(f"<h1>Ferry terminal thread</h1>{posts}")
    assert "Post 0 ends" in text and "Post 3 ends" in text


def test_a_related_reading_label_and_its_links_are_not_main_content() -> None:
    related = (
        "<p><strong>Read also:</strong></p><ul><li><a href='/a'>Harbour fees rise for the "
        "third year running</a></li><li><a href='/b'>Fishing fleet moves to the north quay"
        "</a></li></ul>"
    )
    body = f'<div class="mt-6"><h1>New ferry terminal opens</h1>{prose(3)}{related}{prose(3)}</div>'
    text = main_text(body)
    assert "Harbour fees rise" not in text
    assert "Read also" not in text
    # The article goes on after the links.
    assert "Detail number 2 follows" in text


def test_a_short_block_holding_a_time_element_is_a_byline() -> None:
    byline = '<div class="text-sm"><span>By <a href="/a">Kim Lee</a></span> <time>4 May 2024</time></div>'
    body = f'<div class="mt-6"><h1>New ferry terminal opens</h1>{byline}{prose()}</div>'
    assert "Kim Lee" not in main_text(body)


def test_a_tag_line_of_links_is_not_main_content() -> None:
    tags = "<p>Topics: <a href='/t/1'>Ferries</a>, <a href='/t/2'>Harbour works</a></p>"
    text = main_text(ARTICLE + tags)
    assert "Harbour works" not in text


def test_a_link_heavy_block_around_the_copyright_line_is_a_footer() -> None:
    links = "".join(f"<li><a href='/f{n}'>Footer link {n}</a></li>" for n in range(6))
    footer = (
        f'<div class="border-t"><p>The Harbour Gazette is read in every port town.</p><ul>{links}'
        "</ul><p>© 2024 Harbour Gazette</p></div>"
    )
    text = main_text(ARTICLE + footer)
    assert "read in every port town" not in text


@pytest.mark.parametrize(
    "credit",
    ["Photo: Jane Doe / Harbour Agency", "(Credit: Jane Doe / Harbour Agency)", "Bildquelle: dpa"],
)
def test_a_picture_credit_standing_alone_is_not_main_content(credit: str) -> None:
    body = f'<div class="mt-6"><h1>New ferry terminal opens</h1>{prose(3)}<p><em>{credit}</em></p>{prose(3)}</div>'
    assert credit.strip("()") not in main_text(body)


def test_a_sentence_mentioning_cookies_in_the_article_stays() -> None:
    body = (
        f'<div class="mt-6"><h1>New ferry terminal opens</h1>{prose(3)}<p>The café in the hall '
        f"sells cookies baked on the island every morning.</p>{prose(3)}</div>"
    )
    assert "cookies baked on the island" in main_text(body)


# -- generated site pages -------------------------------------------------------------------


def _score(split: str, n: int) -> float:
    sys.path.insert(0, str(ROOT / "bench"))
    from html_content import generated_pages, llmprep_text, score_texts

    pages = generated_pages(split, n)
    return score_texts([llmprep_text(p) for p in pages], pages).f1


@pytest.mark.parametrize(("split", "floor"), [("tune", 0.95), ("measure", 0.9)])
def test_main_content_f1_on_generated_site_pages(split: str, floor: float) -> None:
    """News, blog, docs, forum and product pages; "measure" uses markup conventions and
    furniture wording the rules were not adjusted on (fixtures/make_sites.py)."""
    assert _score(split, 12) >= floor


def test_headings_and_lists_come_back_when_the_extractor_keeps_prose_only() -> None:
    sys.path.insert(0, str(ROOT / "fixtures"))
    from make_sites import site_page

    # Utility-class pages (no class names an article) are where trafilatura falls back to
    # prose-only extraction; the page's own headings and lists are restored around it.
    pages = [site_page(s)[0] for s in range(1000, 1040)]
    seeds = [1000 + n for n, html in enumerate(pages) if "sticky top-0" in html and "<h2>" in html]
    assert len(seeds) >= 4
    seeds = seeds[:4]
    for seed in seeds:
        html, _ = site_page(seed)
        elements = extract_html(html.encode(), mode="main").elements
        assert any(el.type in ("heading", "list_item") for el in elements), seed


# -- structure in main content ------------------------------------------------------------------


def test_a_table_inside_a_list_item_comes_out_as_a_grid_after_the_item() -> None:
    rows = "".join(
        f"<tr><td>Berth {n}</td><td>Depth {n} m<br>at low water</td><td><p>Free</p><p>from May</p></td></tr>"
        for n in range(1, 4)
    )
    table = (
        "<table><thead><tr><th>Berth</th><th>Depth</th><th>State</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    body = f'<div class="mt-6"><h1>Berths</h1>{prose(3)}<ul><li>Visitor berths{table}</li><li>Moorings</li></ul>{prose(3)}</div>'
    elements = extract_html(page(body), mode="main").elements
    item = next(e for e in elements if e.type == "list_item")
    grid = next(e for e in elements if e.type == "table")
    assert item.text == "Visitor berths"
    assert grid.metadata["rows"][2] == ["Berth 2", "Depth 2 m\nat low water", "Free\nfrom May"]


def test_a_heading_in_a_layout_table_stays_a_heading_in_main_content() -> None:
    rows = "".join(f"<tr><td>Gate {n}</td><td>{n}:00</td></tr>" for n in range(1, 4))
    layout = (
        '<table width="100%"><tr><td><h2>Opening hours</h2><p>The gates open at dawn every day '
        f"of the year, holidays included.</p><table><tr><th>Gate</th><th>Opens</th></tr>{rows}"
        "</table></td><td><p>A side column with a short note for visitors.</p></td></tr></table>"
    )
    body = f'<div class="mt-6"><h1>Harbour guide</h1>{prose(3)}{layout}{prose(3)}</div>'
    elements = extract_html(page(body), mode="main").elements
    assert ("heading", "Opening hours") in [(e.type, e.text) for e in elements]
    tables = [e.metadata["rows"] for e in elements if e.type == "table"]
    assert tables == [
        [["Gate", "Opens"], ["Gate 1", "1:00"], ["Gate 2", "2:00"], ["Gate 3", "3:00"]]
    ]
