"""MinHash signatures and LSH band keys: stable, in range, and tracking the Jaccard similarity."""

from __future__ import annotations

import random
import subprocess
import sys

from newsdesk.demo.corpus import load_corpus
from newsdesk.reports.dedupe import fingerprint, is_copy
from newsdesk.reports.minhash import (
    BANDS,
    BINS,
    band_keys,
    estimated_jaccard,
    jaccard,
    shingle_hashes,
    signature,
    tokens,
)
from tests.reports.pages import OWN_WORDS, PARAGRAPHS, WIRE, wire_copy

WIRE_TEXT = "\n".join(WIRE)


def keys_of(text: str) -> list[int]:
    return band_keys(signature(shingle_hashes(tokens(text))))


def test_keys_are_the_same_in_another_process() -> None:
    # Python's own hash() of a string changes with every process; stored keys must not.
    code = (
        "from newsdesk.reports.minhash import band_keys, signature, shingle_hashes, tokens;"
        "import sys; print(band_keys(signature(shingle_hashes(tokens(sys.stdin.read())))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=WIRE_TEXT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345"},
    )
    assert result.stdout.strip() == str(keys_of(WIRE_TEXT))


def test_one_signed_64_bit_key_per_band_with_the_band_number_on_top() -> None:
    keys = keys_of(WIRE_TEXT)
    assert len(keys) == BANDS and len(set(keys)) == BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert [(key % 2**64) >> 60 for key in keys] == list(range(BANDS))


def test_no_words_no_keys() -> None:
    assert keys_of("") == [] and keys_of(" -- ... ") == []


def test_short_text_fills_every_bin() -> None:
    sig = signature(shingle_hashes(tokens("Only a handful of words here today.")))
    assert len(sig) == BINS and all(0 <= value < 2**58 for value in sig)


def test_estimate_tracks_the_exact_jaccard() -> None:
    rng = random.Random(3)
    words = tokens(" ".join(PARAGRAPHS + WIRE + OWN_WORDS))
    errors = []
    for _ in range(200):
        base = [rng.choice(words) for _ in range(300)]
        edited = [w if rng.random() > rng.random() * 0.3 else rng.choice(words) for w in base]
        a, b = shingle_hashes(base), shingle_hashes(edited)
        errors.append(abs(estimated_jaccard(signature(a), signature(b)) - jaccard(a, b)))
    # 64 bins: a standard error of at most 0.0625; the mean error is well below it.
    assert sum(errors) / len(errors) < 0.05
    assert max(errors) < 0.25


def test_light_edits_meet_and_other_words_do_not() -> None:
    original = fingerprint(WIRE_TEXT)
    copy = fingerprint("\n".join(wire_copy(WIRE)))
    other = fingerprint("\n".join(OWN_WORDS))
    assert set(original.keys) & set(copy.keys)
    assert is_copy(original.shingles, copy.shingles)
    assert not set(original.keys) & set(other.keys)
    assert not is_copy(original.shingles, other.shingles)


def _edits(paragraphs: list[str], rng: random.Random) -> dict[str, list[str]]:
    """The edits an outlet makes to a wire story it republishes."""
    house = [
        p.replace(" percent", " per cent").replace(" said", " told reporters") for p in paragraphs
    ]
    return {
        "dateline": ["CITY (Agency) - " + paragraphs[0], *paragraphs[1:]],
        "new first line": ["Our own opening sentence, written for our readers.", *paragraphs[1:]],
        "trimmed end": paragraphs[:-1],
        "dateline and trimmed end": ["CITY (Agency) - " + paragraphs[0], *paragraphs[1:-1]],
        "house style": house,
        "two percent of words changed": [
            " ".join(w if rng.random() > 0.02 else "changed" for w in p.split()) for p in paragraphs
        ],
    }


def test_recall_on_light_edits_and_no_false_copy_in_the_demo_corpus() -> None:
    """Measured on texts we wrote: every light edit is found, no two outlets' own reports are."""
    corpus = load_corpus()
    rng = random.Random(11)
    found = tried = 0
    for report in corpus.reports:
        if len(report.paragraphs) < 4:
            continue
        original = fingerprint("\n".join(report.paragraphs))
        for edited in _edits(list(report.paragraphs), rng).values():
            copy = fingerprint("\n".join(edited))
            tried += 1
            found += bool(set(original.keys) & set(copy.keys)) and is_copy(
                original.shingles, copy.shingles
            )
    assert tried > 100 and found == tried
    prints = [
        (report.path, report.kind, fingerprint("\n".join(report.paragraphs)))
        for report in corpus.reports
    ]
    for i, (path_a, kind_a, a) in enumerate(prints):
        for path_b, kind_b, b in prints[i + 1 :]:
            if kind_a == kind_b == "wire":
                continue  # the corpus' one wire story on two outlets is a real copy
            assert not is_copy(a.shingles, b.shingles), (path_a, path_b)
