"""Report features for clustering: weighted terms, with titles and named entities boosted."""

from __future__ import annotations

import math
import re
from collections import Counter

TOKEN = re.compile(r"\w+", re.UNICODE)
TITLE_BOOST = 2.0
ENTITY_BOOST = 1.5
NUMBER_BOOST = 1.5
MAX_TERMS = 250


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _word_set(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours said says say told according new one two year years
    week day days monday tuesday wednesday thursday friday saturday sunday people
    في من على إلى الى عن مع أن ان إن التي الذي الذين هذا هذه ذلك تلك كان كانت يكون قد لم لن ما لا
    كما أو او ثم بعد قبل حتى خلال عند بين وقال قال وأضاف أضاف وأكد أكد حيث إذ هو هي هم نحو أي كل"""
)
# Arabic attaches conjunctions, prepositions and the article to the word; strip them to match.
ARABIC_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل")


def normalize_token(token: str) -> str:
    token = token.lower()
    if token and "\u0600" <= token[0] <= "\u06ff":
        for prefix in ARABIC_PREFIXES:
            if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                token = token[len(prefix) :]
                break
        token = token.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه")
    return token


def _terms(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    sentence_start = True
    for match in TOKEN.finditer(text):
        raw = match.group()
        token = normalize_token(raw)
        if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
            sentence_start = text[match.end() : match.end() + 2].startswith((".", "!", "?"))
            continue
        weight = 1.0
        if raw.isdigit():
            weight = NUMBER_BOOST
        elif raw[0].isupper() and not sentence_start:
            weight = ENTITY_BOOST
        counts[token] += weight  # type: ignore[assignment]
        # A capitalised word right after a full stop is not evidence of a name.
        sentence_start = text[match.end() : match.end() + 2].startswith((".", "!", "?"))
    return counts


def report_terms(title: str, text: str) -> dict[str, float]:
    """Sublinear term weights of a report, the title counting more than the body."""
    counts = _terms(text)
    for term, count in _terms(title).items():
        counts[term] += count * TITLE_BOOST  # type: ignore[assignment]
    weighted = {
        term: 1.0 + math.log(count) if count >= 1 else count for term, count in counts.items()
    }
    top = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[:MAX_TERMS]
    return {term: round(weight, 4) for term, weight in top}


def add_terms(
    total: dict[str, float], terms: dict[str, float], limit: int = 2 * MAX_TERMS
) -> dict[str, float]:
    merged = Counter(total)
    merged.update(terms)
    top = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return {term: round(weight, 4) for term, weight in top}


def cosine(
    a: dict[str, float], b: dict[str, float], idf: dict[str, float], default_idf: float
) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b[t] * idf.get(t, default_idf) ** 2 for t, w in a.items() if t in b)
    if dot == 0:
        return 0.0
    norm_a = math.sqrt(sum((w * idf.get(t, default_idf)) ** 2 for t, w in a.items()))
    norm_b = math.sqrt(sum((w * idf.get(t, default_idf)) ** 2 for t, w in b.items()))
    return dot / (norm_a * norm_b)
