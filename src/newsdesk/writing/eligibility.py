"""Which source sentences may be published on their own.

The writer reorders sentences from several reports, so a sentence is only usable when it
stands alone: no pronoun or connective that points at a missing previous sentence, no
quote without its speaker, no captions, bylines or boilerplate. Datelines ("BEIRUT
(Reuters) - ") are cut off the front of a sentence, which keeps the text verbatim: the
result is still an exact slice of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.writing.similarity import STOPWORDS, normalise, word_set, words

MIN_WORDS = 6
MAX_WORDS = 70
# A quoted span this long makes the sentence a quote that must name its speaker.
QUOTE_MIN_WORDS = 4

# "BELÉM, Brazil — ", "LONDON, Dec 6 (Reuters) - ", "Beirut (Reuters) - ", "دمشق (رويترز) - ".
# The place is checked in code: capitals, or an agency in brackets.
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_][^()\n]{0,40}?)\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?:[-\u2013\u2014]{1,2}|:)\s+"
)
_DATELINE_MAX_WORDS = 6

_EN_CONTEXT_OPENERS = word_set(
    """
    he she they it its his her their them him this that these those however but and or
    also meanwhile moreover furthermore additionally besides nevertheless nonetheless still
    yet so thus therefore hence instead otherwise likewise similarly then such both another
    later earlier separately again afterwards there's
    """
)
# "The move ...", "The decision ...": a definite noun pointing back at an earlier sentence.
_EN_ANAPHORA = re.compile(
    r"^the (?:move|decision|increase|decrease|rise|fall|cut|hike|announcement|incident|attack|"
    r"deal|agreement|vote|measure|plan|step|change|report|statement|comments|remarks|"
    r"development|ruling|verdict|proposal|news|latter|former|same|above|following|"
    r"\d+-year-old)\b"
    r"(?! (?:to|of|for|by|on|in|that|which)\b)",
    re.IGNORECASE,
)
_EN_CONTEXT_PHRASES = (
    "in addition",
    "as a result",
    "on the other hand",
    "at the same time",
    "in turn",
    "in response",
    "after that",
    "for his part",
    "for her part",
    "for their part",
    "the latter",
    "the former",
    "even so",
    "that said",
    "what's more",
    "by contrast",
    "in contrast",
    "not only that",
    "the same day",
)
# Arabic connectives and speech verbs whose subject is in an earlier sentence.
_AR_CONTEXT_OPENERS = frozenset(
    normalise(word)
    for word in word_set(
        """
    هو هي هم هذا هذه ذلك تلك وهو وهي وهم وهذا وهذه وذلك لكن ولكن كما بينما فيما بدوره بدورها
    وبدوره وبدورها لذلك ولذلك ايضا كذلك وكذلك غير الا ثم
    """
    )
)
ARABIC_SPEECH_VERBS = frozenset(
    normalise(word)
    for word in word_set(
        """
    وأضاف وأضافت وقال وقالت وأكد وأكدت وتابع وتابعت وأشار وأشارت وأوضح وأوضحت ولفت ولفتت
    واعتبر واعتبرت وأردف وأردفت وشدد وشددت ونوه ونوهت وأعلن وأعلنت أضاف أضافت قال قالت
    أكد أكدت تابع تابعت أشار أشارت أوضح أوضحت
    """
    )
)
_AR_CONTEXT_PHRASES = tuple(
    normalise(phrase)
    for phrase in ("من جهته", "من جهتها", "من جانبه", "من جانبها", "في المقابل", "إلا أن", "غير أن")
)

_SAY_VERBS_EN = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|stated|states|wrote|writes|asked|warned|noted|"
    r"insisted|explained|stressed|argued|declared|announced|tweeted|posted|continued|"
    r"according to|quoted|quoting|recalled|urged|acknowledged|admitted|confirmed)\b",
    re.IGNORECASE,
)
_SAY_VERBS_AR = re.compile(
    r"(?:قال|قالت|أضاف|أضافت|أكد|أكدت|صرح|صرحت|تابع|تابعت|أوضح|أوضحت|أشار|أشارت|بحسب|حسب|وفق"
    r"|كتب|كتبت|ذكر|ذكرت|أعلن|أعلنت|لـ)"
)
_PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she|they|it)\s+(?:also\s+|later\s+|then\s+)?(?:said|says|added|told|stated|"
    r"warned|noted|explained|insisted|stressed|argued|wrote|asked|continued)\b",
    re.IGNORECASE,
)
_OPENING_QUOTES = "\"'“\u2018«("
_HERE = re.compile(r"\bhere\b", re.IGNORECASE)
_PRONOUNS = word_set("he she they it we i you him her them us me")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")
_ENDS_WITH_TERMINATOR = re.compile(r"[.!?؟…][\"'”\u2019»)\]]*$")
_QUESTION_END = re.compile(r"[?؟][\"'”\u2019»)\]]*$")
_EXCLAMATION_END = re.compile(r"![\"'”\u2019»)\]]*$")

_BOILERPLATE = re.compile(
    r"^(?:photo|image|picture|video|file photo|caption|credit|graphic|watch|listen|"
    r"advertisement|related|read more|see also|update|updated|editor's note)s?\b\s*[:|/—-]"
    r"|getty images|ap photo|afp photo|reuters/|/reuters|epa-efe|shutterstock|photograph:"
    r"|\b(?:reporting|editing|writing|additional reporting) by\b"
    r"|contributed (?:to )?(?:this )?report"
    r"|\b(?:read more|click here|sign up|subscribe|newsletter|follow us|all rights reserved)\b"
    r"|\bcopyright\b|©|https?://|www\.|\S+@\S+\.\w+|(?:^|\s)@\w"
    r"|^(?:صورة|الصورة|المصدر|اقرأ أيضا|اقرأ أيضاً|شاهد)\s*[:\uff1a-]"
    r"|جميع الحقوق محفوظة|تابعونا|اشترك",
    re.IGNORECASE,
)
# "By Jane Smith and Omar Haddad" (a byline read as a sentence)
_BYLINE = re.compile(r"^by\s+(?:[A-Z][\w.'\u2019-]*\s*(?:,|and|&)?\s*){1,6}$")


@dataclass(frozen=True)
class Verdict:
    """Whether a sentence can be published; ``start_shift`` cuts a leading dateline."""

    reason: str | None  # None: usable
    start_shift: int = 0
    is_quote: bool = False

    @property
    def usable(self) -> bool:
        return self.reason is None


def dateline_length(sentence: str) -> int:
    """Length of a leading dateline such as "BEIRUT (Reuters) - ", or 0."""
    match = _DATELINE.match(sentence)
    if match is None or match.end() >= len(sentence):
        return 0
    place = match.group("place")
    if len(words(place)) > _DATELINE_MAX_WORDS:
        return 0
    city = place.split(",")[0]
    if match.group("agency") or (city.isupper() and len(city) > 2):
        return match.end()
    return 0


def quoted_spans(sentence: str) -> list[str]:
    return _QUOTED.findall(sentence)


def has_balanced_quotes(sentence: str) -> bool:
    return (
        sentence.count('"') % 2 == 0
        and sentence.count("“") == sentence.count("”")
        and sentence.count("«") == sentence.count("»")
    )


def is_quote(sentence: str) -> bool:
    """A sentence built around direct speech (not just a quoted word or title)."""
    return any(len(words(span)) >= QUOTE_MIN_WORDS for span in quoted_spans(sentence))


def names_speaker(sentence: str) -> bool:
    """Whether the text outside the quotes has a speech verb and a non-pronoun speaker."""
    outside = _QUOTED.sub(" ", sentence)
    if not (_SAY_VERBS_EN.search(outside) or _SAY_VERBS_AR.search(outside)):
        return False
    leftover = _SAY_VERBS_AR.sub(" ", _SAY_VERBS_EN.sub(" ", outside))
    for word in words(leftover):
        lowered = normalise(word)
        if lowered in _PRONOUNS or lowered in STOPWORDS or len(lowered) < 2:
            continue
        return True
    return False


def judge(sentence: str) -> Verdict:
    """Decide whether ``sentence`` (a whitespace-stripped span) can be published alone."""
    shift = dateline_length(sentence)
    text = sentence[shift:]
    if not _ENDS_WITH_TERMINATOR.search(text):
        return Verdict("no final punctuation (heading, caption or fragment)", shift)
    if _QUESTION_END.search(text):
        return Verdict("question", shift)
    sentence_words = words(text)
    count = len(sentence_words)
    if count < MIN_WORDS:
        return Verdict("too short", shift)
    if count > MAX_WORDS:
        return Verdict("too long", shift)
    if _BOILERPLATE.search(text) or _BYLINE.match(text.rstrip(".")):
        return Verdict("caption, credit, byline or boilerplate", shift)
    if not has_balanced_quotes(text):
        return Verdict("part of a multi-sentence quote", shift)
    cased = [word for word in sentence_words if word.lower() != word.upper()]
    if cased and sum(word.isupper() for word in cased) > 0.7 * len(cased):
        return Verdict("all capitals", shift)
    if text.lstrip(_OPENING_QUOTES)[:1].islower():
        return Verdict("starts mid-sentence", shift)
    quote = is_quote(text)
    if quote:
        if not names_speaker(text):
            return Verdict("quote without a named speaker", shift, True)
    elif _EXCLAMATION_END.search(text):
        return Verdict("exclamation", shift)
    elif _depends_on_context(text):
        return Verdict("depends on an earlier sentence", shift)
    if _PRONOUN_SPEAKER.search(text):
        return Verdict("speaker is a pronoun", shift, quote)
    if shift and _HERE.search(text):
        return Verdict("'here' refers to the dateline that was cut off", shift, quote)
    return Verdict(None, shift, quote)


# "... said the money would go to UN agencies": which money was said before.
_EN_DEFINITE_BACK = re.compile(
    r"\b(?:the|this|that) (?:money|funds|sum|amount|package|pledge|payment|figure|latter|former)"
    r"\b(?! (?:of|for|to|from|that|which)\b)",
    re.IGNORECASE,
)


def _depends_on_context(text: str) -> bool:
    lowered = text.lower()
    if _EN_DEFINITE_BACK.search(text):
        return True
    first_words = words(lowered)[:2]
    if not first_words:
        return True
    if first_words[0] in _EN_CONTEXT_OPENERS:
        return True
    if any(lowered.startswith(phrase) for phrase in _EN_CONTEXT_PHRASES):
        return True
    if _EN_ANAPHORA.match(text):
        return True
    folded = [normalise(word) for word in first_words]
    if folded[0] in _AR_CONTEXT_OPENERS:
        return True
    if any(normalise(text[:20]).startswith(phrase) for phrase in _AR_CONTEXT_PHRASES):
        return True
    if folded[0] in ARABIC_SPEECH_VERBS:
        # Verb-first Arabic: "وقال الوزير ..." names its subject, "وأضاف أن ..." does not.
        after_verb = text[len(first_words[0]) :].lstrip()
        return len(folded) < 2 or folded[1] in STOPWORDS or after_verb[:1] in ':،,"«'
    return False


# Words that lean on something said before: fine mid-article, wrong in a lede or a summary.
_REFERS_BACK = re.compile(
    r"\b(?:also|too|again|as well|another|other|the same|further|either|likewise)\b"
    r"|^(?:a|the)\s+(?:second|third|fourth|latter|former)\b"
    r"|(?:^|\s)(?:أيضا|أيضاً|كذلك|آخر|أخرى)(?:\s|$|[.،])",
    re.IGNORECASE,
)


def refers_back(sentence: str) -> bool:
    """True when the sentence presumes earlier context ("The government also recognised...")."""
    return bool(_REFERS_BACK.search(sentence))
