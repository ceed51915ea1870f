"""XML parsing for documents from the web: no entity expansion, no network, no huge trees.

Entities stay unresolved (no XXE reading local files, no billion laughs), DTDs are neither
loaded nor fetched, and libxml2's own amplification and size limits stay on (huge_tree=False).
"""

from __future__ import annotations

from lxml import etree


class InvalidXML(ValueError):
    pass


def parse_xml(content: bytes, *, recover: bool = False) -> etree._Element:
    """The root element; raises InvalidXML with libxml2's reason when the document is unusable.

    With `recover`, a slightly broken document (unclosed tags, a truncated end) yields what
    could be read instead of an error.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise InvalidXML(f"XML syntax error: {exc}") from None
    if root is None:
        raise InvalidXML("no XML element found")
    # Left unexpanded they are harmless, but a document declaring its own entities is either
    # an attack or broken; none of the formats read with this parser needs them.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InvalidXML("the document declares XML entities (refused)")
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace: "urlset" for "{http://www.sitemaps.org/...}urlset"."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1:].split("}", 1)[0]


def text_of(element: etree._Element | None) -> str | None:
    """The element's text, or None when it is missing or leans on an entity reference."""
    if element is None:
        return None
    if any(isinstance(child, etree._Entity) for child in element):
        return None
    return (element.text or "").strip()
