"""What text a page's bytes hold, when the page may lie about its charset.

Order: a byte-order mark; then the declared charsets (HTTP header, <meta>, XML declaration),
each believed only if the bytes decode under it strictly; then detection. Valid UTF-8 with
non-ASCII text wins over a declared single-byte charset: legacy text almost never happens to
form valid multi-byte UTF-8, while pages re-encoded to UTF-8 with a stale <meta> are common.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

import charset_normalizer
from lxml import html as lxml_html

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    # UTF-32 LE starts with the UTF-16 LE mark, so it is tried first.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:\-]+)""", re.I)
META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:\-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:\-]+)""")
# WHATWG: these labels mean windows-1252, a superset; a UTF-16 <meta> in bytes that had no
# byte-order mark cannot be true (the <meta> itself was readable as ASCII).
ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
PRESCAN = 4096
HTML_LANG = re.compile(rb"""<html\b[^>]*?\blang\s*=\s*["']?([a-zA-Z]{2,3})\b""", re.I)
# The legacy charset pages in a language used before UTF-8 (WHATWG's locale defaults).
LEGACY_BY_LANGUAGE = {
    **dict.fromkeys(["ar", "fa", "ur", "ps", "ckb"], "cp1256"),
    **dict.fromkeys(["ru", "uk", "bg", "sr", "mk", "be", "kk"], "cp1251"),
    **dict.fromkeys(["pl", "cs", "sk", "hu", "ro", "hr", "sl", "bs", "sq"], "cp1250"),
    **dict.fromkeys(["lt", "lv", "et"], "cp1257"),
    "he": "cp1255",
    "el": "cp1253",
    "tr": "cp1254",
    "az": "cp1254",
    "vi": "cp1258",
    "th": "cp874",
    "ja": "shift_jis",
    "zh": "gb18030",
    "ko": "euc_kr",
}


def html_encoding(content: bytes, content_type: str = "") -> str:
    """The Python codec that turns `content` into the page's text."""
    for bom, name in BOMS:
        if content.startswith(bom):
            return name
    if content.isascii():
        return "utf-8"
    declared = _declared(content, content_type)
    first = declared[0] if declared else "utf-8"
    if (first == "utf-8" or _is_single_byte(first)) and _decodes(content, "utf-8"):
        return "utf-8"
    for name in declared:
        if name != "utf-8" and _decodes(content, name):
            return name
    if _mostly_utf8(content):
        return "utf-8"
    return _detected(content) or "cp1252"  # windows-1252 decodes nearly anything


def _detected(content: bytes) -> str:
    """Detection, steered by the page's language: short texts fool detectors (French read as
    Baltic), so the legacy charset of the page's `lang` wins when it reads about as well (as
    little mess, as coherent a language), and loses to a clearly better one (Russian in KOI8-R)."""
    matches = charset_normalizer.from_bytes(content)
    best = matches.best()
    lang = HTML_LANG.search(content[:PRESCAN])
    hinted = LEGACY_BY_LANGUAGE.get(lang.group(1).lower().decode(), "cp1252") if lang else ""
    if best is None:
        return hinted if hinted and _decodes(content, hinted) else ""
    for match in matches:
        if (
            _normalized(match.encoding) == hinted
            and match.chaos <= best.chaos + 0.1
            and match.coherence >= best.coherence - 0.1
        ):
            return hinted
    return _normalized(best.encoding)


def decode_html(content: bytes, content_type: str = "") -> str:
    encoding = html_encoding(content, content_type)
    text = content.decode(encoding, "replace")
    return text.removeprefix("\ufeff")


def parse_html(content: bytes, content_type: str = "") -> lxml_html.HtmlElement:
    """The page as an lxml tree, read in the charset html_encoding finds.

    lxml is given UTF-8 bytes and told so, which overrides any <meta charset> in the page.
    """
    encoding = html_encoding(content, content_type)
    if encoding == "utf-8":
        data = content.removeprefix(codecs.BOM_UTF8)
    else:
        data = decode_html(content, content_type).encode("utf-8")
    parser = lxml_html.HTMLParser(encoding="utf-8")
    return lxml_html.document_fromstring(data, parser=parser)


def _declared(content: bytes, content_type: str) -> list[str]:
    labels: list[str] = []
    header = HEADER_CHARSET.search(content_type)
    if header:
        labels.append(header.group(1))
    head = content[:PRESCAN]
    for pattern in (META_CHARSET, XML_ENCODING):
        found = pattern.search(head)
        if found:
            labels.append(found.group(1).decode("ascii", "replace"))
    names: list[str] = []
    for label in labels:
        name = _normalized(label)
        if name and name not in names:
            names.append(name)
    return names


def _normalized(label: str | None) -> str:
    if not label:
        return ""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return ""
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return ALIASES.get(name, name)


@lru_cache(maxsize=64)
def _is_single_byte(name: str) -> bool:
    try:
        return len(bytes(range(128, 256)).decode(name, "replace")) == 128
    except LookupError:
        return False


def _decodes(content: bytes, name: str) -> bool:
    try:
        content.decode(name)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _mostly_utf8(content: bytes) -> bool:
    # A UTF-8 page with a few broken bytes (a bad paste, a cut) is still UTF-8; legacy text
    # read as UTF-8 is mostly broken.
    text = content.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if ord(char) > 127) - bad
    return good > 0 and bad * 100 <= good
