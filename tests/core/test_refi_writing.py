"""Elements written as text read exactly as lxml would write them."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from annotator.core.formats.refi_writing import element, escaped, write_text

NS = "urn:QDA-XML:project:1.0"
AWKWARD = ["plain-id", "a&b<c>d\"e'f", "line\nbreak\rand\ttab", "é, 🇦🇲 and ⟨⟩"]


def through_lxml(value: str) -> bytes:
    out = io.BytesIO()
    with (
        etree.xmlfile(out, encoding="utf-8") as xf,
        xf.element(f"{{{NS}}}Project", nsmap={None: NS}),
        xf.element(f"{{{NS}}}Coding", {"guid": value}),
        xf.element(f"{{{NS}}}CodeRef"),
    ):
        pass
    return out.getvalue()


def as_text(value: str) -> bytes:
    out = io.BytesIO()
    with (
        etree.xmlfile(out, encoding="utf-8") as xf,
        xf.element(f"{{{NS}}}Project", nsmap={None: NS}),
    ):
        write_text(xf, out, element("Coding", {"guid": escaped(value)}, element("CodeRef", {})))
    return out.getvalue()


@pytest.mark.parametrize("value", AWKWARD)
def test_an_element_as_text_is_what_lxml_writes(value: str) -> None:
    assert as_text(value) == through_lxml(value)


def test_characters_xml_cannot_hold_are_refused_as_lxml_does() -> None:
    with pytest.raises(ValueError):
        through_lxml("bell\x07")
    with pytest.raises(ValueError):
        escaped("bell\x07")
