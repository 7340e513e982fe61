"""XML read through `defusedxml` only: no DTD (so no entity expansion bombs and no external entities), nothing
fetched, and a clear message naming the file and the position of the fault.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_tree


class XmlRefused(Exception):
    """An XML file that cannot be read safely or at all; the message names the file and why."""


def parse_xml(data: bytes, file: str) -> Element:
    """The root element, or XmlRefused: a DTD, an entity or an external reference is never processed."""
    try:
        root: Element = safe_tree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DTDForbidden:
        raise XmlRefused(
            f"{file}: XML with a document type declaration (DTD) is refused: entity definitions can expand "
            "without limit or read other files"
        ) from None
    except defusedxml.EntitiesForbidden:
        raise XmlRefused(
            f"{file}: XML entity declarations are refused (entity expansion is unsafe)"
        ) from None
    except defusedxml.ExternalReferenceForbidden:
        raise XmlRefused(f"{file}: XML external references are refused (nothing is fetched)") from None
    except ParseError as exc:
        line, column = exc.position
        raise XmlRefused(f"{file}:{line}: not well-formed XML (column {column + 1})") from None
    return root


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def text_of(el: Element | None) -> str:
    """All text inside an element (its children's included)."""
    return "".join(el.itertext()) if el is not None else ""
