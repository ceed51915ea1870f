"""The writing tests are plain Python: no Django settings, no database.

They run with ``-p no:django``, so the project-wide autouse fixture that isolates
Django's settings is replaced here by a no-op of the same name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:
    import newsdesk  # noqa: F401
except ImportError:  # not installed into the virtualenv: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))


@pytest.fixture(autouse=True)
def _isolated_home() -> None:
    """Nothing to isolate: the writer touches no files and no settings."""
