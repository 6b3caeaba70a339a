"""A tagged PDF written by hand: a structure tree whose roles are the only heading evidence.

reportlab writes no structure tree, so this module writes a small PDF itself: text in marked
content (`/H1 <</MCID 0>> BDC ... EMC`), one `/StructElem` per block pointing at its page and
MCID, a `/ParentTree`, `/MarkInfo << /Marked true >>` and a `/RoleMap` (custom roles such as
`/Heading2` mapped to standard ones, as word processors write them). The blocks are set in
whatever font the caller gives, so a test can set headings in body type and a paragraph in
large bold type: only the structure tree then tells which is which.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROLE_MAP = {"Heading1": "H1", "Heading2": "H2", "Heading3": "H3", "Normal": "P"}
_FONTS = {"regular": "Helvetica", "bold": "Helvetica-Bold"}


@dataclass
class TaggedBlock:
    role: str  # "Title", "H1".."H6", "P", or a custom role from ROLE_MAP
    lines: list[str]
    size: float = 11.0
    font: str = "regular"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_tagged_pdf(path: Path, pages: list[list[TaggedBlock]]) -> None:
    """Write `pages` (blocks top to bottom) as a tagged PDF with a structure tree."""
    objects: dict[int, bytes] = {}
    # Fixed objects: 1 catalog, 2 pages, 3/4 fonts, 5 struct tree root, 6 parent tree.
    page_ids: list[int] = []
    elem_ids: list[int] = []
    parent_tree: list[str] = []
    next_id = 7
    elem_specs: list[tuple[int, str, int, int]] = []  # (elem id, role, page id, mcid)
    for index, blocks in enumerate(pages):
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        page_ids.append(page_id)
        stream: list[str] = []
        y = 740.0
        page_elems: list[int] = []
        for mcid, block in enumerate(blocks):
            font = "F2" if block.font == "bold" else "F1"
            stream.append(f"/{block.role} <</MCID {mcid}>> BDC BT /{font} {block.size} Tf")
            first = True
            for line in block.lines:
                if first:
                    stream.append(f"72 {y:.1f} Td ({_escape(line)}) Tj")
                    first = False
                else:
                    stream.append(f"0 {-block.size * 1.25:.2f} Td ({_escape(line)}) Tj")
                y -= block.size * 1.25
            stream.append("ET EMC")
            y -= block.size * 1.0
            elem_id = next_id
            next_id += 1
            elem_ids.append(elem_id)
            page_elems.append(elem_id)
            elem_specs.append((elem_id, block.role, page_id, mcid))
        body = "\n".join(stream).encode("latin-1")
        objects[content_id] = (
            b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream"
        )
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
            f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /StructParents {index} >>"
        ).encode()
        parent_tree.append(f"{index} [{' '.join(f'{e} 0 R' for e in page_elems)}]")
    for elem_id, role, page_id, mcid in elem_specs:
        objects[elem_id] = (
            f"<< /Type /StructElem /S /{role} /P 5 0 R /Pg {page_id} 0 R /K {mcid} >>"
        ).encode()
    role_map = " ".join(f"/{k} /{v}" for k, v in ROLE_MAP.items())
    objects[1] = (
        b"<< /Type /Catalog /Pages 2 0 R /MarkInfo << /Marked true >> "
        b"/StructTreeRoot 5 0 R /Lang (en-GB) >>"
    )
    objects[2] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] "
        f"/Count {len(page_ids)} >>"
    ).encode()
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects[4] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>"
    objects[5] = (
        f"<< /Type /StructTreeRoot /K [{' '.join(f'{e} 0 R' for e in elem_ids)}] "
        f"/ParentTree 6 0 R /RoleMap << {role_map} >> >>"
    ).encode()
    objects[6] = f"<< /Nums [{' '.join(parent_tree)}] >>".encode()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets[number]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
