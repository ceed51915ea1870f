"""MinHash signatures and LSH band keys, so that near-identical texts meet through an index.

The signature is a one-permutation MinHash: each word shingle is hashed once (blake2b, so
the values are the same in every process and Python version), the top bits pick one of
``BINS`` bins and each bin keeps its smallest value. Bins no shingle fell into borrow the
value of another bin chosen by a fixed pseudo-random walk ("optimal densification",
Shrivastava 2017), which keeps the chance that two signatures agree in a bin equal to the
texts' Jaccard similarity. This costs one hash per shingle instead of one per shingle and
permutation.

LSH: the signature is cut into ``BANDS`` bands of ``ROWS`` values; two texts are candidates
when any band is equal. With 16 x 4 the chance to meet is 1 - (1 - J^4)^16: 0.9998 at a
Jaccard of 0.8, 0.99 at 0.7, 0.64 at 0.5, 0.12 at 0.3 and 0.002 at 0.1.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from hashlib import blake2b
from struct import Struct

WORD = re.compile(r"\w+")
SHINGLE = 4
BINS = 64
BANDS = 16
ROWS = BINS // BANDS
_BIN_BITS = 6  # 2**6 == BINS
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_EMPTY = 1 << _VALUE_BITS  # above every real value
_BAND_BITS = 4  # 2**4 == BANDS: the band number sits in the key's top bits
_KEY_MASK = (1 << (64 - _BAND_BITS)) - 1
_ROW_PACK = Struct(f">{ROWS}Q")


def _walk(start: int) -> tuple[int, ...]:
    """The fixed order in which an empty bin looks at the other bins for a value to borrow."""
    others = [b for b in range(BINS) if b != start]
    return tuple(sorted(others, key=lambda b: blake2b(f"{start}:{b}".encode()).digest()))


_WALKS = tuple(_walk(b) for b in range(BINS))


def tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def shingle_hashes(words: list[str]) -> set[int]:
    """64-bit hashes of the overlapping ``SHINGLE``-word sequences of a text's words."""
    if not words:
        return set()
    last = max(1, len(words) - SHINGLE + 1)
    return {
        int.from_bytes(blake2b(" ".join(words[i : i + SHINGLE]).encode(), digest_size=8).digest())
        for i in range(last)
    }


def signature(shingles: set[int]) -> list[int]:
    """The ``BINS``-value MinHash signature of a shingle set; empty for an empty set."""
    if not shingles:
        return []
    bins = [_EMPTY] * BINS
    for value in shingles:
        b = value >> _VALUE_BITS
        v = value & _VALUE_MASK
        if v < bins[b]:
            bins[b] = v
    filled = bins.copy()
    for b in range(BINS):
        if filled[b] == _EMPTY:
            bins[b] = next(filled[o] for o in _WALKS[b] if filled[o] != _EMPTY)
    return bins


def band_keys(sig: list[int]) -> list[int]:
    """One signed 64-bit key per band: the band number in the top bits, the band's hash below."""
    keys: list[int] = []
    for band in range(BANDS if sig else 0):
        rows = _ROW_PACK.pack(*sig[band * ROWS : (band + 1) * ROWS])
        digest = int.from_bytes(blake2b(rows, digest_size=8).digest())
        key = (band << (64 - _BAND_BITS)) | (digest & _KEY_MASK)
        keys.append(key - (1 << 64) if key >= 1 << 63 else key)
    return keys


def estimated_jaccard(a: list[int], b: list[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def jaccard(a: AbstractSet[int], b: AbstractSet[int]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def containment(a: AbstractSet[int], b: AbstractSet[int]) -> float:
    """Share of the smaller set found in the larger: a trimmed copy is contained in its original."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0
