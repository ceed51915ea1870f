from __future__ import annotations

import pytest

from newsdesk.writing.similarity import (
    SimilarityIndex,
    TfIdf,
    centroid,
    content_tokens,
    cosine,
    is_stopword,
)


def test_content_tokens_drop_stopwords_and_stem() -> None:
    assert content_tokens("The officials said the floods were rising in the valleys.") == [
        "official",
        "flood",
        "ris",
        "valley",
    ]


def test_spelling_variants_and_numbers_match() -> None:
    assert content_tokens("recognised centres labour 2.4 610,000 per cent") == content_tokens(
        "recognized centers labor 2.4 610,000 percent"
    )


def test_arabic_normalisation_folds_hamza_and_article() -> None:
    assert content_tokens("أعلنت الحكومة") == content_tokens("اعلنت حكومة")
    assert is_stopword("إلى") and is_stopword("على") and is_stopword("في")
    assert content_tokens("٢٠٣٠") == ["2030"]


def test_tfidf_cosine_is_one_for_identical_and_zero_for_disjoint() -> None:
    documents = [content_tokens(t) for t in ["dam burst flood", "dam burst flood", "tram line"]]
    model = TfIdf(documents)
    first, second, third = (model.vector(tokens) for tokens in documents)
    assert cosine(first, second) == pytest.approx(1.0)
    assert cosine(first, third) == 0.0
    assert cosine({}, first) == 0.0


def test_index_agrees_with_pairwise_cosine() -> None:
    texts = ["dam burst flood Orlen", "flood Orlen rescue", "tram line council", "dam inquiry"]
    model = TfIdf(content_tokens(t) for t in texts)
    vectors = [model.vector(content_tokens(t)) for t in texts]
    index = SimilarityIndex(vectors)
    for vector in vectors:
        found = index.similarities(vector)
        for position, other in enumerate(vectors):
            assert found.get(position, 0.0) == pytest.approx(cosine(vector, other))


def test_centroid_is_unit_length() -> None:
    middle = centroid([{"a": 1.0}, {"b": 1.0}])
    assert cosine(middle, middle) == pytest.approx(1.0)
    assert centroid([]) == {}
