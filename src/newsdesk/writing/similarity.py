"""Content-word tokens and tf-idf cosine similarity for English and Arabic text.

Vectors are plain ``dict[str, float]`` of unit length, so the cosine of two vectors is
their dot product. Stories are small (a few hundred sentences), which keeps this fast
enough without a matrix library.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

Vector = dict[str, float]

# Numbers stay whole ("2.4", "610,000"); words keep inner apostrophes ("country's").
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['\u2019][^\W_]+)*")
# British spellings folded into American ones, so outlets on either side match.
_BRITISH_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$")
_BRITISH_OUR = re.compile(r"(?<=\w{3})our$")
_BRITISH_RE = re.compile(r"(?<=\w{2})([tb])re(s?)$")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat, dagger alef, tatweel
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Hamza-carrying alefs -> bare alef (U+0627), alef maqsura -> ya, ta marbuta -> ha (U+0647).
_ARABIC_FOLD = str.maketrans(
    {"أ": "\u0627", "إ": "\u0627", "آ": "\u0627", "ٱ": "\u0627", "ى": "ي", "ة": "\u0647"}
)


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal word list."""
    return frozenset(text.split())


ENGLISH_STOPWORDS: frozenset[str] = word_set(
    """
    a about above after again against all almost along already also although always am
    among an and another any anyone anything are around as at be became because become
    been before being below between both but by can cannot could did do does doing done
    down during each either else even ever every few for from further had has have having
    he her here hers herself him himself his how however i if in into is it its itself
    just least less like made make many may me might more most much must my myself near
    neither no nor not now of off on once one only or other others our ours ourselves out
    over own per perhaps quite rather same several shall she should since so some still
    such than that the their theirs them themselves then there these they this those
    though through thus to too toward towards under until up upon us very via was we were
    what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself
    said says say saying told tells according added adds stated noted new also mr mrs ms
    dr yesterday today tomorrow week weeks monday tuesday wednesday thursday friday
    saturday sunday
    """
)

# Folded like ``normalise_arabic`` folds words (hamza forms, alef maqsura, ta marbuta).
ARABIC_STOPWORDS: frozenset[str] = frozenset(
    word.translate(_ARABIC_FOLD)
    for word in word_set(
        """
    في من على الى عن مع ان او ام ثم بل لكن لكن حتى اذا اذ لو لا لم لن ما ماذا متى اين كيف
    هل قد لقد كان كانت يكون تكون كانوا هذا هذه ذلك تلك هؤلاء اولئك هنا هناك الذي التي الذين
    اللذين اللتين اللاتي اللواتي هو هي هم هن هما نحن انا انت انتم كل بعض غير بين عند عندما
    منذ خلال بعد قبل حيث حول ضد دون لدي لدى الا اي ايضا كما وقد وكان وكانت وهو وهي وهم وفي
    ومن وعلى والى وعن ومع وان او وقال وقالت قال قالت اضاف اضافت واضاف واضافت اكد اكدت واكد
    واكدت تابع وتابع اشار واشار اوضح واوضح يوم اليوم امس غدا بحسب حسب وفق وفقا انه انها
    انهم به بها بهم له لها لهم منه منها عليه عليها فيه فيها اليه اليها ذات عام نحو وذلك
    قباله امام خلف فوق تحت داخل خارج ضمن عبر ازاء وسط اثر جراء بسبب اجل لدى مثل
    """
    )
)

STOPWORDS: frozenset[str] = ENGLISH_STOPWORDS | ARABIC_STOPWORDS

_ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC_SUFFIXES = ("ات", "ون", "ين")


def normalise_arabic(word: str) -> str:
    """Fold the spelling variants that differ between outlets (hamza forms, ta marbuta)."""
    return _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)


def _stem_arabic(word: str) -> str:
    # Light stemming only: the definite article and common plural endings. Deeper
    # stemming merges unrelated roots, which hurts near-duplicate detection.
    for prefix in _ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    for suffix in _ARABIC_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stem_english(word: str) -> str:
    if word.endswith(("'s", "\u2019s")):
        word = word[:-2]
    word = _BRITISH_ISE.sub(r"iz\1", word)
    word = _BRITISH_OUR.sub("or", word)
    word = _BRITISH_RE.sub(r"\1er\2", word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # "approve", "approved" and "approving" share "approv"
    return word


def words(text: str) -> list[str]:
    """The words of ``text`` as written (for counting and phrase building)."""
    return _WORD.findall(text)


def normalise(word: str) -> str:
    """Lower-case, fold script variants and digits; no stemming."""
    if word.isascii():
        return word.lower()
    word = word.lower().translate(_EASTERN_DIGITS)
    if _ARABIC_LETTER.search(word):
        word = normalise_arabic(word)
    return word


def stem(word: str) -> str:
    """The stem of an already normalised word."""
    if not word.isascii() and _ARABIC_LETTER.search(word):
        return _stem_arabic(word)
    return _stem_english(word)


def is_stopword(word: str) -> bool:
    return normalise(word) in STOPWORDS


def content_tokens(text: str) -> list[str]:
    """Stemmed content words of ``text``: the features that similarity is computed on."""
    tokens = []
    for raw in _WORD.findall(text):
        word = normalise(raw)
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        tokens.append("percent" if word == "cent" else stem(word))  # "per cent"
    return tokens


class TfIdf:
    """Inverse document frequencies learnt from one story's sentences."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        document_frequency: Counter[str] = Counter()
        count = 0
        for tokens in documents:
            count += 1
            document_frequency.update(set(tokens))
        self._count = count
        # Smoothed idf; unseen terms (e.g. from titles) get the rarest weight.
        self._idf = {
            term: math.log((1 + count) / (1 + df)) + 1.0 for term, df in document_frequency.items()
        }
        self._unseen_idf = math.log(1 + count) + 1.0

    def idf(self, term: str) -> float:
        return self._idf.get(term, self._unseen_idf)

    def vector(self, tokens: Sequence[str]) -> Vector:
        """Unit-length tf-idf vector (sublinear tf) of a token list."""
        counts = Counter(tokens)
        weights = {term: (1.0 + math.log(tf)) * self.idf(term) for term, tf in counts.items()}
        return unit(weights)


def unit(weights: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm == 0.0:
        return {}
    return {term: w / norm for term, w in weights.items()}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(w * get(term, 0.0) for term, w in a.items())


def centroid(vectors: Iterable[Vector]) -> Vector:
    """Unit-length mean direction of unit vectors."""
    total: defaultdict[str, float] = defaultdict(float)
    for vector in vectors:
        for term, w in vector.items():
            total[term] += w
    return unit(dict(total))


class SimilarityIndex:
    """Inverted index over unit vectors: cosines against all of them in one pass.

    Only terms shared with the query are visited, which is much cheaper than one dot
    product per pair when most sentence pairs share no content word.
    """

    def __init__(self, vectors: Sequence[Vector]) -> None:
        self._postings: defaultdict[str, list[tuple[int, float]]] = defaultdict(list)
        for position, vector in enumerate(vectors):
            for term, weight in vector.items():
                self._postings[term].append((position, weight))

    def similarities(self, vector: Vector) -> dict[int, float]:
        """Cosine with every indexed vector sharing a term (position -> cosine)."""
        scores: defaultdict[int, float] = defaultdict(float)
        postings = self._postings
        for term, weight in vector.items():
            for position, other in postings.get(term, ()):
                scores[position] += weight * other
        return scores
