"""A page's language: what its markup declares, checked against the script its text is in."""

from __future__ import annotations

import re

_CODE = re.compile(r"[a-z]{2,3}")

# Scripts that name their language well enough on their own. Latin and Cyrillic are shared by
# too many languages to guess from, so they say nothing and the source's language is used.
# Letters of each script that can name a language, as regex classes: counted in C.
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "arabic": re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    "hebrew": re.compile("[\u0590-\u05ff]"),
    "greek": re.compile("[\u0370-\u03ff]"),
    "thai": re.compile("[\u0e00-\u0e7f]"),
    "hangul": re.compile("[\uac00-\ud7af\u1100-\u11ff]"),
    "kana": re.compile("[\u3040-\u30ff]"),
    "han": re.compile("[\u4e00-\u9fff]"),
    "devanagari": re.compile("[\u0900-\u097f]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
}
_LETTER = re.compile(r"[^\W\d_]")
_SCRIPT_LANGUAGE = {
    "arabic": "ar",
    "hebrew": "he",
    "greek": "el",
    "thai": "th",
    "hangul": "ko",
    "kana": "ja",
    "han": "zh",
    "devanagari": "hi",
}
# Which languages each script can be written in, to catch a template's wrong lang attribute.
_SCRIPT_LANGUAGES = {
    "arabic": {"ar", "fa", "ur", "ps", "ku", "sd", "ug", "ckb"},
    "hebrew": {"he", "iw", "yi"},
    "greek": {"el"},
    "thai": {"th"},
    "hangul": {"ko"},
    "kana": {"ja"},
    "han": {"zh", "ja", "yue"},
    "devanagari": {"hi", "mr", "ne", "sa"},
    "cyrillic": {"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "uz"},
}
# Letters Arabic itself does not use: they point to Persian or Urdu.
_PERSIAN = set("پچژگکی")
_URDU = set("ٹڈڑںےھ")


def language_code(value: str) -> str:
    """ "en-GB", "ar_AE", "EN" -> the primary language subtag; "" when it is not one."""
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if _CODE.fullmatch(primary) else ""


def dominant_script(text: str) -> str:
    """The non-Latin script of most of the text's letters, or "" (Latin, mixed, none)."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return ""
    counts = {script: len(pattern.findall(text)) for script, pattern in _SCRIPTS.items()}
    if counts["kana"]:
        # Japanese mixes kana with Han characters: both count for it.
        counts["kana"] += counts.pop("han")
    script = max(counts, key=lambda s: counts[s])
    return script if counts[script] >= 0.5 * letters else ""


def guess_from_text(text: str) -> str:
    script = dominant_script(text)
    if script == "arabic":
        # Persian and Urdu add letters of their own; Arabic pages carry a stray one at most.
        letters = sum(char.isalpha() for char in text)
        urdu = sum(char in _URDU for char in text)
        persian = sum(char in _PERSIAN for char in text)
        if urdu >= max(5, 0.01 * letters):
            return "ur"
        if persian >= max(5, 0.02 * letters):
            return "fa"
    return _SCRIPT_LANGUAGE.get(script, "")


def page_language(declared: list[str], sample: str) -> str:
    """The first valid declared language, unless the text's script rules it out.

    "" when nothing can be told (a Latin-script page that declares nothing): the source's
    configured language is the better guess then.
    """
    code = next((c for c in map(language_code, declared) if c), "")
    script = dominant_script(sample)
    if code and (not script or code in _SCRIPT_LANGUAGES[script]):
        return code
    return guess_from_text(sample)
