"""WordprocessingML blocks into elements, in document order.

The body is walked as XML (not python-docx's `paragraphs` then `tables`), so a table stays where
it stands between paragraphs. Paragraph text comes from runs, hyperlinks, fields, content controls
and tracked insertions; deleted and moved-away text, field codes and the VML fallback copy of
drawings are left out. Text boxes become elements of their own after their anchor paragraph.

Tables are grids, by the same rule as HTML tables: a merged cell (`gridSpan` across columns,
`vMerge` down rows) has its text in every grid position it covers, so each row reads whole;
`metadata["spans"]` lists merged cells as `[row, column, rowspan, colspan]` (0-based), and
`gridBefore` leaves empty cells at a row's start. Nested tables are kept in their cell's text
(a line per row) and in `metadata["nested_tables"]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...models import Element
from ..structure import table_text
from .styles import Styles

if TYPE_CHECKING:
    from lxml import etree

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_R = {
    W_TRANSITIONAL: "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    W_STRICT: "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
_M = {
    W_TRANSITIONAL: "http://schemas.openxmlformats.org/officeDocument/2006/math",
    W_STRICT: "http://purl.oclc.org/ooxml/officeDocument/math",
}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


class Tags:
    """Clark-notation tag names for one WordprocessingML namespace (Transitional or Strict)."""

    def __init__(self, w: str) -> None:
        self.w = w
        q = lambda local: f"{{{w}}}{local}"  # noqa: E731
        self.p, self.tbl, self.tr, self.tc = q("p"), q("tbl"), q("tr"), q("tc")
        self.ppr, self.rpr, self.tcpr, self.trpr = q("pPr"), q("rPr"), q("tcPr"), q("trPr")
        self.t, self.tab, self.ptab = q("t"), q("tab"), q("ptab")
        self.br, self.cr = q("br"), q("cr")
        self.nb_hyphen = q("noBreakHyphen")
        self.rendered_break = q("lastRenderedPageBreak")
        self.hyperlink, self.txbx = q("hyperlink"), q("txbxContent")
        self.sdt, self.sdt_content, self.custom_xml = q("sdt"), q("sdtContent"), q("customXml")
        self.vmerge, self.tbl_header = q("vMerge"), q("tblHeader")
        self.grid_span, self.grid_before = q("gridSpan"), q("gridBefore")
        self.type, self.val = q("type"), q("val")
        self.anchor = q("anchor")
        self.body = q("body")
        self.r_id = f"{{{_R.get(w, _R[W_TRANSITIONAL])}}}id"
        self.math_t = f"{{{_M.get(w, _M[W_TRANSITIONAL])}}}t"
        self.mc_alt, self.mc_choice = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice"
        # Subtrees whose text is not the reader-visible text of the paragraph.
        self.skip = frozenset(
            {
                self.ppr,
                self.rpr,
                q("del"),
                q("moveFrom"),
                q("instrText"),
                q("delInstrText"),
                q("fldData"),
                q("rt"),  # ruby (pronunciation) text above the base text
                f"{{{MC}}}Fallback",  # the VML copy of a drawing already read from mc:Choice
            }
        )


@dataclass
class _Inline:
    parts: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    boxes: list[etree._Element] = field(default_factory=list)
    start_page: int | None = None

    def text(self) -> str:
        return "".join(self.parts)


class BodyReader:
    """Turns block containers (body, cell, header, note, text box) into elements."""

    def __init__(
        self,
        tags: Tags,
        styles: Styles,
        links: dict[str, str],
        page_mode: str | None = None,
    ) -> None:
        self.tags = tags
        self.styles = styles
        self.links = links  # relationship id -> external URL
        self.page_mode = page_mode  # "rendered" | None (no page numbers)
        self.page = 1

    # -- blocks -------------------------------------------------------------------------------

    def blocks(self, container: etree._Element) -> list[Element]:
        out: list[Element] = []
        self._blocks(container, out)
        return out

    def _blocks(self, container: etree._Element, out: list[Element]) -> None:
        tg = self.tags
        for child in container:
            tag = child.tag
            if tag == tg.p:
                self._paragraph(child, out)
            elif tag == tg.tbl:
                table = self._table(child)
                if table is not None:
                    out.append(table)
            elif tag == tg.sdt:
                content = child.find(tg.sdt_content)
                if content is not None:
                    self._blocks(content, out)
            elif tag == tg.custom_xml:
                self._blocks(child, out)
            elif tag == tg.mc_alt:
                choice = child.find(tg.mc_choice)
                if choice is not None:
                    self._blocks(choice, out)

    def text_of(self, container: etree._Element) -> str:
        """All text of a container as lines (header, footer, note, comment)."""
        return "\n".join(e.text for e in self.blocks(container) if e.text)

    # -- paragraphs ---------------------------------------------------------------------------

    def _paragraph(self, p: etree._Element, out: list[Element]) -> None:
        tg = self.tags
        ppr = p.find(tg.ppr)
        acc = _Inline()
        self._inline(p, acc)
        text = acc.text().strip()
        role = self.styles.role(ppr)
        if role.num_id is not None:
            # Counted even when empty: Word numbers an empty item too.
            label = self.styles.numbering.label(role.num_id, role.ilvl)
            if label and text:
                text = f"{label} {text}"  # the number Word shows, as HTML ordered items have it
        if text:
            meta: dict[str, Any] = {}
            if role.list_kind:
                meta["list"] = role.list_kind
            if acc.links:
                meta["links"] = acc.links
            out.append(
                Element(
                    type=role.type,  # type: ignore[arg-type]
                    text=text,
                    level=role.level,
                    page=self._page(acc.start_page),
                    metadata=meta,
                )
            )
        for box in acc.boxes:
            self._blocks(box, out)

    def _page(self, start: int | None) -> int | None:
        if self.page_mode is None:
            return None
        return start if start is not None else self.page

    def _inline(self, node: etree._Element, acc: _Inline) -> None:
        tg = self.tags
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):  # comments, processing instructions, entity references
                continue
            if tag == tg.t or tag == tg.math_t:
                # Entities stay unexpanded: only the literal text around them is read.
                text = (child.text or "") + "".join(c.tail or "" for c in child)
                if text:
                    if acc.start_page is None and not text.isspace():
                        acc.start_page = self.page
                    acc.parts.append(text)
            elif tag == tg.tab or tag == tg.ptab:
                acc.parts.append("\t")
            elif tag == tg.br or tag == tg.cr:  # line, column and page breaks all separate words
                acc.parts.append("\n")
            elif tag == tg.nb_hyphen:
                acc.parts.append("-")
            elif tag == tg.rendered_break:
                if self.page_mode == "rendered":
                    self.page += 1
            elif tag == tg.txbx:
                acc.boxes.append(child)
            elif tag in tg.skip:
                continue
            elif tag == tg.hyperlink:
                start = len(acc.parts)
                self._inline(child, acc)
                self._link(child, "".join(acc.parts[start:]), acc)
            else:
                self._inline(child, acc)

    def _link(self, node: etree._Element, text: str, acc: _Inline) -> None:
        rid = node.get(self.tags.r_id)
        url = self.links.get(rid) if rid else None
        # Only web links are kept: mailto:/tel: targets are personal data outside the redacted text.
        if url and url.lower().startswith(("http://", "https://")) and text.strip():
            acc.links.append({"text": text.strip(), "url": url})

    # -- tables -------------------------------------------------------------------------------

    def _table(self, tbl: etree._Element) -> Element | None:
        start_page = self.page
        rows, header_rows, nested, spans = self._rows(tbl)
        if not any(cell.strip() for row in rows for cell in row):
            return None
        meta: dict[str, Any] = {"rows": rows}
        if spans:
            meta["spans"] = spans
        if header_rows:
            meta["header_rows"] = header_rows
        if nested:
            meta["nested_tables"] = nested
        return Element(
            type="table",
            text=table_text(rows),
            page=start_page if self.page_mode else None,
            metadata=meta,
        )

    def _rows(
        self, tbl: etree._Element
    ) -> tuple[list[list[str]], int, list[dict[str, Any]], list[list[int]]]:
        """The table as a grid: a merged cell's text in every grid position it covers."""
        tg = self.tags
        rows: list[list[str]] = []
        nested: list[dict[str, Any]] = []
        spans: list[list[int]] = []  # [row, col, rowspan, colspan] of merged cells
        open_merges: dict[int, int] = {}  # grid column -> index in `spans` of its merge
        header_rows = 0
        for tr in _flatten(tbl, tg.tr, tg):
            trpr = tr.find(tg.trpr)
            if (
                trpr is not None
                and trpr.find(tg.tbl_header) is not None
                and header_rows == len(rows)
            ):
                header_rows += 1
            above = rows[-1] if rows else []
            cells: list[str] = [""] * _val(trpr, tg.grid_before, tg)
            for tc in _flatten(tr, tg.tc, tg):
                col = len(cells)
                tcpr = tc.find(tg.tcpr)
                width = max(1, min(_val(tcpr, tg.grid_span, tg) or 1, 100))
                merge = _vmerge(tcpr, tg)
                if merge == "continue":
                    # A vertically merged cell repeats the text of the cell it continues.
                    text = above[col] if col < len(above) else ""
                    if col in open_merges:
                        spans[open_merges[col]][2] += 1
                    cells.extend([text] * width)
                    continue
                parts: list[str] = []
                for el in self.blocks(tc):
                    if el.type == "table":
                        nested.append({"row": len(rows), "col": col, "rows": el.metadata["rows"]})
                    parts.append(el.text)
                text = "\n".join(parts)
                for k in range(width):
                    open_merges.pop(col + k, None)
                if merge == "restart" or width > 1:
                    spans.append([len(rows), col, 1, width])
                    if merge == "restart":
                        open_merges[col] = len(spans) - 1
                cells.extend([text] * width)
            rows.append(cells)
        return rows, header_rows, nested, [sp for sp in spans if sp[2] > 1 or sp[3] > 1]


def _flatten(parent: etree._Element, want: str, tg: Tags) -> list[etree._Element]:
    """Children tagged `want`, looking through content controls and custom XML wrappers."""
    out: list[etree._Element] = []
    for child in parent:
        if child.tag == want:
            out.append(child)
        elif child.tag == tg.sdt:
            content = child.find(tg.sdt_content)
            if content is not None:
                out.extend(_flatten(content, want, tg))
        elif child.tag == tg.custom_xml:
            out.extend(_flatten(child, want, tg))
    return out


def _val(props: etree._Element | None, tag: str, tg: Tags) -> int:
    node = props.find(tag) if props is not None else None
    value = node.get(tg.val, "") if node is not None else ""
    return int(value) if value.isdecimal() else 0


def _vmerge(tcpr: etree._Element | None, tg: Tags) -> str | None:
    """ "restart" (first cell of a vertical merge), "continue" (covered by the cell above), None."""
    node = tcpr.find(tg.vmerge) if tcpr is not None else None
    if node is None:
        return None
    return "restart" if node.get(tg.val, "continue") == "restart" else "continue"
