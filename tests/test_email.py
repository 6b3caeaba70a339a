"""EML, MBOX and Outlook MSG loading: metadata, bodies, quotes, attachments, encryption."""

from __future__ import annotations

import collections
import io
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import llmprep
from llmprep import Config
from llmprep.errors import LoadError
from llmprep.loaders.base import SourceFile
from llmprep.loaders.email.loader import EmlLoader
from llmprep.loaders.email.mbox import iter_mbox
from llmprep.loaders.email.mime import transcode_wide
from llmprep.loaders.email.msg import is_outlook_msg
from llmprep.loaders.registry import load_source
from llmprep.models import Document
from llmprep.stages.chunk.stage import record_metadata

WORD = re.compile(r"\w+")


def _message(
    subject: str = "Quarterly numbers",
    body: str = "The numbers look good this quarter.",
    *,
    sender: str = "Anna Berg <anna@example.com>",
    to: str = "Bo Lind <bo@example.com>",
    **headers: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = "Tue, 01 Oct 2024 12:34:56 -0500"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg


def _write(tmp_path: Path, name: str, data: bytes | EmailMessage) -> Path:
    path = tmp_path / name
    path.write_bytes(data.as_bytes() if isinstance(data, EmailMessage) else data)
    return path


def _source(path: Path, **options: object) -> SourceFile:
    return SourceFile(path=path, rel_path=path.name, config=Config().with_overrides(**options))


def _docs(path: Path, **options: object) -> list[Document]:
    """The documents the registry's loader yields (no stages: those have their own tests)."""
    source = _source(path, **options)
    docs = list(load_source(source))
    assert source.partial is None, source.partial
    return docs


def _doc(path: Path, **options: object) -> Document:
    return _docs(path, **options)[0]


def _types(doc: Document) -> list[str]:
    return [e.type for e in doc.elements]


# -- metadata -----------------------------------------------------------------------------------


def test_address_headers_fill_from_to_cc_bcc_and_reply_to(tmp_path: Path) -> None:
    msg = _message(
        Cc="Cy <cy@example.com>, dee@example.com",
        Bcc="eve@example.com",
        Reply_To="list@example.com",
    )
    meta = _doc(_write(tmp_path, "m.eml", msg)).metadata
    assert meta.from_ == ["Anna Berg <anna@example.com>"]
    assert meta.to == ["Bo Lind <bo@example.com>"]
    assert meta.cc == ["Cy <cy@example.com>", "dee@example.com"]
    assert meta.bcc == ["eve@example.com"]
    assert meta.reply_to == ["list@example.com"]
    assert meta.subject == "Quarterly numbers" == meta.title


def test_the_from_field_serializes_under_the_name_from(tmp_path: Path) -> None:
    doc = _doc(_write(tmp_path, "m.eml", _message()))
    assert record_metadata(doc)["from"] == ["Anna Berg <anna@example.com>"]


def test_the_date_becomes_iso_8601_utc(tmp_path: Path) -> None:
    assert _doc(_write(tmp_path, "m.eml", _message())).metadata.date == "2024-10-01T17:34:56Z"


def test_an_iso_8601_date_header_is_read_too(corpus: Path) -> None:
    assert _doc(corpus / "email" / "test-iso-8601-date.eml").metadata.date == "2025-07-29T12:42:06Z"


def test_an_unparseable_date_is_kept_raw_and_flagged(tmp_path: Path) -> None:
    raw = b"From: a@example.com\nTo: b@example.com\nSubject: s\nDate: sometime next week\n\nBody text.\n"
    doc = _doc(_write(tmp_path, "m.eml", raw))
    assert doc.metadata.date is None
    assert doc.metadata.extra["date_raw"] == "sometime next week"
    assert "email_date_unparseable" in [f.code for f in doc.flags]


def test_rfc2047_encoded_word_subjects_are_decoded(tmp_path: Path) -> None:
    raw = (
        b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jm@example.com>\nTo: b@example.com\n"
        b"Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?= =?iso-8859-1?q?_und_Z=FCrich?=\n\nHallo.\n"
    )
    meta = _doc(_write(tmp_path, "m.eml", raw)).metadata
    assert meta.subject == "Grüße aus Köln und Zürich"
    assert meta.from_ == ["Jörg Müller <jm@example.com>"]


def test_the_corpus_encoded_word_subject_is_decoded(corpus: Path) -> None:
    meta = _doc(corpus / "email" / "mime-word-encoded-subject.eml").metadata
    assert meta.subject == "Simple email with ☸☿ Unicode subject"


def test_the_header_element_carries_subject_and_sender(tmp_path: Path) -> None:
    doc = _doc(_write(tmp_path, "m.eml", _message()))
    header = doc.elements[0]
    assert header.type == "email_header"
    assert "Subject: Quarterly numbers" in header.text and "From: Anna Berg" in header.text


def test_the_header_element_can_be_turned_off(tmp_path: Path) -> None:
    doc = _doc(_write(tmp_path, "m.eml", _message()), email_header_element=False)
    assert "email_header" not in _types(doc)


# -- threads ------------------------------------------------------------------------------------


def _reply_chain() -> list[EmailMessage]:
    first = _message("Plan", "Shall we meet on Friday?", Message_ID="<a1@example.com>")
    second = _message(
        "Re: Plan",
        "Friday works.",
        Message_ID="<b2@example.com>",
        In_Reply_To="<a1@example.com>",
        References="<a1@example.com>",
    )
    third = _message(
        "Re: Plan",
        "See you then.",
        Message_ID="<c3@example.com>",
        In_Reply_To="<b2@example.com>",
        References="<a1@example.com> <b2@example.com>",
    )
    only_reply_to = _message(
        "Re: Plan", "Late answer.", Message_ID="<d4@example.com>", In_Reply_To="<a1@example.com>"
    )
    return [first, second, third, only_reply_to]


def test_thread_ids_over_a_reply_chain_are_the_first_message_id(tmp_path: Path) -> None:
    docs = [_doc(_write(tmp_path, f"{i}.eml", m)) for i, m in enumerate(_reply_chain())]
    assert [d.metadata.thread_id for d in docs] == ["<a1@example.com>"] * 4
    assert docs[2].metadata.references == ["<a1@example.com>", "<b2@example.com>"]
    assert docs[2].metadata.in_reply_to == "<b2@example.com>"


def test_thread_ids_hold_across_messages_of_one_mailbox(tmp_path: Path) -> None:
    box = b"".join(
        b"From sender@example.com Tue Oct  1 12:34:56 2024\n" + m.as_bytes() + b"\n"
        for m in _reply_chain()
    )
    docs = _docs(_write(tmp_path, "chain.mbox", box))
    assert {d.metadata.thread_id for d in docs} == {"<a1@example.com>"}
    assert [d.metadata.message_id for d in docs] == [
        "<a1@example.com>",
        "<b2@example.com>",
        "<c3@example.com>",
        "<d4@example.com>",
    ]


# -- quotes and signatures ----------------------------------------------------------------------


def test_quoted_reply_lines_become_quote_elements(tmp_path: Path) -> None:
    body = "Sounds good to me.\n\n> Can you send the report?\n> It is due on Friday.\n\nThanks!\n"
    doc = _doc(_write(tmp_path, "m.eml", _message(body=body)))
    quote = next(e for e in doc.elements if e.type == "quote")
    assert quote.text == "Can you send the report?\nIt is due on Friday."
    assert [e.text for e in doc.elements if e.type == "paragraph"] == [
        "Sounds good to me.",
        "Thanks!",
    ]


def test_an_on_wrote_attribution_starts_a_quoted_tail(tmp_path: Path) -> None:
    body = (
        "Yes, Friday is fine.\n\nOn Mon, Sep 30, 2024 at 9:12 AM Bo Lind <bo@example.com>\nwrote:\n\n"
        "> Shall we meet on Friday?\n> Bo\n"
    )
    doc = _doc(_write(tmp_path, "m.eml", _message(body=body)))
    assert _types(doc)[1:] == ["paragraph", "quote", "quote"]
    assert doc.elements[2].text.startswith("On Mon, Sep 30")
    assert doc.elements[3].text == "Shall we meet on Friday?\nBo"


def test_an_outlook_original_message_block_is_quoted_unprefixed(tmp_path: Path) -> None:
    body = (
        "Approved.\n\n-----Original Message-----\nFrom: Bo Lind\nSent: Monday, September 30, 2024 9:12 AM\n"
        "To: Anna Berg\nSubject: Budget\n\nPlease approve the budget.\n"
    )
    doc = _doc(_write(tmp_path, "m.eml", _message(body=body)))
    assert [e.text for e in doc.elements if e.type == "paragraph"] == ["Approved."]
    quotes = [e for e in doc.elements if e.type == "quote"]
    assert quotes[-1].text == "Please approve the budget."
    assert {q.metadata["quote"] for q in quotes} == {"reply"}


def test_a_forwarded_message_is_marked_as_a_forward_quote(tmp_path: Path) -> None:
    body = (
        "FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Cy <cy@example.com>\n"
        "Date: Mon, Sep 30, 2024\nSubject: Launch\n\nThe launch moves to November.\n"
    )
    doc = _doc(_write(tmp_path, "m.eml", _message(body=body)))
    quotes = [e for e in doc.elements if e.type == "quote"]
    assert quotes and all(q.metadata["quote"] == "forward" for q in quotes)
    assert quotes[-1].text == "The launch moves to November."


def test_text_after_the_signature_delimiter_is_a_signature_element(tmp_path: Path) -> None:
    body = "See the attached plan.\n\n-- \nAnna Berg\nHead of Planning, Example AB\n+46 8 123 456\n"
    doc = _doc(_write(tmp_path, "m.eml", _message(body=body)))
    assert _types(doc)[1:] == ["paragraph", "signature"]
    assert doc.elements[-1].text == "Anna Berg\nHead of Planning, Example AB\n+46 8 123 456"


def test_a_sent_from_my_phone_line_is_a_signature(tmp_path: Path) -> None:
    doc = _doc(_write(tmp_path, "m.eml", _message(body="On my way.\n\nSent from my iPhone\n")))
    assert [(e.type, e.text) for e in doc.elements[1:]] == [
        ("paragraph", "On my way."),
        ("signature", "Sent from my iPhone"),
    ]


def test_quotes_and_signatures_are_flagged_on_the_document(tmp_path: Path) -> None:
    body = "Agreed.\n\n-- \nAnna\n\nOn Mon, Sep 30, 2024, Bo wrote:\n> Agree?\n"
    doc = _doc(_write(tmp_path, "m.eml", _message(body=body)))
    codes = {f.code: f.value for f in doc.flags}
    assert codes["email_quoted"] == 1 and "email_signature" in codes
    assert _types(doc)[1:] == ["paragraph", "signature", "quote"]


def test_drop_quoted_leaves_quotes_and_signatures_out_of_the_records(tmp_path: Path) -> None:
    body = (
        "Agreed, ship it.\n\n-- \nAnna Berg\n\nOn Mon, Sep 30, 2024, Bo wrote:\n> Shall we ship?\n"
    )
    path = _write(tmp_path, "m.eml", _message(body=body))
    kept = " ".join(r.text for r in llmprep.process(path, redact=False).records)
    dropped = " ".join(
        r.text for r in llmprep.process(path, redact=False, email_drop_quoted=True).records
    )
    assert "Shall we ship?" in kept and "Anna Berg\n" in kept + "\n"
    assert "Agreed, ship it." in dropped
    assert "Shall we ship?" not in dropped and "Bo wrote" not in dropped


def test_a_gmail_style_html_reply_marks_the_quoted_part(tmp_path: Path) -> None:
    msg = _message()
    msg.set_content(
        '<div dir="ltr">Thursday suits me.</div><br><div class="gmail_quote"><div class="gmail_attr">'
        "On Mon, Sep 30, 2024 at 9:12 AM Bo Lind &lt;bo@example.com&gt; wrote:<br></div>"
        "<blockquote>When can we meet?</blockquote></div>",
        subtype="html",
    )
    doc = _doc(_write(tmp_path, "m.eml", msg))
    own = [e.text for e in doc.elements if e.type not in ("quote", "email_header")]
    quoted = " ".join(e.text for e in doc.elements if e.type == "quote")
    assert own == ["Thursday suits me."]
    assert "When can we meet?" in quoted


# -- bodies and charsets ------------------------------------------------------------------------


def _raw_plain(body: bytes, charset: str, cte: str = "8bit") -> bytes:
    return (
        b"From: a@example.com\nTo: b@example.com\nSubject: charset\nMIME-Version: 1.0\n"
        b"Content-Type: text/plain; charset="
        + charset.encode()
        + b"\nContent-Transfer-Encoding: "
        + cte.encode()
        + b"\n\n"
        + body
    )


def test_a_body_labelled_latin1_but_written_in_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    raw = _raw_plain("Grüße aus Zürich, schöne Grüße.\n".encode(), "iso-8859-1")
    doc = _doc(_write(tmp_path, "m.eml", raw))
    assert "Grüße aus Zürich" in doc.text
    assert any(f.code == "email_charset_mismatch" and f.value == "utf-8" for f in doc.flags)


def test_a_body_labelled_utf8_but_written_in_cp1252_falls_back_and_is_flagged(
    tmp_path: Path,
) -> None:
    raw = _raw_plain(
        "Café crème – déjà vu, naïve façade, où est la boîte ?\n".encode("cp1252"), "utf-8"
    )
    doc = _doc(_write(tmp_path, "m.eml", raw))
    assert "Café crème" in doc.text and "\ufffd" not in doc.text
    assert any(f.code == "email_charset_mismatch" and f.threshold == "utf-8" for f in doc.flags)


def test_an_unknown_charset_label_falls_back_through_the_chain(tmp_path: Path) -> None:
    raw = _raw_plain("Plain words and a naïve café.\n".encode(), "x-no-such-charset")
    assert "naïve café" in _doc(_write(tmp_path, "m.eml", raw)).text


def test_latin1_labels_read_curly_quotes_as_windows_1252(tmp_path: Path) -> None:
    raw = _raw_plain("Reply \u201cyes\u201d \u2013 we\u2019re in.\n".encode("cp1252"), "iso-8859-1")
    assert (
        "Reply \u201cyes\u201d \u2013 we\u2019re in." in _doc(_write(tmp_path, "m.eml", raw)).text
    )


def test_utf16_messages_load(corpus: Path) -> None:
    for name in ("fake-email-utf-16.eml", "fake-email-utf-16-be.eml", "fake-email-utf-16-le.eml"):
        doc = _doc(corpus / "email" / name)
        assert doc.metadata.subject == "Test Email", name
        assert "This is a test email to use for unit tests." in doc.text, name


def test_a_utf16_message_without_extension_or_bom_is_sniffed(tmp_path: Path) -> None:
    path = _write(tmp_path, "noext", _message().as_bytes().decode().encode("utf-16-le"))
    doc = _doc(path)
    assert doc.source.loader.name == "eml"
    assert "numbers look good" in doc.text


def test_a_meaningful_plain_part_wins_over_html_by_default(corpus: Path) -> None:
    doc = _doc(corpus / "email" / "mime-different-plain-html.eml")
    assert doc.metadata.extra["body"] == "plain"


def test_email_body_html_takes_the_html_alternative(corpus: Path) -> None:
    doc = _doc(corpus / "email" / "mime-different-plain-html.eml", email_body="html")
    assert doc.metadata.extra["body"] == "html"


def test_a_plain_stub_gives_way_to_the_html_body(tmp_path: Path) -> None:
    msg = _message(body="View this email in your browser.")
    words = " ".join(f"word{i}" for i in range(80))
    msg.add_alternative(
        f"<html><body><p>Our autumn newsletter.</p><p>{words}</p></body></html>", subtype="html"
    )
    doc = _doc(_write(tmp_path, "m.eml", msg))
    assert doc.metadata.extra["body"] == "html"
    assert "Our autumn newsletter." in doc.text and "word79" in doc.text


def test_an_html_only_message_is_read_through_html(corpus: Path) -> None:
    doc = _doc(corpus / "email" / "mime-html-only.eml")
    assert doc.metadata.extra["body"] == "html" and len(WORD.findall(doc.text)) > 20


# -- attachments --------------------------------------------------------------------------------


def test_attachments_are_listed_with_name_media_type_and_size(tmp_path: Path) -> None:
    msg = _message()
    msg.add_attachment(
        b"\xff\xd8\xff\xe0" + bytes(100), maintype="image", subtype="jpeg", filename="photo.jpg"
    )
    msg.add_attachment(
        b"Meeting notes: ship it.\n", maintype="text", subtype="plain", filename="notes.txt"
    )
    docs = _docs(_write(tmp_path, "m.eml", msg))
    infos = [(a.name, a.media_type, a.size) for a in docs[0].metadata.attachments]
    assert infos == [("photo.jpg", "image/jpeg", 104), ("notes.txt", "text/plain", 24)]
    assert len(docs) == 2  # the image has no loader: listed only
    assert docs[1].source.sub_path == "att/1"


def test_attachment_names_are_never_used_as_paths(tmp_path: Path) -> None:
    msg = _message()
    msg.add_attachment(
        b"Secret plan.\n", maintype="text", subtype="plain", filename="../../escape.txt"
    )
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    docs = _docs(_write(tmp_path, "m.eml", msg))
    assert docs[0].metadata.attachments[0].name == "escape.txt"
    assert "Secret plan." in docs[1].text
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.eml"]


def test_a_nested_message_becomes_a_child_with_its_own_attachment(tmp_path: Path) -> None:
    inner = _message("Inner", "The inner message body.")
    inner.add_attachment(
        b"Inner attachment text.\n", maintype="text", subtype="plain", filename="inner.txt"
    )
    outer = _message("Outer", "See the forwarded message.")
    outer.add_attachment(inner)
    docs = _docs(_write(tmp_path, "m.eml", outer))
    assert [d.source.sub_path for d in docs] == [None, "att/0", "att/0/att/0"]
    assert docs[1].metadata.subject == "Inner" and docs[1].parent_id == docs[0].id
    assert docs[2].parent_id == docs[1].id and "Inner attachment text." in docs[2].text


def test_the_attachment_depth_limit_stops_nested_loading_with_a_warning(tmp_path: Path) -> None:
    inner = _message("Inner", "The inner message body.")
    inner.add_attachment(b"Deep text.\n", maintype="text", subtype="plain", filename="deep.txt")
    outer = _message("Outer", "Outer body.")
    outer.add_attachment(inner)
    source = _source(_write(tmp_path, "m.eml", outer), limits_max_attachment_depth=1)
    assert [d.source.sub_path for d in load_source(source)] == [None, "att/0"]
    assert any(w.startswith("attachment.depth_limit") for w in source.warnings)


def test_an_attachment_over_the_size_limit_is_listed_but_not_loaded(tmp_path: Path) -> None:
    msg = _message()
    msg.add_attachment(
        b"Big notes.\n" * 20_000, maintype="text", subtype="plain", filename="big.txt"
    )
    result = llmprep.process(
        _write(tmp_path, "m.eml", msg), redact=False, limits_max_attachment_mb=0.1
    )
    assert len(result.documents) == 1 and result.status == "ok"
    assert result.documents[0].metadata.attachments[0].size == 220_000
    assert "attachment.too_large: att/0" in result.warnings


def test_email_attachments_false_lists_attachments_without_loading_them(tmp_path: Path) -> None:
    msg = _message()
    msg.add_attachment(b"Notes.\n", maintype="text", subtype="plain", filename="notes.txt")
    docs = _docs(_write(tmp_path, "m.eml", msg), email_attachments=False)
    assert len(docs) == 1 and docs[0].metadata.attachments[0].name == "notes.txt"


def test_a_digest_gives_one_child_document_per_message(corpus: Path) -> None:
    docs = _docs(corpus / "email" / "mime-multipart-digest.eml")
    assert [d.metadata.subject for d in docs[1:]] == [
        "First Message",
        "Second Message",
        "Third Message",
    ]
    assert {d.parent_id for d in docs[1:]} == {docs[0].id}


# -- encryption and signatures ------------------------------------------------------------------


def test_the_encrypted_eml_sample_is_encrypted_with_headers_kept(corpus: Path) -> None:
    result = llmprep.process(corpus / "email" / "fake-encrypted.eml", redact=False)
    assert result.status == "encrypted" and result.error.code == "email.encrypted"
    assert result.documents[0].metadata.from_ == ["Michael Elkins <elkins@aero.org>"]
    assert "BEGIN PGP" not in result.text


def test_the_encrypted_msg_sample_is_encrypted_with_headers_kept(corpus: Path) -> None:
    result = llmprep.process(corpus / "email" / "fake-encrypted.msg", redact=False)
    assert result.status == "encrypted" and result.error.code == "email.encrypted"
    assert result.documents[0].metadata.to == ["Michael Elkins <elkins@aero.org>"]


def test_an_smime_enveloped_message_is_encrypted(tmp_path: Path) -> None:
    msg = _message()
    msg.set_content(
        b"0\x82\x01\x00" + bytes(64),
        maintype="application",
        subtype="pkcs7-mime",
        params={"smime-type": "enveloped-data"},
        filename="smime.p7m",
    )
    result = llmprep.process(_write(tmp_path, "m.eml", msg), redact=False)
    assert result.status == "encrypted"
    assert result.documents[0].metadata.subject == "Quarterly numbers"


def test_a_pgp_inline_encrypted_body_is_encrypted(tmp_path: Path) -> None:
    body = "-----BEGIN PGP MESSAGE-----\n\nhQEMA0xyz\n=abcd\n-----END PGP MESSAGE-----\n"
    assert (
        llmprep.process(_write(tmp_path, "m.eml", _message(body=body)), redact=False).status
        == "encrypted"
    )


def test_a_signed_message_is_read_normally(tmp_path: Path) -> None:
    raw = (
        b"From: a@example.com\nTo: b@example.com\nSubject: Signed\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b1"\n\n'
        b"--b1\nContent-Type: text/plain; charset=utf-8\n\nThis statement is signed.\n"
        b"--b1\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\n"
        b"MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMII=\n--b1--\n"
    )
    result = llmprep.process(_write(tmp_path, "m.eml", raw), redact=False)
    assert result.status == "ok" and "This statement is signed." in result.text
    assert result.documents[0].metadata.extra["signed"] == "application/pkcs7-signature"


def test_an_encrypted_message_inside_a_mailbox_keeps_the_mailbox_going(tmp_path: Path) -> None:
    secret = _message("Secret", "-----BEGIN PGP MESSAGE-----\nhQEMA0\n-----END PGP MESSAGE-----\n")
    box = b"".join(
        b"From x@example.com Tue Oct  1 12:34:56 2024\n" + m.as_bytes() + b"\n"
        for m in (secret, _message())
    )
    result = llmprep.process(_write(tmp_path, "box.mbox", box), redact=False)
    assert result.status == "ok" and len(result.documents) == 2
    assert "email_encrypted" in [f.code for f in result.documents[0].flags]
    assert "email.encrypted: msg/0" in result.warnings


# -- mbox ---------------------------------------------------------------------------------------


def _mbox(count: int, body: str = "Hello there.") -> bytes:
    return b"".join(
        f"From sender{i}@example.com Tue Oct  1 12:34:56 2024\n".encode()
        + _message(f"Message {i}", f"{body} {i}\n", Message_ID=f"<m{i}@example.com>").as_bytes()
        + b"\n"
        for i in range(count)
    )


def test_an_mbox_gives_one_document_per_message(tmp_path: Path) -> None:
    result = llmprep.process(_write(tmp_path, "box.mbox", _mbox(3)), redact=False)
    assert [d.source.sub_path for d in result.documents] == ["msg/0", "msg/1", "msg/2"]
    assert [d.metadata.subject for d in result.documents] == ["Message 0", "Message 1", "Message 2"]
    assert all(
        d.parent_id is None and d.source.media_type == "message/rfc822" for d in result.documents
    )
    assert len({d.id for d in result.documents}) == 3


class _CountingStream(io.RawIOBase):
    """A readable stream that remembers how far it was read."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self._inner.readinto(buffer)
        self.consumed += n
        return n


def test_mbox_messages_are_yielded_before_the_rest_of_the_file_is_read() -> None:
    data = b"".join(
        b"From a@example.com Tue Oct  1 12:34:56 2024\nFrom: a@example.com\nSubject: Message %d\n\n%s\n"
        % (i, b"Some words of the body. " * 20)
        for i in range(2000)
    )
    stream = _CountingStream(data)
    messages = iter_mbox(io.BufferedReader(stream), max_message_bytes=1 << 20)
    first = next(messages)
    assert first.index == 0 and b"Message 0" in (first.data or b"")
    assert stream.consumed < len(data) // 50


def test_an_mbox_message_over_the_size_limit_is_skipped_and_the_file_is_partial(
    tmp_path: Path,
) -> None:
    big = _message("Big", "x" * 200_000)
    box = _mbox(1) + b"From big@example.com Tue Oct  1 12:34:56 2024\n" + big.as_bytes() + b"\n"
    result = llmprep.process(
        _write(tmp_path, "box.mbox", box + _mbox(1)), redact=False, limits_max_attachment_mb=0.1
    )
    assert [d.metadata.subject for d in result.documents] == ["Message 0", "Message 0"]
    assert result.status == "partial" and result.error.code == "email.message_too_large"
    assert "email.message_too_large: msg/1" in result.warnings


def test_mboxrd_escaped_from_lines_are_unescaped(tmp_path: Path) -> None:
    box = b"From a@example.com Tue Oct  1 12:34:56 2024\nFrom: a@example.com\nSubject: s\n\n>From here on.\n>>From there.\n"
    doc = _doc(_write(tmp_path, "box.mbox", box))
    # ">>From" was a quoted ">From" line before escaping, so it stays a quote.
    assert [(e.type, e.text) for e in doc.elements[1:]] == [
        ("paragraph", "From here on."),
        ("quote", "From there."),
    ]


def test_a_body_line_starting_with_from_does_not_split_a_message(tmp_path: Path) -> None:
    box = b"From a@example.com Tue Oct  1 12:34:56 2024\nFrom: a@example.com\nSubject: s\n\nWe left.\nFrom now on we stay.\n"
    docs = _docs(_write(tmp_path, "box.mbox", box))
    assert len(docs) == 1 and "From now on we stay." in docs[0].text


def test_an_mbox_date_comes_from_the_envelope_when_the_header_is_missing(tmp_path: Path) -> None:
    box = b"From a@example.com Tue Oct  1 12:34:56 2024\nFrom: a@example.com\nSubject: s\n\nBody.\n"
    doc = _doc(_write(tmp_path, "box.mbox", box))
    assert (
        doc.metadata.date == "2024-10-01T12:34:56Z"
        and doc.metadata.extra["date_source"] == "mbox_envelope"
    )


# -- sniffing -----------------------------------------------------------------------------------


def test_files_without_extension_are_sniffed_as_eml_mbox_and_msg(
    tmp_path: Path, corpus: Path
) -> None:
    eml = _write(tmp_path, "a", _message())
    mbox = _write(tmp_path, "b", _mbox(2))
    msg = _write(tmp_path, "c", (corpus / "email" / "fake-email.msg").read_bytes())
    names = [_doc(p).source.loader.name for p in (eml, mbox, msg)]
    assert names == ["eml", "mbox", "msg"]


def test_an_apple_mail_emlx_file_reads_the_message_without_its_plist(tmp_path: Path) -> None:
    data = _message().as_bytes()
    plist = b'<?xml version="1.0"?>\n<plist version="1.0"><dict><key>flags</key></dict></plist>\n'
    doc = _doc(_write(tmp_path, "1.emlx", b"%d\n" % len(data) + data + plist))
    assert doc.metadata.subject == "Quarterly numbers" and "plist" not in doc.text


def test_an_eml_saved_with_its_mbox_from_line_is_one_message(corpus: Path) -> None:
    doc = _doc(corpus / "email" / "email-no-utf8-2008-07-16.062410.eml")
    assert doc.source.loader.name == "eml" and doc.source.sub_path is None


def test_msg_sniffing_does_not_claim_other_ole2_files() -> None:
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8184)
    word = ole_header[:1024] + "WordDocument".encode("utf-16-le") + bytes(1000)
    assert not is_outlook_msg(ole_header)
    assert not is_outlook_msg(word)


def test_msg_sniffing_claims_outlook_messages(corpus: Path) -> None:
    for path in sorted((corpus / "email").glob("*.msg")):
        assert is_outlook_msg(path.read_bytes()[:8192]), path.name


# -- outlook msg --------------------------------------------------------------------------------


def test_a_cut_short_msg_fails_as_truncated(tmp_path: Path, corpus: Path) -> None:
    data = (corpus / "email" / "fake-email.msg").read_bytes()
    res = llmprep.process(_write(tmp_path, "cut.msg", data[: len(data) * 2 // 3]), redact=False)
    assert (res.status, res.error.code if res.error else None) == ("failed", "msg.truncated")


def test_a_msg_with_a_damaged_directory_fails_as_corrupt_not_as_another_format(
    tmp_path: Path, corpus: Path
) -> None:
    import struct

    data = bytearray((corpus / "email" / "fake-email.msg").read_bytes())
    sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    start = (first_dir + 1) * sector
    data[start + 128 : start + sector] = bytes(sector - 128)  # keep the root, lose the streams
    res = llmprep.process(_write(tmp_path, "damaged.msg", bytes(data)), redact=False)
    assert (res.status, res.error.code if res.error else None) == ("failed", "msg.corrupt")


def test_a_msg_cut_inside_its_header_is_truncated_and_text_named_msg_is_unsupported(
    tmp_path: Path, corpus: Path
) -> None:
    head = (corpus / "email" / "fake-email.msg").read_bytes()[:377]
    res = llmprep.process(_write(tmp_path, "head.msg", head), redact=False)
    assert (res.status, res.error.code if res.error else None) == ("failed", "msg.truncated")
    res = llmprep.process(_write(tmp_path, "notes.msg", b"just a note\n"), redact=False)
    assert res.status == "unsupported" and res.error is not None
    assert "OLE2" in res.error.message


def test_another_ole2_file_named_msg_is_unsupported(tmp_path: Path) -> None:
    import olefile

    path = tmp_path / "sheet.msg"
    path.write_bytes(bytes(olefile.MAGIC) + bytes(8184))
    res = llmprep.process(path, redact=False)
    assert res.status == "unsupported" and res.error is not None


def test_msg_recipients_fill_to_cc_and_bcc(corpus: Path) -> None:
    meta = _doc(corpus / "email" / "fake-email-with-cc-and-bcc.msg").metadata
    assert meta.to == ["John Jennings <john-ctr@unstructured.io>"]
    assert meta.cc == ["steve@unstructured.io"] and meta.bcc == ["hello@unstructured.io"]
    assert meta.subject == "Fake email with cc and bcc recipients"
    assert meta.date == "2024-07-29T20:38:11Z"


def test_a_msg_attachment_becomes_a_child_document(corpus: Path) -> None:
    docs = _docs(corpus / "email" / "fake-email-attachment.msg")
    assert len(docs) == 2 and docs[1].parent_id == docs[0].id
    assert "Hey this is a fake attachment!" in docs[1].text


@settings(max_examples=40, deadline=None)
@given(body=st.binary(max_size=600), boundary=st.sampled_from(["b1", "", '"x']))
def test_malformed_mime_never_escapes_as_an_unexpected_exception(
    body: bytes, boundary: str
) -> None:
    raw = (
        b"From: a@example.com\nSubject: =?utf-8?q?broken\nContent-Type: multipart/mixed; boundary="
        + boundary.encode()
        + b"\n\n--b1\nContent-Type: text/plain; charset=\x00bogus\n\n"
        + body
        + b"\n--b1\nContent-Type: message/rfc822\n\n"
        + body
    )
    source = SourceFile(rel_path="m.eml", config=Config(), data=raw)
    try:
        docs = list(EmlLoader().load(source))
    except LoadError:
        return
    assert docs and docs[0].metadata.from_ == ["a@example.com"]


# -- the dev corpus -----------------------------------------------------------------------------


def _reference_words(data: bytes) -> collections.Counter[str]:
    """Words of the stdlib's own idea of the body: get_body(('plain', 'html'))."""
    msg = BytesParser(policy=policy.default).parsebytes(transcode_wide(data) or data)
    body = msg.get_body(("plain", "html"))
    if body is None:
        return collections.Counter()
    try:
        text = body.get_content()
    except (LookupError, UnicodeError):
        text = (body.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if body.get_content_type() == "text/html":
        from bs4 import BeautifulSoup

        text = BeautifulSoup(text, "lxml").get_text(" ")
    return collections.Counter(w.lower() for w in WORD.findall(text))


def test_every_corpus_email_gets_a_typed_status_and_ok_bodies_keep_their_words(
    corpus: Path,
) -> None:
    statuses = {}
    for path in sorted((corpus / "email").iterdir()):
        result = llmprep.process(path, redact=False)
        statuses[path.name] = result.status
        if result.status != "ok" or path.suffix != ".eml":
            continue
        data = path.read_bytes()
        ref = BytesParser(policy=policy.default).parsebytes(transcode_wide(data) or data)
        meta = result.documents[0].metadata
        for header, value in (
            ("subject", meta.subject),
            ("from", meta.from_),
            ("date", meta.date or meta.extra.get("date_raw")),
        ):
            assert bool(ref[header]) == bool(value), (path.name, header)
        words = _reference_words(data)
        ours = collections.Counter(w.lower() for w in WORD.findall(result.documents[0].text))
        if words:
            recall = sum(min(n, ours[w]) for w, n in words.items()) / sum(words.values())
            assert recall >= 0.95, (path.name, recall)
    assert set(statuses.values()) <= {"ok", "partial", "encrypted", "unsupported", "failed"}
    assert statuses["fake-encrypted.eml"] == statuses["fake-encrypted.msg"] == "encrypted"
    assert sum(s == "ok" for s in statuses.values()) == len(statuses) - 2


# -- attachments through the other loaders (kept last: needs the PDF and DOCX loaders) ----------


def _pdf_bytes(tmp_path: Path) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "report.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(72, 760, "Annual report: revenue grew by twelve percent.")
    pdf.save()
    return path.read_bytes()


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Minutes", level=1)
    document.add_paragraph("The board approved the new office in Uppsala.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_eml_with_a_pdf_and_a_docx_attached_gives_three_documents_linked_by_parent_id(
    tmp_path: Path,
) -> None:
    msg = _message("Board pack", "Please find the report and the minutes attached.")
    msg.add_attachment(
        _pdf_bytes(tmp_path), maintype="application", subtype="pdf", filename="report.pdf"
    )
    msg.add_attachment(
        _docx_bytes(),
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="minutes.docx",
    )
    result = llmprep.process(_write(tmp_path, "pack.eml", msg), redact=False)
    assert result.status == "ok", (result.error, result.warnings)
    email_doc, pdf_doc, docx_doc = result.documents
    assert pdf_doc.parent_id == docx_doc.parent_id == email_doc.id and email_doc.parent_id is None
    assert [pdf_doc.source.sub_path, docx_doc.source.sub_path] == ["att/0", "att/1"]
    assert "revenue grew by twelve percent" in pdf_doc.text
    assert "new office in Uppsala" in docx_doc.text
    assert len({d.id for d in result.documents}) == 3


def test_a_multipart_message_cut_before_its_closing_boundary_is_flagged_truncated(
    tmp_path: Path,
) -> None:
    head = (
        b"From: Anna <anna@example.com>\r\nTo: b@example.com\r\nSubject: Minutes\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--XYZ\r\nContent-Type: text/plain\r\n\r\nThe minutes of the meeting are attached.\r\n"
        b"--XYZ\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"JVBERi0xLjcKJcfs\r\n"
    )
    cut = _write(tmp_path, "cut.eml", head)
    whole = _write(tmp_path, "whole.eml", head + b"--XYZ--\r\n")
    cut_result = llmprep.process(cut, redact=False)
    assert cut_result.status == "ok"
    assert "minutes of the meeting" in cut_result.text
    assert any(f.code == "truncated" for f in cut_result.documents[0].flags)
    assert all(any(f.code == "truncated" for f in r.flags) for r in cut_result.records)
    whole_result = llmprep.process(whole, redact=False)
    assert not any(f.code == "truncated" for f in whole_result.documents[0].flags)
