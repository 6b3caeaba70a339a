"""PDF form fields and annotations: filled values as "name: value", free-text boxes."""

from __future__ import annotations

from pathlib import Path

from pdf_pages import canvas, elements


def _form(path: Path, *, fill: bool) -> None:
    c = canvas(path)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Registration")
    form = c.acroForm
    c.drawString(72, 716, "Name:")
    form.textfield(name="applicant.name[0]", value="Anna Berg" if fill else "", x=160,
                   y=710, width=200, height=20)  # fmt: skip
    c.drawString(72, 676, "City:")
    form.textfield(name="city", tooltip="Home city", value="Uppsala" if fill else "", x=160,
                   y=670, width=200, height=20)  # fmt: skip
    form.choice(name="country", tooltip="Country", value="Sweden", options=["Sweden", "Norway"],
                x=160, y=630, width=120, height=20)  # fmt: skip
    form.checkbox(name="newsletter", tooltip="Send the newsletter", checked=fill, x=72, y=590)
    form.checkbox(name="terms", tooltip="Accept the terms", checked=False, x=72, y=560)
    c.save()


def test_filled_fields_are_read_as_name_and_value(tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    _form(path, fill=True)
    fields = [e.text for e in elements(path) if e.metadata.get("form_field")]
    assert fields == [
        "name: Anna Berg",  # no tooltip: the last part of the field name, indices dropped
        "Home city: Uppsala",  # the tooltip is the name written for people
        "Country: Sweden",
        "Send the newsletter: Yes",
    ]


def test_empty_fields_and_unticked_boxes_give_nothing(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    _form(path, fill=False)
    fields = [e.text for e in elements(path) if e.metadata.get("form_field")]
    assert fields == ["Country: Sweden"]  # a choice always shows one of its options


def test_a_free_text_annotation_is_read_and_a_sticky_note_is_not(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    c = canvas(path)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Delivery note for the northern depot.")
    c.freeTextAnnotation("Received in good order", DA="/Helv 10 Tf 0 g", Rect=(72, 700, 300, 730))
    c.textAnnotation("Check the pallet count with Bo", Rect=(400, 700, 420, 720))
    c.save()
    texts = [e.text for e in elements(path)]
    assert "Received in good order" in texts
    assert not any("pallet" in t for t in texts)
