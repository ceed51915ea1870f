"""Pages that lie about their charset still come out as the right text."""

from __future__ import annotations

import codecs

import pytest

from newsdesk.sources.charset import decode_html, html_encoding, parse_html

ARABIC = "أعلن المجلس البلدي اليوم عن خطة لإصلاح الطرق في الأحياء القديمة قبل حلول فصل الشتاء"
FRENCH = "Élection à Genève : déjà « réglée », disent les façades du côté de l’île"
JAPANESE = "東京の市場で野菜の価格が先週から大きく上がったと組合が発表した"


def page(text: str, charset: str, lang: str = "") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    html = f'<html lang="{lang}">' if lang else "<html>"
    return f"{html}<head>{meta}<title>{text[:20]}</title></head><body><p>{text}</p></body></html>"


def test_windows_1256_claiming_utf8_in_header_and_meta_is_read_as_arabic() -> None:
    content = page(ARABIC, "utf-8").encode("windows-1256")
    assert html_encoding(content, "text/html; charset=UTF-8") == "cp1256"
    tree = parse_html(content, "text/html; charset=UTF-8")
    assert tree.findtext(".//p") == ARABIC and tree.findtext(".//title") == ARABIC[:20]


def test_utf8_claiming_a_legacy_charset_is_read_as_utf8() -> None:
    content = page(ARABIC, "windows-1256").encode()
    assert html_encoding(content) == "utf-8"
    assert parse_html(content).findtext(".//p") == ARABIC
    latin = page(FRENCH, "iso-8859-1").encode()
    assert parse_html(latin, "text/html; charset=ISO-8859-1").findtext(".//p") == FRENCH


def test_a_true_declaration_is_believed() -> None:
    # Read as windows-1252 (the superset WHATWG reads "iso-8859-1" as), curly quote included.
    assert parse_html(page(FRENCH, "iso-8859-1").encode("cp1252")).findtext(".//p") == FRENCH
    japanese = page(JAPANESE, "shift_jis").encode("shift_jis")
    assert html_encoding(japanese) == "shift_jis"
    assert parse_html(japanese).findtext(".//p") == JAPANESE
    xml = ('<?xml version="1.0" encoding="windows-1256"?>' + page(ARABIC, "")).encode("cp1256")
    assert parse_html(xml).findtext(".//p") == ARABIC


def test_undeclared_legacy_text_is_detected() -> None:
    content = page(ARABIC + " " + ARABIC, "").encode("windows-1256")
    assert parse_html(content).findtext(".//p") == ARABIC + " " + ARABIC


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_a_byte_order_mark_wins_over_any_declaration(bom: bytes, codec: str) -> None:
    content = bom + page(ARABIC, "windows-1256").encode(codec)
    assert html_encoding(content, "text/html; charset=iso-8859-1") == codec
    assert parse_html(content).findtext(".//p") == ARABIC
    assert not decode_html(content).startswith("\ufeff")


def test_a_utf8_page_with_a_stray_byte_stays_utf8() -> None:
    content = page(FRENCH * 20, "utf-8").encode().replace(b"</p>", b"\xff</p>")
    assert html_encoding(content) == "utf-8"
    assert FRENCH in parse_html(content).findtext(".//p")


def test_unknown_labels_and_ascii_pages_are_harmless() -> None:
    assert html_encoding(page("plain", "x-no-such-charset").encode()) == "utf-8"


def test_the_page_language_steers_detection_of_short_texts() -> None:
    # Alone, a detector reads this short French text as Baltic (cp1257).
    content = page(FRENCH, "x-no-such-charset", lang="fr-CH").encode("cp1252")
    assert parse_html(content).findtext(".//p") == FRENCH
    russian = "Городской совет утвердил новый бюджет на следующий год после долгих споров"
    content = page(russian, "", lang="ru").encode("cp1251")
    assert parse_html(content).findtext(".//p") == russian
    content = page(ARABIC, "utf-8", lang="ar").encode("cp1256")
    assert parse_html(content).findtext(".//p") == ARABIC
    # The language's usual charset does not win against one that reads clearly better.
    russian += " о расходах на дороги и школы"
    content = page(russian, "", lang="ru").encode("koi8_r")
    assert parse_html(content).findtext(".//p") == russian
