"""Page metadata from `<head>` tags, JSON-LD and the document: cheap XPath, no date guessing.

Sources, best first, for each field: OpenGraph / article tags, JSON-LD (schema.org), plain
`<meta>` names, then the document itself (`<title>`, `<h1>`, `<html lang>`, `<time>`).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ...models import DocumentMetadata

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_TITLE_KEYS = ("og:title", "twitter:title", "dc.title", "dcterms.title")
_DESC_KEYS = (
    "description",
    "og:description",
    "twitter:description",
    "dc.description",
    "dcterms.description",
)
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "dcterms.creator", "byl", "parsely-author",
                "sailthru.author", "citation_author", "twitter:creator")  # fmt: skip
_DATE_KEYS = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
              "date", "pubdate", "publishdate", "publish-date", "publication_date", "dc.date.issued",
              "dc.date", "dcterms.created", "dcterms.issued", "dcterms.date", "sailthru.date",
              "parsely-pub-date", "citation_publication_date", "citation_date", "article.published",
              "published_time", "datecreated")  # fmt: skip
_SITE_KEYS = ("og:site_name", "application-name", "al:ios:app_name", "twitter:site")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "opinionnewsarticle",
                  "analysisnewsarticle", "techarticle", "scholarlyarticle", "webpage", "report",
                  "posting", "socialmediaposting", "liveblogposting", "review", "recipe", "howto",
                  "qapage", "discussionforumposting")  # fmt: skip
_DATE_XPATHS = (
    '(//*[@itemprop="datePublished"]/@datetime | //*[@itemprop="datePublished"]/@content)[1]',
    "(//time[@pubdate]/@datetime)[1]",
    "(//article//time/@datetime)[1]",
    "(//time/@datetime)[1]",
)
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_BY = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af)\s+", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_YMD_SLASH = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2}))?")


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _meta_map(tree: HtmlElement) -> dict[str, str]:
    """First non-empty content of each <meta name/property/itemprop>, keys lower-cased."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _clean(meta.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def _first(found: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in found:
            return found[key]
    return None


def json_ld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """All schema.org objects in JSON-LD scripts (flattening lists and @graph)."""
    out: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        todo = [data]
        while todo and len(out) < 200:
            item = todo.pop()
            if isinstance(item, list):
                todo.extend(reversed(item))
            elif isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    todo.extend(reversed(graph))
    return out


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    names = t if isinstance(t, list) else [t]
    return {str(n).lower() for n in names if n}


def _names(value: Any) -> list[str]:
    """Person/organization names from a JSON-LD author/publisher value."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, str):
                names.append(name)
        elif isinstance(item, str) and not item.startswith(("http://", "https://")):
            names.append(item)
    return [n for n in (_clean(x) for x in names) if n]


def article_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in objects if _types(o) & set(_ARTICLE_TYPES)]


def normalize_date(value: str | None) -> str | None:
    """An ISO 8601 date or datetime from the common machine-readable date spellings."""
    if not value:
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.isoformat() if len(value) > 10 else parsed.date().isoformat()
    except ValueError:
        pass
    for pattern, order in (
        (_ISO_DATE, "ymd"),
        (_YMD_SLASH, "ymd"),
        (_DMY, "dmy"),
        (_COMPACT, "ymd"),
    ):
        m = pattern.search(value) if pattern is not _COMPACT else pattern.match(value)
        if not m:
            continue
        a, b, c = (int(g) for g in m.groups()[:3])
        year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
        try:
            return datetime(year, month, day).date().isoformat()
        except ValueError:
            continue
    return None


def _authors(found: dict[str, str], articles: list[dict[str, Any]]) -> list[str]:
    raw: list[str] = []
    for obj in articles:
        raw.extend(_names(obj.get("author")))
    if not raw:
        value = _first(found, _AUTHOR_KEYS)
        if value and not value.startswith(("http://", "https://", "@")):
            # Not on commas: "Doe, Jane" is one person more often than a list is comma-separated.
            raw.extend(p for p in re.split(r"\s*(?:;|\|| & | and | und | et )\s*", value) if p)
    seen: dict[str, None] = {}
    for name in raw:
        name = _BY.sub("", name).strip(" ,;")
        if name and len(name) <= 100 and name.lower() not in (n.lower() for n in seen):
            seen[name] = None
    return list(seen)[:20]


def _language(tree: HtmlElement, found: dict[str, str]) -> str | None:
    for value in (
        tree.get("lang"),
        tree.get("xml:lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        found.get("content-language"),
        found.get("language"),
        found.get("og:locale"),
    ):
        value = (value or "").split(",")[0].strip()
        if value and _LANG.match(value):
            return value.replace("_", "-")
    return None


def _canonical(tree: HtmlElement, found: dict[str, str], url: str | None) -> str | None:
    hrefs = tree.xpath(
        '//link[contains(concat(" ", translate(@rel,"CANOICL","canoicl"), " "), " canonical ")]/@href'
    )
    for value in [*hrefs, found.get("og:url")]:
        value = (value or "").strip()
        if not value:
            continue
        absolute = urljoin(url, value) if url else value
        if urlsplit(absolute).scheme in ("http", "https"):
            return absolute
    return url


def _published(
    tree: HtmlElement, found: dict[str, str], articles: list[dict[str, Any]]
) -> str | None:
    for obj in articles:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            date = normalize_date(obj.get(key) if isinstance(obj.get(key), str) else None)
            if date:
                return date
    date = normalize_date(_first(found, _DATE_KEYS))
    if date:
        return date
    for query in _DATE_XPATHS:
        for value in tree.xpath(query):
            date = normalize_date(str(value))
            if date:
                return date
    return None


def _title(tree: HtmlElement, found: dict[str, str], articles: list[dict[str, Any]]) -> str | None:
    title = _first(found, _TITLE_KEYS)
    if title:
        return title
    for obj in articles:
        headline = obj.get("headline")
        if isinstance(headline, str) and _clean(headline):
            return _clean(headline)
    h1s = tree.xpath("//body//h1")
    if len(h1s) == 1:
        text = _clean(h1s[0].text_content())
        if text and len(text) < 300:
            return text
    node = tree.find(".//title")
    return _clean(node.text_content()) if node is not None else None


def extract_metadata(tree: HtmlElement, url: str | None = None) -> DocumentMetadata:
    """DocumentMetadata for a parsed page (call before scripts and `<head>` are removed)."""
    found = _meta_map(tree)
    objects = json_ld_objects(tree)
    articles = article_objects(objects)
    site = _first(found, _SITE_KEYS)
    if not site:
        for obj in [*articles, *objects]:
            names = _names(obj.get("publisher"))
            if names:
                site = names[0]
                break
    if site and site.startswith("@"):
        site = site[1:]
    description = _first(found, _DESC_KEYS)
    if not description:
        for obj in articles:
            if isinstance(obj.get("description"), str):
                description = _clean(obj["description"])
                break
    return DocumentMetadata(
        title=_title(tree, found, articles),
        description=description,
        authors=_authors(found, articles),
        created=_published(tree, found, articles),
        url=_canonical(tree, found, url),
        site_name=site,
        declared_language=_language(tree, found),
    )
